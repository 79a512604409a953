"""Print the cite stage's accuracy on the real corpus: cited numbers against the hand-annotated
fixture, relations against relations.jsonl's high-precision rows.

Run: ``.venv/bin/python bench/eval_cite.py [--verbose]``. Needs ../shared/corpus-real.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.evaluation import real_corpus_present
from tests.evaluation_cite import citation_scores, relation_scores


def main() -> None:
    verbose = "--verbose" in sys.argv
    if not real_corpus_present():
        print("../shared/corpus-real không có: bỏ qua.")
        return
    print("== Cited numbers vs tests/fixtures/citations_gold.yaml ==")
    tp = fp = fn = names = names_hit = 0
    for s in citation_scores():
        tp += len(s.true_pos)
        fp += len(s.false_pos)
        fn += len(s.missed)
        names += len(s.names_expected)
        names_hit += len(s.names_hit)
        print(
            f"{s.doc_id:34} expected {len(s.expected):3} found {len(s.true_pos):3} "
            f"missed {len(s.missed):2} wrong {len(s.false_pos):2}  names {len(s.names_hit)}/{len(s.names_expected)}"
        )
        if verbose:
            for n in sorted(s.missed):
                print("    missed", n)
            for n in sorted(s.false_pos):
                print("    wrong ", n)
            for n in s.names_expected:
                if n not in s.names_hit:
                    print("    name missed", n)
    print(
        f"TOTAL numbers: recall {tp}/{tp + fn} = {tp / max(tp + fn, 1):.4f}; "
        f"precision {tp}/{tp + fp} = {tp / max(tp + fp, 1):.4f}; names recall {names_hit}/{names}"
    )
    print("\n== Relations vs relations.jsonl (vbhn_preamble + official_status_list) ==")
    r = relation_scores()
    hit = r.gold & r.found
    print(
        f"source documents {len(r.sources)}; gold triples {len(r.gold)}; ours {len(r.found)}; "
        f"recall {len(hit)}/{len(r.gold)} = {r.recall:.4f}; precision {len(hit)}/{len(r.found)} = "
        f"{r.precision:.4f}; stated by any relations.jsonl row {r.precision_any:.4f}"
    )
    print(
        f"precision on the (source, target) pairs the gold covers: {r.pair_precision:.4f}; "
        f"by effect (whole / part / consolidates): recall {r.effect_recall:.4f}, "
        f"precision {r.effect_precision:.4f}"
    )
    print(
        f"precision counting the extras judged right in tests/fixtures/relations_judged.yaml: "
        f"{r.judged_precision:.4f} ({len(r.unjudged)} extras not judged, counted wrong)"
    )
    if verbose:
        for t in sorted(r.gold - r.found):
            print("    missed", t, r.sources.get(t[0]), "|", r.evidence[t][:160].replace("\n", " "))
        for t in sorted(r.found - r.gold):
            tag = "judged right" if t in r.judged_right else "NOT JUDGED"
            print("    extra ", t, r.sources.get(t[0]), tag)


if __name__ == "__main__":
    main()
