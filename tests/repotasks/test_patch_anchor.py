"""Patch lines become GitHub review anchors: the file, its line on the new or old side."""

from __future__ import annotations

from coderlhf_tui.domain import Finding, Severity
from coderlhf_tui.repotasks.patch_anchor import anchors, on_patch_lines, review_fields

PATCH = """\
diff --git a/pkg/calc.py b/pkg/calc.py
index 1a2b3c4..5d6e7f8 100644
--- a/pkg/calc.py
+++ b/pkg/calc.py
@@ -10,4 +10,5 @@ def add(a, b):
 def sub(a, b):
-    return b - a
+    # order matters
+    return a - b
 # end of sub
diff --git a/old.py b/old.py
deleted file mode 100644
--- a/old.py
+++ /dev/null
@@ -1,2 +0,0 @@
-x = 1
-y = 2
"""


def test_each_line_lands_on_its_file_side_and_line() -> None:
    found = [(a.path, a.line, a.side) if a else None for a in anchors(PATCH)]
    assert found[:5] == [("pkg/calc.py", None, "RIGHT")] * 5  # headers name the file only
    assert found[5:10] == [
        ("pkg/calc.py", 10, "RIGHT"),  # context: its line in the new file
        ("pkg/calc.py", 11, "LEFT"),  # removed: its line in the base file
        ("pkg/calc.py", 11, "RIGHT"),
        ("pkg/calc.py", 12, "RIGHT"),
        ("pkg/calc.py", 13, "RIGHT"),
    ]
    assert found[15:17] == [("old.py", 1, "LEFT"), ("old.py", 2, "LEFT")]  # a deleted file


def test_a_range_in_one_file_has_a_start_and_a_header_no_line() -> None:
    assert review_fields(PATCH, 8, 9) == {
        "path": "pkg/calc.py",
        "line": 12,
        "side": "RIGHT",
        "start_line": 11,
        "start_side": "RIGHT",
    }
    one = review_fields(PATCH, 7, 7)
    assert (one["line"], one["side"], one["start_line"]) == (11, "LEFT", None)
    assert review_fields(PATCH, 1, 1)["line"] is None
    across = review_fields(PATCH, 8, 16)  # from calc.py into old.py: anchored at the end
    assert (across["path"], across["line"], across["start_line"]) == ("old.py", 1, None)


def test_findings_on_the_patched_file_move_to_the_patch_lines_that_show_them() -> None:
    def finding(line: int, end: int | None = None) -> Finding:
        return Finding("r", "CWE-78", "t", Severity.HIGH, line, end or line, "m")

    moved = on_patch_lines(
        PATCH, {"pkg/calc.py": [finding(12), finding(11, 12), finding(50)], "x.py": [finding(1)]}
    )
    assert [(f.start_line, f.end_line) for f in moved] == [(9, 9), (8, 9)]  # 50: not shown
