"""Resolution: each citation and relation target → a document (and unit) of the corpus.

By number first (``DocNumber.key``: spacing, Đ/D and leading zeros do not matter). A target
named without a number ("Bộ luật Lao động") resolves to the corpus document of that name in
force at the citing document's date of signing: "Bộ luật Lao động" cited in 2016 is the 2012
code, in 2021 the 2019 code. A document of a province never resolves to another province's
(local numbers repeat across provinces). A target ``self`` is the citing document. Whatever
does not resolve is kept, marked ``unresolved`` (``document``: no such document in the corpus;
``unit``: the document is there but not the unit), and listed by ``vbqppl unresolved``.

:func:`resolve_target` is a pure function of the target, the citing document and an
:class:`Index` of the corpus; :func:`resolve_store` runs it over the store.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, literal, select, update

from vbqppl.checks.territory import province
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links, load_units
from vbqppl.store.db import Store, chunks, set_meta
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


def _same_province(ids: list[int], citing: DocRecord, index: Index) -> list[int]:
    """Of ``ids``, those a document of ``citing``'s province may mean: a provincial body's
    document cites its own province's documents, and every province has a 01/2010/QĐ-UBND,
    so a document of another province is never the one meant (a citation resolved to it
    would have one province's decision repeal another's). A document whose issuer names no
    province (central, a district, a provincial city) is kept, and so is every one for such
    a citing document."""
    home = province(citing.issuer)
    if home is None:
        return ids
    return [i for i in ids if province(index.docs[i].issuer) in (None, home)]


def _by_number(key: str, date: str | None, citing: DocRecord, index: Index) -> int | None:
    ids = _same_province(index.by_number.get(key, []), citing, index)
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

    def named(k: str) -> list[int]:
        return _same_province(
            [i for i in index.by_name.get(k, []) if i != citing.id], citing, index
        )

    candidates = named(key)
    m = _YEAR.match(key)
    if not candidates and m:  # "Luật Đất đai năm 2013"
        candidates = named(m["name"])
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
    """How many citations and relations resolved, and how: of the whole store, or (``scope``
    "new", an incremental resolution) of the links of the documents just stored, which is
    what an ingest of a few documents wants to know and does not cost a count of the store's
    million links."""

    citations: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    scope: str = "store"  # store | new
    changed: int = 0
    # the documents whose citations or relations resolved differently (the review queue's
    # sync after an ingest looks at these)
    documents: set[int] = field(default_factory=set)

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


def _update(
    conn: Connection, kind: str, pairs: list[tuple[LinkRecord, Resolution]], owners: set[int]
) -> int:
    """Store the resolutions that changed; add the documents they belong to to ``owners``."""
    t = schema.citations if kind == "citation" else schema.relations
    changed = [
        (link, r)
        for link, r in pairs
        if (link.resolved_document_id, link.resolved_unit, link.resolution, link.unresolved)
        != (r.document_id, r.unit, r.method, r.unresolved)
    ]
    owners.update(link.document_id for link, _ in changed)
    rows = [
        {
            "link_id": link.id,
            "doc": r.document_id,
            "unit": r.unit,
            "method": r.method,
            "unres": r.unresolved,
        }
        for link, r in changed
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


def resolve_store(
    store: Store, documents: Collection[int] | None = None, *, keys: Collection[str] = ()
) -> ResolutionReport:
    """Resolve the citations and relations of the store again (new documents can resolve old
    links, and change which law a name means), in one transaction.

    With ``documents`` (the ones an ingest has just stored), only the links whose answer can
    have changed are resolved: theirs, and those naming their number or their name or one of
    ``keys`` (the number and name keys of the documents they replaced), against only the
    documents those links can name. The answer is the same as resolving everything, at a cost
    that grows with the new documents and what cites them, not with the store; the report
    then counts the links of ``documents`` (scope "new"), else those of the store."""
    incremental = documents is not None and len(documents) <= INCREMENTAL_MAX
    with store.begin() as conn:
        if not incremental:
            index = Index.build(load_documents(conn), load_units(conn))
            todo = {kind: load_links(conn, kind) for kind in _KINDS}
        else:
            new = load_documents(conn, documents)
            numbers = {d.number_key for d in new.values() if d.number_key} | set(keys)
            names = {d.name_key for d in new.values() if d.name_key} | set(keys)
            todo = {kind: _links_to_redo(conn, kind, list(new), numbers, names) for kind in _KINDS}
            links = todo["citation"] + todo["relation"]
            index = Index.build(_documents_named(conn, links), _UnitsOnDemand(conn))
        changed = 0
        owners: set[int] = set()
        own: dict[str, Counter[str]] = {}
        for kind in _KINDS:
            pairs, _ = resolve_all(todo[kind], index)
            changed += _update(conn, kind, pairs, owners)
            if incremental and documents is not None:
                own[kind] = Counter(_outcome(r) for x, r in pairs if x.document_id in documents)
        set_meta(conn, STALE, None)
        if incremental:
            report = ResolutionReport(own["citation"], own["relation"], scope="new")
        else:
            report = resolution_counts(conn)
    report.changed = changed
    report.documents = owners
    return report


_KINDS = ("citation", "relation")
# Past this many new documents, resolving everything is as cheap (and keeps IN lists short).
INCREMENTAL_MAX = 2000


class _UnitsOnDemand(Mapping[int, Mapping[str, str | None]]):
    """The units of a document, read from the store the first time a link resolves to it."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._seen: dict[int, Mapping[str, str | None]] = {}

    def __getitem__(self, doc_id: int) -> Mapping[str, str | None]:
        if doc_id not in self._seen:
            self._seen[doc_id] = load_units(self._conn, [doc_id]).get(doc_id, {})
        return self._seen[doc_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._seen)

    def __len__(self) -> int:
        return len(self._seen)


def _name_keys(name: str | None) -> set[str]:
    """The keys a name can resolve by: its own, and without its year ("Luật Đất đai năm 2013")."""
    key = name_key(name)
    if key is None:
        return set()
    m = _YEAR.match(key)
    return {key, m["name"]} if m else {key}


def _links_to_redo(
    conn: Connection, kind: str, new: list[int], numbers: set[str], names: set[str]
) -> list[LinkRecord]:
    """The links whose resolution documents ``new`` with ``numbers`` and ``names`` (or the
    loss of documents with those keys) can change."""
    t = schema.citations if kind == "citation" else schema.relations
    ids: set[int] = set()
    conditions = [t.c.document_id.in_(new)] if new else []
    if numbers:
        conditions.append(t.c.target_key.in_(sorted(numbers)))
    for cond in conditions:
        ids.update(r[0] for r in conn.execute(select(t.c.id).where(cond)))
    if names:  # cited by name only: each distinct name once, then its links
        by_name = t.c.target_key.is_(None) & t.c.target_name.is_not(None)
        wanted = [n for n in distinct_names(conn, t) if _name_keys(n) & names]
        for part in chunks(wanted):
            ids.update(
                r[0] for r in conn.execute(select(t.c.id).where(by_name, t.c.target_name.in_(part)))
            )
    return load_links(conn, kind, ids=ids) if ids else []


def distinct_names(conn: Connection, t: Table) -> Iterator[str]:
    """The names the links of ``t`` cite without a number, in order, each once: a loose scan
    of the index on ``(target_key, target_name)``, one step per name (a store of a million
    links names a few hundred laws by name; reading the links would read them all)."""
    step = select(func.min(t.c.target_name)).where(t.c.target_key.is_(None))
    name = conn.execute(step.where(t.c.target_name.is_not(None))).scalar()
    while name is not None:
        yield name
        name = conn.execute(step.where(t.c.target_name > name)).scalar()


def _documents_named(conn: Connection, links: list[LinkRecord]) -> dict[int, DocRecord]:
    """The documents ``links`` come from or can resolve to (by number or by name)."""
    t = schema.documents
    wanted: dict[Any, set[Any]] = {
        t.c.id: {link.document_id for link in links},
        t.c.number_key: {link.target_key for link in links if link.target_key},
        t.c.name_key: {
            k for link in links if not link.target_key for k in _name_keys(link.target_name)
        },
    }
    ids: set[int] = set()
    for column, values in wanted.items():
        for part in chunks(values):
            ids.update(r[0] for r in conn.execute(select(t.c.id).where(column.in_(part))))
    docs: dict[int, DocRecord] = {}
    for part in chunks(ids):
        docs.update(load_documents(conn, part))
    return docs


def resolution_counts(conn: Connection) -> ResolutionReport:
    """The resolution figures as stored (no resolving), counted by the database."""
    report = ResolutionReport()
    for kind in _KINDS:
        t = schema.citations if kind == "citation" else schema.relations
        outcome = func.coalesce(t.c.unresolved, t.c.resolution, literal("document"))
        counts: Counter[str] = Counter(
            {k: n for k, n in conn.execute(select(outcome, func.count()).group_by(outcome))}
        )
        if kind == "citation":
            report.citations = counts
        else:
            report.relations = counts
    return report
