"""A line of a patch as GitHub's review-comment anchor: file path, line, side.

A critique on a repository task is anchored to lines of the patch (the response's text;
``screens/repo_pair_comments.py``), which is exact and survives sync unchanged. Reviews
anchor to a file instead: an added or unchanged line is ``RIGHT`` at its line in the
patched file, a removed line ``LEFT`` at its line in the base file. Header lines (``diff
--git``, ``index``, ``---``/``+++``, ``@@``) name the file but no line. The same map,
read the other way, puts the security scan's findings (lines of the patched files) on the
patch lines that show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from coderlhf_tui.domain import Finding

_HUNK = re.compile(r"^@@ -(?P<old>\d+)(?:,\d+)? \+(?P<new>\d+)(?:,\d+)? @@")


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where one patch line lands: ``line`` is None on a header line."""

    path: str
    line: int | None
    side: str


def _path_of(header: str) -> str:
    name = header[4:].split("\t")[0].strip()
    return name[2:] if name[:2] in ("a/", "b/") else name


def anchors(patch: str) -> list[Anchor | None]:
    """The anchor of every line of ``patch`` (index 0 is line 1); None before any file."""
    found: list[Anchor | None] = []
    path, old, new, in_hunk = "", 0, 0, False
    for text in patch.split("\n"):
        if text.startswith("diff --git "):
            in_hunk, path = False, text.split(" b/", 1)[-1] if " b/" in text else ""
        elif not in_hunk and text[:4] in ("--- ", "+++ ") and text[4:] != "/dev/null":
            path = _path_of(text)  # +++ names the file; --- does for a deleted one
        elif match := _HUNK.match(text):
            in_hunk, old, new = True, int(match["old"]), int(match["new"])
        elif in_hunk and text.startswith("-"):
            found.append(Anchor(path, old, "LEFT"))
            old += 1
            continue
        elif in_hunk and text.startswith(("+", " ")):
            found.append(Anchor(path, new, "RIGHT"))
            old, new = old + (text[0] == " "), new + 1
            continue
        found.append(Anchor(path, None, "RIGHT") if path else None)
    return found


def review_fields(patch: str, start_line: int, end_line: int) -> dict[str, Any]:
    """GitHub's ``path``/``line``/``side`` (and ``start_line``/``start_side`` for a range
    in one file) of patch lines ``start_line..end_line``."""
    every = anchors(patch)
    last = every[end_line - 1] if 0 < end_line <= len(every) else None
    first = every[start_line - 1] if 0 < start_line <= len(every) else None
    if last is None:
        return {"path": None, "line": None, "side": None, "start_line": None, "start_side": None}
    ranged = first is not None and first.path == last.path and first.line is not None
    ranged = ranged and start_line != end_line
    return {
        "path": last.path,
        "line": last.line,
        "side": last.side,
        "start_line": first.line if ranged and first is not None else None,
        "start_side": first.side if ranged and first is not None else None,
    }


def on_patch_lines(patch: str, by_file: dict[str, list[Finding]]) -> list[Finding]:
    """Findings on patched files (``changed_scan``: lines the patch adds), moved to the
    patch lines that show them, so the patch pane marks them and ``+`` / ``-`` judge them
    like any finding; a finding on a line the patch does not show is left out."""
    shown = {(a.path, a.line): row for row, a in enumerate(anchors(patch), 1)
             if a is not None and a.line is not None and a.side == "RIGHT"}  # fmt: skip
    moved = []
    for path, found in by_file.items():
        for finding in found:
            start = shown.get((path, finding.start_line))
            if start is not None:
                end = shown.get((path, finding.end_line), start)
                moved.append(replace(finding, start_line=start, end_line=max(start, end)))
    return moved
