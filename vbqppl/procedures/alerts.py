"""Alerts for registered procedures whose legal basis has ended: a finding (rule
``procedure-basis``) for each procedure whose basis document is no longer in force, or whose
basis provision has been repealed, replaced or amended, at a date.

The findings are ordinary :class:`~vbqppl.checks.finding.Finding` values with evidence quoted
from the stored basis provision; :func:`save_basis_findings` stores them next to the checks'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from vbqppl.checks.finding import HIGH, MEDIUM, Evidence, Finding, finding_id
from vbqppl.describe import describe_unit
from vbqppl.procedures.publish import basis_targets
from vbqppl.procedures.register import BasisRef, Procedure, load_register
from vbqppl.store import schema
from vbqppl.store.findings import SaveReport, save_findings
from vbqppl.store.validity import DocumentReport, Status, Validity, document_report, vn_date

RULE = "procedure-basis"
QUOTE_LIMIT = 300
HANDLING = (
    "rà soát thủ tục hành chính; công bố thủ tục được sửa đổi, bổ sung, thay thế hoặc bị bãi bỏ"
)


@dataclass(frozen=True, slots=True)
class _Hit:
    basis: BasisRef
    doc_id: int
    number: str
    label: str
    unit: str | None
    validity: Validity
    whole: bool  # the whole document has ended


def _quote(conn: Connection, doc_id: int, number: str, unit: str | None) -> Evidence | None:
    u, d = schema.units, schema.documents
    start = end = None
    if unit:
        row = conn.execute(
            select(u.c.span_start, u.c.span_end).where(
                u.c.document_id == doc_id, u.c.unit_id == unit
            )
        ).first()
        if row:
            start, end = row
    text = conn.execute(select(d.c.text).where(d.c.id == doc_id)).scalar() or ""
    if start is None or end is None:
        start, end, unit = 0, len(text), None
    end = min(end, start + QUOTE_LIMIT)
    if end <= start:
        return None
    return Evidence(number, unit, start, end, text[start:end])


def _hits(
    conn: Connection, p: Procedure, targets: dict[BasisRef, list[int]], at: str, cache: dict
) -> list[_Hit]:
    out = []
    for basis in p.bases:
        for doc_id in targets.get(basis, ()):
            if doc_id not in cache:
                cache[doc_id] = document_report(conn, doc_id, at)
            rep = cache[doc_id]
            doc_status = rep.validity.status
            number = rep.document.number or f"#{doc_id}"
            if doc_status in (Status.EXPIRED, Status.SUSPENDED):
                out.append(
                    _Hit(basis, doc_id, number, rep.document.label, basis.unit, rep.validity, True)
                )
                continue
            if basis.unit is None:
                continue
            v = rep.units.get(basis.unit)
            if v is not None and v.status in (
                Status.EXPIRED,
                Status.SUSPENDED,
                Status.PARTLY_EXPIRED,
                Status.PARTLY_SUSPENDED,
            ):
                out.append(_Hit(basis, doc_id, number, rep.document.label, basis.unit, v, False))
    return out


def _explain(p: Procedure, hits: list[_Hit]) -> str:
    name = f"Thủ tục “{p.name}”" + (f" (mã {p.code})" if p.code else "")
    parts = []
    for h in hits:
        where = f"{describe_unit(h.unit)} {h.label}" if h.unit else h.label
        state = h.validity.status.value
        when = f" từ ngày {vn_date(h.validity.since)}" if h.validity.since else ""
        parts.append(f"{where} ({state}{when}: {h.validity.reason()})")
    return (
        f"{name} có căn cứ pháp lý là " + "; ".join(parts) + ": cần rà soát, công bố lại thủ tục."
    )


def basis_findings(conn: Connection, at: str) -> list[Finding]:
    """A finding for each registered procedure whose legal basis has ended or changed at ``at``."""
    register = load_register(conn)
    targets = basis_targets(conn, register)
    cache: dict[int, DocumentReport] = {}
    out = []
    for p in register:
        hits = _hits(conn, p, targets, at, cache)
        if not hits:
            continue
        evidence = tuple(
            e for h in hits if (e := _quote(conn, h.doc_id, h.number, h.unit)) is not None
        )
        units = tuple(dict.fromkeys(f"{h.number}#{h.unit}" for h in hits if h.unit))
        documents = tuple(dict.fromkeys(h.number for h in hits))
        severity = (
            HIGH if any(h.whole or h.validity.status is Status.EXPIRED for h in hits) else MEDIUM
        )
        key = f"{RULE}:{p.code or p.name}"
        out.append(
            Finding(
                rule=RULE,
                severity=severity,
                documents=documents,
                units=units,
                evidence=tuple(dict.fromkeys(evidence)),
                explanation=_explain(p, hits),
                handling=HANDLING,
                id=finding_id(key, units, tuple(dict.fromkeys(evidence))),
            )
        )
    return out


def save_basis_findings(conn: Connection, findings: Sequence[Finding]) -> SaveReport:
    """Store the alerts; earlier alerts not found again are marked gone."""
    return save_findings(conn, findings, covered_rules=[RULE])
