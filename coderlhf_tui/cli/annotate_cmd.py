"""``coderlhf annotate`` and ``annotations``: recording judgements from a script.

``annotate`` is the scripted twin of the app's pair screen: it validates against the
rubric exactly as the app does before submit, and updates the annotator's existing
annotation of the task (a new revision) rather than creating a second one.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from dataclasses import replace
from typing import Any

from coderlhf_tui.cli.common import (
    EXIT_OK,
    UserError,
    add_db_option,
    add_json_option,
    add_rubric_option,
    load_rubric_arg,
    open_store,
    print_json,
    resolve_annotator,
)
from coderlhf_tui.domain import Annotation, AnnotationStatus, Preference, Scores
from coderlhf_tui.serialize import annotation_to_dict


def register(subparsers: Any) -> None:
    """Add the annotation commands."""
    p = subparsers.add_parser("annotate", help="record an annotation from the command line")
    p.add_argument("task_id", metavar="ID")
    p.add_argument("--preference", choices=[pref.value for pref in Preference])
    p.add_argument(
        "--score",
        action="append",
        default=[],
        metavar="KEY.DIMENSION=LEVEL",
        help="e.g. a.correctness=2 (repeat for each score)",
    )
    p.add_argument("--rationale")
    p.add_argument("--tag", action="append", default=[], help="a rubric tag (repeatable)")
    p.add_argument("--annotator")
    p.add_argument("--time-spent", type=float, default=None, metavar="SECONDS")
    p.add_argument("--shown-order", choices=["ab", "ba"], default=None)
    p.add_argument("--draft", action="store_true", help="save as in progress, do not submit")
    add_rubric_option(p)
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_annotate)

    p = subparsers.add_parser("annotations", help="list annotations")
    p.add_argument("--task", dest="task_id")
    p.add_argument("--annotator")
    p.add_argument("--status", choices=[s.value for s in AnnotationStatus])
    p.add_argument("--history", action="store_true", help="include every revision")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_annotations)


def parse_scores(items: list[str]) -> Scores:
    """``a.correctness=2`` items to a Scores mapping; a malformed item is a UserError."""
    scores: Scores = {}
    for item in items:
        target, sep, level = item.partition("=")
        key, dot, dimension = target.partition(".")
        if not sep or not dot or key.lower() not in ("a", "b") or not dimension:
            raise UserError(f"--score {item!r}: expected KEY.DIMENSION=LEVEL, e.g. a.correctness=4")
        try:
            value = int(level)
        except ValueError as exc:
            raise UserError(f"--score {item!r}: level {level!r} is not a whole number") from exc
        scores.setdefault(key.lower(), {})[dimension] = value
    return scores


def cmd_annotate(args: argparse.Namespace) -> int:
    """Create or update this annotator's annotation of one task."""
    rubric = load_rubric_arg(args)
    with open_store(args) as store:
        if store.get_task(args.task_id) is None:
            raise UserError(f"no task {args.task_id!r} in the workspace")
        annotator = resolve_annotator(store, args.annotator)
        current = store.get_annotation(args.task_id, annotator) or Annotation(
            id=str(uuid.uuid4()), task_id=args.task_id, annotator=annotator, revision=0
        )
        scores = {key: dict(dims) for key, dims in current.scores.items()}
        for key, dims in parse_scores(args.score).items():
            scores.setdefault(key, {}).update(dims)
        updated = replace(
            current,
            status=AnnotationStatus.IN_PROGRESS if args.draft else AnnotationStatus.SUBMITTED,
            preference=Preference(args.preference) if args.preference else current.preference,
            scores=scores,
            rationale=args.rationale if args.rationale is not None else current.rationale,
            tags=sorted(set(current.tags) | set(args.tag)),
            time_spent_s=(args.time_spent if args.time_spent is not None else current.time_spent_s),
            shown_order=args.shown_order or current.shown_order,
            rubric_version=rubric.version,
        )
        problems = rubric.annotation_problems(updated, for_submit=not args.draft)
        if problems:
            raise UserError(
                f"annotation of {args.task_id} is not valid under rubric {rubric.version}:\n  "
                + "\n  ".join(problems)
            )
        saved = store.save_annotation(updated)
    if args.json:
        print_json(annotation_to_dict(saved))
    else:
        print(
            f"saved {saved.status.value} annotation of {saved.task_id} by {saved.annotator}"
            f" (revision {saved.revision})"
        )
    return EXIT_OK


def cmd_annotations(args: argparse.Namespace) -> int:
    """List annotations (optionally with every revision)."""
    with open_store(args) as store:
        annotations = store.list_annotations(
            task_id=args.task_id, annotator=args.annotator, status=args.status
        )
        rows = []
        for ann in annotations:
            row = annotation_to_dict(ann)
            if args.history:
                row["history"] = [annotation_to_dict(a) for a in store.annotation_history(ann.id)]
            rows.append(row)
    if args.json:
        print_json(rows)
        return EXIT_OK
    for row in rows:
        print(
            f"{row['task_id']:<28} {row['annotator']:<12} {row['status']:<11} "
            f"{row['preference'] or '-':<5} rev {row['revision']}"
        )
    print(f"{len(rows)} annotation(s)", file=sys.stderr)
    return EXIT_OK
