"""Applying a response's unified diff to a checkout, and saying which hunk did not fit.

As SWE-bench does, strictest first: ``git apply``; then ``git apply --3way``, which merges a
hunk whose context moved using the blob ids in the diff's index lines; then a fuzzy apply
(``git apply --recount -C1``: hunk line counts recounted, one line of context each side
must match) for what agents really write, diffs with no index lines, miscounted headers or
a stale context line far from the change. Fuzz is last, so a patch that applies exactly is
never applied loosely, and ``Applied.method`` records which step took it. This runs on the host:
git only writes text inside the checkout (it refuses paths outside it and through
symlinks); nothing in the patch is executed here. When both refuse, the error names the
file, the hunk's number within that file and its ``@@`` header, from git's own message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coderlhf_tui.repotasks.snapshots import git

_FAILED_AT = re.compile(r"patch failed: (?P<path>.+):(?P<line>\d+)")
FUZZY = ("--recount", "-C1", "--whitespace=nowarn")
"""The last step's options: recount each hunk's lines, one line of context must match."""
_HUNK = re.compile(r"^@@ -(?P<start>\d+)(?:,\d+)? \+\d+(?:,\d+)? @@.*$")


@dataclass(frozen=True, slots=True)
class Applied:
    """How a patch went onto a checkout: ``method`` is 'apply', '3way', 'fuzzy', or '' when
    every step refused."""

    method: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.method)


def hunks_of(patch: str, path: str) -> list[tuple[int, str]]:
    """(old start line, header) for each hunk of ``path`` in ``patch``, in order."""
    found: list[tuple[int, str]] = []
    current = None
    for line in patch.splitlines():
        if line.startswith(("diff --git ", "--- ")):
            current = None
        elif line.startswith("+++ "):
            name = line[4:].split("\t")[0]
            current = name[2:] if name.startswith("b/") else name
        elif current == path and (match := _HUNK.match(line)):
            found.append((int(match["start"]), line))
    return found


def describe_failure(patch: str, stderr: str) -> str:
    """git's refusal as 'path: hunk #n (@@ ... @@) does not apply', where it can be told."""
    match = _FAILED_AT.search(stderr)
    if not match:
        return stderr.strip().splitlines()[-1] if stderr.strip() else "the patch does not apply"
    path, line = match["path"], int(match["line"])
    for number, (start, header) in enumerate(hunks_of(patch, path), 1):
        if start == line:
            return f"{path}: hunk #{number} ({header}) does not apply"
    return f"{path}: the hunk at line {line} does not apply"


_TOUCHED = re.compile(r"^(?:diff --git a/(\S+) b/(\S+)|--- a/(\S+)|\+\+\+ b/(\S+))", re.M)


def saved_files(checkout: Path, patch: str) -> dict[str, bytes | None]:
    """The bytes of every file ``patch`` names (None: absent), to undo a failed 3-way."""
    names = {name for match in _TOUCHED.finditer(patch) for name in match.groups() if name}
    return {
        name: path.read_bytes() if (path := checkout / name).is_file() else None
        for name in sorted(names)
    }


def restore_files(checkout: Path, saved: dict[str, bytes | None]) -> None:
    """Put the files back as ``saved`` had them and their index entries back to HEAD: a
    3-way merge that conflicted leaves markers and unmerged entries behind (with exit 1)."""
    if not saved:
        return
    git(checkout, "reset", "-q", "--", *saved, check=False)
    for name, data in saved.items():
        path = checkout / name
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(data)


def apply_patch(checkout: Path, patch: str, name: str = "patch") -> Applied:
    """Apply ``patch`` to ``checkout``: plain, 3-way, fuzzy; Applied('', why) when none fits
    (why: the hunk plain ``git apply`` refused, the exact step being the clearest)."""
    if not patch.strip():
        return Applied("", f"{name} is empty")
    text = patch if patch.endswith("\n") else patch + "\n"
    diff_file = checkout.parent / f".{checkout.name}.{name}.diff"
    diff_file.write_text(text, encoding="utf-8")
    try:
        first = git(checkout, "apply", "--whitespace=nowarn", str(diff_file), check=False)
        if first.returncode == 0:
            return Applied("apply")
        before = saved_files(checkout, text)
        second = git(
            checkout, "apply", "--3way", "--whitespace=nowarn", str(diff_file), check=False
        )
        if second.returncode == 0 and "conflict" not in second.stderr.lower():
            return Applied("3way")
        restore_files(checkout, before)  # conflict markers are not an application
        third = git(checkout, "apply", *FUZZY, str(diff_file), check=False)
        if third.returncode == 0:
            return Applied("fuzzy")
        # plain apply names the hunk, unless it found the header miscounted ("corrupt
        # patch"): then the recounting step's refusal does
        named = next((r.stderr for r in (first, third) if _FAILED_AT.search(r.stderr)), "")
        return Applied("", f"{name}: {describe_failure(text, named or first.stderr)}")
    finally:
        diff_file.unlink(missing_ok=True)
