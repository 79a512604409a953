"""A :class:`~vbqppl.model.Document` to rows and back; saving, loading, deleting one document.

``document_rows`` and ``document_from_rows`` are pure (values in, values out); the functions
that take a connection run inside the caller's transaction, so a document is written whole or
not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, delete, select, update

from vbqppl.ids import DocNumber
from vbqppl.model import (
    Citation,
    Diagnostic,
    Document,
    Metadata,
    Relation,
    Source,
    Span,
    Target,
    Unit,
)
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, alias_for, load_documents
from vbqppl.store.db import IN_CHUNK, chunks, driver_sql, insert_row, insert_rows, now
from vbqppl.store.fold import document_name_key, name_key
from vbqppl.store.search import Passage, index_document, passages, unindex_documents


@lru_cache(maxsize=1 << 16)  # the same few numbers are cited again and again
def number_key(number: str | None) -> str | None:
    """The matching key of a document number: ``DocNumber.key``, or the folded text when the
    number does not parse (an old or odd form is still matched exactly)."""
    if not number:
        return None
    parsed = DocNumber.try_parse(number)
    if parsed is not None:
        return parsed.key
    return name_key(number)


@dataclass(frozen=True, slots=True)
class DocumentRows:
    """Everything a document is stored as, before it has an id."""

    document: dict[str, Any]
    units: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    relations: list[dict[str, Any]]


def _target_columns(target: Target) -> dict[str, Any]:
    return {
        "target_number": target.number,
        "target_key": number_key(target.number),
        "target_name": target.name,
        "target_unit": target.unit,
    }


def document_rows(doc: Document) -> DocumentRows:
    m = doc.metadata
    document = {
        "number": m.number,
        "number_key": number_key(m.number),
        "type": m.type,
        "issuer": m.issuer,
        "issuer_key": name_key(m.issuer),
        "place": m.place,
        "issued": m.issued,
        "effective": m.effective,
        "effective_rule": m.effective_rule,
        "title": m.title,
        "signer": m.signer,
        "normative": m.normative,
        "name_key": document_name_key(m.type, m.title),
        "source_path": doc.source.path,
        "source_format": doc.source.format,
        "source_sha256": doc.source.sha256,
        # PostgreSQL text cannot hold NUL; U+FFFD keeps every offset where it was.
        "text": doc.text.replace("\x00", "\ufffd"),
        "diagnostics": [d.to_json() for d in doc.diagnostics],
        "quotes": [q.to_json() for q in doc.quotes],
    }
    units = [
        {
            "seq": i,
            "unit_id": u.id,
            "kind": u.kind,
            "number": u.number,
            "label": u.label,
            "heading": u.heading,
            "parent": u.parent,
            "span_start": u.span.start,
            "span_end": u.span.end,
        }
        for i, u in enumerate(doc.units)
    ]
    citations = [
        {
            "seq": i,
            "from_unit": c.from_unit,
            "span_start": c.span.start,
            "span_end": c.span.end,
            "text": c.text,
            "role": c.role,
            "target_date": c.target.date,
            "target_self": c.target.self_ref,
            **_target_columns(c.target),
        }
        for i, c in enumerate(doc.citations)
    ]
    relations = [
        {
            "seq": i,
            "type": r.type,
            "from_unit": r.from_unit,
            "span_start": r.span.start,
            "span_end": r.span.end,
            "effective": r.effective,
            "extra": [[k, v] for k, v in r.extra],
            **_target_columns(r.target),
        }
        for i, r in enumerate(doc.relations)
    ]
    return DocumentRows(document, units, citations, relations)


def document_from_rows(
    document: Any,
    units: Iterable[Any],
    citations: Iterable[Any],
    relations: Iterable[Any],
) -> Document:
    """Rows (mappings, in ``seq`` order) back into the document that was saved."""
    d = document
    return Document(
        text=d["text"],
        source=Source(path=d["source_path"], format=d["source_format"], sha256=d["source_sha256"]),
        metadata=Metadata(
            number=d["number"],
            type=d["type"],
            issuer=d["issuer"],
            place=d["place"],
            issued=d["issued"],
            effective=d["effective"],
            effective_rule=d["effective_rule"],
            title=d["title"],
            signer=d["signer"],
            normative=bool(d["normative"]),
        ),
        units=tuple(
            Unit(
                id=u["unit_id"],
                kind=u["kind"],
                number=u["number"],
                label=u["label"],
                heading=u["heading"],
                parent=u["parent"],
                span=Span(u["span_start"], u["span_end"]),
            )
            for u in units
        ),
        citations=tuple(
            Citation(
                from_unit=c["from_unit"],
                span=Span(c["span_start"], c["span_end"]),
                text=c["text"],
                role=c["role"],
                target=Target(
                    number=c["target_number"],
                    name=c["target_name"],
                    date=c["target_date"],
                    unit=c["target_unit"],
                    self_ref=bool(c["target_self"]),
                ),
            )
            for c in citations
        ),
        relations=tuple(
            Relation(
                type=r["type"],
                from_unit=r["from_unit"],
                span=Span(r["span_start"], r["span_end"]),
                target=Target(
                    number=r["target_number"], name=r["target_name"], unit=r["target_unit"]
                ),
                effective=r["effective"],
                extra=tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in r["extra"]),
            )
            for r in relations
        ),
        diagnostics=tuple(Diagnostic.from_json(x) for x in d["diagnostics"]),
        quotes=tuple(Span.from_json(q) for q in d["quotes"]),
    )


# --- the database edge --------------------------------------------------------------------


def save_source(
    conn: Connection,
    *,
    sha256: str,
    size: int | None,
    fmt: str,
    content: bytes | None,
    path: str | None,
) -> None:
    """Record a source file (its bytes too unless ``content`` is None); once per hash: a
    source stored earlier without its bytes gets them, one stored with them is left as it is."""
    sql = (
        "INSERT INTO sources (sha256, size, format, content, first_path, stored_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET content = excluded.content"
        " WHERE sources.content IS NULL AND excluded.content IS NOT NULL"
    )
    driver_sql(conn, sql, (sha256, size, fmt, content, path, now()))


def save_document(conn: Connection, doc: Document, cut: Sequence[Passage] | None = None) -> int:
    """Insert a document with its units, citations, relations and search passages; its id.

    A source row is made for ``doc.source.sha256`` when there is none (without bytes: the
    caller stores the bytes with :func:`save_source` first when it has them).
    """
    return save_rows(conn, document_rows(doc), passages(doc) if cut is None else cut)


def save_rows(
    conn: Connection,
    rows: DocumentRows,
    cut: Sequence[Passage],
    *,
    replaces: tuple[str | None] | None = None,
    source_saved: bool = False,
) -> int:
    """:func:`save_document` for a document already turned into rows (ingest's workers do
    that: rows cross the process boundary several times faster than the model's objects).
    ``replaces``: the alias of the version of its number it replaces, kept as its own.
    ``source_saved``: the caller has stored the source row (ingest, with the file's bytes)."""
    d = rows.document
    if d["source_sha256"] is not None and not source_saved:
        save_source(
            conn,
            sha256=d["source_sha256"],
            size=None,
            fmt=d["source_format"],
            content=None,
            path=d["source_path"],
        )
    if replaces is not None:
        d = {**d, "alias": replaces[0]}
    doc_id = insert_row(conn, schema.documents, {**d, "ingested_at": now()})
    if replaces is None and d["number_key"] is not None:
        _name(conn, doc_id, d["number"], d["number_key"], d["issuer"])
    for table, items in (
        (schema.units, rows.units),
        (schema.citations, rows.citations),
        (schema.relations, rows.relations),
    ):
        insert_rows(conn, table, [{**item, "document_id": doc_id} for item in items])
    index_document(conn, doc_id, d["text"], cut)
    return doc_id


def _name(conn: Connection, doc_id: int, number: str, key: str, issuer: str | None) -> None:
    """Give a new document its alias (:attr:`DocRecord.name`) when another stored document has
    its number."""
    if conn.dialect.name == "postgresql":  # two ingests at once: one names after the other
        driver_sql(conn, "SELECT pg_advisory_xact_lock(hashtext(?))", (f"vbqppl-name:{key}",))
    sql = "SELECT alias, number FROM documents WHERE number_key = ? AND id <> ?"
    taken = {alias or other for alias, other in driver_sql(conn, sql, (key, doc_id))}
    if taken:
        alias = alias_for(number, issuer, doc_id, taken)
        driver_sql(conn, "UPDATE documents SET alias = ? WHERE id = ?", (alias, doc_id))


def load_document(conn: Connection, doc_id: int) -> Document | None:
    d = (
        conn.execute(select(schema.documents).where(schema.documents.c.id == doc_id))
        .mappings()
        .first()
    )
    if d is None:
        return None

    def rows(table: Any) -> Sequence[Any]:
        return (
            conn.execute(select(table).where(table.c.document_id == doc_id).order_by(table.c.seq))
            .mappings()
            .all()
        )

    return document_from_rows(d, rows(schema.units), rows(schema.citations), rows(schema.relations))


def delete_documents(conn: Connection, doc_ids: Sequence[int]) -> None:
    """Delete documents and everything that hangs on them; links that pointed at them become
    unresolved (the resolver runs again afterwards)."""
    if not doc_ids:
        return
    unindex_documents(conn, doc_ids)
    for table in (schema.citations, schema.relations):
        conn.execute(
            update(table)
            .where(table.c.resolved_document_id.in_(doc_ids))
            .values(
                resolved_document_id=None,
                resolved_unit=None,
                resolution=None,
                unresolved="document",
            )
        )
    for table in (schema.passages, schema.citations, schema.relations, schema.units):
        conn.execute(delete(table).where(table.c.document_id.in_(doc_ids)))
    conn.execute(
        update(schema.files).where(schema.files.c.document_id.in_(doc_ids)).values(document_id=None)
    )
    conn.execute(delete(schema.documents).where(schema.documents.c.id.in_(doc_ids)))


def split_name(name: str) -> tuple[str, str | None]:
    """A document's name (:attr:`~vbqppl.store.catalog.DocRecord.name`) as its number and the
    issuer or ``#id`` it is qualified with (None for a bare number or ``#id``)."""
    number, sep, rest = name.partition(" (")
    if sep and rest.endswith(")") and number:
        return number, rest[:-1]
    return name, None


def find_documents(conn: Connection, name: str) -> list[int]:
    """Ids of the stored documents a user means by ``name``: with a bare number, every one of
    that number (same key: spacing, Đ/D, zeros); with ``#id`` or a name qualified as findings
    name a later document of a shared number, that one."""
    if name.startswith("#"):
        return [int(name[1:])] if name[1:].isdigit() else []
    number, which = split_name(name)
    key = number_key(number)
    t = schema.documents
    ids = list(conn.execute(select(t.c.id).where(t.c.number_key == key).order_by(t.c.id)).scalars())
    if which is None:
        return ids
    return [d.id for d in load_documents(conn, ids).values() if d.name == name]


def names_document(name: str, query: str) -> bool:
    """Whether a stored name (of a finding's document, an item's) is what a user asked for:
    the name itself, or a bare number (``#id``) the name has (is)."""
    if name == query:
        return True
    number, which = split_name(name)
    if query.startswith("#"):
        return which == query
    asked, qualified = split_name(query)
    return qualified is None and number_key(number) == number_key(asked)


def named_documents(conn: Connection, names: Iterable[str]) -> dict[str, DocRecord]:
    """The stored document each name (of a finding, a review item) means: a bare number means
    the first stored document with it, as :attr:`~vbqppl.store.catalog.DocRecord.name` gives
    it; names of no stored document are left out."""
    wanted = set(names)
    keys, ids = set(), set()
    for name in wanted:
        number, which = split_name(name)
        if name.startswith("#") or (which or "").startswith("#"):
            digits = (which or name)[1:]
            if digits.isdigit():
                ids.add(int(digits))
        elif key := number_key(number):
            keys.add(key)
    t = schema.documents
    if len(keys) + len(ids) > IN_CHUNK:  # many: one read of every document beats IN lists
        found = list(load_documents(conn).values())
    else:
        for part in chunks(sorted(keys)):
            ids.update(conn.execute(select(t.c.id).where(t.c.number_key.in_(part))).scalars())
        found = [d for part in chunks(sorted(ids)) for d in load_documents(conn, part).values()]
    by_name: dict[str, DocRecord] = {}
    first: dict[str, DocRecord] = {}  # number key -> lowest id (the first may have gone)
    for d in found:
        by_name[d.name] = d
        if d.number_key and (d.number_key not in first or d.id < first[d.number_key].id):
            first[d.number_key] = d
    out = {}
    for name in wanted:
        number, which = split_name(name)
        got = by_name.get(name)
        if got is None and which is None and not name.startswith("#"):
            got = first.get(number_key(number) or "")
        if got is not None:
            out[name] = got
    return out


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
