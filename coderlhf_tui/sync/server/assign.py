"""Handing out tasks: k annotators of the task's language each, load-balanced, gold mixed in.

Regular tasks go, in import order, to the k eligible annotators with the fewest
assignments so far (ties by name, so a run is reproducible). Gold tasks (known answers,
for measuring accuracy) are then mixed into each annotator's queue so that about
``gold_rate`` of it is gold: one gold task after every ``1/rate - 1`` regular ones, in
the order the annotator receives them. Running it again only adds what is missing, and
it holds the change counter's lock so two servers never over-assign a task.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from coderlhf_tui.clock import utc_now
from coderlhf_tui.domain import Role
from coderlhf_tui.sync.server import db, seqs
from coderlhf_tui.sync.server.accounts import Account, list_accounts
from coderlhf_tui.sync.server.schema import assignments, tasks
from coderlhf_tui.sync.wire.protocol import AssignOut


@dataclass(slots=True)
class _Load:
    regular: int = 0
    gold: int = 0


def assign(engine: Engine, k: int = 2, gold_rate: float = 0.1) -> AssignOut:
    """Assign what is unassigned; returns the counts of new assignments."""
    if k < 1 or not 0 <= gold_rate < 1:
        raise ValueError("k must be >= 1 and gold_rate in [0, 1)")
    return db.write(engine, lambda conn: _assign(conn, k, gold_rate))


def _assign(conn: Connection, k: int, gold_rate: float) -> AssignOut:
    seqs.lock(conn)
    people = [a for a in list_accounts(conn) if a.role is Role.ANNOTATOR]
    held: dict[str, set[int]] = defaultdict(set)
    load: dict[int, _Load] = {a.id: _Load() for a in people}
    for row in conn.execute(
        select(assignments.c.task_id, assignments.c.user_id, assignments.c.is_gold)
    ):
        held[row.task_id].add(int(row.user_id))
        if int(row.user_id) in load:
            bucket = load[int(row.user_id)]
            if row.is_gold:
                bucket.gold += 1
            else:
                bucket.regular += 1
    rows = list(
        conn.execute(
            select(tasks.c.id, tasks.c.language, tasks.c.is_gold).order_by(tasks.c.position)
        )
    )
    new_regular: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        if row.is_gold or len(held[row.id]) >= k:
            continue
        eligible = [a for a in people if row.language in a.languages and a.id not in held[row.id]]
        eligible.sort(key=lambda a: (load[a.id].regular, a.name))
        for person in eligible[: k - len(held[row.id])]:
            held[row.id].add(person.id)
            load[person.id].regular += 1
            new_regular[person.id].append(row.id)
    gold_rows = [row for row in rows if row.is_gold]
    plan: list[tuple[str, int, bool]] = []
    per_person: dict[str, int] = {}
    for person in people:
        golds = _gold_for(person, load[person.id], gold_rows, held, gold_rate)
        queue = _interleave(new_regular[person.id], golds, gold_rate)
        plan += [(task_id, person.id, is_gold) for task_id, is_gold in queue]
        if queue:
            per_person[person.name] = len(queue)
    if plan:
        first = seqs.take(conn, len(plan))
        now = utc_now()
        conn.execute(
            assignments.insert(),
            [
                {"task_id": t, "user_id": u, "is_gold": g, "seq": first + i, "assigned_at": now}
                for i, (t, u, g) in enumerate(plan)
            ],
        )
    gold = sum(1 for _, _, g in plan if g)
    return AssignOut(assigned=len(plan), gold=gold, per_annotator=per_person)


def _gold_for(
    person: Account,
    load: _Load,
    gold_rows: Sequence[Any],
    held: dict[str, set[int]],
    rate: float,
) -> list[str]:
    if rate <= 0:
        return []
    target = math.floor(load.regular * rate / (1 - rate) + 1e-9)
    wanted = target - load.gold
    out: list[str] = []
    for row in gold_rows:
        if wanted <= 0:
            break
        task_id, language = str(row.id), str(row.language)
        if language in person.languages and person.id not in held[task_id]:
            held[task_id].add(person.id)
            out.append(task_id)
            wanted -= 1
    load.gold += len(out)
    return out


def _interleave(regular: list[str], gold: list[str], rate: float) -> list[tuple[str, bool]]:
    if not gold:
        return [(t, False) for t in regular]
    every = max(1, round((1 - rate) / rate)) if rate > 0 else len(regular) + 1
    out: list[tuple[str, bool]] = []
    golds = iter(gold)
    for index, task_id in enumerate(regular, start=1):
        out.append((task_id, False))
        if index % every == 0:
            nxt = next(golds, None)
            if nxt is not None:
                out.append((nxt, True))
    out += [(t, True) for t in golds]
    return out
