"""Resolution figures on the real corpus.

1. The share of the store's citations and relations resolved to corpus documents (by number,
   by name, self), and to units. These come from the citation stage's extraction (issue 4):
   until it lands the store holds none.
2. The resolver on ground truth: every target number of ../shared/corpus-real/relations.jsonl,
   resolved as if cited by the row's acting document, is checked against the corpus ids the
   row gives (``to_ids``). A target the corpus does not hold must stay unresolved.

Run: ``.venv/bin/python bench/eval_resolution.py [--db vbqppl.db]``. Without ``--db`` it ingests
corpus-real/texts into a temporary SQLite store.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.store.validity_eval import real_corpus_store  # noqa: E402
from vbqppl.store.catalog import load_documents, load_units  # noqa: E402
from vbqppl.store.resolve import Index, resolution_counts, resolve_target  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus-real"


def share(counts: Counter[str]) -> str:
    total = sum(counts.values())
    if not total:
        return "none stored yet"
    docs = total - counts["document"]
    return (
        f"{docs}/{total} to a corpus document ({docs / total:.0%}: {counts['number']} by number,"
        f" {counts['name']} by name, {counts['self']} self); {counts['unit']} of those miss the unit"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description="Resolution figures on the real corpus.")
    ap.add_argument("--db", help="an existing store with corpus-real/texts ingested")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not (REAL / "relations.jsonl").is_file():
        print("../shared/corpus-real không có: bỏ qua.")
        return
    with real_corpus_store(args.db) as store, store.read() as conn:
        counts = resolution_counts(conn)
        docs = load_documents(conn)
        index = Index.build(docs, load_units(conn))
    print("Stored links (from the citation stage):")
    print(f"  citations: {share(counts.citations)}")
    print(f"  relations: {share(counts.relations)}")

    by_stem = {Path(d.source_path).stem: d for d in docs.values() if d.source_path}
    outcome: Counter[str] = Counter()
    misses = []
    for line in (REAL / "relations.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        citing = next((by_stem[i] for i in row.get("from_ids") or [] if i in by_stem), None)
        if citing is None:
            continue
        r = resolve_target(
            number=row["to_doc"], name=None, date=None, unit=None, self_ref=False,
            citing=citing, index=index,
        )  # fmt: skip
        expected = set(row.get("to_ids") or [])
        got = Path(docs[r.document_id].source_path or "").stem if r.document_id else None
        if expected:
            kind = "right" if got in expected else "wrong" if got else "missed"
        else:
            kind = "kept unresolved" if got is None else "resolved though not in corpus"
        outcome[kind] += 1
        if kind in ("wrong", "missed", "resolved though not in corpus"):
            misses.append((kind, row["to_doc"], sorted(expected), got))
    in_corpus = outcome["right"] + outcome["wrong"] + outcome["missed"]
    outside = outcome["kept unresolved"] + outcome["resolved though not in corpus"]
    print("Resolver on relations.jsonl targets, by number, cited by the acting document:")
    if in_corpus:
        print(
            f"  target in the corpus: {outcome['right']}/{in_corpus} resolved to the right "
            f"document ({outcome['right'] / in_corpus:.0%}), {outcome['wrong']} to another, "
            f"{outcome['missed']} not resolved"
        )
    print(
        f"  target not in the corpus: {outcome['kept unresolved']}/{outside} kept unresolved, "
        f"{outcome['resolved though not in corpus']} resolved to something"
    )
    for kind, number, expected, got in misses if args.verbose else misses[:10]:
        print(f"    {kind}: {number} expected {expected or '-'} got {got or '-'}")


if __name__ == "__main__":
    main()
