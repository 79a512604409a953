"""Resolution: each citation and relation target → a document (and unit) of the corpus.

By number first (``DocNumber.key``: spacing, Đ/D and leading zeros do not matter). A target
named without a number ("Bộ luật Lao động") resolves to the corpus document of that name in
force at the citing document's date of signing: "Bộ luật Lao động" cited in 2016 is the 2012
code, in 2021 the 2019 code. A target ``self`` is the citing document. Whatever does not
resolve is kept, marked ``unresolved`` (``document``: no such document in the corpus; ``unit``:
the document is there but not the unit), and listed by ``vbqppl unresolved``.

:func:`resolve_target` is a pure function of the target, the citing document and an
:class:`Index` of the corpus; :func:`resolve_store` runs it over the store.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, update

from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links, load_units
from vbqppl.store.db import Store, set_meta
from vbqppl.store.documents import number_key
from vbqppl.store.fold import name_key
from vbqppl.store.validity import record_start

STALE = "resolution_stale"
CONSOLIDATED = "van ban hop nhat"


@dataclass(frozen=True, slots=True)
class Resolution:
    document_id: int | None = None
    unit: str | None = None
    method: str | None = None  # number | name | self
    unresolved: str | None = None  # document | unit | None when fully resolved


@dataclass
class Index:
    """What resolution looks up: documents by number key and by name, and their units."""

    docs: dict[int, DocRecord]
    units: Mapping[int, Mapping[str, str | None]]
    by_number: dict[str, list[int]] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, docs: Mapping[int, DocRecord], units: Mapping[int, Mapping[str, str | None]]
    ) -> Index:
        index = cls(dict(docs), units)
        for d in docs.values():
            if d.number_key:
                index.by_number.setdefault(d.number_key, []).append(d.id)
            if d.name_key:
                index.by_name.setdefault(d.name_key, []).append(d.id)
        return index


_YEAR = re.compile(r"^(?P<name>.+?)\s+(?:nam\s+)?(?P<year>(?:19|20)\d\d)$")


def _by_number(key: str, date: str | None, citing: DocRecord, index: Index) -> int | None:
    ids = index.by_number.get(key, [])
    if len(ids) <= 1:
        return ids[0] if ids else None
    at = citing.issued or "9999"

    def rank(i: int) -> tuple:
        d = index.docs[i]
        return (
            date is not None and d.issued == date,  # the date the citation gives
            not (name_key(d.type) or "").startswith(CONSOLIDATED),  # the act, not a consolidation
            d.issued is not None and d.issued <= at,  # signed before the citing document
            d.issued or "",
            -i,
        )

    return max(ids, key=rank)


def _by_name(name: str, date: str | None, citing: DocRecord, index: Index) -> int | None:
    key = name_key(name)
    if key is None:
        return None
    year = date[:4] if date else None
    candidates = [i for i in index.by_name.get(key, []) if i != citing.id]
    m = _YEAR.match(key)
    if not candidates and m:  # "Luật Đất đai năm 2013"
        candidates = [i for i in index.by_name.get(m["name"], []) if i != citing.id]
        year = year or m["year"]
    if not candidates:
        return None
    if date is not None:
        exact = [i for i in candidates if index.docs[i].issued == date]
        if exact:
            return exact[0]
    if year is not None:
        same_year = [i for i in candidates if (index.docs[i].issued or "")[:4] == year]
        if same_year:
            return same_year[0]
    # the one in force when the citing document was signed: the latest to take effect by then
    at = citing.issued
    dated = [(record_start(index.docs[i]) or index.docs[i].issued, i) for i in candidates]
    if at is None:
        known = [x for x in dated if x[0]]
        return max(known)[1] if known else (candidates[0] if len(candidates) == 1 else None)
    before = [x for x in dated if x[0] and x[0] <= at]
    return max(before)[1] if before else None


def resolve_target(
    *,
    number: str | None,
    name: str | None,
    date: str | None,
    unit: str | None,
    self_ref: bool,
    citing: DocRecord,
    index: Index,
) -> Resolution:
    """Which corpus document (and unit) a target is."""
    doc_id: int | None = None
    method: str | None = None
    if self_ref:
        doc_id, method = citing.id, "self"
    elif number:
        key = number_key(number)
        doc_id = _by_number(key, date, citing, index) if key else None
        method = "number"
    elif name:
        doc_id = _by_name(name, date, citing, index)
        method = "name"
    if doc_id is None:
        return Resolution(unresolved="document")
    if unit is None:
        return Resolution(doc_id, None, method)
    if unit in index.units.get(doc_id, {}):
        return Resolution(doc_id, unit, method)
    return Resolution(doc_id, None, method, unresolved="unit")


def resolve_link(link: LinkRecord, index: Index) -> Resolution:
    citing = index.docs[link.document_id]
    return resolve_target(
        number=link.target_number,
        name=link.target_name,
        date=link.target_date,
        unit=link.target_unit,
        self_ref=link.target_self,
        citing=citing,
        index=index,
    )


@dataclass
class ResolutionReport:
    """How many citations and relations resolved, and how."""

    citations: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    changed: int = 0

    @staticmethod
    def share(counts: Counter[str]) -> tuple[int, int]:
        total = sum(counts.values())
        return total - counts["document"], total


def _outcome(r: Resolution) -> str:
    return r.unresolved or r.method or "document"


def resolve_all(
    links: Iterable[LinkRecord], index: Index
) -> tuple[list[tuple[LinkRecord, Resolution]], Counter[str]]:
    out = []
    counts: Counter[str] = Counter()
    for link in links:
        r = resolve_link(link, index)
        counts[_outcome(r)] += 1
        out.append((link, r))
    return out, counts


def _update(conn: Connection, kind: str, pairs: list[tuple[LinkRecord, Resolution]]) -> int:
    t = schema.citations if kind == "citation" else schema.relations
    rows = [
        {
            "link_id": link.id,
            "doc": r.document_id,
            "unit": r.unit,
            "method": r.method,
            "unres": r.unresolved,
        }
        for link, r in pairs
        if (link.resolved_document_id, link.resolved_unit, link.resolution, link.unresolved)
        != (r.document_id, r.unit, r.method, r.unresolved)
    ]
    if rows:
        conn.execute(
            update(t)
            .where(t.c.id == bindparam("link_id"))
            .values(
                resolved_document_id=bindparam("doc"),
                resolved_unit=bindparam("unit"),
                resolution=bindparam("method"),
                unresolved=bindparam("unres"),
            ),
            rows,
        )
    return len(rows)


def resolve_store(store: Store) -> ResolutionReport:
    """Resolve every citation and relation of the store again (new documents can resolve old
    links, and change which law a name means), in one transaction."""
    report = ResolutionReport()
    with store.begin() as conn:
        index = Index.build(load_documents(conn), load_units(conn))
        for kind in ("citation", "relation"):
            pairs, counts = resolve_all(load_links(conn, kind), index)
            report.changed += _update(conn, kind, pairs)
            if kind == "citation":
                report.citations = counts
            else:
                report.relations = counts
        set_meta(conn, STALE, None)
    return report


def resolution_counts(conn: Connection) -> ResolutionReport:
    """The resolution figures as stored (no resolving)."""
    report = ResolutionReport()
    for kind in ("citation", "relation"):
        counts: Counter[str] = Counter(
            (link.unresolved or link.resolution or "document") for link in load_links(conn, kind)
        )
        if kind == "citation":
            report.citations = counts
        else:
            report.relations = counts
    return report
