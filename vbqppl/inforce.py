"""The text in force of stored documents at a date, and where each of its words is written.

A review judges the law as it stands: the checks and the validity answers read, for a stored
document that other stored documents amend, its consolidation at the date asked
(:func:`vbqppl.consolidate.consolidate` applied to the stored base and amending documents)
instead of the text first issued. A finding must still quote words that are written somewhere in
the store, exactly: :class:`InForce` maps every piece of the consolidated text back to where it is
written, the base document's stored text where the words are unchanged, else the amending
document whose quoted new text holds them (:meth:`InForce.locate`).

Only documents with a stored relation that edits part of them (amends a unit, repeals or replaces
a unit or an annex) in effect at the date need consolidating (:func:`edited`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection

from vbqppl.consolidate import Change, Consolidated, consolidate
from vbqppl.describe import describe_unit
from vbqppl.model import Document
from vbqppl.provisions import modern_lower
from vbqppl.store.documents import load_document, number_key
from vbqppl.store.validity import Effect, vn_date
from vbqppl.vbhn import footnote

EDITING = ("amends", "repeals", "replaces")
_NOTES = 3  # changes a note names before "và N đơn vị khác"
_WHOLE = ("amended", "inserted")  # changes that write a unit's whole text


def edits(e: Effect) -> bool:
    """Whether an effect edits part of the text (not a whole-document repeal or replacement)."""
    return e.type in EDITING and (e.type == "amends" or e.unit is not None or e.part)


def edited(effects: Mapping[int, Iterable[Effect]], at: str) -> dict[int, list[int]]:
    """Documents with an edit in effect at ``at`` -> every document editing them."""
    out: dict[int, list[int]] = {}
    for doc_id, on in effects.items():
        mine = [e for e in on if edits(e) and e.by_document != doc_id]
        if any(e.date is None or e.date <= at for e in mine):
            out[doc_id] = sorted({e.by_document for e in mine})
    return out


@dataclass(frozen=True, slots=True)
class Place:
    """Words of the store: ``quote == text[start:end]`` of document ``doc_id``."""

    doc_id: int
    start: int
    end: int
    note: str | None = None  # what changed the words, when they are not the base's own


@dataclass
class InForce:
    """A stored document consolidated at ``at``, with the map back to the stored texts."""

    doc_id: int
    at: str
    result: Consolidated
    stored_text: str
    stored_units: Mapping[str, tuple[str | None, int, int]]  # id -> parent, stored span
    amending: Mapping[str, int]  # amending document number -> its id in the store
    amending_texts: Mapping[int, str]
    _segments: list[tuple[int, int, int]] = field(default_factory=list)  # (now, stored, length)
    _by_stored: list[tuple[int, int, int]] = field(default_factory=list)
    _quoted: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._segments = sorted(
            _segments(self.result.document, self.stored_text, self.stored_units)
        )
        self._by_stored = sorted((s, c, n) for c, s, n in self._segments)

    @property
    def text(self) -> str:
        return self.result.document.text

    def to_stored(self, start: int, end: int) -> tuple[int, int] | None:
        """The stored span of the consolidated words ``start:end``, when unchanged."""
        return _map(self._segments, start, end)

    def to_current(self, start: int, end: int) -> tuple[int, int] | None:
        """The consolidated span of the stored words ``start:end``, when still in force."""
        return _map(self._by_stored, start, end)

    def changes(self, start: int, end: int) -> list[tuple[str, tuple[Change, ...]]]:
        """The changed units overlapping ``start:end`` or holding it, outermost first."""
        changed = dict(self.result.provenance)
        out = []
        for u in self.result.document.units:
            if u.id in changed and u.span.start < max(end, start + 1) and start < u.span.end:
                out.append((u.id, changed[u.id]))
        return out

    def rewritten(self) -> dict[str, bool]:
        """Units the consolidation changed -> whether their whole text is new (replaced or
        inserted: then every unit under them is new too)."""
        out: dict[str, bool] = {}
        whole: list[str] = []
        for uid, changes in self.result.provenance:
            out[uid] = any(c.action in _WHOLE for c in changes)
            if out[uid]:
                whole.append(uid)
        for u in self.result.document.units:
            if any(u.id.startswith(w + "__") for w in whole):
                out[u.id] = True
        return out

    def applied_units(self) -> set[tuple[int, str]]:
        """(amending document id, its unit) of every instruction applied in this consolidation:
        their words are now the base's, judged there."""
        out: set[tuple[int, str]] = set()
        for _, changes in self.result.provenance:
            for ch in changes:
                src = self.amending.get(ch.document)
                if src is not None and ch.source_unit:
                    out.add((src, ch.source_unit))
        return out

    def from_amending(self, doc_id: int, start: int, end: int) -> tuple[int, int] | None:
        """The consolidated span of the words ``start:end`` of amending document ``doc_id``,
        when they are the new text of a unit it replaced or inserted."""
        if doc_id not in self._quoted:
            self._quoted[doc_id] = self._quoted_segments(doc_id)
        return _map(self._quoted[doc_id], start, end)

    def _quoted_segments(self, doc_id: int) -> list[tuple[int, int, int]]:
        """(offset in the amending text, consolidated offset, length) of the units whose
        consolidated text is written whole in that amending document's text."""
        number = next((n for n, i in self.amending.items() if i == doc_id), None)
        changed = dict(self.result.provenance)
        source = self.amending_texts.get(doc_id, "")
        out: list[tuple[int, int, int]] = []
        for u in self.result.document.units:
            changes = changed.get(u.id, ())
            if not any(c.document == number and c.action in _WHOLE for c in changes):
                continue
            words = self.text[u.span.start : u.span.end]
            pos = source.find(words) if words else -1
            if pos >= 0 and not any(a <= pos < a + n for a, _, n in out):
                out.append((pos, u.span.start, len(words)))
        return sorted(out)

    def note(self, start: int, end: int) -> str:
        """What changed the words ``start:end``, as the footnotes of a VBHN say it, and the
        date the text is consolidated to."""
        docs = {a.number: a for a in (self.result.base, *self.result.amending)}
        kinds = {u.id: u.kind for u in self.result.document.units}
        changed = self.changes(start, end)[::-1]  # innermost first
        parts = [
            f"{describe_unit(uid)}: {footnote(kinds.get(uid, ''), ch, docs)}"
            for uid, ch in changed[:_NOTES]
        ]
        if len(changed) > _NOTES:
            parts.append(f"(và {len(changed) - _NOTES} đơn vị khác được sửa đổi)")
        parts.append(f"(văn bản hợp nhất đến ngày {vn_date(self.at)})")
        return " ".join(parts)

    def locate(self, start: int, end: int, unit: str | None) -> Place:
        """Where the consolidated words ``start:end`` are written in the store: the base's stored
        text when they are unchanged; else the amending document whose quoted new text holds
        them; else (words mixed from several documents, as a word substitution leaves them) the
        stored wording of the unit, the note then giving the wording in force."""
        mapped = self.to_stored(start, end)
        if mapped is not None:
            return Place(self.doc_id, *mapped)
        quote = self.text[start:end]
        note = self.note(start, end)
        for _, changes in reversed(self.changes(start, end)):
            for ch in reversed(changes):
                src = self.amending.get(ch.document)
                pos = self.amending_texts[src].find(quote) if src is not None and quote else -1
                if src is not None and pos >= 0:
                    return Place(src, pos, pos + len(quote), note)
        now = " ".join(quote.split())
        where = f"{note} Nội dung đang có hiệu lực: “{now[:600]}{'…' if len(now) > 600 else ''}”"
        for uid in _chain(unit):
            if uid in self.stored_units:
                _, s, e = self.stored_units[uid]
                return Place(self.doc_id, s, e, where)
        first = min((s for _, s, _ in self.stored_units.values()), default=len(self.stored_text))
        return Place(self.doc_id, 0, min(first, 120) or min(len(self.stored_text), 120), where)


def _chain(unit: str | None) -> list[str]:
    """``att_1__art_9__para_8a`` and the units above it, innermost first."""
    if not unit:
        return []
    parts = unit.split("__")
    return ["__".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _map(segments: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int] | None:
    i = bisect_right(segments, (start, float("inf"), 0)) - 1
    if i < 0:
        return None
    a, b, n = segments[i]
    if a <= start and end <= a + n:
        return b + start - a, b + end - a
    return None


def _segments(
    doc: Document, stored: str, stored_units: Mapping[str, tuple[str | None, int, int]]
) -> list[tuple[int, int, int]]:
    """Runs of the consolidated text equal to runs of the stored one: every unit whose text is
    unchanged, and the lead-in and tail of a changed unit when those are; the preamble and the
    closing part of the document likewise."""
    text = doc.text
    kids: dict[str | None, list[tuple[str, int, int]]] = {}
    for u in doc.units:
        kids.setdefault(u.parent, []).append((u.id, u.span.start, u.span.end))
    stored_kids: dict[str | None, list[tuple[int, int]]] = {}
    for parent, start, end in stored_units.values():
        stored_kids.setdefault(parent, []).append((start, end))
    out: list[tuple[int, int, int]] = []

    def visit(uid: str | None, cs: int, ce: int, ss: int, se: int) -> None:
        if text[cs:ce] == stored[ss:se]:
            if ce > cs:
                out.append((cs, ss, ce - cs))
            return
        mine = sorted(kids.get(uid, []), key=lambda k: k[1])
        theirs = sorted(stored_kids.get(uid, []))
        c_first = mine[0][1] if mine else ce
        s_first = theirs[0][0] if theirs else se
        if c_first > cs and text[cs:c_first] == stored[ss:s_first]:
            out.append((cs, ss, c_first - cs))
        if mine and theirs:
            c_last, s_last = mine[-1][2], theirs[-1][1]
            if ce > c_last and text[c_last:ce] == stored[s_last:se]:
                out.append((c_last, s_last, ce - c_last))
        for kid, ks, ke in mine:
            if kid in stored_units:
                visit(kid, ks, ke, *stored_units[kid][1:])

    visit(None, 0, len(text), 0, len(stored))
    return out


def consolidate_stored(
    conn: Connection,
    doc_id: int,
    amending_ids: Iterable[int],
    at: str,
) -> InForce | None:
    """The stored document ``doc_id`` consolidated at ``at`` with the stored documents
    ``amending_ids``; None when it cannot be read."""
    base = load_document(conn, doc_id)
    if base is None:
        return None
    loaded = one_copy({i: d for i in amending_ids if (d := load_document(conn, i)) is not None})
    result = consolidate(base, list(loaded.values()), at)
    numbers = {(d.metadata.number or d.source.path or "?"): i for i, d in loaded.items()}
    units = {u.id: (u.parent, u.span.start, u.span.end) for u in base.units}
    return InForce(
        doc_id,
        at,
        result,
        base.text,
        units,
        numbers,
        {i: d.text for i, d in loaded.items()},
    )


def one_copy(docs: Mapping[int, Document]) -> dict[int, Document]:
    """One stored copy of each amending document (a store may keep two copies of one text, from
    two sources): applying both would read as two instructions colliding. A copy has the same
    number and the same issuer: local numbers repeat across provinces, and two documents of one
    number from two issuers are two documents."""
    out: dict[int, Document] = {}
    seen: set[tuple[str, str]] = set()
    for i in sorted(docs):
        meta = docs[i].metadata
        number = (number_key(meta.number) or meta.number) if meta.number else f"#{i}"
        key = (number, " ".join(modern_lower(meta.issuer or "").split()))
        if key not in seen:
            seen.add(key)
            out[i] = docs[i]
    return out
