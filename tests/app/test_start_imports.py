"""What the app loads before its first frame (issue 18: first paint and memory budgets).

The heavy packages below are not needed to show the queue: sqlite-utils (which imports
pandas, numpy and pyarrow when they are installed) only runs schema migrations, httpx
only syncs. Each one put on the start path cost the first paint tens to hundreds of
milliseconds and the process up to 90 MB, so a fresh process that opens the app on a
current workspace and paints the queue must not have imported any of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coderlhf_tui.store import Store
from tests.app.tasks import sample_tasks

HEAVY = ("sqlite_utils", "pandas", "numpy", "scipy", "pyarrow", "httpx")

PAINT_AND_REPORT = """
import asyncio, json, sys
from coderlhf_tui.app import build_app
from coderlhf_tui.widgets.queue_table import QueueTable

async def main(path):
    app = build_app(path, "ak")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one(QueueTable).row_count()
        heavy = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[2:]))
        print(json.dumps({"rows": rows, "heavy": heavy}))

asyncio.run(main(sys.argv[1]))
"""


@pytest.fixture
def current_workspace(tmp_path: Path) -> Path:
    """A workspace already at the current schema (created, so migrated, in this process)."""
    path = tmp_path / "workspace.db"
    with Store.open(path) as store:
        store.insert_tasks(sample_tasks())
    return path


def test_first_paint_loads_no_heavy_package(current_workspace: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PAINT_AND_REPORT, str(current_workspace), *HEAVY],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        env={"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["rows"] == len(sample_tasks())
    assert report["heavy"] == []
