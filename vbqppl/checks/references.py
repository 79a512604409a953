"""Checks on what a document cites: a legal basis no longer in force when the document was
signed (dead-basis), and a provision pointing at a document or unit that is gone or never
existed (dead-reference)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from vbqppl.checks.finding import AMEND, MEDIUM, Finding
from vbqppl.checks.registry import check
from vbqppl.checks.view import ENDED, CorpusView, evidence
from vbqppl.describe import describe_unit
from vbqppl.store.validity import ENDING, vn_date


@check("dead-basis", severity=MEDIUM)
def dead_basis(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Căn cứ ban hành viện dẫn văn bản đã hết hiệu lực tại ngày ký văn bản."""
    for c in view.citations:
        target = c.resolved_document_id
        if c.type != "bases-on" or target is None or target == c.document_id:
            continue
        citing = view.documents[c.document_id]
        if not citing.issued or not view.in_force(c.document_id):
            continue
        v = view.validity(target, citing.issued)
        if v.status not in ENDED:
            continue
        ev = _citation_evidence(view, c)
        name = view.documents[target].label
        yield Finding(
            rule="dead-basis",
            severity=MEDIUM,
            documents=(view.name(c.document_id), view.name(target)),
            units=(),
            evidence=(ev,),
            explanation=(
                f"Phần căn cứ ban hành của {citing.label} (ký ngày {vn_date(citing.issued)}) "
                f"viện dẫn {name}, văn bản đã {v.status} tại ngày ký ({v.reason()})."
            ),
            handling=f"{AMEND} phần căn cứ (thay bằng văn bản đang có hiệu lực)",
        )


_NUM = re.compile(r"\d+")


@check("dead-reference", severity=MEDIUM)
def dead_reference(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Quy định dẫn chiếu văn bản, điều khoản đã hết hiệu lực hoặc không tồn tại."""
    # one finding per citing unit and cited target: a table that names the same dead circular
    # in six rows is one thing to fix, with six places quoted
    merged: dict[tuple[Any, ...], Finding] = {}
    for f, key in _dead_references(view):
        if key in merged:
            g = merged[key]
            f = Finding(
                g.rule,
                g.severity,
                g.documents,
                g.units,
                (*g.evidence, *f.evidence),
                g.explanation,
                g.handling,
            )
        merged[key] = f
    yield from merged.values()


def _dead_references(view: CorpusView) -> Iterator[tuple[Finding, tuple[Any, ...]]]:
    for c in view.citations:
        target = c.resolved_document_id
        if c.type != "cites" or target is None or target == c.document_id:
            continue
        if view.related(c.document_id, target):
            continue  # the document acts on the target: it names it to amend, replace, repeal it
        if c.resolution == "name" and not c.target_unit:
            continue  # "theo quy định của Luật Bảo hiểm xã hội": the law in force, whichever it is
        if view.rank(c.document_id) is None:
            continue  # consolidated texts, plans: not provisions of their own
        if not view.in_force(c.document_id, c.from_unit):
            continue
        citing = view.documents[c.document_id]
        name = view.documents[target].label
        where = describe_unit(c.from_unit) + " " if c.from_unit else ""
        missing = _missing_unit(view, target, c.target_unit) if c.target_unit else None
        if missing is not None:
            reason = (
                f"{where}{citing.label} dẫn chiếu {describe_unit(c.target_unit or '')} {name}, "
                f"trong khi {missing}."
            )
        else:
            unit = c.resolved_unit
            v = view.unit_validity(target, unit) if unit else view.validity(target)
            if v.status not in ENDED or not any(e.type in ENDING for e in v.effects):
                continue  # an amended unit is still there, in its new wording
            what = describe_unit(unit) + " " if unit else ""
            reason = (
                f"{where}{citing.label} dẫn chiếu {what}{name}, quy định đã {v.status} "
                f"({v.reason()})."
            )
        units = (view.ref(c.document_id, c.from_unit),) if c.from_unit else ()
        key = (c.document_id, c.from_unit, target, c.resolved_unit or c.target_unit, reason)
        yield (
            Finding(
                rule="dead-reference",
                severity=MEDIUM,
                documents=(view.name(c.document_id), view.name(target)),
                units=units,
                evidence=(_citation_evidence(view, c),),
                explanation=reason,
                handling=f"{AMEND} nội dung dẫn chiếu",
            ),
            key,
        )


def _missing_unit(view: CorpusView, doc_id: int, unit: str) -> str | None:
    """Why ``unit`` cannot be in the document, when its number is beyond the last one of its
    kind at that place ("Quy định chỉ có 15 điều"); None when it exists or may exist."""
    units = view.units.get(doc_id, {})
    if unit in units:
        return None
    parts = unit.split("__")
    for i in range(len(parts)):
        here = "__".join(parts[: i + 1])
        if here in units:
            continue
        parent = "__".join(parts[:i]) or None
        kind = re.sub(r"_\w+$", "", parts[i])
        m = _NUM.search(parts[i])
        if m is None or not kind:
            return None
        siblings = [
            int(n[0])
            for u in units.values()
            if u.unit_id.rsplit("__", 1)[-1].startswith(kind + "_")
            and _under(u.unit_id, parent)
            and (n := _NUM.match(u.number))
        ]
        if not siblings or int(m[0]) <= max(siblings):
            return None
        place = describe_unit(parent) if parent else "văn bản"
        noun = {"art": "điều", "para": "khoản", "point": "điểm"}.get(kind, "đơn vị")
        return f"{place} chỉ có {max(siblings)} {noun}"
    return None


def _under(unit_id: str, parent: str | None) -> bool:
    """Whether ``unit_id`` sits under ``parent`` at any depth of structure without another
    numbered unit of the same family between (articles under chapters count as under the
    attachment or the document)."""
    head = unit_id.rsplit("__", 1)[0] if "__" in unit_id else None
    if parent is None:
        return head is None
    return head == parent


def _citation_evidence(view: CorpusView, c: Any) -> Any:
    """The citation's words; where the stored span does not hold them, the nearest place that
    does (the quote must be the citation, not whatever the span points at)."""
    start, end = _span_of(view, c)
    text = view.texts[c.document_id]
    if c.text and text[start:end] != c.text:
        hits = [i for i in _find_all(text, c.text)]
        if hits:
            start = min(hits, key=lambda i: abs(i - start))
            end = start + len(c.text)
            return evidence(view, c.document_id, start, end, None)
    return evidence(view, c.document_id, start, end, c.from_unit)


def _find_all(text: str, words: str) -> list[int]:
    out, i = [], text.find(words)
    while i >= 0:
        out.append(i)
        i = text.find(words, i + 1)
    return out


def _span_of(view: CorpusView, c: Any) -> tuple[int, int]:
    return view.citation_spans.get(c.id, (0, 0))
