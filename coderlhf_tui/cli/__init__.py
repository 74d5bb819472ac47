"""The ``coderlhf`` command line: one module per command group, registered here.

Every command takes ``--db PATH`` (the workspace) and, where it prints results,
``--json``. Exit status: 0 ok, 2 bad input (a clear message, never a traceback),
1 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from coderlhf_tui.cli.common import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, UserError

COMMAND_MODULES: tuple[str, ...] = (
    "coderlhf_tui.cli.tasks_cmd",
    "coderlhf_tui.cli.annotate_cmd",
    "coderlhf_tui.cli.demo_cmd",
    "coderlhf_tui.cli.export_cmd",
    "coderlhf_tui.cli.rankings_cmd",
    "coderlhf_tui.cli.test_cmd",
    "coderlhf_tui.cli.images_cmd",
    "coderlhf_tui.cli.app_cmd",
    "coderlhf_tui.cli.server_cmd",
    "coderlhf_tui.cli.sync_cmd",
    "coderlhf_tui.cli.quality_cmd",
    "coderlhf_tui.cli.scan_cmd",
    "coderlhf_tui.cli.audit_cmd",
    "coderlhf_tui.cli.worker_cmd",
    "coderlhf_tui.cli.repo_cmd",
)
"""Each module has ``register(subparsers)``; add a line here to add a command group."""


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every registered command."""
    parser = argparse.ArgumentParser(
        prog="coderlhf",
        description="A terminal workstation for building code-RLHF preference data.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status (the console script's entry point)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.handler(args)
    except UserError as exc:
        print(f"coderlhf: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("coderlhf: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # an internal error: say so plainly, keep the traceback for bugs
        import traceback

        traceback.print_exc()
        print(f"coderlhf: internal error: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    return int(status or EXIT_OK)


if __name__ == "__main__":
    raise SystemExit(main())
