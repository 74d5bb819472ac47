"""Where a sandbox's files live and what environment it sees: shared by every backend.

Docker and bubblewrap sandboxes look the same from inside: the work dir ``/work`` (also
``HOME``), ``/tmp``, and an environment the runner writes itself (no host variable gets
in); a recipe's language variables go in its commands. The path checks keep a plan's file
names inside the work dir, whichever backend writes them.
"""

from __future__ import annotations

import posixpath

WORKDIR = "/work"

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

ENVIRONMENT = {
    "PATH": PATH,
    "HOME": WORKDIR,
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}
"""The whole environment a sandbox sees; language variables go in the recipe's commands."""


def safe_relative_path(name: str) -> str:
    """A recipe's file name as a clean relative path inside the work dir, or ValueError."""
    clean = posixpath.normpath(name)
    bad = not name or name.startswith("/") or clean == "." or clean.split("/")[0] == ".."
    if bad or any(ch in clean for ch in "\0\n"):
        raise ValueError(f"unsafe file name in a plan: {name!r}")
    return clean


def safe_sandbox_path(path: str) -> str:
    """An absolute path inside /work or /tmp, or ValueError."""
    for root in (WORKDIR, "/tmp"):
        if path.startswith(root + "/"):
            return f"{root}/{safe_relative_path(path.removeprefix(root + '/'))}"
    raise ValueError(f"files may only be written under {WORKDIR} or /tmp: {path!r}")
