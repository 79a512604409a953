"""Folding Vietnamese text for matching: tone and vowel marks off, ``đ`` to ``d``, lower case.

``fold`` keeps the length of its input (one character in, one character out), so an offset in
the folded text is the same offset in the original: search uses that to point at the unit a
match falls in. Keys for names and issuers (``name_key``) also collapse spacing and punctuation; as the
marks go, the old and new tone placement ("Uỷ"/"Ủy", "Hoà"/"Hòa") agree too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache


@cache
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x41, 0x2000):
        if code < 0xC0 and not 0x41 <= code <= 0x5A:
            continue
        char = chr(code)
        if unicodedata.category(char) not in ("Lu", "Ll", "Lt"):
            continue
        base = unicodedata.normalize("NFD", char)[0]
        lower = base.lower()
        if len(lower) == 1 and lower != char:
            table[code] = lower
    for char, plain in (("đ", "d"), ("Đ", "d"), ("\u0110", "d"), ("\u00d0", "d"), ("\u0189", "d")):
        table[ord(char)] = plain
    return table


def fold(text: str) -> str:
    """``"Thủ tục ĐẤT ĐAI"`` → ``"thu tuc dat dai"``; same length as ``text``."""
    return text.translate(_table())


_NON_WORD = re.compile(r"[^0-9a-z]+")


def name_key(text: str | None) -> str | None:
    """A key for comparing names: folded, words only, single spaces (``None`` for nothing)."""
    if not text:
        return None
    key = _NON_WORD.sub(" ", fold(unicodedata.normalize("NFC", text))).strip()
    return key or None


def document_name_key(doc_type: str | None, title: str | None) -> str | None:
    """The name a document is cited by: "Bộ luật" + "Lao động" → ``"bo luat lao dong"``.

    A title that already starts with the type ("Luật Đất đai") is not prefixed twice.
    """
    title_key = name_key(title)
    type_key = name_key(doc_type)
    if title_key is None:
        return None
    if type_key is None or title_key.startswith(type_key + " ") or title_key == type_key:
        return title_key
    return f"{type_key} {title_key}"
