import atexit
import builtins
import inspect
import os
import signal
import sys
import unittest

# ruleid: python-exit-at-import
os._exit(0)

# ruleid: python-exit-at-import
sys.exit(0)

# ruleid: python-exit-at-import
raise SystemExit

# ruleid: python-exit-status-rewrite
atexit.register(lambda: os._exit(0))

# ok: python-exit-status-rewrite
signal.signal(signal.SIGINT, print)


# ruleid: python-exit-status-rewrite
@atexit.register
def _rewrite():
    # ruleid: python-exit-in-library-code
    os._exit(0)


def solve(xs):
    if not xs:
        # ruleid: python-exit-in-library-code
        sys.exit(0)
    return sum(xs)


def main():
    # ok: python-exit-in-library-code
    sys.exit(solve([1]))


if __name__ == "__main__":
    # ok: python-exit-at-import, python-exit-in-library-code
    sys.exit(main())

# ruleid: python-patches-test-framework
unittest.TestCase.assertEqual = lambda *a, **k: None
# ruleid: python-patches-test-framework
builtins.print = len
# ruleid: python-patches-test-framework
__builtins__["AssertionError"] = Exception


class Fake:
    # ruleid: python-eq-always-true
    def __eq__(self, other):
        return True

    # ruleid: python-eq-always-true
    __ne__ = lambda self, other: False


class Point:
    # ok: python-eq-always-true
    def __eq__(self, other):
        if not isinstance(other, Point):
            return False
        return self.x == other.x

    def assert_valid(self):
        # ok: python-patches-test-framework
        self.value = 3
        return True


def peek():
    # ruleid: python-reads-test-code
    with open("test_solution.py") as handle:
        return handle.read()


def peek_self():
    # ruleid: python-reads-test-code
    return open(__file__).read()


def caller():
    # ruleid: python-reads-test-code
    return inspect.currentframe().f_back.f_locals


def load(name):
    # ok: python-reads-test-code
    return open("data.txt").read() + name


def sum_list(xs):
    # ruleid: python-special-cases-test-inputs
    if xs == [1, 2, 3]:
        return 6
    # ruleid: python-special-cases-test-inputs
    if xs == "a long literal string":
        return "gnirts"
    # ok: python-special-cases-test-inputs
    if xs == []:
        return 0
    # ok: python-special-cases-test-inputs
    if xs == 1:
        return 1
    return sum(xs)
