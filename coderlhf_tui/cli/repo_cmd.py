"""``coderlhf repo``: repository tasks (issue 16) from the command line.

``demo`` writes the demo tasks, ``import-swebench`` turns SWE-bench instances and
predictions into task files, ``check`` loads tasks and tries their patches (clear errors:
file, line, field, hunk), ``run`` grades every response in the sandbox, ``envs`` lists and
prunes the per-environment images. Heavy imports wait for the handler, so building the
parser stays cheap.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coderlhf_tui.cli.common import (
    EXIT_OK,
    UserError,
    add_db_option,
    add_json_option,
    open_store,
    print_json,
)

RUN_FAILED = 1
"""``check`` found a patch that does not apply, or ``run --require-resolved`` did not resolve."""


def _common(parser: argparse.ArgumentParser, json_output: bool = True) -> None:
    add_db_option(parser)
    if json_output:
        add_json_option(parser)
    parser.add_argument("--cache", type=Path, default=None, help="cache folder")


def register(subparsers: Any) -> None:
    repo = subparsers.add_parser("repo", help="repository tasks: patches judged by a repo's tests")
    sub = repo.add_subparsers(dest="repo_command", metavar="ACTION")
    sub.required = True

    p = sub.add_parser("demo", help="write the demo repository tasks (downloads sdists)")
    _common(p, json_output=False)
    p.add_argument("out", type=Path, help="folder for the task files and bundles")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("import-swebench", help="SWE-bench instances + predictions -> tasks")
    _common(p, json_output=False)
    p.add_argument("instances", type=Path)
    p.add_argument("--predictions", type=Path, action="append", default=[], required=True)
    p.add_argument("--snapshots", type=Path, required=True, help="folder of bundles/tarballs")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--test-command", default="", help="when instances carry none")
    p.add_argument("--requirement", action="append", default=[], help="pip requirement")
    p.add_argument("--gold", action="store_true", help="add the reference patch as a response")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("check", help="load tasks and try every patch on the base")
    _common(p)
    p.add_argument("tasks", type=Path, nargs="+")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("run", help="grade every response of the tasks in the sandbox")
    _common(p)
    p.add_argument("tasks", type=Path, nargs="+")
    p.add_argument("--response", action="append", default=[], help="only these responses")
    p.add_argument("--no-cache", action="store_true", help="run even if a result is cached")
    p.add_argument("--image", default=None, help="base image (default: the runner's)")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser(
        "export", help="TRL preference rows, canonical records, critiques of graded tasks"
    )
    _common(p, json_output=False)
    p.add_argument("tasks", type=Path, nargs="+")
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help="folder for trl.jsonl, records.jsonl, critiques.jsonl",
    )
    p.add_argument("--with-files", action="store_true", help="touched files' base in the prompt")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("open", help="the pair view of two responses (r runs their tests)")
    _common(p, json_output=False)
    p.add_argument("task", type=Path)
    p.add_argument("--pair", type=int, nargs=2, default=(0, 1), metavar=("A", "B"))
    p.set_defaults(handler=cmd_open)

    p = sub.add_parser("envs", help="the per-environment images")
    _common(p)
    p.add_argument("action", choices=["list", "prune"], nargs="?", default="list")
    p.add_argument("--keep", type=Path, nargs="*", default=[], help="prune: keep these tasks'")
    p.set_defaults(handler=cmd_envs)


def _cache(args: argparse.Namespace) -> Path:
    from coderlhf_tui.repotasks.cache_dir import default_cache

    return Path(args.cache) if args.cache else default_cache()


def _workspace_runs(args: argparse.Namespace) -> Any:
    """The workspace's ``repo_runs`` (``--db`` or the default workspace), opened once."""
    from coderlhf_tui.repotasks.run_cache import StoreRunCache

    if getattr(args, "_runs", None) is None:
        args._runs = StoreRunCache(open_store(args))
    return args._runs


def _log(line: str) -> None:
    print(f"repo: {line}", file=sys.stderr, flush=True)


def _load(paths: list[Path]) -> list[Any]:
    from coderlhf_tui.repotasks.task_format import RepoTaskError, load_task

    try:
        return [load_task(path) for path in paths]
    except RepoTaskError as exc:
        raise UserError(str(exc)) from exc


def cmd_demo(args: argparse.Namespace) -> int:
    from coderlhf_tui.repotasks.demo import build_demo
    from coderlhf_tui.repotasks.stored import import_repo_tasks
    from coderlhf_tui.repotasks.task_format import RepoTaskError

    try:
        paths = build_demo(_cache(args), args.out, log=_log)
    except RepoTaskError as exc:
        raise UserError(str(exc)) from exc
    added = import_repo_tasks(open_store(args), _load(paths))
    _log(f"{added} repository tasks added to the workspace's queue")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from coderlhf_tui.repotasks.swebench import import_instances, write_tasks
    from coderlhf_tui.repotasks.task_format import RepoTaskError

    try:
        tasks = import_instances(
            args.instances,
            args.predictions,
            args.snapshots,
            requirements=tuple(args.requirement),
            test_command=args.test_command,
            include_gold=args.gold,
        )
    except RepoTaskError as exc:
        raise UserError(str(exc)) from exc
    for path in write_tasks(tasks, args.out):
        print(path)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from coderlhf_tui.repotasks.checking import check_task
    from coderlhf_tui.repotasks.task_format import RepoTaskError

    report = []
    for task in _load(args.tasks):
        try:
            problems = check_task(task, _cache(args))
        except RepoTaskError as exc:
            raise UserError(str(exc)) from exc
        report.append({"task": task.source, "problems": problems})
    if args.json:
        print_json(report)
    else:
        for item in report:
            for problem in item["problems"]:
                print(f"{item['task']}: {problem}")
            if not item["problems"]:
                print(f"{item['task']}: ok")
    return RUN_FAILED if any(item["problems"] for item in report) else EXIT_OK


def _graded(args: argparse.Namespace, only: list[str]) -> list[tuple[Any, list[Any]]]:
    """Each task with its responses' runs (graded in the sandbox, or from the cache)."""
    from coderlhf_tui.repotasks.environments import EnvironmentError_, ensure_image
    from coderlhf_tui.repotasks.grading import RepoGrader
    from coderlhf_tui.repotasks.task_format import RepoTaskError
    from coderlhf_tui.runners.docker_sandbox import SandboxUnavailable, connect
    from coderlhf_tui.runners.settings import load_settings

    tasks = _load(args.tasks)
    try:
        client = connect()
    except SandboxUnavailable as exc:
        raise UserError(str(exc)) from exc
    base = getattr(args, "image", None) or load_settings().image
    graded = []
    for task in tasks:
        try:
            image = ensure_image(client, task.environment, base, _cache(args), log=_log)
            grader = RepoGrader(client, image, _cache(args), runs=_workspace_runs(args))
            runs = [
                grader.grade(task, response, use_cache=not getattr(args, "no_cache", False))
                for response in task.responses
                if not only or response.name in only
            ]
        except (RepoTaskError, EnvironmentError_) as exc:
            raise UserError(str(exc)) from exc
        graded.append((task, runs))
    return graded


def cmd_run(args: argparse.Namespace) -> int:
    results = []
    for task, runs in _graded(args, args.response):
        for run in runs:
            results.append({"instance_id": task.instance_id, **run.to_json()})
            if not args.json:
                _print_run(task.instance_id, run)
    if args.json:
        print_json(results)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    import json

    from coderlhf_tui.repotasks.export import (
        canonical_record,
        critique_rows,
        preference_pairs,
        prompt_text,
        trl_rows,
    )
    from coderlhf_tui.repotasks.snapshots import base_checkout
    from coderlhf_tui.repotasks.stored import stored_critiques, stored_judgements

    args.out.mkdir(parents=True, exist_ok=True)
    rows, records, critiques_out = [], [], []
    store = open_store(args)
    for task, runs in _graded(args, []):
        judged = judgements_file(Path(task.source))
        lines = judged.read_text(encoding="utf-8").splitlines() if judged.is_file() else []
        judgements = [json.loads(line) for line in lines if line.strip()]
        judgements += stored_judgements(store, task.instance_id)  # the app's, last
        pairs = preference_pairs(runs, judgements)
        base = base_checkout(task, _cache(args)) if args.with_files else None
        rows += trl_rows(task, pairs, prompt_text(task, base))
        critiques = stored_critiques(store, task.instance_id)
        records.append(canonical_record(task, runs, pairs, critiques))
        critiques_out += critique_rows(task, critiques)
    written = (("trl.jsonl", rows), ("records.jsonl", records), ("critiques.jsonl", critiques_out))
    for name, items in written:
        text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
        (args.out / name).write_text(text, encoding="utf-8")
    print(
        f"{len(rows)} preference rows, {len(records)} records,"
        f" {len(critiques_out)} critiques in {args.out}"
    )
    return EXIT_OK


def judgements_file(task_path: Path) -> Path:
    """Where the pair view appends its judgements: beside the task file."""
    return task_path.with_name(task_path.stem + ".judgements.jsonl")


def cmd_open(args: argparse.Namespace) -> int:
    import json

    from coderlhf_tui.repotasks.changed_scan import scan_patch
    from coderlhf_tui.repotasks.environments import ensure_image
    from coderlhf_tui.repotasks.grading import RepoGrader
    from coderlhf_tui.runners.docker_sandbox import SandboxUnavailable, connect
    from coderlhf_tui.runners.settings import load_settings
    from coderlhf_tui.screens.repo_pair import RepoPairApp

    [task] = _load([args.task])
    if max(args.pair) >= len(task.responses) or args.pair[0] == args.pair[1]:
        raise UserError(f"--pair: two different responses of {len(task.responses)}")
    try:
        client = connect()
    except SandboxUnavailable as exc:
        raise UserError(str(exc)) from exc
    image = ensure_image(client, task.environment, load_settings().image, _cache(args), _log)
    grader = RepoGrader(client, image, _cache(args), runs=_workspace_runs(args))
    out = judgements_file(args.task)

    def save(judgement: dict[str, Any]) -> None:
        with out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(judgement, ensure_ascii=False) + "\n")

    def scan(response: Any) -> dict[str, list[Any]]:
        return scan_patch(task, response, _cache(args))

    RepoPairApp(task, tuple(args.pair), lambda r: grader.grade(task, r), save, scan).run()
    return EXIT_OK


def _print_run(instance_id: str, run: Any) -> None:
    cached = " (cached)" if run.cached else ""
    print(f"{instance_id}\t{run.response}\t{run.grade}\t{run.duration_s:.1f}s{cached}")
    if run.detail:
        print(f"    {run.detail}")
    for label, table in (("F2P", run.fail_to_pass), ("P2P", run.pass_to_pass)):
        for name, outcome in table.items():
            print(f"    {label} {outcome:8} {name}")


def cmd_envs(args: argparse.Namespace) -> int:
    from coderlhf_tui.repotasks.environments import list_images, prune_images
    from coderlhf_tui.runners.docker_sandbox import SandboxUnavailable, connect

    try:
        client = connect()
    except SandboxUnavailable as exc:
        raise UserError(str(exc)) from exc
    if args.action == "prune":
        keep = {task.environment.setup_hash() for task in _load(args.keep)}
        removed = prune_images(client, keep)
        if args.json:
            print_json({"removed": removed})
        else:
            for tag in removed:
                print(f"removed {tag}")
        return EXIT_OK
    images = list_images(client)
    if args.json:
        print_json([_as_dict(image) for image in images])
        return EXIT_OK
    for image in images:
        print(f"{image.tag}\t{image.size_mb} MB\t{image.created}\t{image.requirements}")
    return EXIT_OK


def _as_dict(item: Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__slots__}
