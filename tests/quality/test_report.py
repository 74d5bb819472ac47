"""``coderlhf import-annotations`` and ``coderlhf report`` end to end on a real workspace,
and the HTML page rendered by headless Chromium (a screenshot that must not be blank)."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

from coderlhf_tui.cli import main
from coderlhf_tui.serialize import annotation_to_dict
from coderlhf_tui.store import Store
from tests.conftest import require_part
from tests.quality.factories import DIMENSIONS
from tests.quality.workspace import demo_workspace

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    demo_workspace(root / "ws.db").close()
    assert main(["report", "--db", str(root / "ws.db"), "--out", str(root / "out")]) == 0
    return root / "out"


def test_report_json_has_the_documented_keys(report_dir: Path) -> None:
    report = json.loads((report_dir / "report.json").read_text())
    by_language = report["agreement"]["by_language"]
    assert set(by_language) == {
        "python",
        "javascript",
        "typescript",
        "java",
        "go",
        "rust",
        "c",
        "cpp",
        "sql",
        "php",
    }
    for figures in by_language.values():
        pref = figures["preference"]
        for key in (
            "cohen_kappa",
            "cohen_kappa_quadratic",
            "krippendorff_alpha_ordinal",
            "percent_agreement",
        ):
            assert key in pref
        for dim in DIMENSIONS:
            assert {"cohen_kappa_quadratic", "krippendorff_alpha_ordinal"} <= set(figures[dim])
    assert report["adjudication"]["adjudications"] == 1
    assert report["execution"]["responses_tested"] == 1
    assert report["execution"]["images"] == {"coderlhf/toolbox:1": 1}
    assert report["security"]["top_cwes"][0]["cwe"] == "CWE-89"
    people = {p["annotator"]: p for p in report["annotators"]}
    assert people["cy"]["position_bias"] == 1.0
    assert any("position bias" in flag for flag in people["cy"]["flags"])
    assert report["gold"]["by_annotator"]["ak"]["tasks"] == 11


def test_markdown_and_html_are_written_and_self_contained(report_dir: Path) -> None:
    markdown = (report_dir / "report.md").read_text()
    assert "## Agreement on the preference, per language" in markdown
    html = (report_dir / "report.html").read_text()
    assert html.count("<svg") == 5  # the heatmap and four annotator charts
    for external in ("<script", "<link", "src=", "http://", "https://", "@import"):
        assert external not in html.replace("http://www.w3.org/2000/svg", "")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit, non-interlaced RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (
                    line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


@pytest.mark.chromium
@pytest.mark.xdist_group("chromium")
def test_html_report_renders_in_headless_chromium(report_dir: Path, tmp_path: Path) -> None:
    binary = shutil.which("chromium")
    require_part("chromium", binary is not None, "scripts/services/chromium.sh installs it")
    assert binary is not None
    shot = tmp_path / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                binary,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=1280,2000",
                (report_dir / "report.html").resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    step = len(rows[0]) // width
    # the heatmap sits in the top 600 rows: its red, amber and green cells must be there
    colours = {row[x : x + 3] for row in rows[100:600:4] for x in range(0, len(row), step * 4)}
    assert len(colours) > 20, "the page looks blank"
    reddish = any(c[0] > 180 and c[1] < 120 and c[2] < 100 for c in colours)
    greenish = any(c[1] > 120 and c[0] < 120 and c[2] < 120 for c in colours)
    assert reddish or greenish, "no heatmap colours in the screenshot"
    non_white = sum(
        1
        for row in rows[::10]
        for x in range(0, len(row), step * 8)
        if row[x : x + 3] != b"\xff\xff\xff"
    )
    assert non_white > 500


def test_import_annotations_validates_like_task_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = demo_workspace(tmp_path / "ws.db")
    good = annotation_to_dict(store.list_annotations()[0])
    store.close()
    bad_lines = [
        dict(good, id="n1", annotator="new", preference="A>>>B"),
        dict(good, id="n2", annotator="new2", scores={"a": {"correctness": 9}}),
        dict(good, id="n3", annotator="new3", task_id="no-such-task"),
        {**good, "id": "n4", "annotator": "new4", "colour": "blue"},
        dict(good, id="n5", annotator="new5"),
        dict(good, annotator="impostor"),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in bad_lines) + "\n{not json\n")
    status = main(["import-annotations", "--db", str(tmp_path / "ws.db"), str(path)])
    err = capsys.readouterr().err
    assert status == 2
    assert f"{path}:1: preference: unknown value 'A>>>B'" in err
    assert f"{path}:2: scores.a.correctness: 9 is outside 1..5" in err
    assert f"{path}:3: task_id: unknown task 'no-such-task'" in err
    assert f"{path}:4: colour: unknown key" in err
    assert f"{path}:6: id: id {good['id']!r} already belongs to" in err
    assert f"{path}:7: invalid JSON" in err
    # atomic: the valid record on line 5 was not stored either
    with Store.open(tmp_path / "ws.db") as reopened:
        assert reopened.get_annotation(good["task_id"], "new5") is None
        before = len(reopened.list_annotations())
    path.write_text(json.dumps(dict(good, id="n5", annotator="new5", revision=2)) + "\n")
    assert main(["import-annotations", "--db", str(tmp_path / "ws.db"), str(path)]) == 0
    with Store.open(tmp_path / "ws.db") as reopened:
        assert len(reopened.list_annotations()) == before + 1
