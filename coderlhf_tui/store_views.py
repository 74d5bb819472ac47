"""SQL views that make a workspace readable without coderlhf (docs/data.md).

A lead with ``datasette workspace.db`` or ``sqlite-utils query workspace.db`` should see
annotations, pairs and disputes as flat, filterable tables, not JSON bodies. The views
are part of the workspace's contract: their names and columns are documented, a column
is only ever added, and a change is a new migration that recreates them.

Every JSON value is read with ``json_extract``/``json_each``, which yield NULL (or no
rows) for a key that is absent: annotations that gain optional fields (line comments,
rankings) or lack them keep working, and a task with more than two responses shows its
"a" and "b" in the pair view and all of them in ``response_evidence``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations here: sqlite-utils imports pandas when present
    import sqlite_utils

DIMENSIONS: tuple[str, ...] = ("correctness", "security", "readability", "efficiency", "style")
"""The default rubric's dimensions: columns of ``annotations_flat``. Any rubric's scores,
whatever its dimensions, are rows of ``annotation_scores``."""

PREFERENCE_SCORE = (
    "CASE {pref} WHEN 'A>>B' THEN -2 WHEN 'A>B' THEN -1 WHEN 'tie' THEN 0"
    " WHEN 'B>A' THEN 1 WHEN 'B>>A' THEN 2 END"
)
"""A preference as an ordinal, -2 (A much better) .. 2 (B much better), as domain.py."""

_PREFERENCE = "json_extract(a.body, '$.preference')"

_SCORE_COLUMNS = ",\n       ".join(
    f"json_extract(a.body, '$.scores.{key}.{dimension}') AS {key}_{dimension}"
    for key in ("a", "b")
    for dimension in DIMENSIONS
)

ANNOTATIONS_FLAT = f"""
SELECT a.id AS annotation_id, a.task_id, t.language, t.task_type, a.annotator, a.status,
       a.revision, {_PREFERENCE} AS preference,
       {PREFERENCE_SCORE.format(pref=_PREFERENCE)} AS preference_score,
       json_extract(a.body, '$.ranking') AS ranking,
       {_SCORE_COLUMNS},
       json_extract(a.body, '$.rationale') AS rationale,
       (SELECT group_concat(value, ', ') FROM json_each(a.body, '$.tags')) AS tags,
       coalesce(json_array_length(a.body, '$.comments'), 0) AS comments,
       json_extract(a.body, '$.time_spent_s') AS time_spent_s,
       json_extract(a.body, '$.shown_order') AS shown_order,
       json_extract(a.body, '$.rubric_version') AS rubric_version,
       json_extract(a.body, '$.created_at') AS created_at, a.updated_at
  FROM annotations a LEFT JOIN tasks t ON t.id = a.task_id
"""

ANNOTATION_SCORES = """
SELECT a.id AS annotation_id, a.task_id, a.annotator, a.status, r.key AS response,
       d.key AS dimension, d.value AS score
  FROM annotations a, json_each(a.body, '$.scores') r, json_each(r.value) d
"""


def _evidence(key: str) -> str:
    return f"""
       (SELECT r.verdict FROM response_test_runs x JOIN test_runs r
          ON r.content_hash = x.content_hash
         WHERE x.task_id = t.id AND x.key = '{key}') AS verdict_{key},
       (SELECT s.finding_count FROM response_scans s
         WHERE s.task_id = t.id AND s.key = '{key}') AS findings_{key},
       (SELECT s.max_severity FROM response_scans s
         WHERE s.task_id = t.id AND s.key = '{key}') AS max_severity_{key},"""


PAIRS = f"""
SELECT t.id AS task_id, t.language, t.task_type, t.is_gold,
       (SELECT count(*) FROM responses r WHERE r.task_id = t.id) AS responses,
       {_evidence("a")}{_evidence("b")}
       (SELECT count(*) FROM annotations a WHERE a.task_id = t.id) AS annotations,
       (SELECT count(*) FROM annotations a
         WHERE a.task_id = t.id AND a.status = 'submitted') AS submitted,
       (SELECT json_extract(j.body, '$.preference') FROM adjudications j
         WHERE j.task_id = t.id ORDER BY j.created_at DESC LIMIT 1) AS adjudicated,
       substr(t.prompt, 1, 200) AS prompt_head
  FROM tasks t
"""

RESPONSE_EVIDENCE = """
SELECT r.task_id, r.key AS response, r.response_id, r.model,
       length(r.code) - length(replace(r.code, char(10), '')) + 1 AS lines,
       tr.verdict, json_extract(tr.body, '$.passed') AS passed,
       json_extract(tr.body, '$.failed') AS failed,
       json_extract(tr.body, '$.duration_s') AS duration_s,
       s.finding_count AS findings, s.max_severity
  FROM responses r
  LEFT JOIN response_test_runs x ON x.task_id = r.task_id AND x.key = r.key
  LEFT JOIN test_runs tr ON tr.content_hash = x.content_hash
  LEFT JOIN response_scans s ON s.task_id = r.task_id AND s.key = r.key
"""

_SUBMITTED = f"""
SELECT a.task_id, a.annotator, {_PREFERENCE} AS preference,
       {PREFERENCE_SCORE.format(pref=_PREFERENCE)} AS score
  FROM annotations a
 WHERE a.status = 'submitted' AND {_PREFERENCE} IS NOT NULL
"""

DISAGREEMENTS = f"""
SELECT p.task_id, t.language, t.task_type, count(*) AS annotations,
       group_concat(p.annotator || ': ' || p.preference, ', ') AS preferences,
       max(p.score) - min(p.score) AS preference_range,
       max(p.score) > 0 AND min(p.score) < 0 AS winner_conflict,
       EXISTS (SELECT 1 FROM adjudications j WHERE j.task_id = p.task_id) AS adjudicated
  FROM ({_SUBMITTED}) p LEFT JOIN tasks t ON t.id = p.task_id
 GROUP BY p.task_id
HAVING count(*) >= 2 AND max(p.score) > min(p.score)
"""

VIEWS: dict[str, str] = {
    "annotations_flat": ANNOTATIONS_FLAT,
    "annotation_scores": ANNOTATION_SCORES,
    "pairs": PAIRS,
    "response_evidence": RESPONSE_EVIDENCE,
    "disagreements": DISAGREEMENTS,
}
"""The documented views, by name (docs/data.md)."""


def install(db: sqlite_utils.Database) -> None:
    """Create (or recreate) every view; the caller's migration holds the transaction."""
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)
