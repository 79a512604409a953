"""The review queue in the store: open items for events and findings, close them when the
handling documents arrive, and read them back.

:func:`sync` runs after every ingest (the ingest command calls it; so does ``vbqppl demo``):
it opens the Điều 39 items the stored relations and Căn cứ citations call for and closes the
items later documents handle (:mod:`vbqppl.review.rules`). :func:`open_for_findings` runs after
``vbqppl check``. Both are set-based (a few queries for the whole corpus) and idempotent: an item
is keyed by its cause, so running them again opens nothing twice. Every item opened, merged or
closed gets a line in the audit log, as a reviewer's change does (:mod:`vbqppl.review.edit`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from vbqppl.checks.finding import Finding, split_ref
from vbqppl.errors import VbqpplError
from vbqppl.review.model import (
    CLOSED_STATUSES,
    DONE,
    FINDING,
    HANDLERS,
    NEW,
    OPEN_STATUSES,
    PRIORITIES,
    TRIGGERS,
    ItemUnit,
    LogEntry,
    ReviewItem,
    match_choice,
)
from vbqppl.review.rules import (
    Closure,
    Handling,
    Opening,
    doc_key,
    plan_closings,
    plan_openings,
)
from vbqppl.review.scope import (
    around,
    basis_record,
    documents_of,
    relations_where,
)
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links
from vbqppl.store.db import Store, get_meta, now, set_meta
from vbqppl.store.documents import named_documents, names_document
from vbqppl.store.ingest import IngestReport
from vbqppl.store.resolve import INCREMENTAL_MAX

SYSTEM = "vbqppl (tự động)"
CHUNK = 500


@dataclass
class SyncReport:
    """What a sync (or a findings run) did to the queue."""

    opened: Counter[str] = field(default_factory=Counter)  # cause -> items opened
    merged: int = 0  # causes already in the queue (units added to an open item, or nothing new)
    closed: list[int] = field(default_factory=list)  # items closed by a handling document
    partly: list[int] = field(default_factory=list)  # items with some units handled, still open
    opened_ids: list[int] = field(default_factory=list)

    @property
    def total_opened(self) -> int:
        return sum(self.opened.values())


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def _log_rows(item_id: int, user: str, action: str, changes: dict[str, tuple[Any, Any]], **kw: Any):
    stamp = kw.pop("at", None) or now()
    version = kw.pop("version", None)
    outcome = kw.pop("outcome", "ok")
    if not changes:
        changes = {"": (None, None)}
    return [
        {
            "item_id": item_id,
            "at": stamp,
            "user": user,
            "action": action,
            "field": name or None,
            "old_value": None if old is None else str(old),
            "new_value": None if new is None else str(new),
            "version": version,
            "outcome": outcome,
        }
        for name, (old, new) in changes.items()
    ]


def _relation_mark(conn: Connection) -> int:
    return int(conn.execute(select(func.max(schema.relations.c.id))).scalar() or 0)


def _existing(
    conn: Connection, after: int = 0, keys: Collection[str] | None = None
) -> dict[str, tuple[int, str]]:
    """Every item's key (those with an id above ``after``) -> (id, status): one query, which
    on PostgreSQL is much faster than many ``key IN (...)`` lookups; with ``keys`` (one
    ``IN`` list), only those items."""
    t = schema.review_items
    stmt = select(t.c.key, t.c.id, t.c.status)
    if after:
        stmt = stmt.where(t.c.id > after)
    if keys is not None:
        stmt = stmt.where(t.c.key.in_(list(keys)))
    return {r.key: (r.id, r.status) for r in conn.execute(stmt)}


def _insert(conn: Connection, openings: Sequence[Opening], report: SyncReport) -> set[int]:
    """Insert new items (by key), add units to the open ones already there, log it all; the
    documents of the items opened (and not opened already handled)."""
    t, tu = schema.review_items, schema.review_units
    if not openings:
        return set()
    unique: dict[str, Opening] = {}
    for o in openings:
        if o.key in unique:  # the same cause twice in one batch: merge the units
            prev = unique[o.key]
            units = tuple(dict.fromkeys(prev.units + o.units))
            unique[o.key] = Opening(**{**_fields(prev), "units": units})
        else:
            unique[o.key] = o
    if len(unique) <= CHUNK:  # a few causes: look up only their keys
        existing = _existing(conn, keys=list(unique))
        before = int(conn.execute(select(func.max(t.c.id))).scalar() or 0)
    else:
        existing = _existing(conn)
        before = max((i for i, _ in existing.values()), default=0)
    stamp = now()
    mark = _relation_mark(conn)
    fresh = [o for k, o in unique.items() if k not in existing]
    if fresh:
        conn.execute(
            t.insert(),
            [
                {
                    "key": o.key,
                    "cause": o.cause,
                    "document_id": o.document_id,
                    "document": o.document,
                    "document_label": o.document_label,
                    "reason": o.reason,
                    "rule": o.rule,
                    "finding_id": o.finding_id,
                    "trigger_document_id": o.trigger_document_id,
                    "trigger": o.trigger,
                    "trigger_type": o.trigger_type,
                    "trigger_issued": o.trigger_issued,
                    "via": o.via,
                    "recommendation": o.recommendation,
                    "status": DONE if o.handled else NEW,
                    "assignee": None,
                    "priority": o.priority,
                    "deadline": None,
                    "notes": [],
                    "handled_by": o.handled.by if o.handled else None,
                    "handled_by_id": o.handled.by_id if o.handled else None,
                    "handled_on": o.handled.on if o.handled else None,
                    "outcome": o.handled.outcome if o.handled else None,
                    "relation_mark": mark,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "version": 1,
                }
                for o in fresh
            ],
        )
        ids = _existing(conn, after=before)
        unit_rows = []
        log_rows = []
        for o in fresh:
            item_id = ids[o.key][0]
            report.opened[o.cause] += 1
            report.opened_ids.append(item_id)
            unit_rows += [{"item_id": item_id, "unit_id": u} for u in o.units]
            log_rows += _log_rows(item_id, SYSTEM, "open", {}, at=stamp, version=0)
            if o.handled:
                report.closed.append(item_id)
                log_rows += _log_rows(item_id, SYSTEM, "close", _closing(o.handled), at=stamp)
        if unit_rows:
            conn.execute(tu.insert(), unit_rows)
        conn.execute(schema.review_log.insert(), log_rows)
    # causes seen again: an open item takes the units it did not have yet
    again = [(existing[k][0], o) for k, o in unique.items() if k in existing]
    report.merged += len(again)
    more = [(i, o) for i, o in again if o.units and existing[o.key][1] in OPEN_STATUSES]
    if more:
        have: set[tuple[int, str]] = set()
        for part in _chunks([i for i, _ in more]):
            have.update(
                (r.item_id, r.unit_id)
                for r in conn.execute(
                    select(tu.c.item_id, tu.c.unit_id).where(tu.c.item_id.in_(part))
                )
            )
        added = [(i, u) for i, o in more for u in o.units if (i, u) not in have]
        if added:
            conn.execute(tu.insert(), [{"item_id": i, "unit_id": u} for i, u in added])
            conn.execute(
                schema.review_log.insert(),
                [
                    r
                    for i, u in added
                    for r in _log_rows(i, SYSTEM, "merge", {"unit": (None, u)}, at=stamp)
                ],
            )
    return {o.document_id for o in fresh if not o.handled}


def _fields(o: Opening) -> dict[str, Any]:
    return {name: getattr(o, name) for name in Opening.__slots__}


def _closing(h: Handling) -> dict[str, tuple[Any, Any]]:
    return {
        "status": (None, DONE),
        "handled_by": (None, h.by),
        "handled_on": (None, h.on),
        "outcome": (None, h.outcome),
    }


def _apply(conn: Connection, closures: Sequence[Closure], items: dict[int, ReviewItem]) -> None:
    t, tu = schema.review_items, schema.review_units
    stamp = now()
    unit_rows = [
        {"iid": c.item_id, "uid": unit, "by": h.by, "on": h.on, "outcome": h.outcome}
        for c in closures
        for unit, h in c.units
    ]
    if unit_rows:
        conn.execute(
            update(tu)
            .where(tu.c.item_id == bindparam("iid"), tu.c.unit_id == bindparam("uid"))
            .values(
                handled_by=bindparam("by"), handled_on=bindparam("on"), outcome=bindparam("outcome")
            ),
            unit_rows,
        )
    closing = [c for c in closures if c.closes is not None]
    if closing:
        conn.execute(
            update(t)
            .where(t.c.id == bindparam("iid"))
            .values(
                status=DONE,
                handled_by=bindparam("by"),
                handled_by_id=bindparam("by_id"),
                handled_on=bindparam("on"),
                outcome=bindparam("outcome"),
                updated_at=stamp,
                version=t.c.version + 1,
            ),
            [
                {
                    "iid": c.item_id,
                    "by": c.closes.by,
                    "by_id": c.closes.by_id,
                    "on": c.closes.on,
                    "outcome": c.closes.outcome,
                }
                for c in closing
                if c.closes is not None
            ],
        )
    log_rows = []
    for c in closures:
        item = items[c.item_id]
        for unit, h in c.units:
            log_rows += _log_rows(
                c.item_id,
                SYSTEM,
                "handle",
                {"unit": (unit, f"{h.outcome} ({h.by})")},
                at=stamp,
                version=item.version,
            )
        if c.closes is not None:
            changes = _closing(c.closes)
            changes["status"] = (item.status, DONE)
            log_rows += _log_rows(
                c.item_id, SYSTEM, "close", changes, at=stamp, version=item.version
            )
    if log_rows:
        conn.execute(schema.review_log.insert(), log_rows)


def serialise(conn: Connection) -> None:
    """Take the queue's write lock before reading it, so that two syncs (two ingests at once)
    run one after the other instead of both inserting the same keys: a no-op update on SQLite
    (it takes the database's write lock), a table lock on PostgreSQL that readers pass."""
    t = schema.review_items
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE review_items IN SHARE ROW EXCLUSIVE MODE")
    else:
        conn.execute(update(t).where(t.c.id == -1).values(version=t.c.version))


def sync(conn: Connection, documents: Collection[int] | None = None) -> SyncReport:
    """Open the Điều 39 items the stored corpus calls for and close the items later documents
    handle, in the caller's transaction.

    With ``documents`` (those an ingest stored, and those whose links it resolved again), only
    what they can change, reading only their links and their neighbours'
    (:mod:`vbqppl.review.scope`): the same items open and close as with the whole store,
    provided the queue was synced before they changed (:func:`after_ingest` checks that)."""
    serialise(conn)
    report = SyncReport()
    relinked = _relink(conn)
    if documents is None:
        docs = load_documents(conn)
        relations = load_links(conn, "relation", types=TRIGGERS)
        _insert(conn, plan_openings(docs, relations, _bases(conn)), report)
        _close(conn, docs, relations, report)
    else:
        scope = around(conn, documents)
        opened = _insert(conn, plan_openings(scope.docs, scope.relations, scope.bases), report)
        # the items that may close: on the documents the new links handle, the items just
        # opened and those relinked; each against every handling relation on its document
        handlers = relations_where(
            conn, schema.relations.c.resolved_document_id, scope.handled | opened | relinked
        )
        docs = {**scope.docs, **documents_of(conn, handlers, have=scope.docs)}
        _close(conn, docs, handlers, report)
    set_meta(conn, SYNCED, str(_last_document(conn)))
    return report


# meta key: the highest document id when the queue was last synced
SYNCED = "review_synced_to"


def _last_document(conn: Connection) -> int:
    return int(conn.execute(select(func.max(schema.documents.c.id))).scalar() or 0)


def _relink(conn: Connection) -> set[int]:
    """Items whose document was deleted by a re-ingest (``--replace``, ``--force``) point to
    the stored document with the same number again; the documents they point to now."""
    t = schema.review_items
    orphans = list(conn.execute(select(t.c.id, t.c.document).where(t.c.document_id.is_(None))))
    if not orphans:
        return set()
    named = named_documents(conn, {name for _, name in orphans})
    rows = [{"iid": i, "doc": named[name].id} for i, name in orphans if name in named]
    if rows:
        conn.execute(
            update(t).where(t.c.id == bindparam("iid")).values(document_id=bindparam("doc")), rows
        )
    return {r["doc"] for r in rows}


def _bases(conn: Connection) -> list[LinkRecord]:
    """The resolved Căn cứ citations, only what the second hop needs."""
    t = schema.citations
    stmt = select(t.c.id, t.c.document_id, t.c.resolved_document_id).where(
        t.c.role == "basis", t.c.resolved_document_id.is_not(None)
    )
    return [basis_record(r) for r in conn.execute(stmt)]


def after_ingest(store: Store, report: IngestReport) -> SyncReport | None:
    """:func:`sync` in its own transaction after an ingest that stored (or re-resolved)
    something; None when the ingest changed nothing. A small ingest into a synced queue syncs
    only what it changed; a big one (more than ``INCREMENTAL_MAX`` documents), or one after
    documents were stored without a sync, syncs the whole store."""
    if not report.stored and report.resolution is None:
        return None
    touched = _touched(report)
    with store.begin() as conn:
        serialise(conn)  # before reading the mark: another sync may be writing it
        if touched is not None and _synced_before(conn, touched):
            return sync(conn, touched)
        return sync(conn)


def _touched(report: IngestReport) -> set[int] | None:
    """The documents the ingest stored and those whose links resolved differently; None when
    they are too many for a partial sync."""
    stored = {
        r.document_id
        for r in report.results
        if r.outcome in ("stored", "replaced") and r.document_id is not None
    }
    touched = stored | (report.resolution.documents if report.resolution else set())
    return touched if len(touched) <= INCREMENTAL_MAX else None


def _synced_before(conn: Connection, touched: set[int]) -> bool:
    """Whether the queue was synced after every document but ``touched`` was stored."""
    mark = get_meta(conn, SYNCED)
    if mark is None or not mark.isdigit():
        return False
    t = schema.documents
    later = conn.execute(select(t.c.id).where(t.c.id > int(mark)))
    return all(i in touched for (i,) in later)


def _close(
    conn: Connection, docs: dict[int, DocRecord], relations: Sequence[Any], report: SyncReport
) -> None:
    targets = {
        r.resolved_document_id
        for r in relations
        if r.type in HANDLERS and r.resolved_document_id is not None
    }
    items = {i.id: i for i in load_items(conn, statuses=OPEN_STATUSES, document_ids=targets)}
    closures = plan_closings(items.values(), relations, docs)
    _apply(conn, closures, items)
    for c in closures:
        (report.closed if c.closes is not None else report.partly).append(c.item_id)


def open_for_findings(conn: Connection, findings: Sequence[Finding]) -> SyncReport:
    """One item per finding and document it names units of (or its first document when it
    names no unit), merged with the items of earlier runs."""
    serialise(conn)
    report = SyncReport()
    named = named_documents(
        conn, {n for f in findings for n in (*(split_ref(u)[0] for u in f.units), *f.documents[:1])}
    )
    openings = []
    for f in findings:
        units: dict[str, list[str]] = {}
        for u in f.units:
            name, unit = split_ref(u)
            units.setdefault(name, []).append(unit)
        wanted = list(units) or list(f.documents[:1])
        for number in wanted:
            found = named.get(number)
            if found is None:
                continue
            openings.append(
                Opening.on(
                    found,
                    FINDING,
                    f"{f.id}:{doc_key(found)}",
                    reason=f.explanation,
                    units=tuple(dict.fromkeys(units.get(number, []))),
                    priority=f.severity if f.severity in PRIORITIES else PRIORITIES[1],
                    recommendation=f.handling or None,
                    rule=f.rule,
                    finding_id=f.id,
                )
            )
    _insert(conn, openings, report)
    return report


# --- reading --------------------------------------------------------------------------------

_ITEM_FIELDS = tuple(c.name for c in schema.review_items.columns)


def _item(row: Any, units: Sequence[ItemUnit]) -> ReviewItem:
    values = {k: row[k] for k in _ITEM_FIELDS}
    values["notes"] = tuple(values["notes"] or ())
    return ReviewItem(**values, units=tuple(units))


def load_items(
    conn: Connection,
    *,
    ids: Collection[int] | None = None,
    statuses: Collection[str] | None = None,
    document_ids: Collection[int] | None = None,
    causes: Collection[str] | None = None,
    document: str | None = None,
    assignee: str | None = None,
    rule: str | None = None,
    priority: str | None = None,
) -> list[ReviewItem]:
    """Stored items, by id, filtered; ``document`` is a number (any spelling) or ``#id``."""
    t, tu = schema.review_items, schema.review_units
    stmt = select(t).order_by(t.c.id)
    if ids is not None:
        stmt = stmt.where(t.c.id.in_(list(ids)))
    if statuses is not None:
        stmt = stmt.where(t.c.status.in_(list(statuses)))
    if causes is not None:
        stmt = stmt.where(t.c.cause.in_(list(causes)))
    if assignee is not None:
        stmt = stmt.where(t.c.assignee == assignee)
    if rule is not None:
        stmt = stmt.where(t.c.rule == rule)
    if priority is not None:
        stmt = stmt.where(t.c.priority == priority)
    if document_ids is not None and len(document_ids) <= CHUNK:
        stmt = stmt.where(t.c.document_id.in_(list(document_ids)))
    rows = list(conn.execute(stmt).mappings())
    if document_ids is not None:
        keep_docs = set(document_ids)
        rows = [r for r in rows if r["document_id"] in keep_docs]
    if document is not None:
        rows = [r for r in rows if names_document(r["document"], document)]
    units: dict[int, list[ItemUnit]] = {}
    wanted = [r["id"] for r in rows]
    if wanted:
        ustmt = select(tu).order_by(tu.c.item_id, tu.c.unit_id)
        if ids is not None or len(wanted) <= CHUNK:
            ustmt = ustmt.where(tu.c.item_id.in_(wanted))
        keep = set(wanted)
        for u in conn.execute(ustmt).mappings():
            if u["item_id"] in keep:
                units.setdefault(u["item_id"], []).append(
                    ItemUnit(u["unit_id"], u["handled_by"], u["handled_on"], u["outcome"])
                )
    return [_item(r, units.get(r["id"], ())) for r in rows]


def get_item(conn: Connection, item_id: int) -> ReviewItem:
    found = load_items(conn, ids=[item_id])
    if not found:
        raise VbqpplError(f"không có mục rà soát #{item_id}")
    return found[0]


def history(conn: Connection, item_id: int | None = None) -> list[LogEntry]:
    """The audit log (of one item, or of the whole queue), oldest first."""
    t = schema.review_log
    stmt = select(t).order_by(t.c.id)
    if item_id is not None:
        stmt = stmt.where(t.c.item_id == item_id)
    return [LogEntry(**dict(r)) for r in conn.execute(stmt).mappings()]


def match_status(value: str) -> list[str]:
    """ "open" / "mở", "closed" / "đóng", or one status (tone marks optional)."""
    key = value.strip().lower()
    if key in ("open", "mở", "mo", "đang mở", "dang mo"):
        return list(OPEN_STATUSES)
    if key in ("closed", "đóng", "dong", "đã đóng", "da dong"):
        return list(CLOSED_STATUSES)
    from vbqppl.review.model import STATUSES

    found = match_choice(value, STATUSES)
    if found is None:
        raise VbqpplError(
            f"không có trạng thái {value!r}; chọn: mở, đóng hoặc " + ", ".join(STATUSES)
        )
    return [found]
