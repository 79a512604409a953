"""Citations: the documents and units a text refers to.

:func:`scan_citations` works on any text and returns :class:`Mention` values (what was cited and
where); :func:`find_citations` places them in a parsed document: the unit each occurs in, its role
(``basis`` in the Căn cứ block, else ``reference``) and unit ids resolved against the document
("khoản 1 Điều này" inside Điều 5 is ``art_5__para_1``). The patterns live in
``rules/citations.yaml`` with their examples.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache

from vbqppl.ids import POINT_ALPHABET, DocNumber, code_is_known, roman_to_int
from vbqppl.model import Citation, Document, Span, Target, Unit
from vbqppl.rules import load_rules

LAW_TYPES = ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh")


@cache
def _rx(name: str) -> re.Pattern[str]:
    return re.compile(load_rules("citations")[name]["pattern"])


def _positions(text: str, words: Iterable[str]) -> list[int]:
    """Where any of ``words`` occurs. A literal scan is some twenty times faster than a pattern
    that opens with a look-behind, which Python's engine must try at every character."""
    found: list[int] = []
    for w in words:
        found.extend(_occurrences(text, w))
    found.sort()
    return found


def _occurrences(text: str, word: str) -> Iterator[int]:
    """The starts of ``word``'s non-overlapping occurrences, left to right (as a literal
    ``finditer`` gives them)."""
    step = len(word)
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + step)


def _anchored(
    text: str, pattern: re.Pattern[str], starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """``pattern`` matched at each candidate start, left to right, never inside a previous match."""
    last = -1
    for pos in starts:
        if pos < last:
            continue
        m = pattern.match(text, pos)
        if m is not None and m.end() > m.start():
            last = m.end()
            yield m


@dataclass(frozen=True, slots=True)
class Mention:
    """One citation found in a text, before it is placed in a document.

    ``articles``, ``clauses`` and ``points`` hold the printed numbers of the cited units, already
    expanded from lists and ranges; ``"này"`` stands for the unit the mention occurs in.
    """

    start: int
    end: int
    number: str | None = None
    name: str | None = None
    date: str | None = None
    self_doc: bool = False  # "Nghị định này", "Quy định này", or the document's own number
    doc_type: str | None = None  # the type word printed with the document ("Quy định", "Luật")
    chapter: str | None = None
    attached: bool = False  # units of the regulation issued with the cited decision (att_1__)
    label: bool = (
        False  # looks like a unit's own label ("Điều 5" opening a line): kept only with a document
    )
    articles: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    points: tuple[str, ...] = ()

    @property
    def has_units(self) -> bool:
        return bool(self.chapter or self.articles or self.clauses or self.points)

    @property
    def has_document(self) -> bool:
        return bool(self.number or self.name or self.self_doc)


# --- documents by number ---------------------------------------------------------------------

_SEPARATOR = re.compile(r"[ \t]*\n?[ \t]*[\-–][ \t]*\n?[ \t]*|/")
_SO = re.compile(r"[ \t\n]*(?:số|Số)?[ \t\n]*:?[ \t\n]*$")
_NAME_GAP = re.compile(
    r"^[ \t\n]+(?P<name>[A-ZĐÀ-Ỹ][^;:.“”\"()\d/]{0,150}?)[ \t\n]+(?:số|Số)[ \t\n]*:?[ \t\n]*$"
)
_WS = re.compile(r"\s+")


_YEAR_OR_SEQ = re.compile(r"(?:19|20)\d{2}|\d{1,5}[a-z]?")
_GLUED_CODE = re.compile(r"([A-ZĐƯ]{2,})([A-ZĐ][a-zà-ỹđ]+)$")


@lru_cache(maxsize=8192)  # the same numbers come back, in a text and across texts
def _trim_codes(num: str) -> str:
    """Cut a number where its codes run into a following word ("TT-BTC - Quy" -> "TT-BTC")."""
    pieces = _SEPARATOR.split(num)
    seps = _SEPARATOR.findall(num)
    # The first piece holds the sequence, the year and the first code; check the codes after it.
    keep = 1
    for code in pieces[1:]:
        if _YEAR_OR_SEQ.fullmatch(code) and keep <= 2:
            keep += 1
            continue
        upper = sum(ch.isupper() for ch in code)
        if code_is_known(code) or upper == len([ch for ch in code if ch.isalpha()]) or upper >= 2:
            keep += 1
            continue
        break
    out = pieces[0]
    for sep, code in zip(seps[: keep - 1], pieces[1:keep], strict=False):
        out += sep + code
    # The last code glued to the next word: "TT-BTCQuy định" -> "TT-BTC".
    last = _GLUED_CODE.search(out)
    if last and not code_is_known(last.group(0)) and code_is_known(last.group(1)):
        out = out[: last.start(2)]
    return out


def _type_before(text: str, start: int) -> tuple[int, str, str | None] | None:
    """The document type word printed right before a number, and a law's name between them."""
    window_start = max(0, start - 220)
    window = text[window_start:start]
    for m in reversed(list(_rx("type_word").finditer(window))):
        gap = window[m.end() :]
        if _SO.fullmatch(gap):
            return window_start + m.start(), m["type"], None
        if m["type"] in LAW_TYPES:
            g = _NAME_GAP.match(gap)
            if g is not None:
                return window_start + m.start(), m["type"], _WS.sub(" ", f"{m['type']} {g['name']}")
        if "\n\n" in gap or len(gap) > 170:
            break
    return None


def _date_after(text: str, end: int) -> tuple[str | None, int]:
    m = _rx("date_after").match(text[end : end + 60])
    if m is None:
        return None, end
    if m["year"]:
        return m["year"], end + m.end()
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat(), end + m.end()
    except ValueError:
        return None, end


_SEQ_BEFORE = re.compile(r"\d{1,5}[a-z]?[ \t]?$")


def _number_starts(text: str) -> list[int]:
    """Candidate starts of document numbers: the digits before a "/" or before a "-" that
    follows a digit (111-HĐBT)."""
    starts = set()
    for pos in _positions(text, ("/", "-")):
        before = text[max(0, pos - 2) : pos]
        if not before[-1:].isdigit() and (text[pos] == "-" or not before[:1].isdigit()):
            continue  # a number's digits come right before its separator (or one space before)
        m = _SEQ_BEFORE.search(text, max(0, pos - 8), pos)
        if m is not None:
            starts.add(m.start())
    return sorted(starts)


_parse_number = lru_cache(maxsize=8192)(DocNumber.try_parse)  # a DocNumber is frozen: shared


def _numbers(text: str, own_key: str | None) -> Iterator[Mention]:
    not_doc = _rx("not_a_document")
    for m in _anchored(text, _rx("number"), _number_starts(text)):
        num = _trim_codes(m["num"])
        parsed = _parse_number(num)
        if parsed is None:
            continue
        before = _type_before(text, m.start())
        line_start = text.rfind("\n", 0, m.start()) + 1
        if before is None and not_doc.search(text, max(line_start, m.start() - 30), m.start()):
            continue
        if before is None and not any(code_is_known(c) for c in parsed.codes):
            continue
        end = m.start() + len(num)
        when, _ = _date_after(text, end)
        start = before[0] if before else m.start()
        yield Mention(
            start=start,
            end=end,
            number=str(parsed),
            name=before[2] if before else None,
            date=when,
            self_doc=own_key is not None and parsed.key == own_key,
            doc_type=before[1] if before else None,
        )


# --- documents by name -----------------------------------------------------------------------

# Words that end a law's name in running text ("Luật Đất đai quy định ...", "Luật Đất đai và ...").
_NAME_STOP = frozenset(
    [
        "này",
        "số",
        "ngày",
        "năm",
        "và",
        "hoặc",
        "thì",
        "được",
        "đã",
        "để",
        "theo",
        "tại",
        "có",
        "là",
        "các",
        "những",
        "đối",
        "trong",
        "khi",
        "nhưng",
        "mà",
        "do",
        "với",
        "cho",
        "từ",
        "đến",
        "sau",
        "trước",
        "hiện",
        "đang",
        "sẽ",
        "phải",
        "không",
        "cũng",
        "như",
        "gồm",
        "thuộc",
        "về",
        "nêu",
        "trên",
        "dưới",
        "bị",
        "hết",
    ]
)
# Two-word stops: "quy định", "ban hành", "hướng dẫn", "thay thế" end a name; "quy phạm" does not.
_NAME_STOP_PAIRS = frozenset({("quy", "định"), ("ban", "hành"), ("hướng", "dẫn"), ("thay", "thế")})
# In a Căn cứ line the name runs on to its date, its number or the end of the line.
_BASIS_NAME_END = re.compile(
    r"[ \t\n]+(?:ngày|năm[ \t\n]+\d|số)(?![\wđ])|[;:(“”\"]|,[ \t\n]+(?:ngày|được|đã)|\.[ \t]*\n|\n"
)
_NAME_TOKEN = re.compile(r"[ \t]*\n?[ \t]*(,?)[ \t]*\n?[ \t]*([^\s,;:.()“”\"]+)")
_AMENDING_LAW = re.compile(
    r"[ \t\n]+sửa[ \t\n]+đổi,?[ \t\n]+bổ[ \t\n]+sung(?:[ \t\n]+một[ \t\n]+số[ \t\n]+điều)?[ \t\n]+của[ \t\n]+"
)
_CONSTITUTION = re.compile(
    r"[ \t\n]+nước[ \t\n]+Cộng[ \t\n]+h(?:òa|oà)[ \t\n]+xã[ \t\n]+hội[ \t\n]+chủ[ \t\n]+nghĩa[ \t\n]+Việt[ \t\n]+Nam"
)


def _name_tail(text: str, pos: int, limit: int = 14) -> int:
    """End of a law's name whose type word ends at ``pos``: capitalised first word, then words
    until a stop word or punctuation. A comma stays inside when a non-stop lower-case word follows
    ("Luật Cán bộ, công chức")."""
    end = pos
    words = 0
    while words < limit:
        m = _NAME_TOKEN.match(text, end)
        if m is None:
            break
        comma, word = m.group(1), m.group(2)
        if words == 0 and not word[:1].isupper():
            break
        if words > 0 and (word.lower() in _NAME_STOP or (word[:1].isupper() and word in LAW_TYPES)):
            break
        if words > 0 and (word.lower(), _next_word(text, m.end())) in _NAME_STOP_PAIRS:
            break
        if comma and (words == 0 or not word[:1].islower()):
            break
        if "\n" in text[end : m.start(2)] and word[:1].isupper() and words > 0:
            break
        if not re.fullmatch(r"[\wÀ-ỹđĐ\-]+", word) or word.isdigit():
            break
        end = m.end()
        words += 1
    return end


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[ \t\n]*([^\s,;:.()]+)", text[pos : pos + 30])
    return m.group(1).lower() if m else ""


def _in_basis_line(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return text[line_start : line_start + 12].lstrip(" \t*_>-").startswith("Căn cứ")


def _law_name(text: str, start: int, type_end: int) -> int:
    """End of a law's name starting at ``start`` (its type word ends at ``type_end``)."""
    tw = text[start:type_end]
    if tw == "Hiến pháp":
        m = _CONSTITUTION.match(text, type_end)
        return m.end() if m else type_end
    m = _AMENDING_LAW.match(text, type_end)
    if m is not None:  # "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B"
        end = m.end()
        for _ in range(4):
            t = _rx("name").match(text, end)
            if t is None:
                break
            end = _law_name(text, t.start(), t.end())
            conj = re.match(r"[ \t\n]*(?:,|và)[ \t\n]*", text[end:])
            if conj is None or _rx("name").match(text, end + conj.end()) is None:
                break
            end += conj.end()
        return end
    if _in_basis_line(text, start):
        m = _BASIS_NAME_END.search(text, type_end, type_end + 250)
        if m is not None and m.start() > type_end + 1:
            return m.start()
    return _name_tail(text, type_end)


def _names(text: str, taken: Sequence[tuple[int, int]], own_title: str | None) -> Iterator[Mention]:
    starts = [s for s, _ in taken]
    last_end = 0
    for m in _anchored(text, _rx("name"), _positions(text, LAW_TYPES)):
        i = bisect_right(starts, m.start()) - 1
        if (i >= 0 and taken[i][1] > m.start()) or m.start() < last_end:
            continue  # inside a number citation ("Luật Đất đai số 31/2024/QH15") or a longer name
        end = _law_name(text, m.start(), m.end())
        last_end = end
        if end == m.end() and m["type"] != "Hiến pháp":
            continue
        name = _WS.sub(" ", text[m.start() : end]).strip()
        if own_title and _fold(name) == own_title:
            continue  # the document naming itself
        when, _ = _date_after(text, end)
        yield Mention(start=m.start(), end=end, name=name, date=when, doc_type=m["type"])


def _fold(s: str) -> str:
    return _WS.sub(" ", s).strip().casefold()


# --- units -------------------------------------------------------------------------------------

_ITEM = re.compile(r"(đến|tới)|([0-9]{1,3}[a-zđ]?|[a-zđ]\d?)(?![\wđ])")
_UNIT_WORD = re.compile(r"\b(?:điểm|khoản|Điều)\b")
_LABEL_AFTER = re.compile(r"[ \t]*[.:]|[ \t]*$|[ \t]*\n|[ \t]+[A-ZĐÀ-Ỹ]")


@lru_cache(maxsize=8192)
def _expand(items: str | None, kind: str) -> tuple[str, ...]:
    """'1, 2 và 5' -> 1 2 5; 'a đến đ' -> a b c d đ; 'này' stays 'này'."""
    if not items:
        return ()
    if items.strip() == "này":
        return ("này",)
    out: list[str] = []
    ranged = False
    for m in _ITEM.finditer(_UNIT_WORD.sub(" ", items)):
        if m.group(1):
            ranged = True
            continue
        cur = m.group(2)
        if ranged and out:
            out.extend(_range(out[-1], cur, kind))
            ranged = False
            continue
        out.append(cur)
    return tuple(dict.fromkeys(out))


def _range(first: str, last: str, kind: str) -> list[str]:
    if kind == "point":
        if first in POINT_ALPHABET and last in POINT_ALPHABET:
            i, j = POINT_ALPHABET.index(first), POINT_ALPHABET.index(last)
            return POINT_ALPHABET[i + 1 : j + 1] if j > i else [last]
        return [last]
    if first.isdigit() and last.isdigit() and 0 < int(last) - int(first) <= 200:
        return [str(n) for n in range(int(first) + 1, int(last) + 1)]
    return [last]


def _is_label(text: str, start: int, end: int) -> bool:
    """A unit's own label at the start of its line ("Điều 5. Tên điều"), not a citation."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t*“\"'-_#>") != "":
        return False
    return bool(_LABEL_AFTER.match(text[end : end + 3]))


_LINK = re.compile(
    r"[ \t\n]*(?:(?:của|tại|thuộc|theo)[ \t\n]+)?"
    r"(?P<attached>(?:Quy[ \t\n]+định|Quy[ \t\n]+chế|Điều[ \t\n]+lệ)(?:[ \t\n]+[^\n.;:]{0,200}?)?"
    r"[ \t\n]+(?:được[ \t\n]+)?(?:ban[ \t\n]+hành[ \t\n]+)?kèm[ \t\n]+theo[ \t\n]+)?"
)


_UNIT_WORDS = ("Điều", "điểm", "Điểm", "khoản", "Khoản")
# between two unit references of one list: "khoản 2 Điều 4 và Điều 5", "khoản 1 Điều 3, Điều 4"
_LIST_JOIN = re.compile(r"[ \t\n]*(?:,|và|hoặc)[ \t\n]*")


def _unit_starts(text: str) -> list[int]:
    starts = [p - 4 if text.endswith("các ", 0, p) else p for p in _positions(text, _UNIT_WORDS)]
    starts += _positions(text, ("các điều",))  # "Bãi bỏ các điều 90, 91 và 92"
    return sorted(set(starts))


def _units(text: str) -> Iterator[Mention]:
    for m in _anchored(text, _rx("units"), _unit_starts(text)):
        if m.end() == m.start() or not (m["points"] or m["clauses"] or m["articles"]):
            continue
        end = m.end()
        while end > m.start() and text[end - 1] in " \t\n":
            end -= 1
        label = (
            m["articles"] is not None
            and m["articles"] != "này"
            and not (m["clauses"] or m["points"])
            and _is_label(text, m.start(), end)
        )
        yield Mention(
            label=label,
            start=m.start(),
            end=end,
            articles=_expand(m["articles"], "article"),
            clauses=_expand(m["clauses"], "clause"),
            points=_expand(m["points"], "point"),
        )
    for m in _anchored(text, _rx("chapter"), _positions(text, ("Chương",))):
        if not _is_label(text, m.start(), m.end()):
            yield Mention(start=m.start(), end=m.end(), chapter=m["num"])


def _self_docs(text: str) -> list[Mention]:
    out = []
    pattern = _rx("self_document")
    for pos in _positions(text, ("này",)):
        m = pattern.search(text, max(0, pos - 40), pos + 3)
        while m is not None and m.end() < pos + 3:  # the match that ends with this "này"
            m = pattern.search(text, m.end(), pos + 3)
        if m is not None:
            out.append(
                Mention(start=m.start("type"), end=m.end(), self_doc=True, doc_type=m["type"])
            )
    return out


# --- putting the pieces together -------------------------------------------------------------


def scan_citations(
    text: str, *, own_number: str | None = None, own_title: str | None = None
) -> list[Mention]:
    """Every citation in ``text``, in text order: documents by number or name, units, and units
    of a named document merged with it ("khoản 2 Điều 5 Nghị định số 45/2020/NĐ-CP").

    A bare unit reference ("Điều 5") never names another document. ``own_number`` marks the
    document's own number as a self reference; ``own_title`` keeps its own name out.
    """
    own = DocNumber.try_parse(own_number) if own_number else None
    docs = sorted(_numbers(text, own.key if own else None), key=lambda d: d.start)
    spans = [(d.start, d.end) for d in docs]
    docs += _names(text, spans, _fold(own_title) if own_title else None)
    docs += _self_docs(text)
    docs.sort(key=lambda d: d.start)
    by_start = {d.start: d for d in docs}
    merged: set[int] = set()
    out: list[Mention] = []
    units = list(_units(text))
    # In a list of unit references, the article and the document named last belong to the
    # ones before them: "khoản 4, khoản 5 và điểm b khoản 6 Điều 26 Thông tư số ...",
    # "khoản 2 Điều 4 và Điều 5 Nghị quyết số ..." (read backwards, so a chain passes them on).
    owner: dict[int, tuple[Mention, bool, bool]] = {}  # unit -> (document, attached, adjacent)
    article: dict[int, tuple[str, ...]] = {}  # unit without an article -> the list's article
    for i in range(len(units) - 1, -1, -1):
        u = units[i]
        link = _LINK.match(text, u.end)
        doc = by_start.get(link.end()) if link else None
        chained = i + 1 < len(units) and _LIST_JOIN.fullmatch(text, u.end, units[i + 1].start)
        if doc is not None and doc.start not in merged:
            merged.add(doc.start)
            owner[i] = (doc, bool(link and link["attached"]), True)
        elif chained and i + 1 in owner:
            owner[i] = (*owner[i + 1][:2], False)
        if chained and not (u.articles or u.chapter):
            nxt = units[i + 1]
            following = nxt.articles if (nxt.clauses or nxt.points) else ()
            following = following or article.get(i + 1, ())
            if len(following) == 1:
                article[i] = following
    for i, u in enumerate(units):
        if i in article:
            u = replace(u, articles=article[i])
        if i not in owner:
            if not u.label:
                out.append(u)
            continue
        doc, attached, adjacent = owner[i]
        out.append(
            Mention(
                start=u.start,
                end=doc.end if adjacent else u.end,
                number=doc.number,
                name=doc.name,
                date=doc.date,
                self_doc=doc.self_doc,
                doc_type=doc.doc_type,
                chapter=u.chapter,
                attached=attached,
                articles=u.articles,
                clauses=u.clauses,
                points=u.points,
            )
        )
    out += [d for d in docs if d.start not in merged and not (d.self_doc and d.number is None)]
    out.sort(key=lambda c: (c.start, c.end))
    return _numbers_for_names(text, out)


def _numbers_for_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """A law named without its number gets the number the same text gives it elsewhere
    ("Luật Bảo hiểm y tế số 25/2008/QH12" ... "Điều 1. Sửa đổi ... của Luật Bảo hiểm y tế").

    The longest name given with a number that the text at the mention spells out wins, so a
    mention cut short by a stop word ("Luật Đầu tư" before "theo phương thức đối tác công tư")
    takes the right law and its full name.
    """
    numbers: dict[str, set[str]] = {}
    for m in mentions:
        if m.name and m.number and not m.self_doc:
            numbers.setdefault(_fold(m.name), set()).add(m.number)
    if not numbers:
        return mentions
    names = sorted(numbers, key=len, reverse=True)
    out = []
    for m in mentions:
        if m.name and not m.number:
            ahead = _fold(text[m.start : m.start + 200])
            for name in names:
                if len(numbers[name]) == 1 and re.match(re.escape(name) + r"(?![\wđ])", ahead):
                    end = _span_end(text, m.start, name)
                    m = replace(
                        m,
                        number=next(iter(numbers[name])),
                        end=max(m.end, end),
                        name=_WS.sub(" ", text[m.start : max(m.end, end)]).strip(),
                    )
                    break
        out.append(m)
    return out


def _span_end(text: str, start: int, folded_name: str) -> int:
    """End offset of a name in ``text`` from ``start``, given its folded (spacing-free) form."""
    words = len(folded_name.split())
    m = re.match(rf"\S+(?:\s+\S+){{{words - 1}}}", text[start:])
    end = start + (m.end() if m else len(folded_name))
    while end > start and text[end - 1] in ",;.":
        end -= 1
    return end


def find_citations(doc: Document) -> tuple[Citation, ...]:
    """The citations of a parsed document, each placed in its unit, with its role and targets."""
    text = doc.text
    placer = UnitPlacer(doc.units)
    basis = _basis_zones(text, doc.units[0].span.start if doc.units else len(text))
    title = f"{doc.metadata.type} {doc.metadata.title}" if doc.metadata.title else None
    out: list[Citation] = []
    body_start = doc.units[0].span.start if doc.units else len(text)
    # A consolidated text may reproduce its base's header, whose number then looks like its own.
    consolidated = is_consolidated(doc)
    for m in scan_citations(text, own_number=doc.metadata.number, own_title=title):
        if (
            m.self_doc
            and m.number
            and m.start < body_start
            and not m.has_units
            and not consolidated
        ):
            continue  # the document's own number in its header is not a citation
        where = placer.at(m.start)
        while where is not None and where.span.end < m.end:
            # a number wrapped into the next block ("45/2020/NĐ-" / "TM. ỦY BAN ..."): the
            # citation belongs to the unit that holds all of it, if any
            where = placer.by_id.get(where.parent) if where.parent else None
        role = "basis" if any(s <= m.start < e for s, e in basis) else "reference"
        ids = resolve_units(m, where, placer)
        self_ref = m.self_doc or (
            not m.has_document and "này" in (m.articles + m.clauses + m.points)
        )
        targets: list[str | None] = list(ids) or [None]
        for unit_id in targets:
            out.append(
                Citation(
                    from_unit=where.id if where else None,
                    span=Span(m.start, m.end),
                    text=text[m.start : m.end],
                    role=role,
                    target=Target(
                        number=m.number if not self_ref or m.number else None,
                        name=m.name,
                        date=m.date,
                        unit=unit_id,
                        self_ref=self_ref,
                    ),
                )
            )
    return tuple(out)


_CONSOLIDATED = re.compile(r"XÁC THỰC VĂN BẢN HỢP NHẤT|(?m:^[ \t*]*VĂN BẢN HỢP NHẤT\b)")


def is_consolidated(doc: Document) -> bool:
    """A consolidated text, by its type or number, or by its caption or closing certification
    (a consolidated law keeps the law's own caption: "LUẬT BẢO HIỂM Y TẾ")."""
    number = doc.metadata.number or ""
    if doc.metadata.type == "Văn bản hợp nhất" or "/VBHN-" in number:
        return True
    # Both forms of the pattern hold the words: without them (most texts) skip its slow scan,
    # which tries the line-start branch at every character.
    return "VĂN BẢN HỢP NHẤT" in doc.text and _CONSOLIDATED.search(doc.text) is not None


_BASIS = re.compile(r"(?m)^[ \t*_>-]*Căn[ \t]+cứ\b")
_BASIS_END = re.compile(r"[;.][ \t*_]*(?:\n|$)|\n[ \t]*\n")


def _basis_zones(text: str, body_start: int) -> list[tuple[int, int]]:
    """The sentences of the Căn cứ block (before the first unit)."""
    zones = []
    for m in _BASIS.finditer(text, 0, body_start):
        e = _BASIS_END.search(text, m.end())
        zones.append((m.start(), e.end() if e else body_start))
    return zones


class UnitPlacer:
    """Finds the deepest unit containing an offset, and the units around it."""

    def __init__(self, units: Sequence[Unit]) -> None:
        self.units = list(units)
        self.starts = [u.span.start for u in self.units]
        self.by_id = {u.id: u for u in self.units}
        self.attachments = [u for u in self.units if u.kind == "attachment"]
        self._back: list[int] | None = None

    def at(self, pos: int) -> Unit | None:
        """The last unit, in document order, that starts at or before ``pos`` and ends after it."""
        i = bisect_right(self.starts, pos) - 1
        if i < 0 or self.units[i].span.end > pos:
            return self.units[i] if i >= 0 else None
        back = self._back if self._back is not None else self._backs()
        while i >= 0:
            u = self.units[i]
            if u.span.end > pos:
                return u
            i = back[i]
        return None

    def _backs(self) -> list[int]:
        """For each unit, the last unit before it that ends later (-1 if none): the units
        between them end no later than it, so a search that passes it can skip them."""
        back: list[int] = []
        stack: list[int] = []
        for i, u in enumerate(self.units):
            end = u.span.end
            while stack and self.units[stack[-1]].span.end <= end:
                stack.pop()
            back.append(stack[-1] if stack else -1)
            stack.append(i)
        self._back = back
        return back

    def ancestor(self, unit: Unit | None, kind: str) -> Unit | None:
        while unit is not None and unit.kind != kind:
            unit = self.by_id.get(unit.parent) if unit.parent else None
        return unit

    def prefix(self, unit: Unit | None) -> str:
        att = self.ancestor(unit, "attachment")
        return f"{att.id}__" if att else ""


def resolve_units(m: Mention, where: Unit | None, placer: UnitPlacer) -> list[str]:
    """Unit ids a mention points at, resolved against the unit it occurs in.

    Units of another document get plain ids; units of this document (bare or "này") take the
    attachment prefix of where they occur ("Quy định này" from the decision: ``att_1__``).
    """
    if not m.has_units:
        return []
    prefix = "att_1__" if m.attached else ""
    if not m.number and not m.name:
        prefix = placer.prefix(where)
        if m.doc_type in ("Quy định", "Quy chế", "Điều lệ") and not prefix and placer.attachments:
            prefix = f"{placer.attachments[0].id}__"
    if m.chapter:
        n = roman_to_int(m.chapter)
        return [f"{prefix}chp_{n}"] if n else []
    article = placer.ancestor(where, "article")
    clause = placer.ancestor(where, "clause")
    arts: list[str | None] = []
    for a in m.articles:
        if a == "này":
            arts.append(article.id if article else None)
        else:
            arts.append(f"{prefix}art_{a}")
    if not arts:  # "khoản 2", "điểm a khoản này": inside the article this occurs in
        arts = [article.id if article and not m.number and not m.name else None]
    ids: list[str] = []
    for art in arts:
        if art is None:
            continue
        clauses: list[str | None] = []
        for c in m.clauses or (None,):
            if c == "này":
                clauses.append(clause.number if clause else None)
            else:
                clauses.append(c)
        if not m.clauses and m.points and clause is not None and clause.parent == art:
            clauses = [clause.number]  # "điểm a" alone: a point of the clause it occurs in
        for c in clauses:
            base = art if c is None else f"{art}__para_{c}"
            if c is None and m.clauses:
                continue
            if m.points and c is not None:
                ids += [f"{base}__point_{p}" for p in m.points if p != "này"]
            else:
                ids.append(base)
    return list(dict.fromkeys(ids))
