"""The review checks on the real corpus: ingest ../shared/corpus-real/texts into a temporary
SQLite store (or reuse one with ``--db``), run every check, print the findings per rule and
severity and the time each rule took. Prints figures; it is not a test.

Run: ``.venv/bin/python bench/bench_checks.py [-j 2] [--db /tmp/real.db] [--at 2025-12-01]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.checks import load_view, run_checks  # noqa: E402
from vbqppl.checks.registry import REGISTRY  # noqa: E402
from vbqppl.store.db import open_store  # noqa: E402
from vbqppl.store.findings import save_findings  # noqa: E402
from vbqppl.store.ingest import ingest  # noqa: E402

TEXTS = ROOT.parent / "shared" / "corpus-real" / "texts"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--db", help="an SQLite file to (re)use; a temporary one by default")
    ap.add_argument("--at", default=date.today().isoformat())
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "real.db")
        store = open_store(path)
        t0 = time.perf_counter()
        report = ingest(store, [TEXTS], jobs=args.jobs, on_conflict="keep-both")
        print(
            f"ingest: {report.stored} stored of {report.files} files in {time.perf_counter() - t0:.1f} s"
        )
        t0 = time.perf_counter()
        with store.read() as conn:
            view = load_view(conn, args.at)
        t_view = time.perf_counter() - t0
        print(f"load_view: {len(view.documents)} documents in {t_view:.1f} s (at {args.at})")
        total = Counter[str]()
        severities = Counter[tuple[str, str]]()
        spent: dict[str, float] = {}
        findings = []
        from vbqppl.checks import builtin  # noqa: F401  (registers the built-in checks)

        for rule in sorted(REGISTRY):
            t0 = time.perf_counter()
            got = run_checks(view, rules=[rule])
            spent[rule] = time.perf_counter() - t0
            findings += got
            total[rule] = len(got)
            severities.update((f.rule, f.severity) for f in got)
        t0 = time.perf_counter()
        with store.begin() as conn:
            save_findings(conn, findings, covered_rules=sorted(REGISTRY))
        t_save = time.perf_counter() - t0
        print(f"\n{'rule':20} {'findings':>8} {'cao':>5} {'tb':>5} {'thấp':>5} {'seconds':>8}")
        for rule in sorted(REGISTRY):
            print(
                f"{rule:20} {total[rule]:8} {severities[(rule, 'cao')]:5} "
                f"{severities[(rule, 'trung bình')]:5} {severities[(rule, 'thấp')]:5} "
                f"{spent[rule]:8.1f}"
            )
        checks = sum(spent.values())
        print(f"{'total':20} {sum(total.values()):8} {'':17} {checks:8.1f}")
        print(f"\nload_view {t_view:.1f} s + checks {checks:.1f} s + save {t_save:.1f} s")
        print("(pair checks share one similar_pairs run: the first of them pays for it)")
        store.close()


if __name__ == "__main__":
    main()
