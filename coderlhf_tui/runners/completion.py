"""The completion record: proof that a test program ran past its last test.

Exit status 0 says nothing about whether the tests ran: a response shares the test's
process in ``script`` and test-``main`` runs, so ``os._exit(0)`` at import, Go's
``func init() { os.Exit(0) }`` or a JVM shutdown hook calling ``Runtime.halt(0)`` after a
failed assertion all end the process with status 0. So a recipe puts a few lines of its
own AFTER the test code (a step marked ``Step.proof``); those lines print

    coderlhf-done <nonce>

where the nonce is 128 random bits the host draws for that one step. The host checks the
record in the step's stdout and removes it (``take_record``); a step marked ``proof``
without its record cannot be PASSED (``verdicts.require_proof``).

Where the nonce lives, so that the response cannot print it without the tests finishing:

- never in a file, the environment, the program text or the binary (all readable by the
  response: its own ``/proc/self`` and the work dir);
- only in a pipe the step inherits on file descriptor ``PROOF_FD`` (9). The backend fills
  the pipe and closes its writing end before the step starts, and the recipe's tail reads
  it when the tests are over. The argv that carried it into the sandbox is gone before the
  response's code starts: Docker's wrapper shell makes the pipe from a here-document and
  ``exec``s the step (no process is left holding that argv); the batch worker and the
  bubblewrap backend hand over a pipe the host process filled, so the nonce never is in
  any argv inside the sandbox (it arrives as the step's stdin, moved to fd 9 at once).

What it proves: control reached the line after the last test. Every way of ending the
process early (an exit call, a signal, an uncaught exception swallowed by a hook, a status
rewritten in an exit handler) ends it before that line. What it cannot prove: code that
runs in the same process can read the same descriptor the tail reads, so a response
written against coderlhf's own harness (read fd 9, print the record, exit) is not stopped
here; it is a deliberate attack on the runner, which the static scan's test-tampering
rules are there to flag. The nonce still keeps a learned constant from working: each run
has its own.
"""

from __future__ import annotations

import os
import secrets

PROOF_FD = 9
"""The descriptor on which a proof step finds its nonce (dash only redirects 0-9)."""
RECORD = "coderlhf-done "
"""What the tail prints before the nonce."""


def new_nonce() -> str:
    """A fresh secret for one step: 32 hex digits."""
    return secrets.token_hex(16)


def take_record(stdout: str, nonce: str | None) -> tuple[str, bool]:
    """``stdout`` without the completion record, and whether the record was there.

    The record is removed wherever it is (a tail writes it after flushing the program's
    own output, but a child's unflushed buffer may still come after it), with its newline
    (and the one a tail writes before it, at the end).
    """
    if not nonce:
        return stdout, False
    record = RECORD + nonce
    at = stdout.find(record)
    if at < 0:
        return stdout, False
    end = at + len(record)
    if stdout.startswith("\n", end):
        end += 1
    if at > 0 and stdout[at - 1] == "\n" and end == len(stdout):
        at -= 1  # the newline a tail writes before the record
    return stdout[:at] + stdout[end:], True


def heredoc_redirect(nonce: str) -> str:
    """Shell lines that open ``PROOF_FD`` on a pipe holding ``nonce`` (dash writes a short
    quoted here-document straight into a pipe, no temporary file, no child process)."""
    if not nonce.isalnum():
        raise ValueError("a nonce is hex digits")
    return f"exec {PROOF_FD}<<'CODERLHF_NONCE'\n{nonce}\nCODERLHF_NONCE\n"


STDIN_TO_PROOF_FD = f"exec {PROOF_FD}<&0 </dev/null; "
"""A shell prefix for a step started with the nonce pipe as its stdin (the batch worker,
bubblewrap): the pipe moves to ``PROOF_FD`` and stdin becomes /dev/null, as for any step
without input. (dash redirects only descriptors 0-9, so a host's free descriptor cannot be
named directly; stdin passes every wrapper - prlimit, setpriv, bwrap, timeout - unread.)"""


def nonce_pipe(nonce: str) -> int:
    """The reading end of a pipe holding ``nonce`` and nothing more (its writing end is
    closed), to become a step's stdin; the caller closes it once the step has started.
    (worker_main keeps a copy: it runs in the sandbox and imports nothing of ours.)"""
    read_end, write_end = os.pipe()
    os.write(write_end, nonce.encode("ascii") + b"\n")
    os.close(write_end)
    return read_end
