"""Small, realistic tasks for the app tests (the bundled demo is used where it fits)."""

from __future__ import annotations

from coderlhf_tui.domain import Language, Response, Task, TaskType, TestKind, TestSpec

SAFE_LOOKUP = '''import sqlite3


def find_user(conn: sqlite3.Connection, name: str) -> tuple | None:
    """Return the user row called ``name``."""
    cur = conn.execute("SELECT id, name FROM users WHERE name = ?", (name,))
    return cur.fetchone()
'''

UNSAFE_LOOKUP = """import sqlite3


def find_user(conn, name):
    cur = conn.execute("SELECT id, name FROM users WHERE name = '%s'" % name)
    return cur.fetchone()
"""

LOOKUP_TESTS = """import sqlite3
from solution import find_user


def _db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'ada'), (2, 'o''brien')")
    return conn


def test_finds_ada():
    assert find_user(_db(), "ada") == (1, "ada")


def test_quote_in_name():
    assert find_user(_db(), "o'brien") == (2, "o'brien")
"""

GOOD_ADD = "def add(a, b):\n    return a + b\n"
BAD_ADD = "def add(a, b):\n    return a - b\n"
ADD_TESTS = (
    "from solution import add\n\n\ndef test_small():\n    assert add(2, 3) == 5\n\n\n"
    "def test_zero():\n    assert add(0, 0) == 0\n"
)


def sample_tasks() -> list[Task]:
    """Five tasks in four languages; the first two have Python tests that really run."""
    return [
        Task(
            id="py-user-lookup",
            language=Language.PYTHON,
            prompt="Write `find_user(conn, name)` that returns the row of the user called "
            "`name` from the `users` table, or `None`.\n\n- Use the given connection.\n"
            "- Names may contain quotes.",
            responses=(
                Response("r1", UNSAFE_LOOKUP, "model-x"),
                Response("r2", SAFE_LOOKUP, "model-y"),
            ),
            tests=TestSpec(kind=TestKind.UNIT, code=LOOKUP_TESTS, timeout_s=20),
            task_type=TaskType.IMPLEMENT,
        ),
        Task(
            id="py-add",
            language=Language.PYTHON,
            prompt="Implement `add(a, b)` returning the sum of two numbers.",
            responses=(Response("r1", GOOD_ADD, "model-x"), Response("r2", BAD_ADD, "model-y")),
            tests=TestSpec(kind=TestKind.UNIT, code=ADD_TESTS, timeout_s=20),
            task_type=TaskType.IMPLEMENT,
        ),
        Task(
            id="go-reverse",
            language=Language.GO,
            prompt="Reverse a string by runes.",
            responses=(
                Response(
                    "r1",
                    "package main\n\nfunc Reverse(s string) string {\n\tr := []rune(s)\n"
                    "\tfor i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {\n"
                    "\t\tr[i], r[j] = r[j], r[i]\n\t}\n\treturn string(r)\n}\n",
                ),
                Response(
                    "r2",
                    'package main\n\nfunc Reverse(s string) string {\n\tout := ""\n'
                    "\tfor _, c := range s {\n\t\tout = string(c) + out\n\t}\n\treturn out\n}\n",
                ),
            ),
        ),
        Task(
            id="rust-sum",
            language=Language.RUST,
            prompt="Sum a slice of i64 without overflow panics.",
            responses=(
                Response("r1", "pub fn sum(xs: &[i64]) -> i64 {\n    xs.iter().sum()\n}\n"),
                Response(
                    "r2",
                    "pub fn sum(xs: &[i64]) -> Option<i64> {\n"
                    "    xs.iter().try_fold(0i64, |acc, &x| acc.checked_add(x))\n}\n",
                ),
            ),
        ),
        Task(
            id="sql-top-users",
            language=Language.SQL,
            prompt="List the five users with the most orders.",
            responses=(
                Response(
                    "r1",
                    "SELECT u.name, COUNT(*) AS n\nFROM users u JOIN orders o ON o.user_id = u.id\n"
                    "GROUP BY u.name\nORDER BY n DESC\nLIMIT 5;\n",
                ),
                Response(
                    "r2",
                    "SELECT name, (SELECT COUNT(*) FROM orders WHERE user_id = users.id) AS n\n"
                    "FROM users ORDER BY n DESC LIMIT 5;\n",
                ),
            ),
        ),
    ]


def big_pair(lines: int = 2000) -> Task:
    """Two ~``lines``-line Python files that differ in scattered places."""
    base = []
    for i in range(lines // 10):
        base.extend(
            [
                f"def function_{i}(values, limit={i}):",
                f'    """Process block {i}: filter, scale and sum."""',
                "    total = 0",
                "    for value in values:",
                "        if value > limit:",
                f"            total += value * {i % 7 + 1}",
                "        else:",
                "            total -= 1",
                "    return total",
                "",
            ]
        )
    other = list(base)
    for i in range(0, len(other), 37):
        other[i] = other[i].replace("values", "items")
    for i in range(5, len(other), 211):
        other.insert(i, "    # an extra comment line")
    del other[500:510]
    return Task(
        id="big-pair",
        language=Language.PYTHON,
        prompt="Refactor the processing functions.",
        responses=(Response("r1", "\n".join(base)), Response("r2", "\n".join(other))),
    )
