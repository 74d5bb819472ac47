"""The C++ recipe: the C recipe's files, steps and reading, compiled by g++ as C++17.

See ``c.py`` for the files and commands; here the files end in ``.cpp`` and the compiler
is ``g++ -std=gnu++17`` (gcc 12), with the same sanitizers.
"""

from __future__ import annotations

from coderlhf_tui.domain import Language
from coderlhf_tui.runners.languages.c import CFamilyRecipe

RECIPE = CFamilyRecipe(Language.CPP, "g++ -std=gnu++17", "cpp")
