"""The unit tree: Phần / Chương / Mục / Tiểu mục / Điều / Khoản / Điểm, and attached regulations.

One pass over the lines of the cleaned text. A line is a label only when its pattern matches
(``rules/headings.yaml``), it is not inside quoted amendment text, and its number fits the
sequence or the line before it ends a sentence (a wrapped line such as "Điều 6 của ..." or an
out-of-order "3." inside a sentence is text, not structure). Odd numbering becomes diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from operator import add

from vbqppl.ids import KIND_PREFIX, ORDINALS, point_index, roman_to_int
from vbqppl.model import Diagnostic, Span, Unit
from vbqppl.rules import load_rules

_LABEL_KINDS = ("part", "chapter", "section", "subsection", "article", "clause", "point")
LEVEL = {
    "part": 0,
    "chapter": 1,
    "section": 2,
    "subsection": 3,
    "article": 4,
    "clause": 5,
    "point": 6,
}
# Levels whose numbering restarts under each new parent (articles and chapters run on through
# the whole document or attachment).
_RESTARTING = ("section", "subsection", "clause", "point")
_RESTARTING_UNDER = {k: tuple(r for r in _RESTARTING if LEVEL[r] > v) for k, v in LEVEL.items()}
_LABEL_WORD = {
    "part": "Phần",
    "chapter": "Chương",
    "section": "Mục",
    "subsection": "Tiểu mục",
    "article": "Điều",
}
_OPEN_QUOTES = '“"«'
_SENTENCE_END = tuple('.;:!?”")»/…')
# An amendment instruction names what it changes: "Sửa đổi, bổ sung khoản 2 Điều 5 như sau:".
_AMEND_VERB = re.compile(
    r"(?i)(?:sửa đổi|bổ sung|thay thế|điều chỉnh|sửa lỗi|đính chính)[^.;:]{0,80}?"
    r"(?:\b(?:điểm|khoản|điều|chương|mục|phần|phụ lục|cụm từ|tên|nội dung|một số|các|đoạn|câu)\b)"
    r"|(?i:\b(?:điểm|khoản|điều|chương|mục|phụ lục)\b[^.;:]{0,60}?được\s+(?:sửa đổi|bổ sung|thay thế))"
)
# The last character of a line ``amend_intro`` matches ("... như sau:", "... như sau: “").
_INTRO_ENDS = (":", "“", '"')
_SPLIT_NUMBER = re.compile(r"^\d{1,3}[a-zđ]?\s*[.:]")
# An entry of a table of contents: a label followed by a tab or a dot leader and a page number.
_TOC_ENTRY = re.compile(r"(?:\t|\.{4,}|…{2,})\s*\d{1,4}\s*$")
# ... or, where a reader turned the tab into a space, a label line ending in a page number
# among others like it ("Điều 5. Tên điều 12").
_TOC_SPACED = re.compile(r"\S\s+\d{1,4}$")
_TOC_LABEL = re.compile(
    r"^(?:(?:Điều|ĐIỀU)\s*\d{1,3}[a-zđ]?\s*[.:]|(?:Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[IVXL\d])"
)
_TOC_RUN = 3  # consecutive lines that make a contents list
_ARTICLE_LINE = re.compile(r"^(?:Điều|ĐIỀU)\s*(\d{1,3}[a-zđ]?)\s*[.:]")
_ARTICLE_MENTION = re.compile(r"Điều\s+(\d{1,3}[a-zđ]?)")
_HEADING_CONNECTOR = re.compile(
    r"(?:\s(?:và|của|các|về|đối với|trong|tại|theo|với|hoặc|để|những|thuộc|giữa)|[,\-–])$"
)
# An article heading wraps on to at most 3 lines, or 5 where the lines past the third begin in
# lower case and a label follows them (the title of a long amended document).
_WRAP_LINES = 3
_WRAP_MOST = 5
_ATTACH_TITLE = re.compile(
    r"^(?:QUY ĐỊNH|QUY CHẾ|ĐIỀU LỆ|HƯỚNG DẪN|CHƯƠNG TRÌNH|NỘI QUY|QUY TRÌNH|TIÊU CHUẨN|ĐỀ ÁN|"
    r"KẾ HOẠCH|PHƯƠNG ÁN|BẢNG|CHÍNH SÁCH|DANH MỤC|QUY TẮC)\b"
)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    rules = load_rules("headings")
    return {name: re.compile(spec["pattern"]) for name, spec in rules.items()}


@cache
def _event() -> re.Pattern[str]:
    """The line patterns the main loop tries on a line outside quotes, in one alternation
    (names taken out): a line none of them matches (most lines) is text, and goes straight to
    the quote bookkeeping. "Điều" alone is the first line of a split label."""
    rules = load_rules("headings")
    names = ("signature", "attachment_intro", "appendix", *_LABEL_KINDS, "article_undotted")
    alts = [re.sub(r"\(\?P<\w+>", "(?:", rules[name]["pattern"]) for name in names]
    # Joined bare: the engine tries a branch that opens with a literal cheaply, one that
    # opens with "^" or a group in full. ``match`` anchors them anyway, and a pattern's own
    # "|" joins the same alternatives in the same order.
    alts = [alt.removeprefix("^") for alt in [*alts, "(?:Điều|ĐIỀU)$"]]
    return re.compile("|".join(alts))


@dataclass(slots=True)
class _Open:
    kind: str
    id: str
    number: str
    label: str
    heading: str | None
    parent: str | None
    start: int


@dataclass(slots=True)
class _Region:
    """The body of the document itself, or of one attached regulation."""

    prefix: str  # "" or "att_1__"
    attachment: _Open | None = None
    last: dict[str, tuple[int, str] | None] = field(default_factory=dict)
    articles: int = 0


@dataclass(frozen=True, slots=True)
class Structure:
    units: tuple[Unit, ...]
    diagnostics: tuple[Diagnostic, ...]
    quotes: tuple[Span, ...]
    body: Span | None  # from the first unit to the end of the last one


_NUM = re.compile(r"(\d+)(.*)")


def _needs_bookkeeping(line: str, s: str, articles: int) -> bool:
    """Whether :func:`parse_structure`'s quote bookkeeping has anything to do on a line: count
    its quotes (once the articles have begun), or read a "... như sau:" at its end."""
    return s.endswith(_INTRO_ENDS) or bool(
        articles and ('"' in line or "“" in line or "”" in line or "«" in line or "»" in line)
    )


def _line_spans(line_text: list[str]) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of each line of the text ``"\\n".join(line_text)``, summed
    in C: each line starts one past the end of the one before."""
    sizes = list(map(len, line_text))
    starts = list(accumulate(map((1).__add__, sizes[:-1]), initial=0))
    return list(zip(starts, map(add, starts, sizes), strict=True))


def _split_num(num: str) -> tuple[int, str]:
    m = _NUM.match(num)
    if m:
        return int(m[1]), m[2]
    return 0, num


def _number_of(kind: str, m: re.Match[str]) -> str | None:
    if kind == "part" and m["word"]:
        value = ORDINALS.get(" ".join(m["word"].lower().split()))
        return str(value) if value else None
    raw = m["num"]
    if kind in ("part", "chapter", "section") and raw and raw[0] in "IVXL":
        value = roman_to_int(raw)
        return str(value) if value else None
    if kind == "point":
        return raw
    base, suffix = _split_num(raw)
    return f"{base}{suffix}"


def _seq_key(kind: str, number: str) -> tuple[int, str] | None:
    if kind == "point":
        idx = point_index(number[0])
        if idx is None:
            return None
        return idx, number[1:]
    return _split_num(number)


def _in_sequence(prev: tuple[int, str] | None, cur: tuple[int, str]) -> bool:
    if prev is None:
        return cur[0] in (0, 1) and not cur[1]
    if cur[1] == "":
        return cur[0] == prev[0] + 1
    # an inserted unit (8a after 8, d1 after d) or the next inserted one (8b after 8a)
    return cur[0] == prev[0] and cur[1] > prev[1]


def parse_structure(text: str) -> Structure:
    """Find the unit tree of ``text`` (the cleaned text). Never raises on content."""
    pats = _patterns()
    event = _event().match
    signature = pats["signature"].match
    instruction = pats["instruction"].match
    attachment_intro = pats["attachment_intro"].match
    appendix = pats["appendix"].match
    amend_intro = pats["amend_intro"].search
    line_text = text.split("\n")
    lines = _line_spans(line_text)

    units: list[Unit] = []
    diags: list[Diagnostic] = []
    quotes: list[Span] = []
    stack: list[_Open] = []  # open units, outermost first
    used_ids: set[str] = set()
    region = _Region(prefix="")
    regions_done = 0
    zone = "body"  # body | tail (after a signature) | appendix
    depth = 0  # curly-quote nesting at the start of the current line
    implicit = False  # inside unquoted new text after "... như sau:"
    quote_targets: set[str] = set()
    quote_start: int | None = None
    prev_text = ""  # the previous non-empty line
    prev_was_label = True
    body_start: int | None = None
    body_end = 0
    dotted: set[str] | None = None  # numbers of the dotted article labels, when needed
    contents: set[int] | None = None  # lines of a contents list without tabs, when needed

    def close_to(level: int, at: int) -> None:
        nonlocal body_end
        while stack and LEVEL.get(stack[-1].kind, -1) >= level:
            u = stack.pop()
            end = _trim_end(text, u.start, at)
            units.append(
                Unit(u.id, u.kind, u.number, u.label, u.heading, u.parent, Span(u.start, end))
            )
            body_end = max(body_end, end)

    def close_region(at: int) -> None:
        close_to(0, at)
        if region.attachment is not None:
            a = region.attachment
            end = _trim_end(text, a.start, at)
            units.append(Unit(a.id, a.kind, a.number, a.label, a.heading, None, Span(a.start, end)))
            region.attachment = None

    def unique(uid: str) -> str:
        if uid not in used_ids:
            used_ids.add(uid)
            return uid
        k = 2
        while f"{uid}-{k}" in used_ids:
            k += 1
        used_ids.add(f"{uid}-{k}")
        return f"{uid}-{k}"

    def open_unit(kind: str, number: str, label: str, heading: str | None, start: int) -> None:
        nonlocal body_start
        level = LEVEL[kind]
        close_to(level, start)
        parent = stack[-1] if stack else region.attachment
        # ids: articles are not prefixed by their chapter; clauses and points by their article.
        if kind in ("clause", "point", "subsection") or (kind == "section" and stack):
            base = (
                f"{parent.id}__"
                if parent is not None and parent.kind != "attachment"
                else region.prefix
            )
        else:
            base = region.prefix
        uid = unique(f"{base}{KIND_PREFIX[kind]}_{number}")
        stack.append(_Open(kind, uid, number, label, heading, parent.id if parent else None, start))
        if body_start is None:
            body_start = start

    def bookkeep(idx: int, line: str, s: str, ls: int, quoted_line: bool = False) -> None:
        """Track quotes opened and closed on this line, and unquoted new text after an
        amendment instruction ending in "như sau:"."""
        nonlocal depth, implicit, quote_targets, quote_start, prev_text
        if not _needs_bookkeeping(line, s, region.articles):
            prev_text = s
            return
        opens = closes = 0
        if region.articles:  # quotes in the header and the Căn cứ block are never structure
            opens = line.count("“") + line.count("«")
            closes = line.count("”") + line.count("»")
            if '"' in line:
                for mq in re.finditer('"', line):
                    before = line[: mq.start()].rstrip()
                    if not before or before.endswith((":", "(", ",")):
                        opens += 1
                    else:
                        closes += 1
        was = depth
        if opens or closes:
            depth = max(0, depth + opens - closes)
            if depth > 3:
                depth = 1
        if was == 0 and depth > 0 and quote_start is None:
            quote_start = ls
            quote_targets = set(_ARTICLE_MENTION.findall(f"{prev_text} {s}"))
        if (
            not quoted_line
            and depth == 0
            and not implicit
            and region.articles
            and s.endswith(_INTRO_ENDS)
            and amend_intro(s)
        ):
            sentence = f"{prev_text} {s}" if not prev_text.endswith(_SENTENCE_END) else s
            nxt = _next_nonempty(text, lines, idx)
            if _AMEND_VERB.search(sentence) and nxt is not None and nxt[:1] not in _OPEN_QUOTES:
                implicit = True
                quote_targets = set(_ARTICLE_MENTION.findall(sentence))
                if quote_start is None:
                    quote_start = ls + len(line) - len(line.lstrip()) + len(s)
        prev_text = s

    def end_quote(at: int) -> None:
        """An open quote or unquoted new text ends here (the caller records its span)."""
        nonlocal depth, implicit
        if depth > 0 and quote_start is not None:
            diags.append(
                Diagnostic(
                    "quote-unclosed", "Dấu ngoặc kép mở nhưng không đóng", Span(quote_start, at)
                )
            )
        depth, implicit = 0, False

    n = len(lines)

    def skip_text(i: int) -> int:
        """The first line from ``i`` on, outside quotes, that is not plain text: one the line
        patterns may match or the quote bookkeeping must read. The plain text lines before it
        (most lines) only move ``prev_text`` on, as the main loop would."""
        nonlocal prev_text, prev_was_label
        articles = region.articles
        while i < n:
            s = line_text[i].strip()
            if s:
                if event(s) is not None or _needs_bookkeeping(s, s, articles):
                    return i
                prev_text = s
                prev_was_label = False
            i += 1
        return i

    i = 0
    while i < n:
        if not (depth > 0 or implicit) and quote_start is None:
            i = skip_text(i)
            if i == n:
                break
        line = line_text[i]
        s = line.strip()
        if not s:
            i += 1
            continue
        if not (depth > 0 or implicit) and quote_start is None and event(s) is None:
            # text, outside quotes: nothing below can match it
            if _needs_bookkeeping(line, s, region.articles):
                bookkeep(i, line, s, lines[i][0] + len(line) - len(line.lstrip()))
            else:
                prev_text = s
            prev_was_label = False
            i += 1
            continue
        ls = lines[i][0] + len(line) - len(line.lstrip())  # where the stripped line starts

        quoted_line = depth > 0 or implicit
        first = s[0]
        # An unclosed quote never runs past the next instruction or the signature.
        if quoted_line and (instruction(s) or signature(s)):
            end_quote(ls)
            quoted_line = False
        if quoted_line and first in "ĐD" and region.articles:
            m = pats["article"].match(s)
            if (
                m
                and _own_next_article(region, m["num"], quote_targets)
                and (implicit or prev_text.endswith(_SENTENCE_END))
            ):
                end_quote(ls)
                quoted_line = False

        if quoted_line:
            if quote_start is None:
                quote_start = ls
        else:
            if quote_start is not None and depth == 0:
                # A wrapped heading read ahead can leave quote_start past this line: no quote.
                if quote_start < ls:
                    quotes.append(Span(quote_start, _trim_end(text, quote_start, ls)))
                quote_start = None
            matched = event(s) is None  # nothing below can match: text
            if matched:
                pass
            elif signature(s) and (region.articles or zone != "body"):
                if zone == "body":
                    close_region(ls)
                zone = "tail"
                matched = True
            elif (
                first in "(BbKk"
                and attachment_intro(s)
                and _attachment_follows(text, lines, i, pats)
            ):
                att_start, att_label, att_heading = _attachment_title(text, lines, i)
                if _is_template(att_heading, text, lines, i):
                    # forms and templates issued with the document ("MẪU QUYẾT ĐỊNH ...",
                    # "Mẫu số 01"): their "Điều" lines are the form's, as in an appendix
                    if zone == "body":
                        close_region(att_start)
                    zone = "appendix"
                    matched = True
                else:
                    close_region(att_start)
                    regions_done += 1
                    att = _Open(
                        "attachment",
                        f"att_{regions_done}",
                        str(regions_done),
                        att_label,
                        att_heading,
                        None,
                        att_start,
                    )
                    used_ids.add(att.id)
                    region = _Region(prefix=f"att_{regions_done}__", attachment=att)
                    zone = "body"
                    matched = True
            if (
                not matched
                and zone != "tail"
                and appendix(s)
                and (region.articles or zone == "appendix")
                and len(s) < 120
                and _looks_like_appendix_heading(s)
            ):
                if zone == "body":
                    close_region(ls)
                zone = "appendix"
                matched = True
            if not matched and zone == "body":
                split = 0
                if s in ("Điều", "ĐIỀU") and i + 1 < n:
                    # a label split over two lines: "Điều" / "5. Tên điều"
                    nxt_line = text[lines[i + 1][0] : lines[i + 1][1]].strip()
                    if _SPLIT_NUMBER.match(nxt_line):
                        s = f"{s} {nxt_line}"
                        split = 1
                label = _match_label(s, first, pats)
                if (
                    label is None
                    and s.startswith(("Điều ", "ĐIỀU "))
                    and (mu := pats["article_undotted"].match(s))
                ):
                    if dotted is None:
                        dotted = _dotted_articles(text, lines, pats)
                    if _undotted_fits(mu, region, prev_text, prev_was_label, dotted):
                        label = ("article", mu)
                if label is not None and s[-1].isdigit():
                    if _TOC_ENTRY.search(s):
                        label = None  # "Điều 5. Tên điều\t12": the contents list, not the article
                    elif label[0] not in ("clause", "point") and _TOC_SPACED.search(s):
                        if contents is None:
                            contents = _contents_lines(text, lines)
                        if i in contents:
                            label = None
                if label is not None:
                    kind, m = label
                    accepted = _accept(
                        kind, m, s, region, stack, prev_text, prev_was_label, diags, ls
                    )
                    if accepted is not None:
                        number = accepted
                        heading, consumed = _heading(kind, m, text, lines, i + split, pats)
                        consumed += split
                        lab = _label_text(kind, m)
                        open_unit(kind, number, lab, heading, ls)
                        region.last[kind] = _seq_key(kind, number)
                        for lower in _RESTARTING_UNDER[kind]:
                            region.last[lower] = None
                        if kind == "article":
                            region.articles += 1
                        for k in range(i, i + consumed + 1):
                            ka, kb = lines[k]
                            bookkeep(k, text[ka:kb], text[ka:kb].strip(), ka)
                        prev_was_label = kind not in ("clause", "point")
                        i += 1 + consumed
                        continue

        bookkeep(i, line, s, ls, quoted_line)
        prev_was_label = False
        i += 1

    if quote_start is not None:
        quotes.append(Span(quote_start, _trim_end(text, quote_start, len(text))))
        if depth > 0:
            diags.append(
                Diagnostic(
                    "quote-unclosed",
                    "Dấu ngoặc kép mở nhưng không đóng",
                    Span(quote_start, quote_start),
                )
            )
    close_region(len(text))
    units.sort(key=lambda u: (u.span.start, -u.span.end, LEVEL.get(u.kind, -1)))
    if not any(u.kind == "article" for u in units):
        diags.append(Diagnostic("no-articles", "Không tìm thấy Điều nào trong văn bản", None))
    body = Span(body_start, body_end) if body_start is not None else None
    return Structure(tuple(units), tuple(diags), tuple(quotes), body)


_DISPATCH = {
    "Đ": "article",
    "D": "article",
    "C": "chapter",
    "P": "part",
    "M": "section",
    "T": "subsection",
}


def _match_label(
    s: str, first: str, pats: dict[str, re.Pattern[str]]
) -> tuple[str, re.Match[str]] | None:
    """Dispatch on the first character so most lines cost one comparison."""
    kind = _DISPATCH.get(first) or (
        "clause" if first.isdigit() else "point" if first.islower() else None
    )
    if kind is None:
        return None
    m = pats[kind].match(s)
    return (kind, m) if m else None


def _accept(
    kind: str,
    m: re.Match[str],
    s: str,
    region: _Region,
    stack: list[_Open],
    prev_text: str,
    prev_was_label: bool,
    diags: list[Diagnostic],
    at: int,
) -> str | None:
    """The unit's number if this label line opens a unit, else ``None`` (it is running text)."""
    number = _number_of(kind, m)
    if number is None:
        return None
    heading = (m["heading"] or "").strip()
    if kind in ("part", "chapter", "section", "subsection") and heading[:1].islower():
        return None  # "Chương II của Luật này": a wrapped reference
    if kind in ("clause", "point"):
        parents = [u for u in stack if u.kind == "article"]
        if not parents:
            return None  # numbered lines outside any article (Căn cứ, header, lists)
        if (
            kind == "point"
            and point_index(number[0]) is None
            and not prev_text.endswith(_SENTENCE_END)
        ):
            return None
        if kind == "clause" and int(_split_num(number)[0]) > 300:
            return None
    key = _seq_key(kind, number)
    if key is None:
        return None
    # The previous unit of the same kind under the same parent.
    prev = region.last.get(kind)
    ends = (
        prev_was_label or prev_text.endswith(_SENTENCE_END) or prev_text.isupper() or not prev_text
    )
    if _in_sequence(prev, key):
        return number
    if not ends:
        return None
    if kind == "point" and prev is None and key[0] > 2:
        return None
    if kind == "clause" and prev is None and key[0] > 2:
        return None
    # Accepted out of sequence: say what is odd.
    word = _LABEL_WORD.get(kind, "")
    if prev is None:
        code, msg = f"{kind}-start", f"{word or kind} bắt đầu từ {number}"
    elif key[0] > prev[0]:
        code, msg = f"{kind}-gap", f"Thiếu số thứ tự: sau {prev[0]}{prev[1]} là {number}"
    elif key == prev:
        code, msg = f"{kind}-duplicate", f"Trùng số thứ tự: {number}"
    else:
        code, msg = f"{kind}-order", f"Sai thứ tự: {number} sau {prev[0]}{prev[1]}"
    diags.append(Diagnostic(code, msg, Span(at, at + len(s))))
    if kind == "point" and point_index(number[0]) is None:
        diags.append(
            Diagnostic(
                "point-letter",
                f"Chữ cái điểm {number}) không thuộc bảng chữ cái tiếng Việt",
                Span(at, at + len(s)),
            )
        )
    return number


def _contents_lines(text: str, lines: list[tuple[int, int]]) -> set[int]:
    """The lines of a contents list whose page numbers follow a space, not a tab: runs of at
    least ``_TOC_RUN`` consecutive label lines that each end in a number, whose articles
    appear again, as labels, after the run."""
    runs: list[list[int]] = []
    run: list[int] = []
    for k, (a, b) in enumerate(lines):
        if b > a and text[b - 1].isdigit():
            t = text[a:b].lstrip()
            if _TOC_LABEL.match(t) and _TOC_SPACED.search(t):
                run.append(k)
                continue
        elif a == b or text[a:b].isspace():
            continue
        if len(run) >= _TOC_RUN:
            runs.append(run)
        run = []
    if len(run) >= _TOC_RUN:
        runs.append(run)
    out: set[int] = set()
    if not runs:
        return out
    articles: list[tuple[int, str]] = []  # (line, number) of every article label line
    for k, (a, b) in enumerate(lines):
        t = text[a:b].lstrip()
        if t[:1] in "ĐD" and (m := _ARTICLE_LINE.match(t)):
            articles.append((k, m[1]))
    for run in runs:
        listed = {num for k, num in articles if run[0] <= k <= run[-1]}
        later = {num for k, num in articles if k > run[-1]}
        if listed and len(listed & later) * 2 >= len(listed):
            out.update(run)
    return out


def _dotted_articles(
    text: str, lines: list[tuple[int, int]], pats: dict[str, re.Pattern[str]]
) -> set[str]:
    out = set()
    for a, b in lines:
        t = text[a:b].strip()
        if t[:1] in "ĐD" and (m := pats["article"].match(t)):
            out.add(m["num"])
    return out


def _undotted_fits(
    m: re.Match[str], region: _Region, prev_text: str, prev_was_label: bool, dotted: set[str]
) -> bool:
    """Whether "Điều 5 Chính sách ..." (no dot) is the next article rather than a reference
    at the start of a wrapped line: see ``article_undotted`` in ``rules/headings.yaml``."""
    prev = region.last.get("article")
    heading = m["heading"] or ""
    return (
        int(m["num"]) == (prev[0] + 1 if prev else 1)
        and (prev_was_label or not prev_text or prev_text.endswith(_SENTENCE_END))
        and (not heading or heading[0].isupper())
        and m["num"] not in dotted
    )


def _own_next_article(region: _Region, num: str, targets: set[str]) -> bool:
    prev = region.last.get("article")
    if prev is None or num in targets:
        return False
    base, suffix = _split_num(num)
    return not suffix and base == prev[0] + 1


def _label_text(kind: str, m: re.Match[str]) -> str:
    if kind in ("clause", "point"):
        return f"{m['num']}." if kind == "clause" else f"{m['num']})"
    if kind == "part" and m["word"]:
        return f"Phần thứ {m['word'].lower()}"
    return f"{_LABEL_WORD[kind]} {m['num']}"


def _heading(
    kind: str,
    m: re.Match[str],
    text: str,
    lines: list[tuple[int, int]],
    i: int,
    pats: dict[str, re.Pattern[str]],
) -> tuple[str | None, int]:
    """The unit's heading and how many following lines it took."""
    if kind in ("clause", "point"):
        return None, 0
    same = (m["heading"] or "").strip()
    if kind in ("part", "chapter", "section", "subsection"):
        parts = [same] if same else []
        consumed = 0
        j = i + 1
        while j < len(lines) and consumed < 3:
            t = text[lines[j][0] : lines[j][1]].strip()
            if not t:
                if parts:
                    break
                j += 1
                continue
            if _match_label(t, t[0], pats) is not None or not _is_caps(t):
                break
            parts.append(t)
            consumed = j - i
            j += 1
        return (_join(parts) or None), consumed
    # article: the same line, plus wrapped continuation lines
    para = _paragraph(text, lines, i, pats)
    if para:
        # a text whose paragraphs are set apart by blank lines: the label's paragraph is one
        # line wrapped, a heading when it ends without punctuation, else the body's first words
        heading = _join([same, *(text[a:b].strip() for a, b in para)]).strip()
        if heading.endswith((".", ";", ":", ",")) or len(heading) > 400:
            return None, 0
        return heading, len(para)
    if not same:
        return None, 0
    parts = [same]
    consumed = 0
    j = i + 1
    cur = same
    strong = True  # every continuation line began in lower case (a certain wrap)
    while j < len(lines) and consumed < _WRAP_LINES:
        t = text[lines[j][0] : lines[j][1]].strip()
        if not t or cur.endswith((".", ";", ":", "?", "!")):
            break
        if _match_label(t, t[0], pats) is not None:
            break
        wrapped = t[0].islower()
        cont = (
            wrapped
            or bool(_HEADING_CONNECTOR.search(cur))
            or (len(cur) >= 60 and len(t) < 70 and not t.endswith((".", ":", ";")))
        )
        if not cont:
            break
        strong = strong and wrapped
        parts.append(t)
        cur = t
        consumed = j - i
        j += 1
    heading = _join(parts)
    if heading.endswith((".", ";", ":", ",")) or len(heading) > 400:
        # the continuation was body text, not a wrapped heading: keep the first line if it can be one
        if consumed and not strong and not same.endswith((".", ";", ":", ",")):
            return same, 0
        return None, 0
    if consumed == _WRAP_LINES:
        more = _wrapped_on(text, lines, i + consumed + 1, pats)
        if more:
            longer = _join([heading, *more])
            if not longer.endswith((".", ";", ":", ",")) and len(longer) <= 400:
                return longer, consumed + len(more)
    return heading, consumed


def _wrapped_on(
    text: str, lines: list[tuple[int, int]], j: int, pats: dict[str, re.Pattern[str]]
) -> list[str]:
    """The lines from ``j`` on that carry a heading past ``_WRAP_LINES`` lines: at most
    ``_WRAP_MOST - _WRAP_LINES`` lines that begin in lower case (a line cannot begin a
    sentence so), then a label line; else none."""
    more: list[str] = []
    while j < len(lines):
        t = text[lines[j][0] : lines[j][1]].strip()
        if t and _match_label(t, t[0], pats) is not None:
            return more
        if not t or not t[0].islower() or len(more) == _WRAP_MOST - _WRAP_LINES:
            return []
        more.append(t)
        j += 1
    return []


_HYPHEN_WRAP = re.compile(r"\w-$")


def _join(parts: list[str]) -> str:
    """Wrapped heading lines joined: by a space, but none after a hyphen stuck to a word
    ("TT-" / "BLĐTBXH" is "TT-BLĐTBXH"; "Lao động -" / "Thương binh" keeps its space)."""
    out = ""
    for part in parts:
        if out and not _HYPHEN_WRAP.search(out):
            out += " "
        out += part
    return out


# A line that begins a paragraph: a label, or an item of a dashed list.
_PARA_START = re.compile(r"(?:Điều|ĐIỀU)\s*\d|\d{1,3}[a-zđ]?\.\s|[a-zđ]\d{0,2}\)\s|[-+–]\s")
_PARA_LINES = 8  # the most lines a label's paragraph may wrap to
_PARA_WINDOW = 50  # lines each side of a label that show how its paragraphs are set
_PARA_SHARE = 0.8  # of the paragraph starts in the window that follow a blank line


def _paragraph(
    text: str, lines: list[tuple[int, int]], i: int, pats: dict[str, re.Pattern[str]]
) -> list[tuple[int, int]]:
    """The lines that wrap on from the label line ``i`` when the text around it sets its
    paragraphs apart by blank lines (then a single line break is only a wrap); else ``[]``.

    The paragraph runs to the next blank line; it is none of these when a label line or more
    than ``_PARA_LINES`` lines come first. Whether blank lines set paragraphs apart is read off
    the lines near the label: at least ``_PARA_SHARE`` of the lines there that begin a
    paragraph (a label, a dashed item) follow a blank line.
    """
    n = len(lines)
    j = i + 1
    while j < n and j - i <= _PARA_LINES and not text[lines[j][0] : lines[j][1]].isspace():
        if lines[j][0] == lines[j][1]:
            break
        j += 1
    if j == i + 1 or (j < n and j - i > _PARA_LINES):
        return []  # no lines, or too many for one paragraph
    for k in range(i + 1, j):
        t = text[lines[k][0] : lines[k][1]].strip()
        if _match_label(t, t[0], pats) is not None:
            return []
    starts = after_blank = 0
    for k in range(max(1, i - _PARA_WINDOW), min(n, j + _PARA_WINDOW)):
        if i <= k < j:
            continue
        t = text[lines[k][0] : lines[k][1]].lstrip()
        if t and _PARA_START.match(t):
            starts += 1
            if not text[lines[k - 1][0] : lines[k - 1][1]].strip():
                after_blank += 1
    if starts < 2 or after_blank < _PARA_SHARE * starts:
        return []
    return lines[i + 1 : j]


def is_caps(t: str, share: float = 0.8) -> bool:
    """Whether ``t`` is written in capitals (at least ``share`` of its letters)."""
    letters = [c for c in t if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= share * len(letters)


_is_caps = is_caps


def _next_nonempty(text: str, lines: list[tuple[int, int]], i: int) -> str | None:
    for j in range(i + 1, min(len(lines), i + 4)):
        t = text[lines[j][0] : lines[j][1]].strip()
        if t:
            return t
    return None


def _attachment_follows(
    text: str, lines: list[tuple[int, int]], i: int, pats: dict[str, re.Pattern[str]]
) -> bool:
    """An attached regulation has its own articles starting at Điều 1 soon after the intro."""
    for j in range(i + 1, min(len(lines), i + 400)):
        t = text[lines[j][0] : lines[j][1]].strip()
        if not t:
            continue
        if pats["attachment_intro"].match(t):
            return False
        m = pats["article"].match(t) if t[0] in "ĐD" else None
        if m:
            return _split_num(m["num"]) == (1, "")
    return False


_TEMPLATE_TITLE = re.compile(
    r"^(?:PHỤ LỤC\s*[IVXL\d]*\s+)?(?:MẪU|BIỂU MẪU|CÁC BIỂU MẪU|CÁC MẪU|MỘT SỐ MẪU)\b"
)
_TEMPLATE_FIRST = re.compile(
    r"^(?:[A-Z]\.\s+)?(?:CÁC\s+|Các\s+)?(?:Mẫu|MẪU|Biểu mẫu|BIỂU MẪU)(?:\s+(?:số|SỐ))?\b"
)


def _is_template(heading: str | None, text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """Whether the attachment introduced at line ``i`` is a set of forms: its title says
    ``MẪU ...`` or its first line, after the "(Kèm theo ...)" intro, is ``Mẫu số ...``."""
    if heading and _TEMPLATE_TITLE.match(heading):
        return True
    j = i
    while j < min(len(lines), i + 3) and not text[lines[j][0] : lines[j][1]].rstrip().endswith(")"):
        j += 1
    t = _next_nonempty(text, lines, j)
    return t is not None and bool(_TEMPLATE_FIRST.match(t))


def _attachment_title(
    text: str, lines: list[tuple[int, int]], i: int
) -> tuple[int, str, str | None]:
    """Where an attachment begins (its title block, ``QUY ĐỊNH`` ..., just above the intro
    line ``i``), its label and its heading (the capitals lines of the block)."""
    start = lines[i][0]
    parts: list[str] = []
    collecting = True
    for j in range(i - 1, max(-1, i - 6), -1):
        raw = text[lines[j][0] : lines[j][1]]
        t = raw.strip()
        if not t:
            continue
        caps = _is_caps(t)
        if not caps and not t.startswith("("):
            break
        start = lines[j][0] + len(raw) - len(raw.lstrip())
        collecting = collecting and caps
        if collecting:
            parts.insert(0, t)
        if _ATTACH_TITLE.match(t):
            break
    # the label comes from the title word even when a sentence-case line stands between
    label = "Văn bản kèm theo"
    for j in range(i - 1, max(-1, i - 6), -1):
        words = text[lines[j][0] : lines[j][1]].split()
        if words and _ATTACH_TITLE.match(" ".join(words)):
            label = words[0] + (" " + words[1] if len(words) > 1 and words[1].isupper() else "")
            break
    return start, label, " ".join(parts) or None


def _looks_like_appendix_heading(s: str) -> bool:
    """ "PHỤ LỤC" in capitals, or "Phụ lục II" standing alone: not a wrapped "Phụ lục II ban hành ..."."""
    if s.split()[0].isupper():
        return True
    rest = s.split(maxsplit=2)
    return len(rest) <= 2 or rest[2][:1] in ".:-–" or rest[2].isupper()


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \n\t":
        end -= 1
    return end
