"""The review queue at scale: opening and closing items for a corpus of 10,000 synthetic documents.

Rows are inserted straight into the store (documents with units, amend / replace / repeal
relations, Căn cứ citations: what ingest + resolve would leave), so the figures are those of the
queue alone, not of parsing. Steps timed:

1. ``sync`` on the 10,000 documents: the Điều 39 items, both hops (opening);
2. ``open_for_findings`` for 5,000 synthetic findings with units;
3. 1,000 more documents arrive that amend, replace or repeal documents with open items, and
   ``sync`` closes what they handle (closing, partly handled items included);
4. ``sync`` again with nothing new (the cost of the hook on an ingest that changed nothing);
5. one more document (Căn cứ two documents, acting on one with open items), synced as
   ``after_ingest`` syncs a small ingest (``sync(conn, [its id])``), then a whole sync that must
   find nothing left to do;
6. ``open_for_findings`` for 10 findings (``check --document``: few documents named).

Each step prints its wall time and the process's CPU time.

Prints figures; it is not a test. Run: ``.venv/bin/python bench/bench_review.py [--docs 10000]
[--db postgresql://...]`` (default: a temporary SQLite file).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Connection, func, select  # noqa: E402

from vbqppl.checks.finding import MEDIUM, Evidence, Finding  # noqa: E402
from vbqppl.review import open_for_findings, sync  # noqa: E402
from vbqppl.review.model import OPEN_STATUSES  # noqa: E402
from vbqppl.store import schema  # noqa: E402
from vbqppl.store.db import now, open_store  # noqa: E402

ARTICLES = 6
CLAUSES = 3


def _number(i: int) -> str:
    return f"{i}/20{10 + i % 15:02d}/QĐ-UBND"


def _units(doc_id: int) -> Iterator[dict]:
    seq = 0
    for a in range(1, ARTICLES + 1):
        art = f"art_{a}"
        yield _unit(doc_id, art, None, seq, "article", str(a))
        seq += 1
        for k in range(1, CLAUSES + 1):
            yield _unit(doc_id, f"{art}__para_{k}", art, seq, "clause", str(k))
            seq += 1


def _unit(doc_id: int, uid: str, parent: str | None, seq: int, kind: str, number: str) -> dict:
    return {
        "document_id": doc_id,
        "unit_id": uid,
        "seq": seq,
        "kind": kind,
        "number": number,
        "label": uid,
        "heading": None,
        "parent": parent,
        "span_start": 0,
        "span_end": 1,
    }


def _document(i: int, issued: str) -> dict:
    number = _number(i)
    return {
        "id": i,
        "number": number,
        "number_key": number.replace("Đ", "D"),
        "type": "Quyết định",
        "issuer": "Ủy ban nhân dân tỉnh Hòa Lâm",
        "issuer_key": "uy ban nhan dan tinh hoa lam",
        "place": "Hòa Lâm",
        "issued": issued,
        "effective": None,
        "effective_rule": None,
        "title": f"Văn bản thử {i}",
        "signer": None,
        "normative": True,
        "name_key": None,
        "source_path": None,
        "source_format": "txt",
        "source_sha256": None,
        "text": "",
        "diagnostics": [],
        "quotes": [],
        "ingested_at": now(),
    }


def _relation(doc_id: int, seq: int, typ: str, target: int, unit: str | None, whole: bool) -> dict:
    return {
        "document_id": doc_id,
        "seq": seq,
        "from_unit": None,
        "span_start": 0,
        "span_end": 1,
        "target_number": _number(target),
        "target_key": None,
        "target_name": None,
        "target_unit": unit,
        "resolved_document_id": target,
        "resolved_unit": unit,
        "resolution": "number",
        "unresolved": None,
        "type": typ,
        "effective": None,
        "extra": [["scope", "whole" if whole else "part"]] if typ != "amends" else [],
    }


def _basis(doc_id: int, seq: int, target: int) -> dict:
    return {
        "document_id": doc_id,
        "seq": seq,
        "from_unit": None,
        "span_start": 0,
        "span_end": 1,
        "target_number": _number(target),
        "target_key": None,
        "target_name": None,
        "target_unit": None,
        "resolved_document_id": target,
        "resolved_unit": None,
        "resolution": "number",
        "unresolved": None,
        "text": f"Quyết định số {_number(target)}",
        "role": "basis",
        "target_date": None,
        "target_self": False,
    }


def _insert(conn: Connection, table, rows: list[dict], size: int = 5000) -> None:  # type: ignore[no-untyped-def]
    for i in range(0, len(rows), size):
        conn.execute(table.insert(), rows[i : i + size])


def _acting(rng: random.Random, doc_id: int, targets: list[int], seq0: int = 0) -> list[dict]:
    """A document acting on one or two others: amends some clauses, or replaces / repeals."""
    rows = []
    for n, target in enumerate(targets):
        kind = rng.random()
        if kind < 0.6:
            for k, (a, c) in enumerate(
                {(rng.randint(1, ARTICLES), rng.randint(1, CLAUSES)) for _ in range(3)}
            ):
                rows.append(
                    _relation(
                        doc_id, seq0 + 10 * n + k, "amends", target, f"art_{a}__para_{c}", False
                    )
                )
        elif kind < 0.8:
            rows.append(_relation(doc_id, seq0 + 10 * n, "replaces", target, None, True))
        else:
            rows.append(
                _relation(
                    doc_id,
                    seq0 + 10 * n,
                    "repeals",
                    target,
                    f"art_{rng.randint(1, ARTICLES)}",
                    False,
                )
            )
    return rows


def build(conn: Connection, n_docs: int, rng: random.Random) -> None:
    docs, units, relations, bases = [], [], [], []
    for i in range(1, n_docs + 1):
        year = 2010 + (i * 15) // n_docs
        docs.append(_document(i, f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"))
        units.extend(_units(i))
        if i > 10:
            for s, t in enumerate(rng.sample(range(1, i), k=min(2, i - 1))):
                bases.append(_basis(i, s, t))
        if i > 100 and rng.random() < 0.2:  # a fifth of the documents act on earlier ones
            relations.extend(_acting(rng, i, rng.sample(range(1, i - 50), k=rng.choice((1, 2)))))
    _insert(conn, schema.documents, docs)
    _insert(conn, schema.units, units)
    _insert(conn, schema.citations, bases)
    _insert(conn, schema.relations, relations)


def findings(rng: random.Random, n_docs: int, count: int) -> list[Finding]:
    out = []
    for k in range(count):
        d = rng.randint(1, n_docs)
        units = tuple(
            f"{_number(d)}#art_{a}__para_{c}"
            for a, c in {(rng.randint(1, ARTICLES), rng.randint(1, CLAUSES)) for _ in range(2)}
        )
        out.append(
            Finding(
                rule="bench",
                severity=MEDIUM,
                documents=(_number(d),),
                units=units,
                evidence=(Evidence(_number(d), None, k, k + 1, "x"),),
                explanation="Phát hiện thử.",
                handling="sửa đổi, bổ sung",
            )
        )
    return out


def _spent(wall: float, cpu: float) -> str:
    return f"{time.perf_counter() - wall:.2f} s ({time.process_time() - cpu:.2f} CPU s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--findings", type=int, default=5_000)
    parser.add_argument("--handlers", type=int, default=1_000)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (default: temporary SQLite)")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="vbqppl-bench-review-") as tmp:
        store = open_store(args.db or str(Path(tmp) / "review.db"))
        try:
            t = time.perf_counter()
            with store.begin() as conn:
                build(conn, args.docs, rng)
                n_rel = conn.execute(select(func.count()).select_from(schema.relations)).scalar()
                n_cit = conn.execute(select(func.count()).select_from(schema.citations)).scalar()
            print(
                f"corpus: {args.docs} documents, {n_rel} relations, {n_cit} Căn cứ citations "
                f"(inserted in {time.perf_counter() - t:.1f} s)"
            )

            t, c = time.perf_counter(), time.process_time()
            with store.begin() as conn:
                first = sync(conn)
            print(
                f"open (sync, Điều 39 both hops): {first.total_opened} items "
                f"({dict(first.opened)}; {len(first.closed)} opened already handled) "
                f"in {_spent(t, c)}"
            )

            t, c = time.perf_counter(), time.process_time()
            with store.begin() as conn:
                found = open_for_findings(conn, findings(rng, args.docs, args.findings))
            print(
                f"open (findings): {found.total_opened} items, {found.merged} merged "
                f"in {_spent(t, c)}"
            )

            with store.read() as conn:
                t_ = schema.review_items
                open_docs = sorted(
                    {
                        r[0]
                        for r in conn.execute(
                            select(t_.c.document_id).where(t_.c.status.in_(OPEN_STATUSES))
                        )
                        if r[0] is not None
                    }
                )
            new = []
            rels = []
            for k in range(args.handlers):
                i = args.docs + 1 + k
                new.append(_document(i, "2026-06-01"))
                rels.extend(_acting(rng, i, rng.sample(open_docs, k=rng.choice((1, 2)))))
            t, c = time.perf_counter(), time.process_time()
            with store.begin() as conn:
                _insert(conn, schema.documents, new)
                _insert(conn, schema.relations, rels)
                closing = sync(conn)
            print(
                f"close (sync after {args.handlers} handling documents): {len(closing.closed)} "
                f"closed, {len(closing.partly)} partly handled, {closing.total_opened} opened "
                f"in {_spent(t, c)}"
            )

            t, c = time.perf_counter(), time.process_time()
            with store.begin() as conn:
                idle = sync(conn)
            print(
                f"sync with nothing new: {idle.total_opened} opened, {len(idle.closed)} closed "
                f"in {_spent(t, c)}"
            )

            one = args.docs + args.handlers + 1
            with store.begin() as conn:
                _insert(conn, schema.documents, [_document(one, "2026-07-01")])
                _insert(conn, schema.citations, [_basis(one, s, d) for s, d in enumerate((5, 50))])
                _insert(conn, schema.relations, _acting(rng, one, open_docs[-1:]))
            t, c = time.perf_counter(), time.process_time()
            with store.begin() as conn:
                single = sync(conn, [one])
            print(
                f"one new document, partial sync: {single.total_opened} opened, "
                f"{len(single.closed)} closed, {len(single.partly)} partly in {_spent(t, c)}"
            )
            with store.begin() as conn:
                left = sync(conn)
            print(f"  whole sync after it: {left.total_opened} opened, {len(left.closed)} closed")

            t, c = time.perf_counter(), time.process_time()
            with store.begin() as conn:
                few = open_for_findings(conn, findings(rng, args.docs, 10))
            print(
                f"open (10 findings): {few.total_opened} items, {few.merged} merged "
                f"in {_spent(t, c)}"
            )
        finally:
            store.close()
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
