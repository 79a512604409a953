"""Writing untrusted text into output files safely: spreadsheet cells that are never formulas,
and file names that never carry a path.

Document text goes into cells; a cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab
or carriage return) could be read as a formula by a spreadsheet program. :func:`set_text` stores
every string as a string cell (type ``s``), so the text is shown as written and never evaluated.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from vbqppl.store.fold import fold

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """The text as a cell can hold it: characters XML forbids removed, at most 32,767 long."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]


def set_text(cell: Any, value: object) -> None:
    """Put ``value`` in an openpyxl cell; text is always a plain string, never a formula."""
    if value is None:
        cell.value = None
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
        return
    cell.value = cell_text(str(value))
    cell.data_type = "s"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


def safe_filename(name: str, default: str = "van-ban") -> str:
    """A file name from a document number or title: ``12/2024/QĐ-UBND`` → ``12-2024-QD-UBND``.

    Marks are folded away, every run of other characters (``/``, ``\\``, spaces, ``..``) becomes
    one ``-``; the result never starts with a dot and is at most 100 characters.
    """
    keep_case = "".join(
        c if fold(c) == c.lower() else (fold(c).upper() if c.isupper() else fold(c)) for c in name
    )
    out = _UNSAFE.sub("-", keep_case).replace("..", "-").strip("-.")
    return out[:100] or default
