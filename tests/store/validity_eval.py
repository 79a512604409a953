"""Validity against the official lists (../shared/corpus-real/status_lists.jsonl): the measure
used by ``bench/eval_validity.py`` (which prints it) and the real-corpus tests.

For every row whose document and acting documents are in the corpus, the store's status of the
document at the list's date (``status_as_of``) is compared with the list's status. A row names
its acting documents in ``actors``; a row naming none is counted when the documents that
relations.jsonl says act on it are all in the corpus. Documents are found through the corpus
manifest (the file a number is in), so one whose number the parser missed is still found.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from vbqppl.store.catalog import DocRecord, load_documents
from vbqppl.store.db import Store, open_store
from vbqppl.store.documents import number_key
from vbqppl.store.ingest import ingest
from vbqppl.store.validity import (
    ACTING,
    Effect,
    Status,
    Validity,
    corpus_validity,
    document_validity,
    record_start,
)

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-real"


EXPECTED = {
    "hết hiệu lực toàn bộ": Status.EXPIRED,
    "hết hiệu lực một phần": Status.PARTLY_EXPIRED,
    "còn hiệu lực": Status.IN_FORCE,
}


def expected_status(label: str) -> Status:
    low = label.lower()
    for prefix, status in EXPECTED.items():
        if low.startswith(prefix):
            return status
    raise ValueError(f"unknown status label: {label}")


def pick(docs: list[DocRecord]) -> DocRecord:
    """Of several stored documents with one number, the act itself, not a consolidation."""
    return sorted(docs, key=lambda d: ((d.type or "") == "Văn bản hợp nhất", d.id))[0]


class Finder:
    """Stored documents by number: through the corpus manifest (the file each number is in),
    so a document whose number the parser missed is still found; else by parsed number."""

    def __init__(self, docs: dict[int, DocRecord]) -> None:
        self.by_key: dict[str, list[DocRecord]] = defaultdict(list)
        by_stem: dict[str, DocRecord] = {}
        for d in docs.values():
            if d.number_key:
                self.by_key[d.number_key].append(d)
            if d.source_path:
                by_stem[Path(d.source_path).stem] = d
        self.by_manifest: dict[str, list[DocRecord]] = defaultdict(list)
        for line in (REAL / "manifest.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            key = number_key(row.get("doc_number"))
            if key and row["id"] in by_stem:
                self.by_manifest[key].append(by_stem[row["id"]])

    def get(self, number: str) -> list[DocRecord]:
        key = number_key(number) or ""
        return self.by_manifest.get(key) or self.by_key.get(key) or []


def oracle_effects(by_key: Finder, with_lists: bool) -> dict[int, list[Effect]]:
    """The effects relations.jsonl implies, on the stored documents it names."""
    out: dict[int, list[Effect]] = defaultdict(list)
    seen = set()
    for line in (REAL / "relations.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if r["relation"] not in ACTING:
            continue
        if not with_lists and r["provenance"].startswith("official_status_list"):
            continue
        src = by_key.get(r["from_doc"])
        dst = by_key.get(r["to_doc"])
        if not src or not dst:
            continue
        actor, target = pick(src), pick(dst)
        whole = r["relation"] in ("repeals", "replaces") and r.get("scope", "whole") == "whole"
        unit = None if whole or r["relation"] == "amends" else "(một phần)"
        key = (actor.id, target.id, r["relation"], unit)
        if key in seen:
            continue
        seen.add(key)
        when = record_start(actor) or actor.issued
        out[target.id].append(Effect(r["relation"], actor.id, actor.label, unit, when))
    return out


def acting_numbers() -> dict[str, set[str]]:
    """Document number key → the numbers relations.jsonl says act on it."""
    out: dict[str, set[str]] = defaultdict(set)
    for line in (REAL / "relations.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if r["relation"] in ACTING:
            out[number_key(r["to_doc"]) or ""].add(r["from_doc"])
    return out


@dataclass(frozen=True)
class Row:
    row: dict
    document: DocRecord
    expected: Status
    got: Validity

    @property
    def agrees(self) -> bool:
        return self.expected is self.got.status


def evaluate(conn: Connection, relations: str = "store") -> list[Row]:
    """``relations``: ``"store"`` (what the citation stage extracted), ``"oracle"``
    (relations.jsonl) or ``"oracle-no-lists"`` (relations.jsonl without the relations read
    from the status lists themselves)."""
    finder = Finder(load_documents(conn))
    acting = acting_numbers()
    oracle = None
    if relations != "store":
        oracle = oracle_effects(finder, with_lists=relations == "oracle")
    out = []
    for line in (REAL / "status_lists.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        mine = finder.get(row["doc_number"])
        if not mine:
            continue
        named = [a["doc_number"] for a in row.get("actors", [])]
        actors = named or sorted(acting.get(number_key(row["doc_number"]) or "", ()))
        if not actors or not all(finder.get(a) for a in actors):
            continue
        doc = pick(mine)
        at = row["status_as_of"]
        if oracle is not None:
            got = document_validity(record_start(doc), oracle.get(doc.id, ()), at)
        else:
            got = corpus_validity(conn, at, [doc.id])[1][doc.id]
        out.append(Row(row, doc, expected_status(row["status"]), got))
    return out


@contextmanager
def real_corpus_store(db: str | None) -> Iterator[Store]:
    """``db`` if given (a store with corpus-real/texts ingested), else a temporary store into
    which they are ingested now; closed (and removed) when the block ends."""
    with tempfile.TemporaryDirectory() as tmp:
        if db:
            store = open_store(db, create=False)
        else:
            store = open_store(str(Path(tmp) / "eval.db"))
            print("Nạp corpus-real/texts vào kho tạm ...", flush=True)
            ingest(store, [REAL / "texts"], on_conflict="keep-both")
        try:
            yield store
        finally:
            store.close()
