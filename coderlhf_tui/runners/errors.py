"""The two ways a sandbox can fail that are not the response's fault.

``SandboxError``: one run could not be carried out (engine error, container gone); the run
is reported as INTERNAL_ERROR, never cached, safe to retry. ``SandboxUnavailable``: no run
can start at all (no engine, no image, no bubblewrap); raised to the caller with a message
saying what to run, nothing is stored.
"""

from __future__ import annotations


class SandboxError(Exception):
    """The sandbox itself failed (engine error, container gone): INTERNAL_ERROR, safe to retry."""


class SandboxUnavailable(SandboxError):
    """No engine, no image or no bubblewrap: the message says what to run."""
