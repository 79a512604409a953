"""Word automatic numbering rendered as the text a reader sees, plus the style lookups it needs.

Word does not store "Điều 5." in the text of a numbered paragraph: the paragraph points to a
numbering instance (``w:numPr``: ``numId`` + ``ilvl``), the instance to an abstract definition in
``numbering.xml`` (``abstractNum``, possibly patched by ``lvlOverride``), and each level there
has a format (``numFmt``), a template (``lvlText``, e.g. ``"Điều %1."`` or ``"%2)"``) and a start
value. This module keeps the counters while the document is read in order.

Counting follows Word: instances (``w:num``) that share an abstract definition continue one
list (that is how Word numbers ``numId`` 3 and 7 of the same list style); an instance with a
``startOverride`` restarts its level the first time it is used. Using a level resets the deeper
levels (unless their ``lvlRestart`` says otherwise). ``lowerLetter`` is Word's a, b, c, ..., z,
aa, bb: the Vietnamese point sequence (no f, j, w, z) is what the author types, not what Word
numbers, so it is not imposed here. The suffix after the number (tab or space) becomes one space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def wval(el: etree._Element | None, attr: str = "val") -> str | None:
    if el is None:
        return None
    value = el.get(w(attr))
    return None if value is None else str(value)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def on(el: etree._Element | None) -> bool:
    """A toggle property (``<w:vanish/>``, ``<w:isLgl w:val="0"/>``) is on?"""
    if el is None:
        return False
    return wval(el) not in ("0", "false", "off")


def run_font(rpr: etree._Element | None) -> str | None:
    """The font a run property block names for non-ASCII text (hAnsi, then ascii, then cs)."""
    if rpr is None:
        return None
    fonts = rpr.find(w("rFonts"))
    if fonts is None:
        return None
    for attr in ("hAnsi", "ascii", "cs"):
        value = fonts.get(w(attr))
        if value:
            return str(value)
    return None


@dataclass(slots=True)
class _Style:
    based_on: str | None
    font: str | None
    num_id: str | None
    ilvl: int | None


class StyleSheet:
    """The few things of ``styles.xml`` the reader needs: fonts and list numbering per style."""

    def __init__(self, styles: etree._Element | None) -> None:
        self._styles: dict[str, _Style] = {}
        self.default_font: str | None = None
        self.default_paragraph: str | None = None
        if styles is None:
            return
        defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self.default_font = run_font(defaults)
        for st in styles.iter(w("style")):
            sid = st.get(w("styleId"))
            if not sid:
                continue
            num_pr = st.find(f"{w('pPr')}/{w('numPr')}")
            ilvl = wval(num_pr.find(w("ilvl"))) if num_pr is not None else None
            self._styles[str(sid)] = _Style(
                based_on=wval(st.find(w("basedOn"))),
                font=run_font(st.find(w("rPr"))),
                num_id=wval(num_pr.find(w("numId"))) if num_pr is not None else None,
                ilvl=_int(ilvl, 0) if ilvl is not None else None,
            )
            if st.get(w("type")) == "paragraph" and st.get(w("default")) in ("1", "true"):
                self.default_paragraph = str(sid)

    def _chain(self, style_id: str | None) -> list[_Style]:
        out: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            st = self._styles[style_id]
            out.append(st)
            style_id = st.based_on
        return out

    def font(self, style_id: str | None) -> str | None:
        for st in self._chain(style_id):
            if st.font:
                return st.font
        return None

    def numbering(self, style_id: str | None) -> tuple[str, int | None] | None:
        """(numId, ilvl or None) a paragraph style attaches, following ``basedOn``."""
        for st in self._chain(style_id):
            if st.num_id is not None:
                return st.num_id, st.ilvl
        return None


@dataclass(frozen=True, slots=True)
class Level:
    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    restart: int | None = None  # lvlRestart; None = after any higher level
    is_lgl: bool = False
    suffix: str = "tab"
    font: str | None = None
    style: str | None = None  # pStyle bound to the level


def _level(el: etree._Element) -> Level:
    restart = wval(el.find(w("lvlRestart")))
    return Level(
        fmt=wval(el.find(w("numFmt"))) or "decimal",
        text=wval(el.find(w("lvlText"))) or "",
        start=_int(wval(el.find(w("start"))), 0 if el.find(w("start")) is None else 1),
        restart=_int(restart, 1) if restart is not None else None,
        is_lgl=on(el.find(w("isLgl"))),
        suffix=wval(el.find(w("suff"))) or "tab",
        font=run_font(el.find(w("rPr"))),
        style=wval(el.find(w("pStyle"))),
    )


@dataclass(slots=True)
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level
    levels: dict[int, Level] = field(default_factory=dict)  # full lvl override


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
_VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BULLETS = {
    "\uf0b7": "•", "\uf0a7": "▪", "\uf0a8": "□", "\uf0d8": "➢", "\uf076": "❖",
    "\uf0fc": "✓", "\uf0e0": "→", "\uf02d": "-", "\uf0be": "—", "\uf06e": "■",
}  # fmt: skip
_PLACEHOLDER = re.compile(r"%([1-9])")


def roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, digits in _ROMAN:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa.. (the letter repeated)."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def vietnamese_counting(n: int) -> str:
    if 0 <= n < 10:
        return _VI_DIGITS[n]
    if n == 10:
        return "mười"
    if 10 < n < 20:
        unit = n % 10
        return "mười " + ("lăm" if unit == 5 else _VI_DIGITS[unit])
    return str(n)


def format_number(n: int, fmt: str) -> str:
    match fmt:
        case "decimal" | "ordinal" | "cardinalText" | "ordinalText":
            return str(n)
        case "decimalZero":
            return f"{n:02d}"
        case "upperRoman":
            return roman(n).upper()
        case "lowerRoman":
            return roman(n)
        case "upperLetter":
            return letters(n).upper()
        case "lowerLetter":
            return letters(n)
        case "vietnameseCounting":
            return vietnamese_counting(n)
        case "none" | "bullet":
            return ""
        case _:
            return str(n)


class Numbering:
    """Counters over one document; :meth:`label` is called once per numbered paragraph."""

    def __init__(self, numbering: etree._Element | None, styles: StyleSheet) -> None:
        self._styles = styles
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}  # abstractNumId -> style (numStyleLink)
        self._nums: dict[str, _Num] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._applied: set[tuple[str, int]] = set()
        if numbering is None:
            return
        for ab in numbering.iter(w("abstractNum")):
            aid = str(ab.get(w("abstractNumId")))
            self._abstracts[aid] = {
                _int(lvl.get(w("ilvl")), 0): _level(lvl) for lvl in ab.iter(w("lvl"))
            }
            link = wval(ab.find(w("numStyleLink")))
            if link:
                self._style_links[aid] = link
        for num in numbering.iter(w("num")):
            nid = str(num.get(w("numId")))
            entry = _Num(abstract=wval(num.find(w("abstractNumId"))) or "")
            for ov in num.iter(w("lvlOverride")):
                ilvl = _int(ov.get(w("ilvl")), 0)
                start = ov.find(w("startOverride"))
                if start is not None:
                    entry.starts[ilvl] = _int(wval(start), 0)
                lvl = ov.find(w("lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
            self._nums[nid] = entry

    def _abstract_of(self, num_id: str) -> str | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        aid = num.abstract
        link = self._style_links.get(aid)
        if link:  # the definition lives in the list style's own numbering instance
            linked = self._styles.numbering(link)
            if linked and linked[0] in self._nums and linked[0] != num_id:
                aid = self._nums[linked[0]].abstract
        return aid if aid in self._abstracts else None

    def _levels(self, num_id: str, aid: str) -> dict[int, Level]:
        levels = dict(self._abstracts[aid])
        levels.update(self._nums[num_id].levels)
        return levels

    def level_for_style(self, num_id: str, style_id: str | None) -> int:
        aid = self._abstract_of(num_id)
        if aid is not None and style_id:
            for ilvl, lvl in self._abstracts[aid].items():
                if lvl.style == style_id:
                    return ilvl
        return 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, Level] | None:
        """Advance the counter of (list, level) and return the rendered label and its level."""
        if num_id in ("", "0"):
            return None
        aid = self._abstract_of(num_id)
        if aid is None:
            return None
        levels = self._levels(num_id, aid)
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(aid, {})
        num = self._nums[num_id]
        if ilvl in num.starts and (num_id, ilvl) not in self._applied:
            self._applied.add((num_id, ilvl))
            counters[ilvl] = num.starts[ilvl] - 1
            for deeper in [k for k in counters if k > ilvl]:
                del counters[deeper]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                del counters[deeper]

        def value(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lvl = levels.get(k, Level())
            n = counters.get(k, lvl.start)
            fmt = "decimal" if level.is_lgl and lvl.fmt not in ("none", "bullet") else lvl.fmt
            return format_number(n, fmt)

        if level.fmt == "bullet":
            text = "".join(
                _BULLETS.get(c, "•" if "\uf000" <= c <= "\uf0ff" else c) for c in level.text
            )
        else:
            text = _PLACEHOLDER.sub(value, level.text)
        return text, level
