"""The whole-file regex guards of the Python taint rules skip files cheaply, so they must
never skip a file the rule would flag: each statement shape the SQL rule accepts, written
alone in a file (no other SQL word to wake the guard), is still matched by the rule (run
alone, so no other rule's finding on the same line can stand in for it)."""

from __future__ import annotations

from pathlib import Path

from coderlhf_tui.scan.pack import config_file, pack_version
from coderlhf_tui.scan.semgrep import run_semgrep

RULE = "python-taint-sql-statement-built-from-data"

SHAPES = {
    "update_table_placeholder": "\"UPDATE %s SET %s = %r WHERE identifier = '%s';\" % row",
    "delete": "\"DELETE FROM items WHERE name = '%s'\" % name",
    "insert": "\"INSERT INTO items VALUES ('{}')\".format(name)",
    "select_escaped_newline": "\"SELECT id\\nFROM items WHERE name = '%s'\" % name",
    "f_string": "f\"UPDATE items SET name = '{name}'\"",
    "not_sql": "'rows for %s' % name",
}


def test_each_sql_shape_alone_in_a_file_wakes_the_rule(semgrep: str, tmp_path: Path) -> None:
    for key, expr in SHAPES.items():
        body = (
            "def f(cur, d, xs, s, name, row):\n    d.update(x=1)\n"
            f"    xs.insert(0, s.replace('a', 'b'))\n    q = {expr}\n    cur.execute(q)\n"
        )
        (tmp_path / f"{key}.py").write_text(body, encoding="utf-8")
    config = config_file(f"guard-{pack_version()}", {RULE}.__contains__)
    data = run_semgrep([Path(".")], config=config, jobs=1, cwd=tmp_path)
    flagged = {Path(r["path"]).stem for r in data["results"]}
    assert flagged == set(SHAPES) - {"not_sql"}
