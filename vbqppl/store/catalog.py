"""Light records of the stored documents and links, for the stages that work on the whole
corpus (resolution, validity, the graph) without loading texts.

The record types are plain values; the ``load_*`` functions are the database edge.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select

from vbqppl.store import schema
from vbqppl.store.db import chunks

# the longest name (review_items.document and the columns naming a document hold 80 characters)
NAME_MAX = 80


@dataclass(frozen=True, slots=True)
class DocRecord:
    id: int
    number: str | None
    number_key: str | None
    type: str | None
    issuer: str | None
    issued: str | None
    effective: str | None
    effective_rule: str | None
    title: str | None
    name_key: str | None
    normative: bool = True
    source_path: str | None = None
    # how findings name it when its number is not enough (set when it was stored; None: the
    # number, or ``#id`` without one): see :attr:`name`
    alias: str | None = None

    @property
    def name(self) -> str:
        """How findings, review items and reports name the document, unique in its store and
        never changed by what is stored or deleted after it: its number; when another stored
        document had that number (local numbers repeat: every province has a
        01/2010/QĐ-UBND), the number and its issuer ("01/2010/QĐ-UBND (Ủy ban nhân dân tỉnh
        Huế)") or its id (:func:`alias_for`); ``#id`` without a number. A new version stored
        with ``--replace`` keeps the name of the one it replaces."""
        return self.alias or self.number or f"#{self.id}"

    @property
    def label(self) -> str:
        """ "Quyết định 12/2024/QĐ-UBND", as messages name a document."""
        return " ".join(
            x for x in (self.type or "Văn bản", self.number or f"(không số, #{self.id})") if x
        )


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A stored citation (``kind="citation"``) or relation (``kind="relation"``).

    ``type`` is the relation type, or for a citation ``"bases-on"`` (Căn cứ) or ``"cites"``.
    """

    kind: str
    id: int
    document_id: int
    type: str
    from_unit: str | None = None
    target_number: str | None = None
    target_key: str | None = None
    target_name: str | None = None
    target_date: str | None = None
    target_unit: str | None = None
    target_self: bool = False
    effective: str | None = None
    text: str | None = None
    resolved_document_id: int | None = None
    resolved_unit: str | None = None
    part: bool = False  # a relation on part of the document (an annex, "bãi bỏ một phần")
    resolution: str | None = None
    unresolved: str | None = None

    @property
    def target_label(self) -> str:
        return (
            self.target_number
            or self.target_name
            or ("(chính văn bản này)" if self.target_self else "(không nêu văn bản)")
        )


_DOC_COLUMNS = (  # DocRecord's fields, in order
    "id",
    "number",
    "number_key",
    "type",
    "issuer",
    "issued",
    "effective",
    "effective_rule",
    "title",
    "name_key",
    "normative",
    "source_path",
    "alias",
)


def load_documents(conn: Connection, ids: Collection[int] | None = None) -> dict[int, DocRecord]:
    t = schema.documents
    stmt = select(*(t.c[c] for c in _DOC_COLUMNS)).order_by(t.c.id)
    if ids is not None:
        stmt = stmt.where(t.c.id.in_(list(ids)))
    # the columns are selected in DocRecord's field order: a row is its positional arguments
    return {r[0]: DocRecord(*r) for r in conn.execute(stmt)}


def alias_for(number: str, issuer: str | None, doc_id: int, taken: Collection[str]) -> str:
    """The name of a document whose number another stored document has (their names are
    ``taken``): the number and the issuer, else (that name taken, or longer than
    ``NAME_MAX``) the number and the id, else (a very long number) ``#id``."""
    if issuer:
        named = f"{number} ({issuer})"
        if len(named) <= NAME_MAX and named not in taken:
            return named
    named = f"{number} (#{doc_id})"
    return named if len(named) <= NAME_MAX else f"#{doc_id}"


def load_units(
    conn: Connection, ids: Collection[int] | None = None
) -> dict[int, dict[str, str | None]]:
    """Each document's units as ``{unit_id: parent}``, in document order."""
    t = schema.units
    stmt = select(t.c.document_id, t.c.unit_id, t.c.parent).order_by(t.c.document_id, t.c.seq)
    if ids is not None:
        stmt = stmt.where(t.c.document_id.in_(list(ids)))
    out: dict[int, dict[str, str | None]] = {}
    for doc_id, unit_id, parent in conn.execute(stmt):
        out.setdefault(doc_id, {})[unit_id] = parent
    return out


def load_links(
    conn: Connection,
    kind: str,
    *,
    touching: Collection[int] | None = None,
    types: Collection[str] | None = None,
    ids: Collection[int] | None = None,
) -> list[LinkRecord]:
    """Citations (``kind="citation"``) or relations (``"relation"``), optionally only those
    from or to the documents ``touching``, of some relation ``types``, or with these ``ids``."""
    t = schema.citations if kind == "citation" else schema.relations
    if ids is not None:
        return [
            link
            for part in chunks(ids)
            for link in _links(conn, kind, select(t).where(t.c.id.in_(part)))
        ]
    stmt = select(t).order_by(t.c.document_id, t.c.seq)
    if touching is not None:
        ids = list(touching)
        stmt = stmt.where(or_(t.c.document_id.in_(ids), t.c.resolved_document_id.in_(ids)))
    if types is not None and kind == "relation":
        stmt = stmt.where(t.c.type.in_(list(types)))
    return _links(conn, kind, stmt)


def _links(conn: Connection, kind: str, stmt: Any) -> list[LinkRecord]:
    out = []
    for r in conn.execute(stmt).mappings():
        if kind == "citation":
            typ = "bases-on" if r["role"] == "basis" else "cites"
            extra = {
                "target_date": r["target_date"],
                "target_self": bool(r["target_self"]),
                "text": r["text"],
            }
        else:
            typ = r["type"]
            scope = dict((k, v) for k, v in r["extra"] or ()).get("scope")  # stored as [key, value]
            extra = {"effective": r["effective"], "part": scope == "part"}
        out.append(
            LinkRecord(
                kind=kind,
                id=r["id"],
                document_id=r["document_id"],
                type=typ,
                from_unit=r["from_unit"],
                target_number=r["target_number"],
                target_key=r["target_key"],
                target_name=r["target_name"],
                target_unit=r["target_unit"],
                resolved_document_id=r["resolved_document_id"],
                resolved_unit=r["resolved_unit"],
                resolution=r["resolution"],
                unresolved=r["unresolved"],
                **extra,
            )
        )
    return out
