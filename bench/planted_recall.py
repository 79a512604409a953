"""Recall of the copies bench/gen_corpus.py plants, from the findings of ``vbqppl check``.

A planted copy (a line of ``planted.jsonl`` in the corpus folder) is found when a finding of a
pair check (overlap, repeats-higher, modality-conflict, numeric-conflict) names a unit of the
copying document at, inside or around the copied clause and one of the source document at,
inside or around the source clause. Copies between provinces merged into one (same territory)
should be found; copies between provinces that were not merged must not be (the pair checks
do not compare them). Prints figures; not a test.

Run: ``vbqppl check --db S --at 2026-01-01 --format json > F.json`` then
``.venv/bin/python bench/planted_recall.py CORPUS_DIR F.json``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

PAIR_RULES = {"overlap", "repeats-higher", "modality-conflict", "numeric-conflict"}


def _near(a: str, b: str) -> bool:
    """One unit id is the other or holds it."""
    return a == b or a.startswith(b + "__") or b.startswith(a + "__")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("corpus", type=Path, help="the folder bench/gen_corpus.py wrote")
    ap.add_argument("findings", type=Path, help="the output of vbqppl check --format json")
    args = ap.parse_args()
    planted = [
        json.loads(line)
        for line in (args.corpus / "planted.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    findings = json.loads(args.findings.read_text(encoding="utf-8"))
    units: dict[str, list[tuple[int, str]]] = defaultdict(list)  # number -> (finding, unit)
    rules = Counter[str]()
    for n, f in enumerate(findings):
        if f["rule"] not in PAIR_RULES:
            continue
        rules[f["rule"]] += 1
        for ref in f["units"]:
            number, _, unit = ref.rpartition("#")
            units[number].append((n, unit))
    total, found = Counter[tuple[str, bool]](), Counter[tuple[str, bool]]()
    by_rule = Counter[str]()
    for p in planted:
        key = (p["kind"], bool(p["same_territory"]))
        total[key] += 1
        mine = {n for n, u in units.get(p["number"], ()) if _near(u, p["unit"])}
        theirs = {n for n, u in units.get(p["source_number"], ()) if _near(u, p["source_unit"])}
        hits = mine & theirs
        if hits:
            found[key] += 1
            by_rule.update({findings[n]["rule"] for n in hits})
    print(
        f"pair-check findings: {sum(rules.values())} ({', '.join(f'{r} {c}' for r, c in sorted(rules.items()))})"
    )
    print(f"{'planted clause':>16} {'territory':>10} {'planted':>8} {'found':>6} {'recall':>7}")
    for kind, same in sorted(total, key=lambda k: (not k[1], k[0])):
        t, f = total[(kind, same)], found[(kind, same)]
        where = "same" if same else "other"
        print(f"{kind:>16} {where:>10} {t:8} {f:6} {100 * f / t:6.1f}%")
    same_t = sum(v for k, v in total.items() if k[1])
    same_f = sum(v for k, v in found.items() if k[1])
    cross_f = sum(v for k, v in found.items() if not k[1])
    print(
        f"recall of same-territory copies: {same_f}/{same_t} = {100 * same_f / max(1, same_t):.1f}%"
    )
    print(f"cross-territory copies found (must be 0): {cross_f}")
    print(f"found by rule: {', '.join(f'{r} {c}' for r, c in sorted(by_rule.items()))}")


if __name__ == "__main__":
    main()
