"""Review items as values: the statuses, the handling forms (hình thức xử lý), and an item with
the units it concerns. No database here; :mod:`vbqppl.review.queue` stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Status (trạng thái) of an item: the working states, then the two closed ones.
NEW = "mới"
IN_REVIEW = "đang rà soát"
RECOMMENDED = "đã kiến nghị"
DRAFTING = "đang soạn thảo"
DONE = "đã xử lý"
KEPT = "giữ nguyên"
STATUSES = (NEW, IN_REVIEW, RECOMMENDED, DRAFTING, DONE, KEPT)
OPEN_STATUSES = (NEW, IN_REVIEW, RECOMMENDED, DRAFTING)
CLOSED_STATUSES = (DONE, KEPT)

# Hình thức xử lý (Nghị định 79/2025/NĐ-CP, Điều 38): what an item recommends, and what its
# handling document did.
KEEP = "giữ nguyên"
AMEND = "sửa đổi, bổ sung"
REPLACE = "thay thế"
REPEAL_WHOLE = "bãi bỏ toàn bộ"
REPEAL_PART = "bãi bỏ một phần"
NEW_DOCUMENT = "ban hành mới"
SUSPEND = "đình chỉ việc thi hành"
STOP = "ngưng hiệu lực"
EXPIRE = "hết hiệu lực theo thời gian"
HANDLINGS = (KEEP, AMEND, REPLACE, REPEAL_WHOLE, REPEAL_PART, NEW_DOCUMENT, SUSPEND, STOP, EXPIRE)

# Why an item exists.
FINDING = "finding"  # a finding of `vbqppl check`
AMENDED = "amended"  # Điều 39, first hop: a document acted on this one
BASIS = "basis"  # Điều 39, second hop: this one was issued on the basis of an affected one
CAUSES = (FINDING, AMENDED, BASIS)
CAUSE_NAMES = {
    FINDING: "phát hiện khi rà soát",
    AMENDED: "văn bản bị tác động",
    BASIS: "căn cứ bị tác động",
}

PRIORITIES = ("cao", "trung bình", "thấp")
DEFAULT_PRIORITY = "trung bình"

# Relation types that open items (Điều 39) and those whose document handles an item.
TRIGGERS = ("amends", "replaces", "repeals", "suspends", "expires")
HANDLERS = ("amends", "replaces", "repeals")
RELATION_VERBS = {
    "amends": "sửa đổi, bổ sung",
    "replaces": "thay thế",
    "repeals": "bãi bỏ",
    "suspends": "đình chỉ việc thi hành",
    "expires": "tuyên bố hết hiệu lực",
}


def handling_of(relation_type: str, whole: bool) -> str:
    """The hình thức xử lý a relation of ``relation_type`` amounts to."""
    if relation_type == "amends":
        return AMEND
    if relation_type == "replaces":
        return REPLACE
    if relation_type == "repeals":
        return REPEAL_WHOLE if whole else REPEAL_PART
    if relation_type == "suspends":
        return SUSPEND
    return EXPIRE


def match_choice(value: str, choices: tuple[str, ...]) -> str | None:
    """``value`` as one of ``choices``, ignoring case, spacing, tone marks and "đ"."""
    from vbqppl.store.fold import name_key

    key = name_key(value)
    for c in choices:
        if name_key(c) == key:
            return c
    return None


@dataclass(frozen=True, slots=True)
class ItemUnit:
    """A unit an item concerns; handled once a handling document acted on it."""

    unit: str
    handled_by: str | None = None
    handled_on: str | None = None
    outcome: str | None = None

    @property
    def handled(self) -> bool:
        return self.handled_by is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "handled_by": self.handled_by,
            "handled_on": self.handled_on,
            "outcome": self.outcome,
        }


@dataclass(frozen=True, slots=True)
class ReviewItem:
    id: int
    key: str
    cause: str
    document: str  # the number (or "#id") of the document to review
    document_label: str
    document_id: int | None
    reason: str
    status: str
    priority: str
    version: int
    rule: str | None = None
    finding_id: str | None = None
    trigger: str | None = None
    trigger_document_id: int | None = None
    trigger_type: str | None = None
    trigger_issued: str | None = None
    via: str | None = None
    recommendation: str | None = None
    assignee: str | None = None
    deadline: str | None = None
    notes: tuple[dict[str, str], ...] = ()
    handled_by: str | None = None
    handled_by_id: int | None = None
    handled_on: str | None = None
    outcome: str | None = None
    relation_mark: int = 0
    created_at: str = ""
    updated_at: str = ""
    units: tuple[ItemUnit, ...] = field(default=())

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def remaining(self) -> tuple[str, ...]:
        """Units not handled yet."""
        return tuple(u.unit for u in self.units if not u.handled)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "cause": self.cause,
            "document": self.document,
            "document_label": self.document_label,
            "document_id": self.document_id,
            "units": [u.to_json() for u in self.units],
            "remaining_units": list(self.remaining),
            "reason": self.reason,
            "rule": self.rule,
            "finding_id": self.finding_id,
            "trigger": self.trigger,
            "trigger_type": self.trigger_type,
            "trigger_issued": self.trigger_issued,
            "via": self.via,
            "recommendation": self.recommendation,
            "status": self.status,
            "assignee": self.assignee,
            "priority": self.priority,
            "deadline": self.deadline,
            "notes": list(self.notes),
            "handled_by": self.handled_by,
            "handled_on": self.handled_on,
            "outcome": self.outcome,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of the audit log: who changed what on which item, and whether it went through."""

    id: int
    item_id: int
    at: str
    user: str
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None
    version: int | None
    outcome: str  # ok | refused

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "at": self.at,
            "user": self.user,
            "action": self.action,
            "field": self.field,
            "old_value": self.old_value,
            "new_value": self.new_value,
            "version": self.version,
            "outcome": self.outcome,
        }
