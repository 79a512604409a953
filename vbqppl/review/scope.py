"""What a few new (or re-resolved) documents can change in the review queue, read from the
store: the records :func:`vbqppl.review.queue.sync` needs for them, and no others.

After an ingest, the whole-store sync can only open an item for a cause that involves a link
that is new or resolved differently, and only close an item on a document that such a link
handles, or an item it has just opened. Given the documents ``T`` those links belong to,
:func:`around` reads:

- the trigger relations of ``T`` (first hop: the documents ``X`` they act on) and the Căn cứ
  citations of ``T`` (the documents ``Y`` they rest on);
- every Căn cứ citation of the documents resting on ``X`` (second hop through ``T``'s action);
- every trigger relation of the documents acting on ``Y`` (second hop through ``T``'s bases).

Every link read comes with all the links of the same kind of its document, so each item
:func:`~vbqppl.review.rules.plan_openings` plans from these records is exactly the item it
plans from the whole store (its reason, ``via`` and trigger type included); items planned
before are already in the queue under the same key, and merging them changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from vbqppl.review.model import HANDLERS, TRIGGERS
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links
from vbqppl.store.db import chunks


@dataclass(frozen=True, slots=True)
class Scope:
    """The records the sync after an ingest reads."""

    docs: dict[int, DocRecord]  # every document the links below come from or point to
    relations: list[LinkRecord]  # trigger relations, all of each document's, in seq order
    bases: list[LinkRecord]  # resolved Căn cứ citations, all of each document's
    handled: set[int]  # documents the new links amend, replace or repeal (items may close)


def around(conn: Connection, documents: Collection[int]) -> Scope:
    """The records of ``documents`` and their first- and second-hop neighbours."""
    own = relations_where(conn, schema.relations.c.document_id, documents)
    own_bases = bases_where(conn, schema.citations.c.document_id, documents)
    acted_on = {r.resolved_document_id for r in own if r.resolved_document_id is not None}
    resting = {c.document_id for c in bases_where(conn, _basis_target, acted_on)}
    rested_on = {c.resolved_document_id for c in own_bases if c.resolved_document_id is not None}
    acting = {r.document_id for r in relations_where(conn, _relation_target, rested_on)}
    relations = _unique(own + relations_where(conn, schema.relations.c.document_id, acting))
    bases = _unique(own_bases + bases_where(conn, schema.citations.c.document_id, resting))
    docs = documents_of(conn, [*relations, *bases])
    handled = {
        r.resolved_document_id
        for r in own
        if r.type in HANDLERS and r.resolved_document_id is not None
    }
    return Scope(docs, relations, bases, handled)


_relation_target = schema.relations.c.resolved_document_id
_basis_target = schema.citations.c.resolved_document_id


def relations_where(conn: Connection, column: Any, values: Collection[Any]) -> list[LinkRecord]:
    """The trigger relations with ``column`` in ``values``, in (document, seq) order as
    :func:`~vbqppl.store.catalog.load_links` gives them (the first relation names the item's
    trigger type)."""
    t = schema.relations
    order: dict[int, tuple[int, int]] = {}
    for part in chunks(values):
        stmt = select(t.c.id, t.c.document_id, t.c.seq).where(
            column.in_(part), t.c.type.in_(TRIGGERS)
        )
        order.update((i, (doc, seq)) for i, doc, seq in conn.execute(stmt))
    if not order:
        return []
    return sorted(load_links(conn, "relation", ids=order), key=lambda r: order[r.id])


def bases_where(conn: Connection, column: Any, values: Collection[Any]) -> list[LinkRecord]:
    """The resolved Căn cứ citations with ``column`` in ``values``: what the second hop needs."""
    t = schema.citations
    out = []
    for part in chunks(values):
        stmt = select(t.c.id, t.c.document_id, t.c.resolved_document_id).where(
            column.in_(part), t.c.role == "basis", t.c.resolved_document_id.is_not(None)
        )
        out += [basis_record(r) for r in conn.execute(stmt)]
    return out


def basis_record(row: Any) -> LinkRecord:
    return LinkRecord(
        kind="citation",
        id=row.id,
        document_id=row.document_id,
        type="bases-on",
        resolved_document_id=row.resolved_document_id,
    )


def _unique(links: Iterable[LinkRecord]) -> list[LinkRecord]:
    return list({link.id: link for link in links}.values())


def documents_of(
    conn: Connection, links: Iterable[LinkRecord], have: Collection[int] = ()
) -> dict[int, DocRecord]:
    """The documents ``links`` come from or resolve to (except those in ``have``)."""
    wanted = {link.document_id for link in links} | {
        link.resolved_document_id for link in links if link.resolved_document_id is not None
    }
    docs: dict[int, DocRecord] = {}
    for part in chunks(wanted - set(have)):
        docs.update(load_documents(conn, part))
    return docs
