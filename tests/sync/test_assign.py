"""Assignment: k per task from the language pool, balanced, gold mixed in, repeatable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from coderlhf_tui.sync.server import accounts, db
from coderlhf_tui.sync.server.assign import assign
from coderlhf_tui.sync.server.schema import assignments, users
from coderlhf_tui.sync.server.tasks_import import import_task_file
from tests.sync.helpers import task_record, write_tasks


def test_assignment_is_balanced_by_language_with_gold(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.db'}")
    db.upgrade(engine)
    for name, langs in (("p1", "python"), ("p2", "python"), ("p3", "python,go"), ("g1", "go")):
        accounts.create_user(engine, name, "annotator", langs)
    accounts.create_user(engine, "lead", "lead", "python,go")
    records = [task_record(f"py{i}") for i in range(9)]
    records += [task_record(f"go{i}", "go") for i in range(4)]
    records += [task_record(f"known{i}", gold="A>B") for i in range(6)]
    import_task_file(engine, write_tasks(tmp_path / "t.jsonl", records))

    result = assign(engine, k=2, gold_rate=0.25)
    with db.reading(engine) as conn:
        rows = list(
            conn.execute(
                select(assignments.c.task_id, users.c.name, assignments.c.is_gold)
                .join(users, users.c.id == assignments.c.user_id)
                .order_by(assignments.c.seq)
            )
        )
    per_task = Counter(r.task_id for r in rows if not r.is_gold)
    assert all(per_task[f"py{i}"] == 2 for i in range(9))
    assert all(per_task[f"go{i}"] == 2 for i in range(4))
    assert {r.name for r in rows if r.task_id.startswith("go")} <= {"p3", "g1"}
    assert "lead" not in {r.name for r in rows}
    regular = Counter(r.name for r in rows if not r.is_gold and r.task_id.startswith("py"))
    assert max(regular.values()) - min(regular.values()) <= 1
    gold = Counter(r.name for r in rows if r.is_gold)
    queue = Counter(r.name for r in rows if not r.is_gold)
    for name in ("p1", "p2", "p3"):
        assert gold[name] == queue[name] // 3  # one gold in four
    p1 = [r.is_gold for r in rows if r.name == "p1"]
    assert p1.index(True) == 3  # mixed in, not appended at the end
    assert gold["g1"] == 0  # no gold tasks in go
    assert result.assigned == len(rows) and result.gold == sum(gold.values())
    again = assign(engine, k=2, gold_rate=0.25)
    assert again.assigned == 0
