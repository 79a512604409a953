"""Validity (hiệu lực) of a document and of each of its units at a date.

Derived from the document's own dates (ngày có hiệu lực, or the rule "kể từ ngày ký" applied to
the date of signing) and the relations in the corpus that act on it: a whole-document repeal,
replacement or end of validity makes it *hết hiệu lực toàn bộ*; acting on some units (or amending
it) makes it *hết hiệu lực một phần*; a suspension makes it *ngưng hiệu lực*. Each answer carries
the effects that caused it, so the reason and the acting document can be shown.

Everything here is a function of values; :func:`corpus_validity` and :func:`document_report`
read the store.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import Connection

from vbqppl.describe import describe_unit
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links, load_units


class Status(StrEnum):
    IN_FORCE = "còn hiệu lực"
    NOT_YET = "chưa có hiệu lực"
    EXPIRED = "hết hiệu lực toàn bộ"
    PARTLY_EXPIRED = "hết hiệu lực một phần"
    SUSPENDED = "ngưng hiệu lực"
    PARTLY_SUSPENDED = "ngưng hiệu lực một phần"


ENDING = ("repeals", "replaces", "expires")  # the text acted on stops being in force
CHANGING = ("amends",)  # the old wording of the units stops being in force
SUSPENDING = ("suspends",)
ACTING = (*ENDING, *CHANGING, *SUSPENDING)

_VERB = {
    "repeals": "bị bãi bỏ bởi",
    "replaces": "bị thay thế bởi",
    "expires": "hết hiệu lực theo",
    "amends": "được sửa đổi, bổ sung bởi",
    "suspends": "bị ngưng hiệu lực bởi",
}


@dataclass(frozen=True, slots=True)
class Effect:
    """A relation in the corpus acting on a document (on ``unit``, or the whole when None)."""

    type: str
    by_document: int
    by_label: str  # "Quyết định 11/2025/QĐ-UBND"
    unit: str | None
    date: str | None  # when it takes effect; None: not known (taken as already in effect)
    part: bool = False  # acts on part of the document though no unit is named (an annex)

    def describe(self) -> str:
        what = "" if self.unit is None else describe_unit(self.unit) + " "
        when = f" từ ngày {vn_date(self.date)}" if self.date else " (không rõ ngày)"
        return f"{what}{_VERB.get(self.type, self.type)} {self.by_label}{when}"


@dataclass(frozen=True, slots=True)
class Validity:
    status: Status
    since: str | None = None  # the date the status began, when known
    effects: tuple[Effect, ...] = ()  # what caused it (empty for in force / not yet)
    start: str | None = None  # the document's own effective date
    inherited: bool = field(default=False, compare=False)  # a unit taking its document's status

    @property
    def by(self) -> Effect | None:
        return self.effects[0] if self.effects else None

    def reason(self, limit: int = 3) -> str:
        """Why, in Vietnamese: the dates, the acting documents and the units acted on."""
        if self.status is Status.NOT_YET:
            return (
                f"có hiệu lực từ ngày {vn_date(self.start)}" if self.start else "chưa có hiệu lực"
            )
        if not self.effects:
            if self.start:
                return f"có hiệu lực từ ngày {vn_date(self.start)}"
            return "không rõ ngày có hiệu lực"
        # one line per distinct effect: a document can state the same change twice (its title
        # and its first article both "sửa đổi, bổ sung" the document)
        described = list(dict.fromkeys(e.describe() for e in self.effects))
        parts = described[:limit]
        more = len(described) - limit
        if more > 0:
            parts.append(f"và {more} thay đổi khác")
        return "; ".join(parts)


def vn_date(iso: str | None) -> str:
    if not iso:
        return "?"
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


_PLUS_DAYS = re.compile(r"sau\s+(\d+)\s+ngày\s+(?:kể\s+)?từ\s+ngày\s+(?:ký|ban hành|thông qua)")
_ON_SIGNING = re.compile(r"(?:kể\s+)?từ\s+ngày\s+(?:ký|ban hành|thông qua)")


def start_date(issued: str | None, effective: str | None, effective_rule: str | None) -> str | None:
    """The date a document takes effect: the stated date; else the rule ("kể từ ngày ký",
    "sau 45 ngày kể từ ngày ký ban hành") applied to the date of signing; else unknown."""
    if effective:
        return effective
    if not effective_rule or not issued:
        return None
    rule = " ".join(effective_rule.lower().split())
    m = _PLUS_DAYS.search(rule)
    try:
        signed = date.fromisoformat(issued)
    except ValueError:
        return None
    if m:
        return (signed + timedelta(days=int(m[1]))).isoformat()
    if _ON_SIGNING.search(rule):
        return issued
    return None


def record_start(doc: DocRecord) -> str | None:
    return start_date(doc.issued, doc.effective, doc.effective_rule)


def effects_on(
    docs: Mapping[int, DocRecord], relations: Iterable[LinkRecord]
) -> dict[int, list[Effect]]:
    """The effects each document undergoes, from the resolved relations of the corpus.

    A relation takes effect on its own date, else when the acting document does, else (that
    unknown too) on the acting document's date of signing.
    """
    out: dict[int, list[Effect]] = {}
    for r in relations:
        target = r.resolved_document_id
        if r.type not in ACTING or target is None or r.document_id not in docs:
            continue
        actor = docs[r.document_id]
        when = r.effective or record_start(actor) or actor.issued
        unit = r.resolved_unit or r.target_unit
        out.setdefault(target, []).append(
            Effect(
                type=r.type,
                by_document=actor.id,
                by_label=actor.label,
                unit=unit,
                date=when,
                part=r.part,
            )
        )
    for effects in out.values():
        effects.sort(key=lambda e: (e.date or "", e.by_document, e.unit or ""))
    return out


def _active(effects: Iterable[Effect], at: str) -> list[Effect]:
    return [e for e in effects if e.date is None or e.date <= at]


def _since(effects: list[Effect]) -> str | None:
    dates = [e.date for e in effects if e.date]
    return min(dates) if dates else None


def document_validity(start: str | None, effects: Iterable[Effect], at: str) -> Validity:
    """The status of a document at ``at`` (ISO date)."""
    active = _active(effects, at)
    whole_end = [e for e in active if e.unit is None and not e.part and e.type in ENDING]
    if whole_end:
        first = min(whole_end, key=lambda e: e.date or "")
        return Validity(Status.EXPIRED, first.date, (first,), start)
    whole_susp = [e for e in active if e.unit is None and e.type in SUSPENDING]
    if whole_susp:
        return Validity(Status.SUSPENDED, _since(whole_susp), tuple(whole_susp), start)
    if start and at < start:
        return Validity(Status.NOT_YET, None, (), start)
    partial = [e for e in active if e.type in CHANGING or (e.type in ENDING and (e.unit or e.part))]
    if partial:
        return Validity(Status.PARTLY_EXPIRED, _since(partial), tuple(partial), start)
    partial_susp = [e for e in active if e.type in SUSPENDING]
    if partial_susp:
        return Validity(Status.PARTLY_SUSPENDED, _since(partial_susp), tuple(partial_susp), start)
    return Validity(Status.IN_FORCE, start, (), start)


def _anchor(unit: str, units: Mapping[str, str | None]) -> str | None:
    """The unit an effect lands on: itself, or for a unit not in the document (one the
    amendment inserts, say ``para_8a``) the nearest existing unit above it by id."""
    parts = unit.split("__")
    while parts:
        uid = "__".join(parts)
        if uid in units:
            return uid
        parts.pop()
    return None


def _chain(unit: str | None, units: Mapping[str, str | None]) -> list[str]:
    """``unit`` and every unit above it."""
    out: list[str] = []
    while unit is not None and unit not in out:
        out.append(unit)
        unit = units.get(unit)
    return out


def unit_validities(
    units: Mapping[str, str | None],
    document: Validity,
    effects: Iterable[Effect],
    at: str,
    current: Collection[str] | None = None,
    rewritten: Mapping[str, bool] | None = None,
) -> dict[str, Validity]:
    """The status of every unit (``{unit_id: parent}``) given the document's own status.

    A unit an amendment re-words (or inserts) is in force in its new wording, the amending
    effect among its reasons; a unit repealed, replaced or ended is not. ``current``, when
    known, holds the units of the text in force (the consolidation at ``at``): a unit under a
    re-worded one that is no longer there is not in force either. ``rewritten``, when known,
    holds the units the consolidation changed (True: their whole text is new): an amendment of
    a unit then re-words a unit under it only when it rewrote the whole of it (a new heading of
    Điều 9 leaves its clauses as they were)."""
    if document.status in (Status.EXPIRED, Status.SUSPENDED, Status.NOT_YET):
        inherited = Validity(
            document.status, document.since, document.effects, document.start, inherited=True
        )
        return dict.fromkeys(units, inherited)
    on: dict[str, list[Effect]] = {}  # effects landing exactly on a unit
    below: dict[str, list[Effect]] = {}  # effects on something inside a unit
    for e in _active(effects, at):
        if e.unit is None:
            continue
        if e.unit in units:
            on.setdefault(e.unit, []).append(e)
            above = _chain(units.get(e.unit), units)
        else:  # a unit the document does not have: it lands inside the nearest one above
            above = _chain(_anchor(e.unit, units), units)
        for node in above:
            below.setdefault(node, []).append(e)
    if not on and not below:  # nothing lands on a unit (most documents): all as the document
        return dict.fromkeys(units, Validity(Status.IN_FORCE, document.start, (), document.start))
    out: dict[str, Validity] = {}
    for uid in units:
        hit = [e for node in _chain(uid, units) for e in on.get(node, ())]
        ending = [e for e in hit if e.type in ENDING]
        amended = [e for e in hit if e.type in CHANGING]
        if rewritten is not None:
            amended = [e for e in amended if e.unit == uid or rewritten.get(e.unit or "")]
        suspended = [e for e in hit if e.type in SUSPENDING]
        if amended and current is not None and uid not in current:
            ending += amended  # re-worded without it
        if ending:
            out[uid] = Validity(Status.EXPIRED, _since(ending), tuple(ending), document.start)
        elif suspended:
            out[uid] = Validity(Status.SUSPENDED, _since(suspended), tuple(hit), document.start)
        elif amended:
            out[uid] = Validity(Status.IN_FORCE, _since(amended), tuple(amended), document.start)
        elif uid in below:
            inner = below[uid]
            status = (
                Status.PARTLY_EXPIRED
                if any(e.type not in SUSPENDING for e in inner)
                else Status.PARTLY_SUSPENDED
            )
            out[uid] = Validity(status, _since(inner), tuple(inner), document.start)
        else:
            out[uid] = Validity(Status.IN_FORCE, document.start, (), document.start)
    return out


# --- the store ------------------------------------------------------------------------------


def corpus_validity(
    conn: Connection, at: str, ids: Collection[int] | None = None
) -> tuple[dict[int, DocRecord], dict[int, Validity]]:
    """Every stored document (or those in ``ids``) with its status at ``at``."""
    if ids is None:
        relations = load_links(conn, "relation", types=ACTING)
        docs = load_documents(conn)
    else:
        relations = load_links(conn, "relation", touching=ids, types=ACTING)
        docs = load_documents(conn, set(ids) | {r.document_id for r in relations})
    effects = effects_on(docs, relations)
    wanted = docs if ids is None else {i: docs[i] for i in ids if i in docs}
    return wanted, {
        i: document_validity(record_start(d), effects.get(i, ()), at) for i, d in wanted.items()
    }


@dataclass(frozen=True, slots=True)
class DocumentReport:
    document: DocRecord
    validity: Validity
    units: dict[str, Validity]
    # the wording in force at the date of each unit amendments changed (consolidated text)
    wording: dict[str, str] = field(default_factory=dict)
    not_applied: tuple[str, ...] = ()  # amendment instructions that could not be applied


def document_report(conn: Connection, doc_id: int, at: str) -> DocumentReport:
    """One document's status and its units' statuses at ``at``: the units of its text in force
    then (the stored documents that amend it applied), with the wording in force of those they
    changed; units their new wording left out are no longer in force."""
    from vbqppl.inforce import consolidate_stored, edited

    relations = load_links(conn, "relation", touching=[doc_id], types=ACTING)
    docs = load_documents(conn, {doc_id} | {r.document_id for r in relations})
    effects = effects_on(docs, relations)
    doc = docs[doc_id]
    mine = effects.get(doc_id, [])
    validity = document_validity(record_start(doc), mine, at)
    units = load_units(conn, [doc_id]).get(doc_id, {})
    by = edited({doc_id: mine}, at).get(doc_id)
    inf = consolidate_stored(conn, doc_id, by, at) if by else None
    if inf is None:
        return DocumentReport(doc, validity, unit_validities(units, validity, mine, at))
    cons = inf.result
    now = {u.id: u.parent for u in cons.document.units}
    every = {**now, **{u: p for u, p in units.items() if u not in now}}  # text order first
    wording = {uid: cons.unit_text(uid) or "" for uid, _ in cons.provenance}
    statuses = unit_validities(every, validity, mine, at, set(now), inf.rewritten())
    problems = tuple(n.message for n in cons.not_applied)
    return DocumentReport(doc, validity, statuses, wording, problems)
