"""Audit benchmark: `coderlhf audit` on 500 LDB pairs (1,000 model-written responses),
a first run and an immediate second run (the resume path: everything from the store).

Run: .venv/bin/python benchmarks/scan_audit_ldb.py [--skip-tests] [--jobs N] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora

from coderlhf_tui.audit.run import AuditOptions, run_audit
from coderlhf_tui.store import Store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-tests", action="store_true")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coderlhf-audit-bench-") as tmp:
        root = Path(tmp)
        source = corpora.write_jsonl(corpora.ldb_pairs(limit=500), root / "ldb500.jsonl")
        options = AuditOptions(
            out_dir=args.out or root / "report", run_tests=not args.skip_tests, jobs=args.jobs
        )
        with Store.open(root / "w.db") as store:
            for label in ("first run", "second run (resume)"):
                started = time.perf_counter()
                result = run_audit(store, source, options)
                seconds = time.perf_counter() - started
                totals = result.report["totals"]
                print(
                    f"{label}: {seconds:.1f} s; tests {totals['tests']}; "
                    f"{totals['findings']} findings in {totals['responses_flagged']} responses; "
                    f"notes: {'; '.join(result.notes)}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
