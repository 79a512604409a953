"""When items open and when they close: pure functions of the corpus records.

Opening (Nghị định 79/2025/NĐ-CP, Điều 39). A document T that amends, replaces, repeals,
suspends or ends the validity of a document D makes D need review (first hop, cause
``amended``), and every document B issued on the basis (Căn cứ) of D need review too (second
hop, cause ``basis``) — unless B's Căn cứ cites T as well: B was issued with T's change in
view. One item per (D, T) and per (B, T): the several relations of T on D, or
the several affected documents B rests on, are merged into one item. When T ends D as a whole
(replaces or repeals it entirely, or declares it no longer in force from a date), D has nothing
left to review: its item opens already handled by T (đã xử lý, with T's outcome). A suspension
is temporary: its item stays open.

Closing. A later document H that amends, replaces or repeals an item's document handles it:

- an item about the whole document (no units) closes on any such relation;
- an item about units closes when every unit is handled: acted on itself, through a unit
  above it, or by a replacement or repeal of the whole document; until then it stays open
  with the units that remain. (An amendment naming no unit, such as a change of wording
  throughout, handles no particular unit.)

"Later" means: not the item's own trigger, and issued on or after the trigger's date when
both are known; otherwise (a finding, or dates unknown) a relation stored after the item was
opened (its id above the item's ``relation_mark``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vbqppl.describe import describe_unit
from vbqppl.review.model import (
    AMENDED,
    BASIS,
    DEFAULT_PRIORITY,
    HANDLERS,
    RELATION_VERBS,
    TRIGGERS,
    ReviewItem,
    handling_of,
)
from vbqppl.store.catalog import DocRecord, LinkRecord
from vbqppl.store.validity import record_start

ENDING_WHOLE = ("replaces", "repeals")  # a later document handles an item with these (and amends)
OPENED_HANDLED = ("replaces", "repeals", "expires")  # T ending D as a whole: D's item is done
LAW = "Nghị định 79/2025/NĐ-CP, Điều 39"
# Strongest first: which outcome a handling document's several relations amount to.
_ATTACHED = " văn bản kèm theo"
_RANK = ("thay thế", "bãi bỏ toàn bộ", "sửa đổi, bổ sung", "bãi bỏ một phần")


def doc_key(doc: DocRecord) -> str:
    """What an item key calls a document: its normalised number; its alias when another
    document has that number (:attr:`DocRecord.name`); ``#id`` without a number."""
    if doc.alias is not None:
        return doc.alias
    return doc.number_key or f"#{doc.id}"


def doc_number(doc: DocRecord) -> str:
    return doc.name


@dataclass(frozen=True, slots=True)
class Handling:
    """What a handling document did to an item's document (or to one unit)."""

    by: str  # the handling document's number
    by_id: int
    on: str | None  # the date it takes effect
    outcome: str


@dataclass(frozen=True, slots=True)
class Opening:
    """An item to open (merged into the existing one when its key is already there)."""

    key: str
    cause: str
    document_id: int
    document: str
    document_label: str
    reason: str
    trigger: str | None = None
    trigger_document_id: int | None = None
    trigger_type: str | None = None
    trigger_issued: str | None = None
    via: str | None = None
    units: tuple[str, ...] = ()
    priority: str = DEFAULT_PRIORITY
    recommendation: str | None = None
    rule: str | None = None
    finding_id: str | None = None
    handled: Handling | None = None  # opened already handled (T ended D as a whole)

    @classmethod
    def on(cls, doc: DocRecord, cause: str, key: str, **fields: Any) -> Opening:
        """An opening about ``doc``; ``key`` is what follows the cause in the item's key."""
        return cls(
            key=f"{cause}:{key}",
            cause=cause,
            document_id=doc.id,
            document=doc_number(doc),
            document_label=doc.label,
            **fields,
        )


def _unit(r: LinkRecord) -> str | None:
    return r.resolved_unit or r.target_unit


def _whole(r: LinkRecord) -> bool:
    return _unit(r) is None and not r.part


def _when(r: LinkRecord, actor: DocRecord) -> str | None:
    return r.effective or record_start(actor) or actor.issued


def _what_changed(rels: Sequence[LinkRecord]) -> str:
    """ "sửa đổi, bổ sung khoản 3 Điều 5, Điều 14; bãi bỏ điểm c khoản 1 Điều 10" """
    by_type: dict[str, list[str]] = {}
    for r in rels:
        units = by_type.setdefault(r.type, [])
        u = _unit(r)
        if u is not None and describe_unit(u) not in units:
            units.append(describe_unit(u))
    parts = []
    for typ, units in by_type.items():
        verb = RELATION_VERBS.get(typ, typ)
        tail = ""
        if units and all(u.endswith(_ATTACHED) for u in units):  # said once, not per unit
            units, tail = [u[: -len(_ATTACHED)] for u in units], _ATTACHED
        if len(units) > 4:
            units = [*units[:4], f"và {len(units) - 4} đơn vị khác"]
        parts.append(f"{verb} {', '.join(units)}{tail}" if units else verb)
    return "; ".join(parts)


def plan_openings(
    docs: Mapping[int, DocRecord],
    relations: Iterable[LinkRecord],
    bases: Iterable[LinkRecord],
) -> list[Opening]:
    """The Điều 39 items the corpus calls for (both hops), merged by (document, trigger)."""
    acting: dict[tuple[int, int], list[LinkRecord]] = {}
    for r in relations:
        target = r.resolved_document_id
        if r.type not in TRIGGERS or target is None or target == r.document_id:
            continue
        if target in docs and r.document_id in docs:
            acting.setdefault((target, r.document_id), []).append(r)
    based_on: dict[int, list[int]] = {}  # D -> the documents issued on its basis
    rests_on: dict[int, set[int]] = {}  # B -> its bases
    for c in bases:
        basis = c.resolved_document_id
        if basis is not None and basis != c.document_id and c.document_id in docs:
            based_on.setdefault(basis, [])
            if c.document_id not in based_on[basis]:
                based_on[basis].append(c.document_id)
            rests_on.setdefault(c.document_id, set()).add(basis)
    out: list[Opening] = []
    second: dict[tuple[int, int], list[int]] = {}  # (B, T) -> affected documents B rests on
    for (target, by), rels in sorted(acting.items()):
        d, t = docs[target], docs[by]
        ending = [r for r in rels if r.type in OPENED_HANDLED and _whole(r)]
        handled = None
        if ending:
            first = ending[0]
            handled = Handling(doc_number(t), t.id, _when(first, t), handling_of(first.type, True))
        out.append(
            Opening.on(
                d,
                AMENDED,
                f"{doc_key(d)}:{doc_key(t)}",
                reason=(
                    f"{t.label} {_what_changed(rels)} {d.label}: "
                    f"rà soát văn bản bị tác động ({LAW})"
                ),
                trigger=doc_number(t),
                trigger_document_id=t.id,
                trigger_type=rels[0].type,
                trigger_issued=t.issued,
                handled=handled,
            )
        )
        for b in based_on.get(target, ()):
            # B already rests on T too (its Căn cứ cites the amending document): issued with
            # T's change in view, nothing to review on T's account
            if b != by and by not in rests_on.get(b, ()):
                second.setdefault((b, by), []).append(target)
    for (b, by), affected in sorted(second.items()):
        bd, t = docs[b], docs[by]
        via = ", ".join(docs[a].label for a in affected)
        verb = RELATION_VERBS.get(acting[(affected[0], by)][0].type, "tác động đến")
        out.append(
            Opening.on(
                bd,
                BASIS,
                f"{doc_key(bd)}:{doc_key(t)}",
                reason=(
                    f"{bd.label} được ban hành căn cứ {via}, văn bản bị {t.label} {verb}: "
                    f"rà soát văn bản được ban hành căn cứ văn bản bị tác động ({LAW})"
                ),
                trigger=doc_number(t),
                trigger_document_id=t.id,
                trigger_type=acting[(affected[0], by)][0].type,
                trigger_issued=t.issued,
                via=doc_number(docs[affected[0]]),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Closure:
    """What handling documents did to one open item: units handled, and whether it closes."""

    item_id: int
    units: tuple[tuple[str, Handling], ...]  # units handled now
    closes: Handling | None  # the item is closed, with this handling


def _later(r: LinkRecord, h: DocRecord, item: ReviewItem) -> bool:
    if r.document_id == item.trigger_document_id or (
        item.trigger is not None and doc_number(h) == item.trigger
    ):  # the trigger itself (also once re-ingested under a new id)
        return False
    if item.trigger_issued and h.issued:
        return h.issued >= item.trigger_issued
    return r.id > item.relation_mark


def _covers(r: LinkRecord, unit: str) -> bool:
    u = _unit(r)
    if u is None:
        return r.type in ENDING_WHOLE and not r.part
    return unit == u or unit.startswith(u + "__")


def _strongest(rels: Sequence[LinkRecord]) -> str:
    outcomes = {handling_of(r.type, _whole(r)) for r in rels}
    return min(outcomes, key=lambda o: _RANK.index(o) if o in _RANK else len(_RANK))


def plan_closings(
    items: Iterable[ReviewItem],
    relations: Iterable[LinkRecord],
    docs: Mapping[int, DocRecord],
) -> list[Closure]:
    """How the stored relations handle the open ``items`` (see the module docstring)."""
    on: dict[int, list[LinkRecord]] = {}
    for r in relations:
        if r.type in HANDLERS and r.resolved_document_id is not None and r.document_id in docs:
            on.setdefault(r.resolved_document_id, []).append(r)
    out: list[Closure] = []
    for item in items:
        if item.closed or item.document_id is None:
            continue
        rels = [r for r in on.get(item.document_id, ()) if _later(r, docs[r.document_id], item)]
        if not rels:
            continue
        by_doc: dict[int, list[LinkRecord]] = {}
        for r in rels:
            by_doc.setdefault(r.document_id, []).append(r)
        # the handling documents in order of their dates: the first one to act handles
        order = sorted(by_doc, key=lambda i: (docs[i].issued or "", i))

        def handling(doc_id: int, chosen: Sequence[LinkRecord]) -> Handling:
            h = docs[doc_id]
            return Handling(doc_number(h), h.id, _when(chosen[0], h), _strongest(chosen))

        if not item.units:
            first = order[0]
            out.append(Closure(item.id, (), handling(first, by_doc[first])))
            continue
        done: list[tuple[str, Handling]] = []
        last: Handling | None = None
        for unit in item.remaining:
            for doc_id in order:
                hits = [r for r in by_doc[doc_id] if _covers(r, unit)]
                if hits:
                    last = handling(doc_id, hits)
                    done.append((unit, last))
                    break
        if not done:
            continue
        closes = last if len(done) == len(item.remaining) else None
        if closes is not None:
            outcomes = {h.outcome for _, h in done} | {u.outcome for u in item.units if u.outcome}
            if len(outcomes) > 1:
                joined = "; ".join(o for o in _RANK if o in outcomes)
                closes = Handling(closes.by, closes.by_id, closes.on, joined)
        out.append(Closure(item.id, tuple(done), closes))
    return out
