"""The report's data, collected once from the store into plain values: the documents in scope
with their validity, the mandated lists, the stored findings with both provisions quoted, the
list of documents to handle, the graph around each flagged document and the review queue.

:func:`collect` is the only function here that reads the store; every writer (DOCX, XLSX, HTML,
JSON) takes a :class:`ReportData` and nothing else, so the four formats say the same things.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from vbqppl.checks.finding import SEVERITIES, split_ref
from vbqppl.describe import describe_unit
from vbqppl.rules import load_rules
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, LinkRecord, load_links
from vbqppl.store.findings import OPEN, StoredFinding, load_findings
from vbqppl.store.fold import name_key
from vbqppl.store.validity import Status, Validity, corpus_validity, vn_date

LISTS = ("expired", "partly_expired", "in_force", "to_handle")


@cache
def _report_rules() -> dict[str, Any]:
    return load_rules("report")


def rule_name(rule: str) -> str:
    return _report_rules()["rules"].get(rule, {}).get("name", rule)


def rule_basis(rule: str) -> str:
    r = _report_rules()
    return " ".join(str(r["rules"].get(rule, {}).get("basis", r["common_basis"])).split())


@dataclass(frozen=True, slots=True)
class Scope:
    at: str  # validity is judged at this date (ISO)
    date_from: str | None = None  # documents issued on or after
    date_to: str | None = None  # ... and on or before
    issuer: str | None = None  # the issuer's name contains this (marks ignored)

    def describe(self) -> str:
        parts = []
        if self.date_from or self.date_to:
            parts.append(
                f"văn bản ban hành từ ngày {vn_date(self.date_from) if self.date_from else '…'}"
                f" đến ngày {vn_date(self.date_to) if self.date_to else '…'}"
            )
        if self.issuer:
            parts.append(f"cơ quan ban hành: {self.issuer}")
        parts.append(f"hiệu lực xét tại ngày {vn_date(self.at)}")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    id: int
    number: str
    type: str
    title: str
    issuer: str
    issued: str | None
    start: str | None  # the date it took (or takes) effect
    status: str  # a Status value
    since: str | None  # when the status began
    reason: str  # why, with the acting documents
    provisions: str  # for a partly ended document: the provisions no longer in force

    @property
    def label(self) -> str:
        return f"{self.type} {self.number}".strip()


@dataclass(frozen=True, slots=True)
class Side:
    """One provision a finding names, quoted from the stored text."""

    document: str
    unit: str | None
    where: str  # "khoản 1 Điều 6 văn bản kèm theo Quyết định 12/2024/QĐ-UBND"
    quote: str  # the words the finding rests on
    before: str = ""  # the provision's text around them, when the store has it
    after: str = ""


@dataclass(frozen=True, slots=True)
class FindingEntry:
    id: str
    rule: str
    rule_name: str
    severity: str
    documents: tuple[str, ...]
    units: tuple[str, ...]
    sides: tuple[Side, ...]
    explanation: str
    basis: str  # the legal basis cited for handling it
    handling: str  # recommended hình thức xử lý
    status: str  # the review state ("chưa xử lý" without a review item)
    first_seen: str


@dataclass(frozen=True, slots=True)
class ActionEntry:
    """A row of the list "văn bản cần sửa đổi, bổ sung, thay thế, bãi bỏ, đình chỉ hoặc ban hành
    mới": one per finding, naming the document that should change."""

    finding: str
    document: str  # number
    type: str
    issued: str | None
    title: str
    provision: str
    recommendation: str
    reason: str
    drafting_body: str
    deadline: str
    status: str


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    label: str
    title: str
    status: str | None  # validity of a stored document; None for one outside the store
    focus: bool = False


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    type: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class DocGraph:
    """The documents linked to one flagged document (its citations and relations, both ways)."""

    document: str
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    more: int = 0  # neighbours left out of the picture


@dataclass(frozen=True, slots=True)
class ReviewItemEntry:
    id: str
    document: str  # its label ("Quyết định 12/2024/QĐ-UBND")
    status: str
    summary: str  # why it is in the queue
    deadline: str
    assignee: str
    finding: str | None = None  # the finding it was opened for
    cause: str = ""  # "phát hiện khi rà soát", "văn bản bị tác động", "căn cứ bị tác động"
    recommendation: str = ""
    units: tuple[str, ...] = ()  # units not handled yet
    document_number: str = ""
    closed: bool = False


@dataclass(frozen=True, slots=True)
class ReviewState:
    counts: tuple[tuple[str, int], ...]
    items: tuple[ReviewItemEntry, ...]


@dataclass(frozen=True, slots=True)
class ReportData:
    scope: Scope
    generated: str  # UTC time stamp
    agency: str  # the body above the reporting unit, for the header ("Ủy ban nhân dân tỉnh X")
    place: str  # for "Hòa Lâm, ngày ..."
    documents: tuple[DocumentEntry, ...]
    findings: tuple[FindingEntry, ...]
    actions: tuple[ActionEntry, ...]
    graphs: tuple[DocGraph, ...]
    review: ReviewState | None = None
    figures: dict[str, int] = field(default_factory=dict)
    department: str = "Sở Tư pháp"  # the reporting unit itself
    recipients: tuple[str, ...] = ("Bộ Tư pháp",)

    def listed(self, status: Status) -> list[DocumentEntry]:
        return [d for d in self.documents if d.status == status.value]

    @property
    def expired(self) -> list[DocumentEntry]:
        return self.listed(Status.EXPIRED)

    @property
    def partly_expired(self) -> list[DocumentEntry]:
        return self.listed(Status.PARTLY_EXPIRED)

    @property
    def in_force(self) -> list[DocumentEntry]:
        return self.listed(Status.IN_FORCE)


# --- collecting -------------------------------------------------------------------------------


def _in_scope(d: DocRecord, scope: Scope) -> bool:
    if not d.normative:
        return False
    if scope.date_from and (d.issued or "") < scope.date_from:
        return False
    if scope.date_to and (d.issued or "9999") > scope.date_to:
        return False
    if scope.issuer:
        want = name_key(scope.issuer) or ""
        if want not in (name_key(d.issuer) or ""):
            return False
    return True


def _entry(d: DocRecord, v: Validity) -> DocumentEntry:
    provisions = ""
    if v.status in (Status.PARTLY_EXPIRED, Status.PARTLY_SUSPENDED):
        provisions = "; ".join(
            dict.fromkeys(
                describe_unit(e.unit) if e.unit else "một phần văn bản" for e in v.effects
            )
        )
    return DocumentEntry(
        id=d.id,
        number=d.name,
        type=d.type or "Văn bản",
        title=d.title or "",
        issuer=d.issuer or "",
        issued=d.issued,
        start=v.start,
        status=v.status.value,
        since=v.since,
        reason=v.reason(limit=5),
        provisions=provisions,
    )


CONTEXT = 700  # characters of the provision kept on either side of the quoted words


def _flat(text: str) -> str:
    return " ".join(text.split())


class _Texts:
    """Stored texts and unit spans, read once per document, to quote provisions in full."""

    def __init__(self, conn: Connection, docs: Mapping[int, DocRecord]) -> None:
        self.conn = conn
        self.ids: dict[str, int] = {}
        for d in docs.values():
            self.ids[d.name] = d.id
        self.cache: dict[int, tuple[str, dict[str, tuple[int, int]]]] = {}

    def get(self, number: str) -> tuple[str, dict[str, tuple[int, int]]] | None:
        doc_id = self.ids.get(number)
        if doc_id is None:
            return None
        if doc_id not in self.cache:
            d, u = schema.documents, schema.units
            text = self.conn.execute(select(d.c.text).where(d.c.id == doc_id)).scalar() or ""
            spans = {
                uid: (a, b)
                for uid, a, b in self.conn.execute(
                    select(u.c.unit_id, u.c.span_start, u.c.span_end).where(
                        u.c.document_id == doc_id
                    )
                )
            }
            self.cache[doc_id] = (text, spans)
        return self.cache[doc_id]

    def side(
        self, document: str, unit: str | None, where: str, start: int, end: int, quote: str
    ) -> Side:
        got = self.get(document)
        before = after = ""
        if got is not None and unit is not None and unit in got[1]:
            text, spans = got
            a, b = spans[unit]
            if a <= start <= end <= b and text[start:end] == quote:
                before = text[max(a, start - CONTEXT) : start]
                after = text[end : min(b, end + CONTEXT)]
                before = ("… " if start - CONTEXT > a else "") + _flat(before) + " "
                after = " " + _flat(after) + (" …" if end + CONTEXT < b else "")
        return Side(
            document,
            unit,
            where,
            _flat(quote),
            before.lstrip() if before.strip() else "",
            after.rstrip() if after.strip() else "",
        )


def _sides(sf: StoredFinding, texts: _Texts) -> tuple[Side, ...]:
    f = sf.finding
    out = []
    for e in f.evidence:
        where = describe_unit(e.unit) if e.unit else "phần mở đầu (căn cứ ban hành)"
        out.append(
            texts.side(e.document, e.unit, f"{where} — {e.document}", e.start, e.end, e.quote)
        )
    return tuple(out)


def _target_of(sf: StoredFinding) -> tuple[str, str | None]:
    """The document (number) a finding asks to change, and the unit concerned."""
    f = sf.finding
    if f.units:
        number, unit = split_ref(f.units[0])
        return number, unit or None
    return (f.documents[0] if f.documents else "?"), None


def _place(conn: Connection, ids: Collection[int]) -> str:
    t = schema.documents
    places: Counter[str] = Counter()
    for chunk in range(0, len(ids), 500):
        part = list(ids)[chunk : chunk + 500]
        places.update(p for (p,) in conn.execute(select(t.c.place).where(t.c.id.in_(part))) if p)
    return places.most_common(1)[0][0] if places else ""


_LOCAL = re.compile(
    r"^(?:Chủ tịch\s+)?(?:Hội đồng nhân dân|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?P<place>.+)$",
    re.IGNORECASE,
)


def reporting_body(docs: Iterable[DocRecord]) -> tuple[str, str, tuple[str, ...]]:
    """Who reports, from the issuer of most documents in scope: for a province's documents the
    Sở Tư pháp under the provincial Ủy ban nhân dân, reporting to it and to Bộ Tư pháp; for a
    central body, its legal department reporting to Bộ Tư pháp."""
    issuers = Counter(d.issuer for d in docs if d.issuer)
    if not issuers:
        return "", "Cơ quan rà soát", ("Bộ Tư pháp",)
    issuer = issuers.most_common(1)[0][0]
    m = _LOCAL.match(" ".join(issuer.split()))
    if m:
        ubnd = f"Ủy ban nhân dân {m['place']}"
        return ubnd, "Sở Tư pháp", (ubnd, "Bộ Tư pháp")
    return issuer, "Tổ chức pháp chế", ("Bộ Tư pháp",)


def collect(
    conn: Connection,
    scope: Scope,
    *,
    review: ReviewState | None = None,
    graph_limit: int = 14,
) -> ReportData:
    """Everything the reports show, read once from the store."""
    docs, validity = corpus_validity(conn, scope.at)
    chosen = {i: d for i, d in docs.items() if _in_scope(d, scope)}
    entries = sorted(
        (_entry(d, validity[i]) for i, d in chosen.items()),
        key=lambda e: (e.issued or "", e.number),
    )
    numbers = {e.number for e in entries}
    by_number = {e.number: e for e in entries}
    scoped = scope.date_from or scope.date_to or scope.issuer
    if scoped and review is not None:
        review = _scoped_review(review, numbers)
    stored = [
        sf
        for sf in load_findings(conn, status=OPEN)
        if not scoped or numbers.intersection(sf.finding.documents)
    ]
    by_finding = {i.finding: i for i in review.items if i.finding} if review else {}
    texts = _Texts(conn, docs)
    findings = []
    actions = []
    sev_order = {s: i for i, s in enumerate(SEVERITIES)}
    stored.sort(
        key=lambda s: (sev_order.get(s.finding.severity, 9), s.finding.rule, s.finding.documents)
    )
    for sf in stored:
        f = sf.finding
        item = by_finding.get(f.id)
        status = item.status if item else "chưa xử lý"
        findings.append(
            FindingEntry(
                id=f.id,
                rule=f.rule,
                rule_name=rule_name(f.rule),
                severity=f.severity,
                documents=f.documents,
                units=f.units,
                sides=_sides(sf, texts),
                explanation=f.explanation,
                basis=rule_basis(f.rule),
                handling=f.handling,
                status=status,
                first_seen=sf.first_seen,
            )
        )
        number, unit = _target_of(sf)
        doc = by_number.get(number)
        actions.append(
            ActionEntry(
                finding=f.id,
                document=number,
                type=doc.type if doc else "",
                issued=doc.issued if doc else None,
                title=doc.title if doc else "",
                provision=describe_unit(unit) if unit else "toàn văn / phần căn cứ",
                recommendation=(item.recommendation if item else "") or f.handling,
                reason=f.explanation,
                drafting_body=item.assignee if item else "",
                deadline=vn_date(item.deadline) if item and item.deadline else "",
                status=status,
            )
        )
    actions += _queue_actions(review, by_number, numbers if scoped else None)
    flagged = [
        by_number[n]
        for n in dict.fromkeys(n for f in findings for n in f.documents)
        if n in by_number
    ]
    graphs = _graphs(conn, flagged, docs, validity, graph_limit)
    figures = _figures(entries, findings, actions, review)
    place = _place(conn, list(chosen))
    agency, department, recipients = reporting_body(chosen.values())
    return ReportData(
        scope=scope,
        generated=datetime.now(UTC).isoformat(timespec="seconds"),
        agency=agency,
        department=department,
        recipients=recipients,
        place=place,
        documents=tuple(entries),
        findings=tuple(findings),
        actions=tuple(actions),
        graphs=tuple(graphs),
        review=review,
        figures=figures,
    )


def _scoped_review(review: ReviewState, numbers: Collection[str]) -> ReviewState:
    """The queue's items about documents in scope, and their counts."""
    items = tuple(i for i in review.items if i.document_number in numbers)
    counts = Counter(i.status for i in items)
    return ReviewState(tuple((s, counts[s]) for s, _ in review.counts), items)


def _queue_actions(
    review: ReviewState | None,
    by_number: Mapping[str, DocumentEntry],
    numbers: set[str] | None,
) -> list[ActionEntry]:
    """Open queue items not opened by a finding (a document acted on, or issued on the basis
    of one, Nghị định 79/2025 Điều 39): rows of the list of documents to handle."""
    if review is None:
        return []
    out = []
    for i in review.items:
        if i.finding or i.closed or (numbers is not None and i.document_number not in numbers):
            continue
        doc = by_number.get(i.document_number)
        out.append(
            ActionEntry(
                finding=f"mục {i.id}",
                document=i.document_number,
                type=doc.type if doc else "",
                issued=doc.issued if doc else None,
                title=doc.title if doc else "",
                provision="; ".join(describe_unit(u) for u in i.units) or "toàn văn",
                recommendation=i.recommendation or "rà soát, đề xuất hình thức xử lý",
                reason=f"{i.cause}: {i.summary}",
                drafting_body=i.assignee,
                deadline=vn_date(i.deadline) if i.deadline else "",
                status=i.status,
            )
        )
    return out


def _figures(
    entries: list[DocumentEntry],
    findings: list[FindingEntry],
    actions: list[ActionEntry],
    review: ReviewState | None,
) -> dict[str, int]:
    statuses = Counter(e.status for e in entries)
    out = {
        "documents": len(entries),
        "expired": statuses[Status.EXPIRED.value],
        "partly_expired": statuses[Status.PARTLY_EXPIRED.value],
        "in_force": statuses[Status.IN_FORCE.value],
        "not_yet": statuses[Status.NOT_YET.value],
        "suspended": statuses[Status.SUSPENDED.value] + statuses[Status.PARTLY_SUSPENDED.value],
        "findings": len(findings),
        "to_handle": len(actions),
    }
    for s in SEVERITIES:
        out[f"severity:{s}"] = sum(f.severity == s for f in findings)
    for rule, n in Counter(f.rule for f in findings).items():
        out[f"rule:{rule}"] = n
    if review is not None:
        out["review_items"] = len(review.items)
        for status, n in review.counts:
            out[f"review:{status}"] = n
    return out


def _graphs(
    conn: Connection,
    flagged: list[DocumentEntry],
    docs: Mapping[int, DocRecord],
    validity: Mapping[int, Validity],
    limit: int,
) -> list[DocGraph]:
    if not flagged:
        return []
    ids = [d.id for d in flagged]
    links = load_links(conn, "citation", touching=ids) + load_links(conn, "relation", touching=ids)

    def node(doc_id: int | None, label: str | None) -> tuple[str, GraphNode]:
        if doc_id is not None and doc_id in docs:
            d = docs[doc_id]
            nid = f"doc:{doc_id}"
            return nid, GraphNode(
                nid,
                d.name,
                f"{d.label} — {d.title or ''}",
                validity[doc_id].status.value,
            )
        nid = f"ext:{label}"
        return nid, GraphNode(nid, label or "?", f"{label} (ngoài kho)", None)

    touching: dict[int, list[LinkRecord]] = {}
    for link in links:
        touching.setdefault(link.document_id, []).append(link)
        if link.resolved_document_id not in (None, link.document_id):
            touching.setdefault(link.resolved_document_id, []).append(link)
    out = []
    for entry in flagged:
        me = f"doc:{entry.id}"
        nodes: dict[str, GraphNode] = {}
        edges: Counter[tuple[str, str, str]] = Counter()
        for link in touching.get(entry.id, ()):
            src_id, dst_label = link.document_id, link.target_label
            if link.resolved_document_id is None and not (link.target_number or link.target_name):
                continue  # a bare "Điều 5" that names no document
            s, sn = node(src_id, None)
            t, tn = node(link.resolved_document_id, dst_label)
            if s == t:
                continue
            nodes.setdefault(s, sn)
            nodes.setdefault(t, tn)
            edges[(s, t, link.type)] += 1
        focus = nodes.get(me) or node(entry.id, None)[1]
        nodes[me] = GraphNode(focus.id, focus.label, focus.title, focus.status, focus=True)
        others = [n for n in nodes if n != me]
        degree: Counter[str] = Counter()
        for (s, t, _), n in edges.items():
            degree[s if t == me else t] += n
        keep = set(sorted(others, key=lambda n: (-degree[n], n))[:limit]) | {me}
        out.append(
            DocGraph(
                entry.number,
                tuple(nodes[n] for n in sorted(keep, key=lambda n: (n != me, n))),
                tuple(
                    GraphEdge(s, t, typ, n)
                    for (s, t, typ), n in sorted(edges.items())
                    if s in keep and t in keep
                ),
                more=max(0, len(others) - limit),
            )
        )
    return out
