"""The review queue (issue 7): items to review opened by the Điều 39 rule (Nghị định
79/2025/NĐ-CP) and by the checks' findings, reviewers' decisions with an audit log and
optimistic locking, and automatic closing when the handling document is ingested.

:mod:`.model` (values), :mod:`.rules` (when items open and close: pure functions),
:mod:`.queue` (the store: sync, findings, reading), :mod:`.edit` (reviewers' changes).
"""

from __future__ import annotations

from vbqppl.review.edit import add_note, assign, conflict_message, decide, reopen, reviewer
from vbqppl.review.model import (
    CAUSE_NAMES,
    HANDLINGS,
    STATUSES,
    ItemUnit,
    LogEntry,
    ReviewItem,
)
from vbqppl.review.queue import (
    SyncReport,
    get_item,
    history,
    load_items,
    match_status,
    open_for_findings,
    sync,
)
from vbqppl.review.rules import plan_closings, plan_openings

__all__ = [
    "CAUSE_NAMES",
    "HANDLINGS",
    "STATUSES",
    "ItemUnit",
    "LogEntry",
    "ReviewItem",
    "SyncReport",
    "add_note",
    "assign",
    "conflict_message",
    "decide",
    "get_item",
    "history",
    "load_items",
    "match_status",
    "open_for_findings",
    "plan_closings",
    "plan_openings",
    "reopen",
    "reviewer",
    "sync",
]
