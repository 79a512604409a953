"""A reviewer's changes to an item: assign, decide, note, reopen. Each is one transaction that
writes the new values and one audit-log line per field changed.

Optimistic locking: every change names the version of the item it was based on (the one the
reviewer saw; by default the one read just before writing). The row is updated only where
``version`` still has that value (``UPDATE ... WHERE id = ? AND version = ?``); when another
reviewer changed the item in between, nothing is written, the refused attempt goes into the
audit log, and :class:`~vbqppl.errors.ConflictError` says what to do.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection, update

from vbqppl.errors import ConflictError, VbqpplError
from vbqppl.review.model import (
    CLOSED_STATUSES,
    DONE,
    HANDLINGS,
    IN_REVIEW,
    KEEP,
    KEPT,
    NEW,
    PRIORITIES,
    RECOMMENDED,
    STATUSES,
    ReviewItem,
    match_choice,
)
from vbqppl.review.queue import _log_rows, get_item
from vbqppl.store import schema
from vbqppl.store.db import Store, now

USER_ENV = "VBQPPL_USER"


def reviewer(user: str | None = None) -> str:
    """Who is making the change: ``--user``, else ``VBQPPL_USER``, else the login name."""
    for value in (
        user,
        os.environ.get(USER_ENV),
        os.environ.get("USER"),
        os.environ.get("LOGNAME"),
    ):
        if value and value.strip():
            return value.strip()
    raise VbqpplError(
        f"chưa biết người rà soát: dùng --user TÊN hoặc đặt biến môi trường {USER_ENV}"
    )


def conflict_message(item_id: int, seen: int, current: int) -> str:
    return (
        f"mục rà soát #{item_id} đã được người khác thay đổi (phiên bản hiện tại {current}, "
        f"bạn dựa trên phiên bản {seen}); không ghi đè: xem lại bằng "
        f"`vbqppl review show {item_id}` rồi thực hiện lại"
    )


def _change(
    store: Store,
    item_id: int,
    user: str,
    action: str,
    compute: Callable[[ReviewItem], dict[str, Any]],
    version: int | None,
) -> ReviewItem:
    """Apply ``compute(item)`` (the new field values) if the item is still at ``version``."""
    t = schema.review_items
    with store.begin() as conn:
        # take the item's write lock first (a row lock on PostgreSQL, the write lock on
        # SQLite), so that what is read below is what the update is checked against
        conn.execute(update(t).where(t.c.id == item_id).values(version=t.c.version))
        item = get_item(conn, item_id)
        seen = item.version if version is None else version
        values = compute(item)
        changes = {k: (getattr(item, k), v) for k, v in values.items() if getattr(item, k) != v}
        if seen == item.version:
            if not changes:
                return item
            done = conn.execute(
                update(t)
                .where(t.c.id == item_id, t.c.version == seen)
                .values(**values, version=seen + 1, updated_at=now())
            ).rowcount
        else:
            done = 0
        if done == 1:
            _log(conn, item_id, user, action, changes, seen, "ok")
            return get_item(conn, item_id)
    # refused: record the attempt in its own transaction, then say so
    with store.begin() as conn:
        current = get_item(conn, item_id)
        wanted = {k: (getattr(current, k), v) for k, v in values.items()}
        differing = {k: ov for k, ov in wanted.items() if ov[0] != ov[1]}
        wanted = differing or wanted
        _log(conn, item_id, user, action, wanted, seen, "refused")
    raise ConflictError(conflict_message(item_id, seen, current.version))


def _log(
    conn: Connection,
    item_id: int,
    user: str,
    action: str,
    changes: dict[str, tuple[Any, Any]],
    version: int,
    outcome: str,
) -> None:
    shown = {k: (_text(old), _text(new)) for k, (old, new) in changes.items()}
    conn.execute(
        schema.review_log.insert(),
        _log_rows(item_id, user, action, shown, version=version, outcome=outcome),
    )


def _text(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(v.get("text", v)) if isinstance(v, dict) else str(v) for v in value)
    return value


def _choice(value: str, choices: tuple[str, ...], what: str) -> str:
    found = match_choice(value, choices)
    if found is None:
        raise VbqpplError(f"{what} không hợp lệ: {value!r}; chọn một trong: " + ", ".join(choices))
    return found


def _date(value: str) -> str:
    text = value.strip()
    try:
        if "/" in text:
            d, m, y = text.split("/")
            return date(int(y), int(m), int(d)).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise VbqpplError(f"ngày không hợp lệ: {value} (viết YYYY-MM-DD hoặc DD/MM/YYYY)") from None


def assign(
    store: Store,
    item_id: int,
    *,
    user: str,
    assignee: str | None = None,
    priority: str | None = None,
    deadline: str | None = None,
    version: int | None = None,
) -> ReviewItem:
    """Give an item to a reviewer, with a priority and a deadline; a new item moves to
    *đang rà soát*."""
    values: dict[str, Any] = {}
    if priority is not None:
        values["priority"] = _choice(priority, PRIORITIES, "mức ưu tiên")
    if deadline is not None:
        values["deadline"] = _date(deadline)

    def compute(item: ReviewItem) -> dict[str, Any]:
        out = dict(values)
        if assignee is not None:
            out["assignee"] = assignee.strip() or None
            if item.status == NEW and out["assignee"]:
                out["status"] = IN_REVIEW
        return out

    return _change(store, item_id, user, "assign", compute, version)


def decide(
    store: Store,
    item_id: int,
    *,
    user: str,
    handling: str,
    status: str | None = None,
    handled_by: str | None = None,
    version: int | None = None,
) -> ReviewItem:
    """Record the recommended handling (hình thức xử lý). *giữ nguyên* closes the item;
    otherwise it moves to *đã kiến nghị* unless ``status`` says where (đang soạn thảo, or đã xử
    lý with the handling document ``handled_by``)."""
    chosen = _choice(handling, HANDLINGS, "hình thức xử lý")
    new_status = _choice(status, STATUSES, "trạng thái") if status else None
    if new_status is None:
        new_status = KEPT if chosen == KEEP else RECOMMENDED
    if new_status == KEPT and chosen != KEEP:
        raise VbqpplError("trạng thái 'giữ nguyên' chỉ đi với hình thức xử lý 'giữ nguyên'")

    def compute(item: ReviewItem) -> dict[str, Any]:
        if item.closed:
            raise VbqpplError(
                f"mục rà soát #{item_id} đã đóng ({item.status}); mở lại bằng "
                f"`vbqppl review reopen {item_id}` trước khi quyết định"
            )
        out: dict[str, Any] = {"recommendation": chosen, "status": new_status}
        if new_status == DONE:
            out["outcome"] = chosen
            if handled_by:
                out["handled_by"] = handled_by.strip()
        return out

    return _change(store, item_id, user, "decide", compute, version)


def add_note(
    store: Store, item_id: int, text: str, *, user: str, version: int | None = None
) -> ReviewItem:
    """Append a note. Without ``version`` a note never needs to be refused: a concurrent change
    only makes it try again on the new version."""
    if not text.strip():
        raise VbqpplError("ghi chú trống")
    entry = {"at": now(), "user": user, "text": text.strip()}

    def compute(item: ReviewItem) -> dict[str, Any]:
        return {"notes": [*item.notes, entry]}

    if version is not None:
        return _change(store, item_id, user, "note", compute, version)
    for _ in range(20):
        try:
            return _change(store, item_id, user, "note", compute, None)
        except ConflictError:
            continue
    raise ConflictError(f"mục rà soát #{item_id} đang bị thay đổi liên tục; hãy thử lại sau")


def reopen(store: Store, item_id: int, *, user: str, version: int | None = None) -> ReviewItem:
    """Open a closed item again (đang rà soát); its handling document and outcome are cleared
    (the audit log keeps them)."""

    def compute(item: ReviewItem) -> dict[str, Any]:
        if item.status not in CLOSED_STATUSES:
            raise VbqpplError(f"mục rà soát #{item_id} đang mở ({item.status}): không cần mở lại")
        return {
            "status": IN_REVIEW,
            "handled_by": None,
            "handled_by_id": None,
            "handled_on": None,
            "outcome": None,
        }

    return _change(store, item_id, user, "reopen", compute, version)
