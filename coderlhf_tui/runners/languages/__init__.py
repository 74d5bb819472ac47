"""Language recipes, one module per language, looked up by ``recipe_for``.

Each module defines one class implementing ``coderlhf_tui.runners.recipe.Recipe``; the
registry below imports them lazily so a missing language module does not break the rest.
"""

from __future__ import annotations

import importlib

from coderlhf_tui.domain import Language
from coderlhf_tui.runners.recipe import Recipe

RECIPE_MODULES: dict[Language, str] = {
    language: f"coderlhf_tui.runners.languages.{language.value}" for language in Language
}


class UnsupportedLanguage(LookupError):
    """No recipe is installed for this language."""


def recipe_for(language: Language) -> Recipe:
    """The recipe for ``language``; each module exposes ``RECIPE``."""
    try:
        module = importlib.import_module(RECIPE_MODULES[language])
    except ModuleNotFoundError as exc:
        raise UnsupportedLanguage(f"no runner recipe for {language.value} yet") from exc
    recipe: Recipe = module.RECIPE
    return recipe
