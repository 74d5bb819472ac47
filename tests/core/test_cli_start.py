"""What building the command line loads (every command pays for it at start-up).

The export formats, the quality report's statistics and the sync client pull in pyarrow,
scipy, numpy and httpx: about 0.3 s of CPU that ``coderlhf import`` or ``coderlhf tasks``
paid for nothing when the parser imported them to list format names. They are imported
when their command runs; building the parser, which lists every command's options, must
not import any of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coderlhf_tui.export.formats import FORMAT_NAMES, SUMMARIES, get_format

HEAVY = ("pandas", "numpy", "scipy", "pyarrow", "httpx", "textual")

BUILD_AND_REPORT = """
import json, sys
from coderlhf_tui.cli import build_parser
parser = build_parser()
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))
print(json.dumps({"commands": len(parser._subparsers._group_actions[0].choices),
                  "heavy": heavy}))
"""


def test_building_the_parser_loads_no_heavy_package() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_REPORT, *HEAVY],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["commands"] > 20
    assert report["heavy"] == []


def test_every_listed_format_loads_under_its_name_and_summary() -> None:
    assert set(SUMMARIES) == set(FORMAT_NAMES)
    for name in FORMAT_NAMES:
        fmt = get_format(name)
        assert fmt.name == name
        assert fmt.summary == SUMMARIES[name]
