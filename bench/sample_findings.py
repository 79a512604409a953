"""A seeded random sample of stored findings per rule, printed with their quotes for judging by
hand (precision). Run bench/bench_checks.py --db FILE first, then:

``.venv/bin/python bench/sample_findings.py --db FILE --n 40 [--rule overlap] [--seed 1]``
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.store.db import open_store  # noqa: E402
from vbqppl.store.findings import load_findings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=40, help="findings per rule")
    ap.add_argument("--rule", action="append")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--width", type=int, default=400, help="characters of each quote")
    args = ap.parse_args()
    store = open_store(args.db, create=False)
    with store.read() as conn:
        stored = load_findings(conn, rules=args.rule)
    store.close()
    by_rule: dict[str, list] = {}
    for s in stored:
        by_rule.setdefault(s.finding.rule, []).append(s.finding)
    rng = random.Random(args.seed)
    for rule, found in sorted(by_rule.items()):
        sample = rng.sample(found, min(args.n, len(found)))
        print(f"=== {rule}: {len(sample)} of {len(found)} ===")
        for k, f in enumerate(sample, 1):
            print(f"\n[{rule} {k}] {f.id} [{f.severity}] {', '.join(f.units or f.documents)}")
            print(f"  {f.explanation}")
            for e in f.evidence:
                quote = " ".join(e.quote.split())
                cut = "…" if len(quote) > args.width else ""
                print(
                    f"  > {e.document}#{e.unit or '-'} [{e.start}:{e.end}] “{quote[: args.width]}{cut}”"
                )
            print(f"  Đề xuất: {f.handling}")
        print()


if __name__ == "__main__":
    main()
