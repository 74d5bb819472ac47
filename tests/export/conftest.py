"""Fixtures for the export tests: the bundled rubric and a varied, real workspace."""

from __future__ import annotations

import pytest

from coderlhf_tui.rubric import Rubric, load_rubric
from tests.export.workspace import Workspace, build_workspace


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    """The bundled rubric."""
    return load_rubric()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> Workspace:
    """One varied workspace shared by a test module (tests only read it)."""
    return build_workspace(tmp_path_factory.mktemp("ws") / "workspace.db", rubric)
