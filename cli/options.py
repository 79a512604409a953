"""Options and small helpers the store commands share (defined once)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import typer

from vbqppl.errors import VbqpplError
from vbqppl.store.catalog import DocRecord, load_documents
from vbqppl.store.db import Store
from vbqppl.store.documents import find_documents

DB_HELP = (
    "Kho dữ liệu: tệp SQLite (mặc định vbqppl.db) hoặc địa chỉ postgresql://...; "
    "có thể đặt bằng biến môi trường VBQPPL_DB."
)


def db_option() -> Any:
    return typer.Option(None, "--db", envvar="VBQPPL_DB", help=DB_HELP, show_default=False)


def at_option(
    help_text: str = "Ngày xét hiệu lực (YYYY-MM-DD hoặc DD/MM/YYYY); mặc định hôm nay.",
) -> Any:
    return typer.Option(None, "--at", help=help_text, show_default=False)


_VN_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(value: str | None) -> str:
    """``--at`` as an ISO date: ``2025-03-24`` or ``24/03/2025``; today when not given."""
    if value is None:
        return date.today().isoformat()
    text = value.strip()
    m = _VN_DATE.match(text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise VbqpplError(f"ngày không hợp lệ: {value} (viết YYYY-MM-DD hoặc DD/MM/YYYY)") from None


def documents_named(store: Store, number: str) -> list[DocRecord]:
    """The stored documents a user means by ``number`` (or ``#id``); an error when none."""
    with store.read() as conn:
        docs = load_documents(conn, find_documents(conn, number))
    if not docs:
        raise VbqpplError(f"không có văn bản số {number} trong kho {store.name}")
    return list(docs.values())
