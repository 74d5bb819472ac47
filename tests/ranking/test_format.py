"""Ranked tasks and annotations: file format, store, migration and annotation import."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from coderlhf_tui.domain import Preference
from coderlhf_tui.migrations import MIGRATIONS
from coderlhf_tui.ranking import (
    PairMode,
    derived_pairs,
    format_ranking,
    from_order,
    mid_ranks,
    pair_preference,
    parse_ranking,
)
from coderlhf_tui.serialize import annotation_from_dict, annotation_to_dict
from coderlhf_tui.store import Store
from tests.core.helpers import run_cli, task_record, write_jsonl
from tests.ranking.helpers import full_scores, ranked_annotation, ranked_record


def test_ranks_and_pairs_of_a_ranking_with_ties() -> None:
    ranking = parse_ranking("c>a=d>b")
    assert ranking == [["c"], ["a", "d"], ["b"]]
    assert format_ranking(ranking) == "c>a=d>b"
    assert mid_ranks(ranking) == {"c": 1.0, "a": 2.5, "d": 2.5, "b": 4.0}
    pairs = [(p.better, p.worse, p.gap, p.strength) for p in derived_pairs(ranking)]
    assert pairs == [
        ("c", "a", 1, 1),
        ("c", "d", 1, 1),
        ("c", "b", 2, 2),
        ("a", "b", 1, 1),
        ("d", "b", 1, 1),
    ]
    best = [(p.better, p.worse) for p in derived_pairs(ranking, PairMode.BEST_VS_REST)]
    assert best == [("c", "a"), ("c", "d"), ("c", "b")]
    assert pair_preference(ranking) == Preference.A_BETTER  # a above b, neighbours
    assert pair_preference([["b"], ["c"], ["a"]]) == Preference.B_MUCH_BETTER
    assert from_order(["c", "a", "d", "b"], [False, False, True, False]) == ranking


def test_ranked_task_file_imports_and_reads_back(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "tasks.jsonl",
        [task_record("p-1"), ranked_record("r-1", 4), ranked_record("r-8", 8)],
    )
    db = tmp_path / "w.db"
    run_cli("import", path, "--db", db, check=True)
    with Store.open(db) as store:
        task = store.get_task("r-8")
        assert task is not None and task.is_ranked
        assert task.keys == tuple("abcdefgh")
        assert task.response("h").model == "m-h"
        pairwise = store.get_task("p-1")
        assert pairwise is not None and not pairwise.is_ranked and pairwise.keys == ("a", "b")
        counts = {row.id: row.n_responses for row in store.list_tasks()}
        assert counts == {"p-1": 2, "r-1": 4, "r-8": 8}
    shown = run_cli("show", "r-8", "--db", db, check=True).stdout
    assert "## Response H (h)" in shown and "## Response A (a)" in shown


def test_ranked_task_errors_name_the_field(tmp_path: Path) -> None:
    gold = ranked_record("r-g", 3, gold={"preference": "A>B"})
    path = write_jsonl(tmp_path / "tasks.jsonl", [ranked_record("r-1"), gold])
    result = run_cli("import", path, "--db", tmp_path / "w.db")
    assert result.returncode == 2
    assert f"{path}:2: gold: a ranked task" in result.stderr


def test_a_version_1_workspace_upgrades_and_keeps_its_pairs(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO tasks(id, language, prompt, imported_at) VALUES ('old', 'python', 'p', 'x')"
    )
    conn.executemany(
        "INSERT INTO responses(task_id, key, response_id, model, code) VALUES (?,?,?,?,?)",
        [("old", "a", "a", "m1", "x = 1"), ("old", "b", "b", "m2", "x = 2")],
    )
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        old = store.get_task("old")
        assert old is not None and [r.code for r in old.responses] == ["x = 1", "x = 2"]
        assert store.list_tasks()[0].n_responses == 2
    path = write_jsonl(tmp_path / "t.jsonl", [ranked_record("r-1", 5)])
    run_cli("import", path, "--db", db, check=True)
    with Store.open(db) as store:
        ranked = store.get_task("r-1")
        assert ranked is not None and len(ranked.responses) == 5


def test_pairwise_annotation_shape_is_unchanged() -> None:
    ann = ranked_annotation("r-1", "ak", [["c"], ["a", "d"], ["b"]])
    data = annotation_to_dict(ann)
    assert data["ranking"] == [["c"], ["a", "d"], ["b"]] and data["preference"] is None
    assert annotation_from_dict(data) == ann
    ann.ranking = None
    assert "ranking" not in annotation_to_dict(ann)


def _annotation_line(task_id: str, annotator: str, **fields: object) -> dict[str, object]:
    body = annotation_to_dict(ranked_annotation(task_id, annotator, [["a"], ["b"], ["c"], ["d"]]))
    body.update(fields)
    return body


def test_import_annotations_accepts_rankings_and_names_bad_ones(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    tasks = write_jsonl(tmp_path / "tasks.jsonl", [task_record("p-1"), ranked_record("r-1", 4)])
    run_cli("import", tasks, "--db", db, check=True)
    good = write_jsonl(
        tmp_path / "good.jsonl",
        [_annotation_line("r-1", "ak", ranking=[["c"], ["a", "d"], ["b"]])],
    )
    result = run_cli("import-annotations", good, "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    with Store.open(db) as store:
        stored = store.get_annotation("r-1", "ak")
        assert stored is not None and stored.ranking == [["c"], ["a", "d"], ["b"]]
        assert set(stored.scores) == {"a", "b", "c", "d"}
    bad_cases = [
        ({"ranking": [["a"], ["b"], ["c"]]}, "ranking: responses not ranked: d"),
        ({"ranking": [["a", "b"], ["b"], ["c", "d"]]}, "ranking[1]: response 'b' appears twice"),
        ({"ranking": [["a"], ["z"]]}, "ranking[1]: unknown response 'z'"),
        ({"ranking": [[], ["a"]]}, "ranking[0]: expected a non-empty array"),
        ({"preference": "A>B"}, "preference: a ranked task takes a ranking"),
        ({"ranking": None, "scores": full_scores("ab")}, "preference: required"),
        ({"scores": full_scores("abc")}, "scores.d: missing"),
    ]
    for index, (fields, message) in enumerate(bad_cases):
        path = write_jsonl(
            tmp_path / f"bad{index}.jsonl", [_annotation_line("r-1", "zz", **fields)]
        )
        result = run_cli("import-annotations", path, "--db", db)
        assert result.returncode == 2, (fields, result.stdout)
        assert f"{path}:1: {message}" in result.stderr, (fields, result.stderr)
    line = _annotation_line("p-1", "zz", ranking=[["a"], ["b"]], scores=full_scores("ab"))
    path = write_jsonl(tmp_path / "pairwise.jsonl", [line])
    result = run_cli("import-annotations", path, "--db", db)
    assert "ranking: a pairwise task takes a preference" in result.stderr
    assert json.loads(good.read_text())["annotator"] == "ak"
