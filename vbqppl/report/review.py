"""The review queue's state for the reports: counts per status and every item, read from the
store by :func:`collect_review`; the items still open also feed the list of documents to
amend, replace or repeal (see :mod:`vbqppl.report.data`)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection

from vbqppl.report.data import ReviewItemEntry, ReviewState
from vbqppl.review import CAUSE_NAMES, STATUSES, load_items


def collect_review(conn: Connection) -> ReviewState:
    items = load_items(conn)
    counts = Counter(i.status for i in items)
    return ReviewState(
        counts=tuple((s, counts[s]) for s in STATUSES),
        items=tuple(
            ReviewItemEntry(
                id=str(i.id),
                document=i.document_label,
                status=i.status,
                summary=i.reason,
                deadline=i.deadline or "",
                assignee=i.assignee or "",
                finding=i.finding_id,
                cause=CAUSE_NAMES.get(i.cause, i.cause),
                recommendation=i.recommendation or "",
                units=tuple(i.remaining),
                document_number=i.document,
                closed=i.closed,
            )
            for i in items
        ),
    )
