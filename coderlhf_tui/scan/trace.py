"""Where a taint finding's data came from: source, intermediate variables, sink.

Semgrep's native CLI leaves the dataflow trace out of its JSON when no one is logged in, but
the engine under it (``semgrep-core``) always reports it. So the batch scan stays one CLI
call, and only the files where a taint rule fired are scanned a second time, by
``semgrep-core`` with the taint rules that fired there, to read the traces (see
``collect_traces``). That second call costs nothing when no taint rule fired, which is
the common case.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Language, TraceStep
from coderlhf_tui.scan.pack import raw_rules, rules, write_config
from coderlhf_tui.scan.semgrep import run_semgrep_core

ANALYZERS: dict[Language, str] = {
    Language.PYTHON: "python",
    Language.JAVASCRIPT: "javascript",
    Language.TYPESCRIPT: "typescript",
    Language.JAVA: "java",
    Language.GO: "go",
    Language.RUST: "rust",
    Language.C: "c",
    Language.CPP: "cpp",
    Language.PHP: "php",
}
"""semgrep-core's name for each language a taint rule can be written in (not SQL)."""

MAX_TEXT = 120

TRACE_PARALLEL_FROM = 64
"""Below this many files the trace call runs on one core: a second worker costs more
start-up than it saves."""


def _loc_line(loc: Mapping[str, Any]) -> int:
    return int(loc["start"]["line"])


def _cli_loc(node: Any) -> tuple[int, str] | None:
    """``["CliLoc", [{location}, "text"]]`` -> (line, text); call traces use their end."""
    if not isinstance(node, list) or len(node) != 2:
        return None
    kind, body = node
    if kind == "CliLoc":
        loc, text = body
        return _loc_line(loc), str(text)
    if kind == "CliCall":  # [[loc, text], intermediate vars, inner trace]: follow to the end
        (loc, text), _, inner = body
        deeper = _cli_loc(inner)
        return deeper or (_loc_line(loc), str(text))
    return None


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_TEXT else flat[: MAX_TEXT - 1] + "…"


def trace_of(result: Mapping[str, Any]) -> tuple[TraceStep, ...]:
    """A semgrep result's dataflow trace as steps (empty when it has none)."""
    raw = (result.get("extra") or {}).get("dataflow_trace")
    if not raw:
        return ()
    steps: list[TraceStep] = []
    source = _cli_loc(raw.get("taint_source"))
    if source:
        steps.append(TraceStep("source", source[0], _short(source[1])))
    for var in raw.get("intermediate_vars") or []:
        line = _loc_line(var["location"])
        if not steps or steps[-1].line != line:
            steps.append(TraceStep("via", line, _short(str(var.get("content", "")))))
    sink = _cli_loc(raw.get("taint_sink"))
    if sink:
        steps.append(TraceStep("sink", sink[0], _short(sink[1])))
    return tuple(steps)


def trace_config(fired: Mapping[str, set[str]], folder: Path) -> Path:
    """The taint rules that fired, each restricted by ``paths.include`` to the files where
    it fired, as one config file in ``folder``: the trace call then runs each rule only
    where its result is, not every fired rule on every file (1,000 mixed responses: 27
    (file, rule) pairs instead of 120)."""
    raw = raw_rules()
    restricted = [
        {**raw[rule_id], "paths": {"include": sorted("/" + path for path in paths)}}
        for rule_id, paths in sorted(fired.items())
    ]
    return write_config(restricted, folder / "trace-rules.yaml")


TraceKey = tuple[str, str, int]
"""(target path, rule id, start line) of one taint result."""


def collect_traces(
    data: Mapping[str, Any], languages: Mapping[str, Language], root: Path
) -> dict[TraceKey, tuple[TraceStep, ...]]:
    """The traces of every taint result in semgrep's JSON ``data`` (targets under ``root``).

    ``languages`` gives each target path's language. Only the targets where a taint rule
    fired are rescanned, with the taint rules alone; none fired means no second call.
    """
    pack = rules()
    wanted: dict[str, Language] = {}
    fired: dict[str, set[str]] = {}
    for result in data.get("results", []):
        meta = pack.get(str(result["check_id"]).rsplit(".", 1)[-1])
        path = os.path.normpath(str(result["path"]))
        if meta is not None and meta.taint and languages.get(path) in ANALYZERS:
            wanted[path] = languages[path]
            fired.setdefault(meta.id, set()).add(path)
    if not wanted:
        return {}
    core = run_semgrep_core(
        trace_config(fired, root),
        [(path, ANALYZERS[lang]) for path, lang in wanted.items()],
        cwd=root,
        jobs=1 if len(wanted) < TRACE_PARALLEL_FROM else None,
    )
    traces: dict[TraceKey, tuple[TraceStep, ...]] = {}
    for result in core.get("results", []):
        key = (
            os.path.normpath(str(result["path"])),
            str(result["check_id"]).rsplit(".", 1)[-1],
            int(result["start"]["line"]),
        )
        if key not in traces:
            traces[key] = _sink_as_line(trace_of(result), root / key[0])
    return traces


def _sink_as_line(trace: tuple[TraceStep, ...], path: Path) -> tuple[TraceStep, ...]:
    """The sink step with its whole line (the match alone is often just a variable)."""
    if not trace or trace[-1].role != "sink":
        return trace
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    sink = trace[-1]
    if 0 < sink.line <= len(lines):
        sink = TraceStep("sink", sink.line, _short(lines[sink.line - 1]))
    return (*trace[:-1], sink)
