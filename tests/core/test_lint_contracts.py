"""The lint configuration keeps biting: a copy of the package with one forbidden import added
fails the import contracts or the dependency check, naming the import.

scripts/lint runs import-linter and deptry on the real tree, where they pass; these tests
guard the other half, that the configuration in pyproject.toml still refuses what it is
meant to refuse (a contract loosened or a path excluded by mistake would pass silently).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent


def _copy_with(tmp_path: Path, additions: dict[str, str]) -> Path:
    """The package and pyproject.toml copied to ``tmp_path``, with ``additions`` (module path
    -> source) appended to existing modules or written as new ones."""
    shutil.copytree(
        REPO / "coderlhf_tui",
        tmp_path / "coderlhf_tui",
        ignore=shutil.ignore_patterns("__pycache__", "rules"),
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    for relative, source in additions.items():
        module = tmp_path / relative
        before = module.read_text(encoding="utf-8") if module.exists() else ""
        module.write_text(before + source, encoding="utf-8")
    return tmp_path


def _run(tool: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}  # the copy, not the installed package
    return subprocess.run(
        [str(BIN / tool), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("domain.py", "\nimport coderlhf_tui.store\n", "the domain"),
        ("quality/zz.py", "import textual.widgets\n", "services never"),
        ("widgets/zz.py", "import coderlhf_tui.store\n", "widgets never"),
        ("runners/zz.py", "import coderlhf_tui.sync.client\n", "runners never"),
        ("sync/client/zz.py", "import coderlhf_tui.sync.server.db\n", "the sync client"),
        ("workbench/zz.py", "import coderlhf_tui.sync.wire.protocol\n", "only the server"),
        ("cluster/zz.py", "import coderlhf_tui.cli.common\n", "nothing below the command"),
        ("keymap.py", "\nimport coderlhf_tui.widgets.bindings\n", "only the front ends"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, source: str, contract: str
) -> None:
    """``source`` added to ``module`` (a path inside the package) breaks ``contract``."""
    tree = _copy_with(tmp_path, {f"coderlhf_tui/{module}": source})
    done = _run("lint-imports", "--no-cache", cwd=tree)
    assert done.returncode != 0, done.stdout
    broken = [line for line in done.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), broken
    assert "coderlhf_tui." + module.removesuffix(".py").replace("/", ".") in done.stdout


def test_the_contracts_hold_on_the_copy_without_additions(tmp_path: Path) -> None:
    done = _run("lint-imports", "--no-cache", cwd=_copy_with(tmp_path, {}))
    assert done.returncode == 0, done.stdout
    assert "BROKEN" not in done.stdout


def _check_dependencies(tree: Path) -> subprocess.CompletedProcess[str]:
    """scripts/check-dependencies (all three deptry runs) on the copy."""
    (tree / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "check-dependencies", tree / "scripts")
    (tree / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return subprocess.run(
        [str(tree / "scripts" / "check-dependencies")],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("module", "source", "finding"),
    [
        ("sync/client/zz.py", "import pydantic\n", "DEP004 'pydantic'"),  # server extra
        ("export/zz.py", "import dask\n", "DEP004 'dask'"),  # cluster extra
        ("export/zz.py", "import pandas\n", "DEP003 'pandas'"),  # declared nowhere
        ("sync/server/zz.py", "import dask.distributed\n", "DEP004 'dask'"),
        ("cluster/zz.py", "import fastapi\n", "DEP004 'fastapi'"),
    ],
)
def test_an_import_the_install_does_not_declare_fails_the_dependency_check(
    tmp_path: Path, module: str, source: str, finding: str
) -> None:
    done = _check_dependencies(_copy_with(tmp_path, {f"coderlhf_tui/{module}": source}))
    assert done.returncode != 0
    lines = (done.stdout + done.stderr).splitlines()
    assert any(line.startswith(f"coderlhf_tui/{module}:1:") and finding in line for line in lines)


def test_the_dependency_check_passes_on_the_copy_without_additions(tmp_path: Path) -> None:
    done = _check_dependencies(_copy_with(tmp_path, {}))
    assert done.returncode == 0, done.stdout + done.stderr
