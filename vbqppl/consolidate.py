"""Point-in-time consolidation: the base document as its amendments left it at a date.

:func:`consolidate` is pure: it takes the base :class:`~vbqppl.model.Document` and the amending
documents, turns each amending document's instructions into operations (:mod:`vbqppl.amend`),
applies those in force at the date in order of their effective dates (then issue dates, then
text order), and returns a :class:`Consolidated`: a :class:`~vbqppl.model.Document` whose text and
units are the consolidated ones, the provenance of every changed unit (which document and which
of its units changed it, from when: what the footnotes of an official văn bản hợp nhất say), the
instructions not yet in force, and every instruction that could not be applied, with the reason.

Where the documents come from is the caller's business (files today, the corpus store later).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from vbqppl.amend import NotApplied, Operation, operations, same_number, unit_phrase
from vbqppl.model import Diagnostic, Document, Relation, Span, Target
from vbqppl.unittree import REPEALED, apply, build_tree, index_tree, render

__all__ = ["REPEALED", "Amending", "Change", "Consolidated", "Pending", "consolidate"]

_ACTION = {
    "replace": "amended",
    "insert": "inserted",
    "repeal": "repealed",
    "words": "words",
    "heading": "heading",
    "intro": "intro",
    "annex": "annex",
}
_STRUCTURAL = ("replace", "insert", "repeal")


@dataclass(frozen=True, slots=True)
class Change:
    """What one instruction did to a unit (or, with ``unit`` None, to the whole document)."""

    action: str  # amended | inserted | repealed | words | heading | intro | annex
    document: str  # the amending document's number
    source_unit: str | None  # its unit holding the instruction
    effective: str | None
    instruction: str
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "document": self.document,
            "from": self.source_unit,
            "effective": self.effective,
            "instruction": self.instruction,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Amending:
    """An amending document, as the consolidated text names it."""

    number: str
    type: str | None
    issuer: str | None
    issued: str | None
    effective: str | None
    title: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "type": self.type,
            "issuer": self.issuer,
            "issued": self.issued,
            "effective": self.effective,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class Pending:
    """An instruction not yet in force at the consolidation date."""

    target: str | None
    change: Change

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, **self.change.to_json()}


@dataclass(frozen=True, slots=True)
class Consolidated:
    """The base document at a date: text and units, provenance, what is pending or failed."""

    document: Document
    at: str | None
    base: Amending
    amending: tuple[Amending, ...]  # those with an instruction in force at ``at``
    provenance: tuple[tuple[str, tuple[Change, ...]], ...]  # unit id -> changes, in order
    document_changes: tuple[Change, ...]
    pending: tuple[Pending, ...]
    not_applied: tuple[NotApplied, ...]

    def changes_of(self, unit_id: str) -> tuple[Change, ...]:
        for uid, changes in self.provenance:
            if uid == unit_id:
                return changes
        return ()

    def unit_text(self, unit_id: str) -> str | None:
        u = self.document.unit(unit_id)
        return None if u is None else self.document.text[u.span.start : u.span.end]

    def to_json(self) -> dict[str, Any]:
        out = self.document.to_json()
        prov = dict(self.provenance)
        for u in out["units"]:
            u["provenance"] = [c.to_json() for c in prov.get(u["id"], ())]
        out["consolidation"] = {
            "base": self.base.to_json(),
            "at": self.at,
            "amending": [a.to_json() for a in self.amending],
            "document_changes": [c.to_json() for c in self.document_changes],
            "pending": [p.to_json() for p in self.pending],
            "not_applied": [n.to_json() for n in self.not_applied],
        }
        return out


def consolidate(
    base: Document, amending: Sequence[Document], at: date | str | None = None
) -> Consolidated:
    """The base document as in force at ``at`` (every known amendment when ``None``)."""
    at_iso = at.isoformat() if isinstance(at, date) else at
    number = base.metadata.number or ""
    root = build_tree(base)
    doc_changes: list[Change] = []
    pending: list[Pending] = []
    problems: list[NotApplied] = []
    queue: list[tuple[tuple[str, str, int, int], Operation, Document]] = []
    for k, doc in enumerate(amending):
        ops, probs = operations(doc, number)
        problems += probs
        for j, op in enumerate(ops):
            when = op.effective or doc.metadata.effective or doc.metadata.issued or ""
            queue.append(((when or "9999", doc.metadata.issued or "", k, j), op, doc))
    queue.sort(key=lambda item: item[0])
    touched: list[tuple[str, str, str, str]] = []  # (date, unit, action, document)
    in_force: set[str] = set()  # amending documents with an instruction in force at ``at``
    for (when, _, _, _), op, doc in queue:
        op = replace(op, effective=when if when != "9999" else None)
        change = _change(op)
        if at_iso is not None and when != "9999" and when > at_iso:
            pending.append(Pending(op.target, change))
            continue
        in_force.add(op.document)
        index = index_tree(root)
        reason, unit = apply(root, index, op, change, doc)
        if reason is not None:
            problems.append(
                NotApplied(op.document, op.source_unit, op.target, op.instruction, reason)
            )
            continue
        if unit is None:
            doc_changes.append(change)
            continue
        clash = _collision(touched, when, unit, op)
        if clash is not None:
            problems.append(NotApplied(op.document, op.source_unit, unit, op.instruction, clash))
        touched.append((when, unit, op.action, op.document))
    text, units, provenance = render(root)
    for doc in amending:
        for r in doc.relations:
            if same_number(r.target.number, number) and r.target.unit is None:
                _whole_document(r, doc, doc_changes, at_iso)
    in_force |= {c.document for c in doc_changes} | {p.document for p in problems}
    amenders = tuple(
        _amending(d)
        for d in amending
        if _touches(d, number) and (d.metadata.number or d.source.path or "?") in in_force
    )
    relation = Relation(
        type="consolidates",
        from_unit=None,
        span=Span(0, 0),
        target=Target(number=number or None, name=base.metadata.title),
        effective=None,
        extra=(("amended_by", tuple(a.number for a in amenders)),),
    )
    document = Document(
        text=text,
        source=base.source,
        metadata=base.metadata,
        units=tuple(units),
        relations=(relation,),
        diagnostics=tuple(Diagnostic("not-applied", p.message) for p in problems),
    )
    return Consolidated(
        document=document,
        at=at_iso,
        base=_amending(base),
        amending=amenders,
        provenance=tuple(provenance),
        document_changes=tuple(doc_changes),
        pending=tuple(pending),
        not_applied=tuple(problems),
    )


def _touches(doc: Document, number: str) -> bool:
    return any(same_number(r.target.number, number) for r in doc.relations)


def _amending(doc: Document) -> Amending:
    m = doc.metadata
    return Amending(
        m.number or doc.source.path or "?", m.type, m.issuer, m.issued, m.effective, m.title
    )


def _whole_document(r: Relation, doc: Document, out: list[Change], at: str | None) -> None:
    """A replacement, repeal or expiry of the whole base: a note, not an edit of the text."""
    if r.type not in ("replaces", "repeals", "expires", "suspends") or dict(r.extra).get("annex"):
        return
    if dict(r.extra).get("scope") == "part":
        return
    when = r.effective or doc.metadata.effective
    if at is not None and when is not None and when > at:
        return
    words = {
        "replaces": "bị thay thế",
        "repeals": "bị bãi bỏ",
        "expires": "hết hiệu lực",
        "suspends": "bị đình chỉ thi hành",
    }
    change = Change(
        action=r.type,
        document=doc.metadata.number or "?",
        source_unit=r.from_unit,
        effective=when,
        instruction=" ".join(doc.text[r.span.start : r.span.end].split()),
        detail=f"Văn bản {words[r.type]}",
    )
    if change not in out:
        out.append(change)


def _change(op: Operation) -> Change:
    detail = None
    if op.action == "words":
        detail = "; ".join(
            f"cụm từ “{old}” được thay bằng cụm từ “{new}”" if new else f"bỏ cụm từ “{old}”"
            for old, new in op.words
        )
    elif op.action == "annex":
        detail = "Phụ lục " + ", ".join(op.annexes) + " được thay thế"
    return Change(
        _ACTION[op.action], op.document, op.source_unit, op.effective, op.instruction, detail
    )


def _collision(
    touched: list[tuple[str, str, str, str]], when: str, unit: str, op: Operation
) -> str | None:
    """Two instructions in force the same day that change the same unit (or one replaces or
    repeals a unit the other changes inside) collide: the later one in the order prevails."""
    for t_when, t_unit, t_action, t_doc in touched:
        if t_when != when:
            continue
        same = t_unit == unit and op.action in _STRUCTURAL and t_action in _STRUCTURAL
        nested = (unit.startswith(t_unit + "__") and t_action in ("replace", "repeal")) or (
            t_unit.startswith(unit + "__") and op.action in ("replace", "repeal")
        )
        if same or nested:
            return (
                f"xung đột với nội dung sửa đổi của văn bản {t_doc} cùng có hiệu lực ngày "
                f"{when} tại {unit_phrase(t_unit)}; áp dụng nội dung sau cùng"
            )
    return None
