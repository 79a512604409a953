"""Cleaning: drop the noise real sources put inside a document, keep a map back to the source.

Removed: Official Gazette page headers ("CÔNG BÁO/Số ...") and page numbers, digital-signature
blocks ("Ký bởi:", "Thời gian ký:"), footnote blocks at the foot of Gazette pages, with their
unnumbered continuations on the following pages (kept apart in ``footnotes``), portal banners,
and footnote reference numbers stuck to labels ("QUYẾT ĐỊNH1", "d)3 ", "Điều 5.4 "). Nothing is rewritten, only deleted, so every cleaned offset maps back to one
source offset (:meth:`Cleaned.to_source`). Cleaning is idempotent.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace

from vbqppl.ids import point_index

_PAGE_HEADER = re.compile(r"^\s*CÔNG BÁO\s*/\s*Số\b.*$|^\s*\d{1,4}\s+CÔNG BÁO\s*/\s*Số\b.*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_SIG_START = re.compile(r"^\s*(Ký bởi|Người ký)\s*:")
_SIG_LINE = re.compile(r"^\s*(Ký bởi|Người ký|Email|Cơ quan|Thời gian ký|Ngày ký)\s*:")
_FOOTNOTE_START = re.compile(r"^(?P<n>\d{1,3})\s+\.?(?=[A-ZĐÀ-Ỹ“\"(\-–])")
# Footnote numbers stuck to a label: "d)3 Cơ quan", "2.6 Quy định", "Điều 5.4 Tên",
# "QUYẾT ĐỊNH1" (a run of capitals followed by digits at the end of the line).
_STUCK_POINT = re.compile(r"^(?:[a-zđ]\d{0,2}\))(?P<fn>\d{1,3})(?=\s)")
_STUCK_CLAUSE = re.compile(r"^(?:\d{1,3}[a-zđ]?\.)(?P<fn>\d{1,3})(?=\s)")
_STUCK_ARTICLE = re.compile(r"^(?:Điều\s+\d{1,3}[a-zđ]?\.)(?P<fn>\d{1,3})(?=\s)")
_STUCK_CAPS = re.compile(r"^[A-ZĐÀ-Ỹ ,\-]{4,}[A-ZĐÀ-Ỹ](?P<fn>\d{1,3})$")
# The four in one alternation, tried in that order (group ``fn1`` ... ``fn4``).
_STUCK = re.compile(
    "|".join(
        f"(?:{p.pattern.replace('(?P<fn>', f'(?P<fn{k}>')})"
        for k, p in enumerate((_STUCK_POINT, _STUCK_CLAUSE, _STUCK_ARTICLE, _STUCK_CAPS), 1)
    )
)
# ... and to the last word of an article heading, "Điều 5. Hiệu lực thi hành12": a word of
# letters only (not "10/2012/QH13"), taken only when a footnote of that number was found.
_STUCK_END = re.compile(r"(?:^|\s)(?P<word>[^\W\d_]{2,})(?P<fn>\d{1,3})$")
_UNITS = frozenset({"km", "cm", "mm", "dm", "ha"})  # "50km2" is an area, not a note
_HEADING_LINES = 3  # lines an article heading may wrap on to (as ``structure._heading``)


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


def normalize_source(text: str) -> str:
    """NFC, ``\\n`` line ends, no NUL or form feeds: what every later offset is counted in.

    The Icelandic capital eth ``Ð`` (U+00D0), which some sources type for ``Đ`` (U+0110) as in
    "Ðiều 317", becomes ``Đ``: Vietnamese has no eth, and a label must read as a label.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\x00", "").replace("\u00a0", " ").replace("\u200b", "")
    return text.replace("\u00d0", "\u0110")


def clean_text(text: str) -> Cleaned:
    """Remove page furniture, signature blocks and footnote blocks; see the module docstring.

    ``text`` must already be normalised (:func:`normalize_source`).
    """
    line_text = text.split("\n")
    n = len(line_text)
    drop = [False] * n
    # every pattern below needs its literal: without it, skip the pass over the lines
    gazette = False
    if "CÔNG BÁO" in text:
        gazette = any(_PAGE_HEADER.match(t) for t in line_text[:400])
        # Page headers, with the page number printed on the line before or after them.
        for i, t in enumerate(line_text):
            if "CÔNG BÁO" in t and _PAGE_HEADER.match(t):
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
    if "Ký bởi" in text or "Người ký" in text:
        for i, t in enumerate(line_text):
            # the pattern opens with one of the two phrases: most lines fail the cheap test
            if ("Ký bởi" in t or "Người ký" in t) and _SIG_START.match(t):
                block = [i]
                for j in range(i + 1, min(n, i + 6)):
                    if _SIG_LINE.match(line_text[j]):
                        block.append(j)
                    elif line_text[j].strip():
                        break
                if any(
                    line_text[j].lstrip().startswith(("Thời gian ký", "Ngày ký", "Email"))
                    for j in block
                ):
                    for j in block:
                        drop[j] = True

    footnotes: list[str] = []
    if gazette:
        footnotes = _drop_footnote_blocks(line_text, drop)

    # The source ranges to delete, in order: dropped lines with their newline, and footnote
    # numbers stuck to labels inside kept lines.
    cuts: list[tuple[int, int]] = []
    removed = 0
    notes = _note_numbers(footnotes)
    heading = 0  # lines of an article heading that may still follow
    marks = gazette or bool(footnotes)
    size = len(text)
    a = 0
    for i, t in enumerate(line_text):
        b = a + len(t)
        if drop[i]:
            removed += 1
            cuts.append((a, min(b + 1, size)))
        elif marks:
            m = _STUCK.match(t)
            cut = m.span(m.lastgroup) if m is not None and m.lastgroup else None
            if notes and (heading or t[:1] in "ĐD \t"):
                heading = _heading_left(t, heading)
                if heading and cut is None and t[-1:].isdigit():
                    cut = _stuck_heading_end(t, notes)
                    if cut is not None:
                        heading = 0
            if cut is not None and cut[1] > cut[0]:
                cuts.append((a + cut[0], a + cut[1]))
        a = b + 1
    if not cuts:
        return Cleaned(text, ((0, 0, size),) if size else (), tuple(footnotes), removed)
    # Assemble the kept ranges: each is one run of the map back to the source.
    runs: list[tuple[int, int, int]] = []
    parts: list[str] = []
    out_len = 0
    keep = 0
    for s, e in cuts:
        if s > keep:
            runs.append((out_len, keep, s - keep))
            parts.append(text[keep:s])
            out_len += s - keep
        keep = max(keep, e)
    if size > keep:
        runs.append((out_len, keep, size - keep))
        parts.append(text[keep:])
    return Cleaned("".join(parts), tuple(runs), tuple(footnotes), removed)


def _note_numbers(footnotes: list[str]) -> frozenset[int]:
    return frozenset(int(m[0]) for note in footnotes if (m := re.match(r"\d{1,3}", note)))


def _heading_left(line: str, left: int) -> int:
    """How many lines of an article heading may still follow, counting ``line``: a label line
    opens a heading, a line that ends a sentence or a blank line closes it."""
    t = line.strip()
    if not t:
        return 0
    if t[0] in "ĐD" and _FLOW_ARTICLE.match(t):
        left = _HEADING_LINES + 1
    elif left:
        left -= 1
    if left and t.endswith(_ENDS):
        return 0
    return left


def _stuck_heading_end(line: str, notes: frozenset[int]) -> tuple[int, int] | None:
    """A footnote number stuck to the last word of a heading line, if that footnote exists."""
    m = _STUCK_END.search(line.rstrip())
    if m is None or int(m["fn"]) not in notes or m["word"].lower() in _UNITS:
        return None
    return m.start("fn"), m.end("fn")


# Lines that tell where a flow of text stands: labels of an article, a clause, a point, and the
# headings of a part, chapter or section.
_FLOW_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,3})[a-zđ]?\s*[.:]")
_FLOW_CLAUSE = re.compile(r"^(\d{1,3})\.\s")
_FLOW_POINT = re.compile(r"^([a-zđ])(?:\.?\d+(?:\.\d+)*)?\)\s")  # a) d1) b.2) b.2.1)
_FLOW_HEADING = re.compile(r"^(?:Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[IVXL\d]")
_ENDS = tuple('.;:!?”")…/')  # a line ending so ends a sentence (or announces what follows)
# A line this long without closing punctuation was wrapped mid-sentence; a shorter one is a
# heading, a name or a title. Footnotes are set in a smaller type, so a footnote line was
# wrapped when it is longer than the body's lines (Gazette pages: some 75 characters a line of
# body, 85 to 120 of footnote).
_WRAPPED = 40
_NOTE_WIDER = 5
_BODY_WIDTH = 75
_BODY_LOOKBACK = 400
_LABEL_LIKE = re.compile(r"^[a-zđ]\d{0,2}[.)]\s")
_NUMBER_GOES_ON = re.compile(r"^\d+(?:[/,]|\s+(?P<next>\w))")


@dataclass(slots=True)
class _Flow:
    """Where a flow of text stands: the body of the document, or the footnote that runs on at
    the foot of the pages. Which of the two a line goes on is read off this."""

    tail: str = ""  # the last non-empty line
    article: int | None = None  # the last article label
    clause: int | None = None  # the last clause label under the current article
    point: str | None = None  # the last point label under the current clause
    balance: int = 0  # quotes opened and not closed
    heading: bool = False  # the tail is a heading (a chapter title): a label must follow
    wrap: int = _WRAPPED  # a line this long without closing punctuation was wrapped
    quotes: bool = True  # count the quotes (the body's are not needed)

    def feed(self, line: str) -> None:
        t = line.strip()
        if not t:
            return
        self.tail = t
        if self.quotes:
            self.balance += _quote_balance([t])
        self.heading = bool(_FLOW_HEADING.match(t)) or (self.heading and t == t.upper())
        t = t.lstrip('“"')
        if m := _FLOW_ARTICLE.match(t):
            self.article, self.clause, self.point = int(m[1]), None, None
        elif m := _FLOW_CLAUSE.match(t):
            self.clause, self.point = int(m[1]), None
        elif m := _FLOW_POINT.match(t):
            self.point = m[1]

    def copy(self) -> _Flow:
        return replace(self)

    def cut(self) -> bool:
        """Whether the flow stopped mid-sentence (a long line without closing punctuation)."""
        t = self.tail
        return bool(t) and not t.endswith(_ENDS) and len(t) >= self.wrap and t != t.upper()

    def open(self) -> bool:
        """Whether a footnote goes on: a quote left open, a colon announcing a quote, or a
        sentence cut at the page break."""
        return self.balance > 0 or self.tail.endswith(":") or self.cut()

    def next_article(self, t: str) -> bool:
        m = _FLOW_ARTICLE.match(t)
        return m is not None and int(m[1]) == (self.article or 0) + 1

    def fits(self, t: str) -> bool:
        """Whether the label line ``t`` is the next clause or point of this flow."""
        if m := _FLOW_CLAUSE.match(t):
            if self.clause is None:
                return int(m[1]) == 1 and self.article is not None
            return int(m[1]) == self.clause + 1
        if m := _FLOW_POINT.match(t):
            prev = point_index(self.point) if self.point else -1
            return prev is not None and m[0][1] == ")" and point_index(m[1]) == prev + 1
        return False


def _drop_footnote_blocks(line_text: list[str], drop: list[bool]) -> list[str]:
    """Mark the footnote areas at the foot of Gazette pages dropped; return the footnotes.

    A page runs from one page break (a dropped header or signature line) to the next; its
    footnote area is the end of it. The area begins at the first footnote of the page (a blank
    line, then ``N Text...`` where N follows the last footnote's number: footnotes are numbered
    1, 2, 3 ... through the document), or earlier where the footnote that ended the previous
    page runs on: its continuation carries no number, so it is told from the body by which of
    the two flows its first line goes on (see :func:`_continuation`).
    """
    n = len(line_text)
    notes: list[list[str]] = []
    last = 0
    note = _Flow()
    i = 0
    while i < n:
        if drop[i]:
            i += 1
            continue
        end = i
        while end < n and not drop[end]:
            end += 1
        if not any(line_text[k].strip() for k in range(i, end)):
            i = end  # a blank line between the page number and the header
            continue
        first = _first_footnote(line_text, i, end, last)
        start = first
        if note.tail:
            body, width = _body_flow(line_text, drop, i)
            note.wrap = width + _NOTE_WIDER
            found = _continuation(line_text, i, first, body, note)
            if found is None and first == end:
                found = _note_paragraph(line_text, i, end, last, note.wrap)
            if found is not None:
                start = found
        if start == end:
            note = _Flow()  # no footnote at the foot of this page: none runs on
        for k in range(start, end):
            t = line_text[k].strip()
            m = _FOOTNOTE_START.match(t)
            got = _note_number(m["n"], last) if m else None
            if got is not None and (k > start or k == first):
                last = got
                notes.append([])
                note = _Flow()
            if t:
                notes[-1].append(t)
                note.feed(t)
            drop[k] = True
        i = end
    return [" ".join(parts) for parts in notes if parts]


def _body_flow(line_text: list[str], drop: list[bool], end: int) -> tuple[_Flow, int]:
    """Where the body stands before line ``end``, read from its last article label (at most
    ``_BODY_LOOKBACK`` lines back), and the width of its full lines."""
    back: list[str] = []
    k = end - 1
    while k >= 0 and len(back) < _BODY_LOOKBACK:
        t = line_text[k].strip()
        if t and not drop[k]:
            back.append(t)
            t = t.lstrip('“"')
            if t[:1] in "ĐD" and _FLOW_ARTICLE.match(t):
                break
        k -= 1
    flow = _Flow(quotes=False)
    for t in reversed(back):
        flow.feed(t)
    widths = sorted(len(t) for t in back if len(t) >= 50)
    return flow, (widths[len(widths) // 2] if widths else _BODY_WIDTH)


def _note_number(n: str, last: int) -> int | None:
    """The footnote a number at the start of a line opens, if it follows footnote ``last``: N
    itself, or N printed after the number before it ("45 Điều này ..." for footnote 5, as the
    text layer of some Gazette PDFs sets the two superscripts together)."""
    if last < int(n) <= last + 3:
        return int(n)
    for k in range(last + 1, last + 4):
        if n == f"{k - 1}{k}":
            return k
    return None


def _first_footnote(line_text: list[str], start: int, end: int, last: int) -> int:
    """The first line of the page ``[start, end)`` that begins its next footnote, else ``end``."""
    for k in range(max(start, end - 59), end):
        m = _FOOTNOTE_START.match(line_text[k]) if line_text[k][:1].isdigit() else None
        if m and _note_number(m["n"], last) and (k == start or not line_text[k - 1].strip()):
            return k
    return end


def _note_paragraph(line_text: list[str], start: int, end: int, last: int, wrap: int) -> int | None:
    """Where the footnote that ended the previous page goes on as a paragraph of its own, with
    the next footnote right under it (no blank line between them, so :func:`_first_footnote`
    misses it): a block after a blank line, of lines as wide as a footnote's (``wrap``) but the
    last, which ends a sentence, followed by the next footnote's number. ``None`` if none."""
    for k in range(max(start + 1, end - 59), end):
        t = line_text[k]
        m = _FOOTNOTE_START.match(t) if t[:1].isdigit() else None
        if m is None or not _note_number(m["n"], last) or not line_text[k - 1].strip():
            continue
        b = k - 1
        while b > start and line_text[b - 1].strip():
            b -= 1
        if (
            b > start
            and k - b >= 2
            and line_text[k - 1].rstrip().endswith(_ENDS)
            and all(len(line_text[j].strip()) >= wrap for j in range(b, k - 1))
        ):
            return b
        return None
    return None


def _continuation(
    line_text: list[str], start: int, limit: int, body: _Flow, note: _Flow
) -> int | None:
    """Where the footnote that ended the previous page goes on, on the page that begins at
    ``start`` (before ``limit``, its first numbered footnote); ``None`` if it does not.

    A continuation runs to the end of the page and begins at the page top or after a blank
    line. Where the footnote left a quote open and the quote closes on this page, it begins at
    the last such line before the close that may go on the footnote. Otherwise the first such
    line that goes on the footnote and not the body begins it.
    """
    # the page top and the lines after a blank, with the body before them
    candidates: list[tuple[int, _Flow, bool]] = []
    flow = body.copy()
    fresh = True
    for k in range(start, limit):
        t = line_text[k].strip()
        if not t:
            fresh = True
            continue
        if fresh:
            candidates.append((k, flow.copy(), not candidates))
            fresh = False
        flow.feed(t)
    if note.balance > 0:
        # the quote closes in the continuation, which begins at the last line before the close
        # that may go on the footnote
        begin: int | None = None
        run = 0
        nxt = 0
        for k in range(start, limit):
            if nxt < len(candidates) and candidates[nxt][0] == k:
                _, before, top = candidates[nxt]
                ok = _may_go_on_note(line_text[k].strip(), before, note, top)
                begin, run = (k, note.balance) if ok else (None, 0)
                nxt += 1
            if begin is not None:
                run += _quote_balance([line_text[k]])
                if run <= 0:
                    return begin
    is_open = note.open()
    for k, before, top in candidates:
        if _goes_on_note(line_text[k].strip(), before, note, top, is_open):
            return k
    return None


def _body_goes_on(t: str, body: _Flow, top: bool) -> bool:
    """``t`` is the body's next article, a heading, or, at the page top, lower case after a
    cut sentence (the body comes first on a page, and a blank line does not cut a sentence)."""
    if body.next_article(t) or _FLOW_HEADING.match(t):
        return True
    return top and _goes_on_sentence(t) and body.cut()


def _may_go_on_note(t: str, body: _Flow, note: _Flow, top: bool) -> bool:
    """Nothing in ``t`` says it is not the footnote's next line."""
    if _body_goes_on(t, body, top):
        return False
    if _FLOW_ARTICLE.match(t):
        return note.tail.endswith(":")
    if _FLOW_CLAUSE.match(t) or _FLOW_POINT.match(t):
        return note.fits(t)
    return not _goes_on_sentence(t) or note.cut()


def _goes_on_note(t: str, body: _Flow, note: _Flow, top: bool, is_open: bool) -> bool:
    """``t`` goes on the footnote and not the body."""
    if _body_goes_on(t, body, top):
        return False
    if body.heading and not (_FLOW_ARTICLE.match(t) or _FLOW_CLAUSE.match(t)):
        return True  # a chapter title is followed by a label: this is not the body
    if not is_open:
        return False
    if _FLOW_POINT.match(t) or _FLOW_CLAUSE.match(t):
        return note.fits(t) and not body.fits(t)
    if _goes_on_sentence(t):
        return note.cut() and not body.tail.endswith(":")
    if t[0] in '“"' or _FLOW_ARTICLE.match(t):
        return note.tail.endswith(":") and not body.tail.endswith(":")
    return False


def _goes_on_sentence(t: str) -> bool:
    """``t`` goes on a sentence: lower case that is not a label, or a number that is not one
    (``12/2024/QĐ-UBND, ...``, ``2020 của ...``)."""
    if t[0].isdigit():
        m = _NUMBER_GOES_ON.match(t)
        return m is not None and (m["next"] is None or m["next"].islower())
    return t[0].islower() and not _LABEL_LIKE.match(t) and not _FLOW_POINT.match(t)


def _quote_balance(lines: object) -> int:
    """Open quotes minus closed ones; a straight quote opens at a line start or after a space."""
    bal = 0
    for t in lines:  # type: ignore[attr-defined]
        bal += t.count("“") - t.count("”")
        if '"' not in t:
            continue
        for m in re.finditer('"', t):
            before = t[: m.start()]
            bal += 1 if (not before.strip() or before.endswith((" ", ":", "("))) else -1
    return bal
