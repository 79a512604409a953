"""What the checks look at: the stored corpus at a date, as plain values.

:class:`CorpusView` holds the documents, their texts and units, the resolved citations and
relations, and the effects that end or change documents; the checks are functions of it and
never open the store. :func:`load_view` is the database edge.

The texts are those in force at the view's date: a document that stored documents amend is
read as consolidated at that date (:mod:`vbqppl.inforce`), its units and the spans of its
citations in that text; citations inside words an amendment replaced are gone with them.
:func:`evidence` turns words of that text back into words of a stored text (the base document's
where unchanged, else the amending document's quoted new text), with a note saying which
document changed them and the consolidation date.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from vbqppl.checks.finding import Evidence
from vbqppl.inforce import InForce, consolidate_stored, edited
from vbqppl.rules import load_rules
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links
from vbqppl.store.db import chunks, driver_sql, select_in
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
    # documents read as consolidated at ``at`` (texts and units above are the consolidated ones)
    in_force_texts: Mapping[int, InForce] = field(default_factory=dict)
    stored_units: Mapping[int, Mapping[str, UnitRow]] = field(default_factory=dict)
    # (document, unit) of amending instructions applied in a consolidation: their words are
    # judged as the amended document's, not as provisions of their own
    absorbed: frozenset[tuple[int, str]] = frozenset()
    memo: dict[str, Any] = field(default_factory=dict)  # work checks share (similar pairs)
    _unit_cache: dict[tuple[int, str], dict[str, Validity]] = field(default_factory=dict)
    _validity_cache: dict[tuple[int, str], Validity] = field(default_factory=dict)
    _pairs: set[tuple[int, int | None]] = field(default_factory=set)

    def name(self, doc_id: int) -> str:
        """How findings name the document (:attr:`DocRecord.name`: unique in its store)."""
        return self.documents[doc_id].name

    def ref(self, doc_id: int, unit_id: str) -> str:
        return f"{self.name(doc_id)}#{unit_id}"

    def validity(self, doc_id: int, at: str | None = None) -> Validity:
        key = (doc_id, at or self.at)
        got = self._validity_cache.get(key)
        if got is None:
            got = self._validity_cache[key] = document_validity(
                record_start(self.documents[doc_id]), self.effects.get(doc_id, ()), key[1]
            )
        return got

    def unit_validity(self, doc_id: int, unit_id: str, at: str | None = None) -> Validity:
        when = at or self.at
        key = (doc_id, when)
        if key not in self._unit_cache:
            now = {u: r.parent for u, r in self.units.get(doc_id, {}).items()}
            old = {u: r.parent for u, r in self.stored_units.get(doc_id, {}).items()}
            inf = self.in_force_texts.get(doc_id)
            self._unit_cache[key] = unit_validities(
                {**old, **now},
                self.validity(doc_id, when),
                self.effects.get(doc_id, ()),
                when,
                current=set(now) if inf is not None else None,
                rewritten=inf.rewritten() if inf is not None else None,
            )
        got = self._unit_cache[key].get(unit_id)
        return got if got is not None else self.validity(doc_id, when)

    def in_force(self, doc_id: int, unit_id: str | None = None, at: str | None = None) -> bool:
        """In force (wholly or in part) at ``at``; a unit also not ended itself, and not an
        amending instruction whose words the view reads as the amended document's."""
        v = self.validity(doc_id, at)
        if v.status in (*ENDED, Status.NOT_YET) or not self.documents[doc_id].normative:
            return False
        if unit_id is None:
            return True
        if self.absorbed and _within(unit_id, doc_id, self.absorbed):
            return False
        return self.unit_validity(doc_id, unit_id, at).status not in ENDED

    def rank(self, doc_id: int) -> Rank | None:
        d = self.documents[doc_id]
        return document_rank(d.number, d.issuer)

    def stored_text(self, doc_id: int) -> str:
        """The document's text as stored (as issued), whatever the view's date."""
        inf = self.in_force_texts.get(doc_id)
        return inf.stored_text if inf is not None else self.texts[doc_id]

    def unit_at(self, doc_id: int, pos: int, stored: bool = False) -> str | None:
        """The innermost unit of a document holding offset ``pos`` (of its stored text when
        ``stored``, else of its text in force)."""
        best: UnitRow | None = None
        rows = self.stored_units.get(doc_id) if stored else None
        for u in (rows if rows is not None else self.units.get(doc_id, {})).values():
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


def _within(unit_id: str, doc_id: int, units: frozenset[tuple[int, str]]) -> bool:
    """Whether ``unit_id`` of ``doc_id`` is one of ``units`` or inside one."""
    parts = unit_id.split("__")
    return any((doc_id, "__".join(parts[:i])) in units for i in range(len(parts), 0, -1))


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


def load_view(
    conn: Connection, at: str, in_force: bool = True, documents: Collection[int] | None = None
) -> CorpusView:
    """The whole stored corpus as the checks see it at ``at``: every document in its wording in
    force then (``in_force``; else as stored). With ``documents``, only those documents and the
    citations and relations between them or unresolved (the caller includes the documents acting
    on them, whose relations give their validity: :mod:`vbqppl.checks.focus`)."""
    if documents is not None:
        return _focused(conn, at, in_force, documents)
    docs = load_documents(conn)
    texts = {
        r.id: r.text for r in conn.execute(select(schema.documents.c.id, schema.documents.c.text))
    }
    units = _units(conn, None)
    citations = load_links(conn, "citation")
    relations = load_links(conn, "relation")
    c = schema.citations
    spans = {
        r.id: (r.span_start, r.span_end)
        for r in conn.execute(select(c.c.id, c.c.span_start, c.c.span_end))
    }
    return _assemble(conn, at, in_force, docs, texts, units, citations, relations, spans)


_UNITS = "SELECT document_id, unit_id, kind, number, label, parent, span_start, span_end FROM units"


def _units(conn: Connection, ids: Sequence[int] | None) -> dict[int, dict[str, UnitRow]]:
    """The units of the documents ``ids`` (of every document: None) in each one's order, read
    by the driver and by position (a row's attributes cost more); many documents by several
    readers (:func:`vbqppl.store.db.select_in`)."""
    if ids is None:
        rows: Iterable[Sequence[Any]] = driver_sql(conn, f"{_UNITS} ORDER BY document_id, seq")
    else:
        sql = f"{_UNITS} WHERE document_id IN ({{marks}}) ORDER BY document_id, seq"
        rows = select_in(conn, sql, ids)
    units: dict[int, dict[str, UnitRow]] = {}
    for doc_id, *row in rows:
        units.setdefault(doc_id, {})[row[0]] = UnitRow(*row)
    return units


def _focused(conn: Connection, at: str, in_force: bool, documents: Collection[int]) -> CorpusView:
    """:func:`load_view` of some documents, read with ``IN (...)`` lists in chunks."""
    docs: dict[int, DocRecord] = {}
    texts: dict[int, str] = {}
    units: dict[int, dict[str, UnitRow]] = {}
    for part in chunks(documents):
        docs.update(load_documents(conn, part))
    texts.update(select_in(conn, "SELECT id, text FROM documents WHERE id IN ({marks})", documents))
    units.update(_units(conn, sorted(documents)))
    links: dict[str, list[LinkRecord]] = {}
    ends = {*docs, None}
    for kind in ("citation", "relation"):
        seen = {
            x.id: x for part in chunks(documents) for x in load_links(conn, kind, touching=part)
        }
        links[kind] = sorted(  # both ends in the view: the checks look both up
            (x for x in seen.values() if x.document_id in docs and x.resolved_document_id in ends),
            key=lambda x: (x.document_id, x.id),
        )
    c = schema.citations
    spans: dict[int, tuple[int, int]] = {}
    for part in chunks(x.id for x in links["citation"]):
        stmt = select(c.c.id, c.c.span_start, c.c.span_end).where(c.c.id.in_(part))
        spans.update((r.id, (r.span_start, r.span_end)) for r in conn.execute(stmt))
    # in id order, as the whole view iterates them
    docs = dict(sorted(docs.items()))
    return _assemble(
        conn, at, in_force, docs, texts, units, links["citation"], links["relation"], spans
    )


def _assemble(
    conn: Connection,
    at: str,
    in_force: bool,
    docs: Mapping[int, DocRecord],
    texts: dict[int, str],
    units: dict[int, dict[str, UnitRow]],
    citations: Sequence[LinkRecord],
    relations: Sequence[LinkRecord],
    spans: dict[int, tuple[int, int]],
) -> CorpusView:
    effects = effects_on(docs, [r for r in relations if r.type in ACTING])
    consolidated: dict[int, InForce] = {}
    stored_units: dict[int, Mapping[str, UnitRow]] = {}
    if in_force:
        for doc_id, by in edited(effects, at).items():
            inf = consolidate_stored(conn, doc_id, by, at)
            if inf is None:
                continue
            consolidated[doc_id] = inf
            stored_units[doc_id] = units.get(doc_id, {})
            texts[doc_id] = inf.text
            units[doc_id] = {
                u.id: UnitRow(u.id, u.kind, u.number, u.label, u.parent, u.span.start, u.span.end)
                for u in inf.result.document.units
            }
        citations = _citations_in_force(citations, spans, consolidated)
    absorbed = frozenset(x for inf in consolidated.values() for x in inf.applied_units())
    return CorpusView(
        at,
        docs,
        texts,
        units,
        citations,
        relations,
        effects,
        spans,
        consolidated,
        stored_units,
        absorbed,
    )


def _citations_in_force(
    citations: Sequence[LinkRecord],
    spans: dict[int, tuple[int, int]],
    consolidated: Mapping[int, InForce],
) -> list[LinkRecord]:
    """The citations of consolidated documents moved to their place in the text in force; those
    in words an amendment replaced or repealed are left out with them; those in the new text an
    amending document wrote into a consolidated one are also read there, as the consolidated
    document's (a copy with id ``-id``). ``spans`` is updated."""
    stored = dict(spans)  # offsets in the stored texts
    out = []
    for c in citations:
        inf = consolidated.get(c.document_id)
        if inf is not None:
            moved = inf.to_current(*spans.get(c.id, (0, 0)))
            if moved is None:
                continue
            spans[c.id] = moved
        out.append(c)
    of: dict[int, list[LinkRecord]] = {}
    for c in citations:
        of.setdefault(c.document_id, []).append(c)
    for base, inf in consolidated.items():
        units = inf.result.document.units
        written = [c for i in inf.amending.values() if i != base for c in of.get(i, ())]
        for c in written:
            span = stored.get(c.id)
            moved = inf.from_amending(c.document_id, *span) if span else None
            if moved is None:
                continue
            holder = min(
                (u for u in units if u.span.start <= moved[0] < u.span.end),
                key=lambda u: u.span.end - u.span.start,
                default=None,
            )
            spans[-c.id] = moved
            out.append(
                replace(c, id=-c.id, document_id=base, from_unit=holder.id if holder else None)
            )
    return out


def evidence(
    view: CorpusView, doc_id: int, start: int, end: int, unit: str | None = None
) -> Evidence:
    """The words ``start:end`` of a document's text in the view, quoted exactly from a stored
    text, with the unit holding them. For a document read in its consolidated wording, the words
    are quoted where they are written: its stored text when unchanged, else the amending
    document that wrote them (its number, unit and span), with a note naming the amendment."""
    text = view.texts[doc_id]
    start, end = max(0, start), min(len(text), end)
    held = unit if unit is not None else view.unit_at(doc_id, start)
    inf = view.in_force_texts.get(doc_id)
    if inf is None:
        return Evidence(view.name(doc_id), held, start, end, text[start:end])
    place = inf.locate(start, end, held)
    source = view.stored_text(place.doc_id)
    if place.doc_id != doc_id:
        held = view.unit_at(place.doc_id, place.start, stored=True)
    elif place.note is not None and held is not None and held not in inf.stored_units:
        held = view.unit_at(doc_id, place.start, stored=True)
    return Evidence(
        view.name(place.doc_id),
        held,
        place.start,
        place.end,
        source[place.start : place.end],
        place.note,
    )
