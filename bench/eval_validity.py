"""Validity against the official lists: ../shared/corpus-real/status_lists.jsonl.

For every row whose document and acting documents are in the corpus, the store's status of
the document at the list's date is compared with the list's status ("Hết hiệu lực toàn bộ",
"Hết hiệu lực một phần", "Còn hiệu lực"); the target is 90% agreement (the measure itself is
in tests/store/validity_eval.py).

The statuses come from the relations in the store, i.e. from the citation stage's extraction
(issue 4): until it lands every document comes out "còn hiệu lực" or "chưa có hiệu lực".
``--oracle`` instead feeds the validity rules the relations of relations.jsonl (the ground
truth), to measure the rules apart from the extraction; ``--oracle-no-lists`` leaves out the
relations that were themselves read from the status lists (with them the check is circular).

Run: ``.venv/bin/python bench/eval_validity.py [--db vbqppl.db] [--oracle | --oracle-no-lists]
[--verbose]``. Without ``--db`` it ingests corpus-real/texts into a temporary SQLite store.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.store.validity_eval import REAL, Status, evaluate, real_corpus_store  # noqa: E402

SOURCES = {
    "store": "the store (relations extracted by the citation stage)",
    "oracle": "relations.jsonl (ground truth, all provenances)",
    "oracle-no-lists": "relations.jsonl (ground truth, without the status lists' own relations)",
}


def main() -> None:
    ap = argparse.ArgumentParser(description="Validity against the official status lists.")
    ap.add_argument("--db", help="an existing store with corpus-real/texts ingested")
    ap.add_argument("--oracle", action="store_true", help="relations from relations.jsonl")
    ap.add_argument(
        "--oracle-no-lists",
        action="store_true",
        help="relations from relations.jsonl, without those read from the status lists",
    )
    ap.add_argument("--verbose", action="store_true", help="print every row, not only misses")
    args = ap.parse_args()
    if not (REAL / "status_lists.jsonl").is_file():
        print("../shared/corpus-real không có: bỏ qua.")
        return
    mode = "oracle-no-lists" if args.oracle_no_lists else "oracle" if args.oracle else "store"
    with real_corpus_store(args.db) as store, store.read() as conn:
        rows = evaluate(conn, mode)
    n = len(rows)
    agree = [r for r in rows if r.agrees]
    print(f"Relations from {SOURCES[mode]}.")
    print(
        f"{n} rows of status_lists.jsonl have the document and its acting documents in the corpus."
    )
    if n:
        print(f"Agreement: {len(agree)}/{n} = {len(agree) / n:.0%} (target 90%)")
        ended = [r for r in agree if r.expected is not Status.IN_FORCE]
        same_day = [r for r in ended if r.got.since == r.row.get("expiry_date")]
        if ended:
            print(
                f"Of the agreeing rows that ended, the date agrees too: {len(same_day)}/{len(ended)}"
            )
    for r in rows:
        if args.verbose or not r.agrees:
            print(
                f"  {'ok' if r.agrees else 'NO'}  {r.row['doc_number']:22} at {r.row['status_as_of']}: "
                f"list says {r.expected.value} ({r.row.get('expiry_date')}), store says "
                f"{r.got.status.value} ({r.got.since}) — {r.got.reason()}"
            )


if __name__ == "__main__":
    main()
