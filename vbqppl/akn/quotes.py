"""Quoted amendment text that becomes ``mod`` elements.

The parser's ``quotes`` hold the quoted blocks whose lines look like structure (“Điều 14. ...”
with its clauses). An amending document quotes more than that: one new point or clause after
"... như sau:" (“đ) ...”, “8a. ...”), a run of such quotes line after line, and the words
replaced or inserted ("Thay thế cụm từ “Sở Lao động - Thương binh và Xã hội” bằng cụm từ “Sở Nội
vụ”"). :func:`amendment_quotes` adds those, each closed by its matching quote mark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vbqppl.model import Span

_AFTER_AS_FOLLOWS = re.compile(r"như sau[ \t]*:[ \t]*\n[ \t]*(?=[“\"])")
_PHRASE = re.compile(r"(?<![\wđ])(?:cụm từ|các từ|từ ngữ|từ|chữ)[ \t]+(?=“)")
_NEXT_QUOTE = re.compile(r"[ \t]*\n[ \t]*(?=[“\"])")
_LONGEST = 20_000


def _close(text: str, start: int, limit: int) -> int | None:
    """End (after the closing mark) of the quote opening at ``start``; ``None`` if unclosed."""
    if text[start] == '"':
        end = text.find('"', start + 1, limit)
        return end + 1 if end != -1 else None
    depth = 0
    for i in range(start, min(limit, len(text))):
        ch = text[i]
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def amendment_quotes(text: str, quotes: Sequence[Span]) -> list[Span]:
    """The parser's quotes and the other amendment quotes, sorted, none overlapping another."""
    found: list[tuple[int, int]] = [(q.start, q.end) for q in quotes]
    for rx in (_AFTER_AS_FOLLOWS, _PHRASE):
        for m in rx.finditer(text):
            start = m.end()
            while True:
                end = _close(text, start, start + _LONGEST)
                if end is None:
                    break
                found.append((start, end))
                if rx is _PHRASE:
                    break
                nxt = _NEXT_QUOTE.match(text, end)
                if nxt is None:
                    break
                start = nxt.end()
    out: list[tuple[int, int]] = []
    for s, e in sorted(found, key=lambda q: (q[0], -q[1])):
        if not out or s >= out[-1][1]:
            out.append((s, e))
    return [Span(s, e) for s, e in out]
