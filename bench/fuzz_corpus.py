"""Mutation fuzz over the whole real corpus: every document, every mutation, a few seeds.

Run: ``.venv/bin/python bench/fuzz_corpus.py [--seeds N] [--per-document S]``. Needs
../shared/corpus-real. Prints, per mutation, how many parsed, were refused (a one-line read
error) or crashed/hung (a bug), and the slowest parse; then every crash and hang to replay.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.evaluation import REAL, real_corpus_present
from tests.reliability.fuzz import KINDS, Outcome, fuzz


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--seeds", type=int, default=2)
    args.add_argument("--per-document", type=float, default=20.0)
    opts = args.parse_args()
    if not real_corpus_present():
        print("../shared/corpus-real không có: bỏ qua.")
        return
    texts = sorted((REAL / "texts").glob("*.txt"))
    print(
        f"load {os.getloadavg()[0]:.2f}; {len(texts)} documents x {len(KINDS)} mutations x "
        f"{opts.seeds} seeds; hang bound {opts.per_document:.0f} s per parse"
    )
    started = time.monotonic()
    outcomes: list[Outcome] = []
    for o in fuzz(texts, seeds=range(opts.seeds), per_document=opts.per_document):
        outcomes.append(o)
    wall = time.monotonic() - started
    status = Counter((o.kind, o.status) for o in outcomes)
    print(
        f"{'mutation':<10} {'parsed':>7} {'refused':>8} {'crashed':>8} {'hung':>5} {'slowest s':>10}"
    )
    for kind in KINDS:
        mine = [o for o in outcomes if o.kind == kind]
        slowest = max((o.seconds for o in mine), default=0.0)
        print(
            f"{kind:<10} {status[kind, 'parsed']:>7} {status[kind, 'refused']:>8} "
            f"{status[kind, 'crashed']:>8} {status[kind, 'hung']:>5} {slowest:>10.2f}"
        )
    reasons = ("nhị phân", "Tệp rỗng", "byte hỏng", "bảng mã")
    refusals = Counter(
        next((r for r in reasons if r in o.detail), o.detail[:40])
        for o in outcomes
        if o.status == "refused"
    )
    print("refusals:", dict(refusals.most_common()))
    print(f"{len(outcomes)} parses in {wall:.1f} s wall; load {os.getloadavg()[0]:.2f}")
    for o in outcomes:
        if o.status in ("crashed", "hung"):
            print(f"  {o.status}: {o.document} {o.kind} seed={o.seed}: {o.detail}")


if __name__ == "__main__":
    main()
