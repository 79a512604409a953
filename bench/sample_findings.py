"""A seeded random sample of stored findings per rule, printed with their quotes for judging by
hand (precision). Run bench/bench_checks.py --db FILE first, then:

``.venv/bin/python bench/sample_findings.py --db FILE --n 40 [--rule overlap] [--seed 1]``

With ``--judged tests/fixtures/findings_judged.yaml`` it prints, instead of the quotes, the
precision per rule of the same seeded sample from the judgements recorded there (finding id,
rule, verdict true/false, reason), and lists the sampled findings not judged yet (new ids, to be
read and judged) and the judged ones the run no longer gives.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml

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
    ap.add_argument("--judged", help="a YAML list of judgements: print precision per rule")
    args = ap.parse_args()
    store = open_store(args.db, create=False)
    with store.read() as conn:
        stored = load_findings(conn, rules=args.rule)
    store.close()
    by_rule: dict[str, list] = {}
    for s in stored:
        by_rule.setdefault(s.finding.rule, []).append(s.finding)
    rng = random.Random(args.seed)
    samples = {
        rule: rng.sample(found, min(args.n, len(found))) for rule, found in sorted(by_rule.items())
    }
    if args.judged:
        precision(samples, by_rule, Path(args.judged))
        return
    for rule, sample in samples.items():
        found = by_rule[rule]
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


def precision(samples: dict[str, list], by_rule: dict[str, list], judged: Path) -> None:
    """Precision per rule over the sample, from the recorded judgements."""
    verdicts = {j["id"]: j for j in yaml.safe_load(judged.read_text(encoding="utf-8")) or []}
    now = {f.id for found in by_rule.values() for f in found}
    total_true = total = 0
    print(f"{'rule':18} {'findings':>8} {'sampled':>7} {'judged':>6} {'true':>5} {'precision':>9}")
    for rule, sample in samples.items():
        got = [verdicts[f.id] for f in sample if f.id in verdicts]
        true = sum(1 for j in got if j["verdict"] is True)
        total_true, total = total_true + true, total + len(got)
        p = f"{true / len(got):.2f}" if got else "-"
        print(f"{rule:18} {len(by_rule[rule]):8} {len(sample):7} {len(got):6} {true:5} {p:>9}")
        for f in sample:
            if f.id not in verdicts:
                print(f"  not judged yet: {f.id} {', '.join(f.units or f.documents)}")
    print(f"{'all':18} {'':8} {'':7} {total:6} {total_true:5} {total_true / max(total, 1):9.2f}")
    gone = sorted(i for i in verdicts if i not in now)
    if gone:
        print(f"judged but no longer found: {', '.join(gone)}")


if __name__ == "__main__":
    main()
