"""What the checks look at: the stored corpus at a date, as plain values.

:class:`CorpusView` holds the documents, their texts and units, the resolved citations and
relations, and the effects that end or change documents; the checks are functions of it and
never open the store. :func:`load_view` is the database edge.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from vbqppl.checks.finding import Evidence
from vbqppl.rules import load_rules
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links
from vbqppl.store.validity import (
    ACTING,
    Effect,
    Status,
    Validity,
    document_validity,
    effects_on,
    record_start,
    unit_validities,
)

ENDED = (Status.EXPIRED, Status.SUSPENDED)


@dataclass(frozen=True, slots=True)
class UnitRow:
    unit_id: str
    kind: str
    number: str
    label: str
    parent: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Rank:
    """Place in the legal-force order: lower ``rank`` is stronger; ``scope`` central or local."""

    rank: int
    scope: str
    code: str  # the code after the number's last "/" ("QĐ-UBND")


@dataclass
class CorpusView:
    at: str  # the date the checks look at (ISO)
    documents: Mapping[int, DocRecord]
    texts: Mapping[int, str]
    units: Mapping[int, Mapping[str, UnitRow]]  # in document order
    citations: Sequence[LinkRecord]
    relations: Sequence[LinkRecord]
    effects: Mapping[int, Sequence[Effect]]
    citation_spans: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # work checks share (similar pairs)
    _unit_cache: dict[tuple[int, str], dict[str, Validity]] = field(default_factory=dict)
    _pairs: set[tuple[int, int | None]] = field(default_factory=set)

    def name(self, doc_id: int) -> str:
        """The document's number, or ``#id``: how findings name it."""
        return self.documents[doc_id].number or f"#{doc_id}"

    def ref(self, doc_id: int, unit_id: str) -> str:
        return f"{self.name(doc_id)}#{unit_id}"

    def validity(self, doc_id: int, at: str | None = None) -> Validity:
        return document_validity(
            record_start(self.documents[doc_id]), self.effects.get(doc_id, ()), at or self.at
        )

    def unit_validity(self, doc_id: int, unit_id: str, at: str | None = None) -> Validity:
        when = at or self.at
        key = (doc_id, when)
        if key not in self._unit_cache:
            parents = {u: r.parent for u, r in self.units.get(doc_id, {}).items()}
            self._unit_cache[key] = unit_validities(
                parents, self.validity(doc_id, when), self.effects.get(doc_id, ()), when
            )
        got = self._unit_cache[key].get(unit_id)
        return got if got is not None else self.validity(doc_id, when)

    def in_force(self, doc_id: int, unit_id: str | None = None, at: str | None = None) -> bool:
        """In force (wholly or in part) at ``at``; a unit also not ended itself."""
        v = self.validity(doc_id, at)
        if v.status in (*ENDED, Status.NOT_YET) or not self.documents[doc_id].normative:
            return False
        if unit_id is None:
            return True
        return self.unit_validity(doc_id, unit_id, at).status not in ENDED

    def rank(self, doc_id: int) -> Rank | None:
        d = self.documents[doc_id]
        return document_rank(d.number, d.issuer)

    def unit_at(self, doc_id: int, pos: int) -> str | None:
        """The innermost unit of a document holding offset ``pos``."""
        best: UnitRow | None = None
        for u in self.units.get(doc_id, {}).values():
            if u.start <= pos < u.end and (
                best is None or u.end - u.start <= best.end - best.start
            ):
                best = u
        return best.unit_id if best else None

    def related(self, a: int, b: int) -> bool:
        """Whether one of the two documents acts on the other (amends, replaces, guides ...)."""
        return (a, b) in self._pairs or (b, a) in self._pairs

    def versions(self, a: int, b: int) -> bool:
        """Whether two documents are versions of one act (same type and name, "Luật Đầu tư"
        2014 and 2020): the later applies even when the corpus lacks the replacing relation."""
        ka, kb = self.documents[a].name_key, self.documents[b].name_key
        return ka is not None and ka == kb

    def __post_init__(self) -> None:
        self._pairs = {
            (r.document_id, r.resolved_document_id)
            for r in self.relations
            if r.resolved_document_id is not None
        }


@cache
def _rank_table() -> tuple[tuple[re.Pattern[str], int, str], ...]:
    return tuple(
        (re.compile(r["code"]), int(r["rank"]), str(r["scope"]))
        for r in load_rules("checks")["ranks"]
    )


def document_rank(number: str | None, issuer: str | None) -> Rank | None:
    """The rank of a document from its number's code and, for local ones, its issuer's level."""
    if not number or "/" not in number:
        return None
    code = number.rsplit("/", 1)[1]
    for rx, rank, scope in _rank_table():
        if rx.search(code):
            if scope == "local":
                rank += _local_offset(issuer or "")
            return Rank(rank, scope, code)
    return None


def issuer_level(issuer: str) -> str:
    """``province``, ``district`` or ``commune`` from an issuer's name."""
    rules = load_rules("checks")
    m = re.search(rules["local_level"]["pattern"], issuer)
    if m is None:
        return "province"
    return "district" if m.group("district") else "commune"


def _local_offset(issuer: str) -> int:
    return int(load_rules("checks")["level_offset"][issuer_level(issuer)])


# --- the store ------------------------------------------------------------------------------


def load_view(conn: Connection, at: str) -> CorpusView:
    """The whole stored corpus as the checks see it at ``at``."""
    docs = load_documents(conn)
    texts = {
        r.id: r.text for r in conn.execute(select(schema.documents.c.id, schema.documents.c.text))
    }
    t = schema.units
    units: dict[int, dict[str, UnitRow]] = {}
    stmt = select(
        t.c.document_id,
        t.c.unit_id,
        t.c.kind,
        t.c.number,
        t.c.label,
        t.c.parent,
        t.c.span_start,
        t.c.span_end,
    ).order_by(t.c.document_id, t.c.seq)
    for r in conn.execute(stmt):
        units.setdefault(r.document_id, {})[r.unit_id] = UnitRow(
            r.unit_id, r.kind, r.number, r.label, r.parent, r.span_start, r.span_end
        )
    citations = load_links(conn, "citation")
    relations = load_links(conn, "relation")
    effects = effects_on(docs, [r for r in relations if r.type in ACTING])
    c = schema.citations
    spans = {
        r.id: (r.span_start, r.span_end)
        for r in conn.execute(select(c.c.id, c.c.span_start, c.c.span_end))
    }
    return CorpusView(at, docs, texts, units, citations, relations, effects, spans)


def evidence(
    view: CorpusView, doc_id: int, start: int, end: int, unit: str | None = None
) -> Evidence:
    """The words ``start:end`` of a stored document, quoted exactly, with the unit holding them."""
    text = view.texts[doc_id]
    start, end = max(0, start), min(len(text), end)
    held = unit if unit is not None else view.unit_at(doc_id, start)
    return Evidence(view.name(doc_id), held, start, end, text[start:end])
