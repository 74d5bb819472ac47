"""An annotator's install never imports the server's stack (the ``server`` extra).

Each check runs in a fresh interpreter whose import system refuses the server's
packages (a ``sys.meta_path`` finder raising ModuleNotFoundError, as a plain install
would), so a top-level import of FastAPI or SQLAlchemy anywhere on the annotator's
path fails here, not on a user's machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coderlhf_tui.cli.server_cmd import SERVER_PACKAGES

SERVER_STACK = sorted(SERVER_PACKAGES | {"uvloop", "httptools"})

BLOCKER = """
import sys
BLOCKED = set({blocked!r})

class NoServerStack:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, NoServerStack())
"""


def _run_blocked(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    code = BLOCKER.format(blocked=SERVER_STACK) + body
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "CODERLHF_CONFIG": str(tmp_path / "config.yaml"),
        "CODERLHF_DB": str(tmp_path / "work.db"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_cli_app_and_client_start_without_the_server_stack(tmp_path: Path) -> None:
    body = """
import json
import coderlhf_tui.app
import coderlhf_tui.workbench.syncer
from coderlhf_tui.cli import build_parser
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.client.login import login
from coderlhf_tui.sync.client.state import sync_state
from coderlhf_tui.sync.wire.evidence_items import run_evidence
parser = build_parser()
parser.parse_args(["server", "user", "list"])
loaded = sorted({m.split(".")[0] for m in sys.modules} & BLOCKED)
servers = sorted(m for m in sys.modules if m.startswith("coderlhf_tui.sync.server."))
print(json.dumps({"loaded": loaded, "server_modules": servers}))
"""
    done = _run_blocked(body, tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"loaded": [], "server_modules": []}


def test_server_command_names_the_extra_when_it_is_missing(tmp_path: Path) -> None:
    body = f"""
from coderlhf_tui.cli import main
sys.exit(main(["server", "user", "list", "--db", "sqlite:///{tmp_path / "server.db"}"]))
"""
    done = _run_blocked(body, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "coderlhf[server]" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_blocker_would_catch_a_server_import(tmp_path: Path) -> None:
    done = _run_blocked("import coderlhf_tui.sync.server.app\n", tmp_path)
    assert done.returncode != 0
    assert "ModuleNotFoundError" in done.stderr
