"""Repository tasks: two or more agents' patches to one repository snapshot, judged by the
repository's own tests (issue 16).

A task file names a snapshot beside it (checked by sha256), the base commit, an
environment (setup = pip requirements fetched on the host, a test command) and the
FAIL_TO_PASS / PASS_TO_PASS test lists; the responses are unified diffs. Grading applies
each patch on the host (git only moves text, nothing of the patch runs there) and runs the
tests in the runners' hardened sandbox, in an image derived from the toolbox per
environment.
"""
