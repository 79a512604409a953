"""Cleaning: drop the noise real sources put inside a document, keep a map back to the source.

Removed: Official Gazette page headers ("CÔNG BÁO/Số ...") and page numbers, digital-signature
blocks ("Ký bởi:", "Thời gian ký:"), footnote blocks at the foot of Gazette pages (kept apart in
``footnotes``), portal banners, and footnote reference numbers stuck to labels ("QUYẾT ĐỊNH1",
"d)3 ", "Điều 5.4 "). Nothing is rewritten, only deleted, so every cleaned offset maps back to one
source offset (:meth:`Cleaned.to_source`). Cleaning is idempotent.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

_PAGE_HEADER = re.compile(r"^\s*CÔNG BÁO\s*/\s*Số\b.*$|^\s*\d{1,4}\s+CÔNG BÁO\s*/\s*Số\b.*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_SIG_START = re.compile(r"^\s*(Ký bởi|Người ký)\s*:")
_SIG_LINE = re.compile(r"^\s*(Ký bởi|Người ký|Email|Cơ quan|Thời gian ký|Ngày ký)\s*:")
_FOOTNOTE_START = re.compile(r"^(?P<n>\d{1,3})\s+(?=[A-ZĐÀ-Ỹ“\"(\-–])")
# Footnote numbers stuck to a label: "d)3 Cơ quan", "2.6 Quy định", "Điều 5.4 Tên",
# "QUYẾT ĐỊNH1" (a run of capitals followed by digits at the end of the line).
_STUCK_POINT = re.compile(r"^(?:[a-zđ]\d{0,2}\))(?P<fn>\d{1,3})(?=\s)")
_STUCK_CLAUSE = re.compile(r"^(?:\d{1,3}[a-zđ]?\.)(?P<fn>\d{1,3})(?=\s)")
_STUCK_ARTICLE = re.compile(r"^(?:Điều\s+\d{1,3}[a-zđ]?\.)(?P<fn>\d{1,3})(?=\s)")
_STUCK_CAPS = re.compile(r"^[A-ZĐÀ-Ỹ ,\-]{4,}[A-ZĐÀ-Ỹ](?P<fn>\d{1,3})$")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text and the runs that map it to the source.

    ``runs`` are ``(clean_start, source_start, length)`` triples, sorted, covering ``text``.
    """

    text: str
    runs: tuple[tuple[int, int, int], ...]
    footnotes: tuple[str, ...] = ()
    removed: int = 0

    def to_source(self, offset: int) -> int:
        """The source offset of a cleaned offset (an end offset maps to just past its run)."""
        if not self.runs:
            return offset
        starts = [r[0] for r in self.runs]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        clean_start, src_start, length = self.runs[i]
        return src_start + min(offset - clean_start, length)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def normalize_source(text: str) -> str:
    """NFC, ``\\n`` line ends, no NUL or form feeds: what every later offset is counted in."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return text.replace("\x00", "").replace("\u00a0", " ").replace("\u200b", "")


def clean_text(text: str) -> Cleaned:
    """Remove page furniture, signature blocks and footnote blocks; see the module docstring.

    ``text`` must already be normalised (:func:`normalize_source`).
    """
    lines = _lines(text)
    n = len(lines)
    drop = [False] * n
    line_text = [text[a:b] for a, b in lines]
    gazette = any(_PAGE_HEADER.match(t) for t in line_text[:400])

    # Page headers, with the page number printed on the line before or after them.
    for i, t in enumerate(line_text):
        if _PAGE_HEADER.match(t):
            drop[i] = True
            for j in (i - 1, i + 1, i - 2, i + 2):
                if 0 <= j < n and _PAGE_NUMBER.match(line_text[j]):
                    drop[j] = True
                    break
    if gazette:
        # First page: the page number alone on a line near the top.
        for i in range(min(n, 4)):
            if _PAGE_NUMBER.match(line_text[i]):
                drop[i] = True

    # Digital-signature blocks: "Ký bởi:/Người ký:" ... "Thời gian ký:" within a few lines.
    for i, t in enumerate(line_text):
        if _SIG_START.match(t):
            block = [i]
            for j in range(i + 1, min(n, i + 6)):
                if _SIG_LINE.match(line_text[j]):
                    block.append(j)
                elif line_text[j].strip():
                    break
            if any(line_text[j].lstrip().startswith(("Thời gian ký", "Email")) for j in block):
                for j in block:
                    drop[j] = True

    footnotes: list[str] = []
    if gazette:
        footnotes = _drop_footnote_blocks(line_text, drop)

    # Assemble kept lines; delete footnote numbers stuck to labels inside them.
    runs: list[tuple[int, int, int]] = []
    parts: list[str] = []
    out_len = 0
    removed = 0
    for i, (a, b) in enumerate(lines):
        if drop[i]:
            removed += 1
            continue
        segs = [(a, b)]
        if gazette or footnotes:
            cut = _stuck_marker(line_text[i])
            if cut is not None:
                segs = [(a, a + cut[0]), (a + cut[1], b)]
        for s, e in segs:
            if e > s:
                runs.append((out_len, s, e - s))
                parts.append(text[s:e])
                out_len += e - s
        # the newline after the line
        nl_src = b
        if nl_src < len(text):
            runs.append((out_len, nl_src, 1))
            parts.append("\n")
            out_len += 1
    merged = _merge_runs(runs)
    return Cleaned("".join(parts), tuple(merged), tuple(footnotes), removed)


def _stuck_marker(line: str) -> tuple[int, int] | None:
    for pattern in (_STUCK_POINT, _STUCK_CLAUSE, _STUCK_ARTICLE, _STUCK_CAPS):
        m = pattern.match(line)
        if m:
            return m.start("fn"), m.end("fn")
    return None


def _drop_footnote_blocks(line_text: list[str], drop: list[bool]) -> list[str]:
    """Footnote blocks sit at the foot of a Gazette page: a blank line, then ``N Text...``,
    running to the page break (a dropped header/signature line). Mark them dropped."""
    n = len(line_text)
    notes: list[str] = []
    last = 0  # footnotes are numbered 1, 2, 3 ... through the document
    i = 0
    while i < n:
        m = _FOOTNOTE_START.match(line_text[i])
        if (
            m
            and not drop[i]
            and last < int(m["n"]) <= last + 3
            and (i == 0 or not line_text[i - 1].strip() or drop[i - 1])
        ):
            j = i + 1
            while j < n and not drop[j] and j - i < 60:
                j += 1
            if j >= n or drop[j]:
                current: list[str] = []
                for k in range(i, j):
                    t = line_text[k].strip()
                    mk = _FOOTNOTE_START.match(t)
                    if mk and last < int(mk["n"]) <= last + 3:
                        last = int(mk["n"])
                        if current:
                            notes.append(" ".join(current))
                        current = []
                    if t:
                        current.append(t)
                    drop[k] = True
                # A footnote quoting whole articles may run on past the page break, into the
                # footnote area of the next page: the lines after that page's last blank line,
                # up to where the quote closes.
                balance = _quote_balance(line_text[k] for k in range(i, j))
                starts_line = any(line_text[k].lstrip()[:1] in '“"' for k in range(i, j))
                k = j
                if balance > 0 and starts_line:
                    close = None
                    run = balance
                    for c in range(j, min(n, j + 120)):
                        if drop[c] and c > j and not drop[c - 1]:
                            break  # the next page break: no close on this page
                        if not drop[c]:
                            run += _quote_balance([line_text[c]])
                            if run <= 0:
                                close = c
                                break
                    if close is not None:
                        first = j
                        for c in range(close - 1, j - 1, -1):
                            if not line_text[c].strip() or drop[c]:
                                first = c + 1
                                break
                        for c in range(first, close + 1):
                            if line_text[c].strip():
                                current.append(line_text[c].strip())
                            drop[c] = True
                if current:
                    notes.append(" ".join(current))
                i = j
                continue
        i += 1
    return notes


def _quote_balance(lines: object) -> int:
    """Open quotes minus closed ones; a straight quote opens at a line start or after a space."""
    bal = 0
    for t in lines:  # type: ignore[attr-defined]
        bal += t.count("“") - t.count("”")
        for m in re.finditer('"', t):
            before = t[: m.start()]
            bal += 1 if (not before.strip() or before.endswith((" ", ":", "("))) else -1
    return bal


def _merge_runs(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[tuple[int, int, int]] = []
    for c, s, length in runs:
        if merged:
            pc, ps, pl = merged[-1]
            if pc + pl == c and ps + pl == s:
                merged[-1] = (pc, ps, pl + length)
                continue
        merged.append((c, s, length))
    return merged
