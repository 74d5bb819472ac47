"""Language recipes, one module per language, looked up by ``recipe_for``.

Each module defines one class implementing ``coderlhf_tui.runners.recipe.Recipe`` and
exposes it as ``RECIPE``; every ``Language`` has one. They are imported on first use, so
starting the app or the CLI does not load ten recipes (and their regular expressions).
"""

from __future__ import annotations

import importlib

from coderlhf_tui.domain import Language
from coderlhf_tui.runners.recipe import Recipe

RECIPE_MODULES: dict[Language, str] = {
    language: f"coderlhf_tui.runners.languages.{language.value}" for language in Language
}


def recipe_for(language: Language) -> Recipe:
    """The recipe for ``language``."""
    recipe: Recipe = importlib.import_module(RECIPE_MODULES[language]).RECIPE
    return recipe
