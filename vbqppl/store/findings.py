"""Stored findings: upsert by deterministic id, list with filters (the database edge of
:mod:`vbqppl.checks`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from vbqppl.checks.finding import Evidence, Finding
from vbqppl.store import schema
from vbqppl.store.db import chunks, now
from vbqppl.store.documents import names_document

OPEN = "open"
GONE = "gone"


@dataclass(frozen=True, slots=True)
class StoredFinding:
    finding: Finding
    first_seen: str
    last_seen: str
    status: str


@dataclass(frozen=True, slots=True)
class SaveReport:
    new: int
    seen_again: int
    gone: int


def save_findings(
    conn: Connection, findings: Sequence[Finding], *, covered_rules: Collection[str] | None = None
) -> SaveReport:
    """Insert new findings, refresh the ones seen before (same id), and when the run covered
    the whole corpus for ``covered_rules``, mark their other open findings ``gone``."""
    t = schema.findings
    stamp = now()
    ids = [f.id for f in findings]
    known: set[str] = set()
    for part in chunks(ids):
        known.update(r[0] for r in conn.execute(select(t.c.id).where(t.c.id.in_(part))))
    new_rows = []
    for f in findings:
        row = {
            "rule": f.rule,
            "severity": f.severity,
            "documents": list(f.documents),
            "units": list(f.units),
            "evidence": [e.to_json() for e in f.evidence],
            "explanation": f.explanation,
            "handling": f.handling,
            "last_seen": stamp,
        }
        if f.id in known:
            conn.execute(update(t).where(t.c.id == f.id).values(**row, status=OPEN))
        else:
            new_rows.append({"id": f.id, **row, "first_seen": stamp, "status": OPEN})
    if new_rows:
        conn.execute(t.insert(), new_rows)
    gone = 0
    if covered_rules:
        current = set(ids)
        stale = [
            r[0]
            for r in conn.execute(
                select(t.c.id).where(t.c.rule.in_(list(covered_rules)), t.c.status == OPEN)
            )
            if r[0] not in current
        ]
        for part in chunks(stale):
            conn.execute(update(t).where(t.c.id.in_(part)).values(status=GONE))
        gone = len(stale)
    return SaveReport(len(new_rows), len(known), gone)


def load_findings(
    conn: Connection,
    *,
    rules: Collection[str] | None = None,
    document: str | None = None,
    status: str | None = OPEN,
) -> list[StoredFinding]:
    """Stored findings, by rule then first document; ``document`` keeps those naming it."""
    t = schema.findings
    stmt = select(t).order_by(t.c.rule, t.c.id)
    if rules:
        stmt = stmt.where(t.c.rule.in_(list(rules)))
    if status is not None:
        stmt = stmt.where(t.c.status == status)
    out = []
    for r in conn.execute(stmt).mappings():
        if document is not None and not any(names_document(n, document) for n in r["documents"]):
            continue
        f = Finding(
            rule=r["rule"],
            severity=r["severity"],
            documents=tuple(r["documents"]),
            units=tuple(r["units"]),
            evidence=tuple(Evidence.from_json(e) for e in r["evidence"]),
            explanation=r["explanation"],
            handling=r["handling"],
            id=r["id"],
        )
        out.append(StoredFinding(f, r["first_seen"], r["last_seen"], r["status"]))
    out.sort(key=lambda s: (s.finding.rule, s.finding.documents, s.finding.id))
    return out
