"""Lay a document's text out as Akoma Ntoso elements, every character in its place.

The text of the export, read in document order (every text node and tail, outside ``meta``), is
the document's text exactly: what lies between elements is white space the schema allows there,
and everything else is inside a ``num``, ``heading``, ``p`` or an inline element. So the import
rebuilds the text and every span from the XML alone (:mod:`vbqppl.akn.reader`).

- header lines before the "Căn cứ" block → ``preface``; the block and the enacting formula →
  ``preamble``; the units → ``body``; what follows the last unit (signature, recipients) →
  ``conclusions``; each attached regulation → ``attachments/attachment/doc``;
- a unit → ``part chapter section subsection article paragraph point`` with its id as ``eId``:
  the label (with the punctuation after it) → ``num``, the heading → ``heading``, the text before
  its first child → ``intro`` (``content`` when it has none); white space between units is left
  between the elements; other text between two units stays with the first one (its ``vbq:span``
  then says where it really ends);
- a citation → ``ref`` around its words; where those words cross a block boundary or another
  citation, the ``ref`` is cut in pieces that share ``vbq:c``;
- a quoted amendment text → ``mod`` holding the quote marks and a ``quotedStructure`` (the
  articles, clauses or points it quotes, with eIds under the mod's own) or a ``quotedText``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from vbqppl.model import Citation, Span, Unit
from vbqppl.structure import parse_structure

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
VBQ_NS = "urn:vbqppl:akn:1"
A = "{" + AKN_NS + "}"
V = "{" + VBQ_NS + "}"

TAG = {
    "part": "part",
    "chapter": "chapter",
    "section": "section",
    "subsection": "subsection",
    "article": "article",
    "clause": "paragraph",
    "point": "point",
    "attachment": "attachment",
}
KIND = {v: k for k, v in TAG.items()}
XML_WS = " \t\n\r"
# Characters XML 1.0 cannot carry: replaced by U+FFFD in the body, listed in vbq:char.
BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_OPEN = "“\"«‘'"
_CLOSE = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'"}
_BASIS_LINE = re.compile(r"^[ \t]*Căn cứ", re.M)
_QUOTED_LABEL = re.compile(
    r"""
    (?P<clause>(?P<cnum>\d{1,3}[a-zđ]?)\.)(?=\s)    # a clause: "8a. ..."
    | (?P<point>(?P<pnum>[a-zđ]\d?)\))(?=\s)        # a point: "đ) ..."
    """,
    re.VERBOSE,
)


def append_text(parent: etree._Element, s: str) -> None:
    """Add ``s`` after the last child of ``parent`` (or as its text when it has none).

    ``parent[-1]`` rather than ``len(parent)``: lxml counts children one by one."""
    if not s:
        return
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + s
        return
    last.tail = (last.tail or "") + s


def _blank(s: str) -> bool:
    return not s.strip(XML_WS)


@dataclass
class _Item:
    start: int
    end: int
    kind: str  # "mod" | "ref"
    index: int  # citation index (refs), quote index (mods)


@dataclass
class Layout:
    """The body of an export, and where each unit, citation and quote went."""

    root: etree._Element
    act: etree._Element
    meta: etree._Element
    attachment_meta: dict[str, etree._Element] = field(default_factory=dict)
    units: dict[str, etree._Element] = field(default_factory=dict)
    refs: dict[int, list[etree._Element]] = field(default_factory=dict)
    mods: list[etree._Element] = field(default_factory=list)


class _Writer:
    def __init__(
        self,
        text: str,
        units: Sequence[Unit],
        citations: Sequence[Citation],
        quotes: Sequence[Span],
    ) -> None:
        self.text = text
        self.units = list(units)
        self.cites = sorted(
            ((c.span.start, c.span.end, i) for i, c in enumerate(citations)),
            key=lambda x: (x[0], -x[1], x[2]),
        )
        self.cite_starts = [c[0] for c in self.cites]
        self.longest = max((e - s for s, e, _ in self.cites), default=0)
        self.quotes = self._acceptable_quotes(quotes)
        self.quote_starts = [q[0] for q in self.quotes]
        self.kids: dict[str | None, list[Unit]] = {}
        for u in self.units:
            self.kids.setdefault(u.parent, []).append(u)
        root = etree.Element(A + "akomaNtoso", nsmap={None: AKN_NS, "vbq": VBQ_NS})
        act = etree.SubElement(root, A + "act")
        self.out = Layout(root=root, act=act, meta=etree.SubElement(act, A + "meta"))

    # --- what may become a mod ------------------------------------------------------------

    def _acceptable_quotes(self, quotes: Sequence[Span]) -> list[tuple[int, int]]:
        """Quotes that no citation straddles and that contain no unit of the document."""
        out: list[tuple[int, int]] = []
        unit_starts = sorted(u.span.start for u in self.units)
        for q in sorted((q.start, q.end) for q in quotes):
            qs, qe = q
            if qe - qs < 1 or (out and qs < out[-1][1]):
                continue
            ia, ib = self._inner(qs, qe)
            i = bisect_left(unit_starts, qs)
            if i < len(unit_starts) and unit_starts[i] < qe:
                continue
            if any(
                not (e <= qs or s >= qe or (ia <= s and e <= ib))
                for s, e, _ in self._cites_in(qs, qe)
            ):
                continue
            out.append(q)
        return out

    def _inner(self, qs: int, qe: int) -> tuple[int, int]:
        t = self.text
        ia = qs + 1 if t[qs] in _OPEN else qs
        ib = qe - 1 if qe - 1 > ia and t[qe - 1] in "”\"»’'" else qe
        return ia, ib

    def _cites_in(self, a: int, b: int) -> list[tuple[int, int, int]]:
        lo = bisect_left(self.cite_starts, a - self.longest)
        hi = bisect_left(self.cite_starts, b)
        return [c for c in self.cites[lo:hi] if c[1] > a and c[0] < b]

    def _quotes_in(self, a: int, b: int) -> list[tuple[int, int, int]]:
        i = bisect_left(self.quote_starts, a)
        out = []
        while i < len(self.quotes) and self.quotes[i][0] < b:
            qs, qe = self.quotes[i]
            if qe <= b:
                out.append((qs, qe, i))
            i += 1
        return out

    # --- inline content -------------------------------------------------------------------

    def inline(self, el: etree._Element, a: int, b: int, *, mods: bool = True) -> None:
        """Fill the mixed-content element ``el`` with ``text[a:b]``, citations and quotes."""
        items: list[_Item] = []
        quotes = self._quotes_in(a, b) if mods else []
        for qs, qe, qi in quotes:
            items.append(_Item(qs, qe, "mod", qi))
        for s, e, ci in self._cites_in(a, b):
            items.append(_Item(max(s, a), min(e, b), "ref", ci))
        self._fill(el, a, b, items)

    def _fill(self, el: etree._Element, a: int, b: int, items: list[_Item]) -> None:
        t = self.text
        rest = sorted(items, key=lambda x: (x.start, -x.end, x.kind != "mod", x.index))
        pos = a
        while rest:
            x, inner, outer = rest[0], [], []
            for y in rest[1:]:
                if y.start >= x.end:
                    outer.append(y)
                elif y.end <= x.end:
                    inner.append(y)
                else:  # crosses x's end: cut in two (never a mod: see _acceptable_quotes)
                    inner.append(_Item(y.start, x.end, y.kind, y.index))
                    outer.append(_Item(x.end, y.end, y.kind, y.index))
            append_text(el, t[pos : x.start])
            if x.kind == "mod":
                self._mod(el, x.start, x.end, inner)
            else:
                ref = etree.SubElement(el, A + "ref")
                self.out.refs.setdefault(x.index, []).append(ref)
                self._fill(ref, x.start, x.end, inner)
            pos = x.end
            rest = sorted(outer, key=lambda x: (x.start, -x.end, x.kind != "mod", x.index))
        append_text(el, t[pos:b])

    def _mod(self, parent: etree._Element, qs: int, qe: int, inner: list[_Item]) -> None:
        t = self.text
        mod = etree.SubElement(parent, A + "mod", eId=f"mod_{len(self.out.mods) + 1}")
        self.out.mods.append(mod)
        ia, ib = self._inner(qs, qe)
        mod.text = t[qs:ia] or None
        units = self._quoted_units(ia, ib)
        if units:
            qstr = etree.SubElement(mod, A + "quotedStructure", eId=mod.get("eId", "") + "__qstr_1")
            prefix = mod.get("eId", "") + "__qstr_1__"
            tops = [u for u in units if u.parent is None]
            kids: dict[str | None, list[Unit]] = {}
            for u in units:
                kids.setdefault(u.parent, []).append(u)
            self._blocks_or_ws(qstr, ia, tops[0].span.start, mods=False)
            self._children(qstr, tops, ib, kids, prefix, wrap=False)
        else:
            qt = etree.SubElement(mod, A + "quotedText", eId=mod.get("eId", "") + "__qtext_1")
            self._fill(qt, ia, ib, [i for i in inner if i.kind == "ref"])
        mod[-1].tail = t[ib:qe] or None

    def _quoted_units(self, ia: int, ib: int) -> list[Unit]:
        """The units a quote holds: the structure parser's on the quoted text, else one clause or
        point when the quote opens with its label."""
        sub = self.text[ia:ib]
        found = [u for u in parse_structure(sub).units]
        if found and not any(u.kind == "attachment" or u.id.startswith("att_") for u in found):
            return [
                Unit(
                    u.id,
                    u.kind,
                    u.number,
                    u.label,
                    u.heading,
                    u.parent,
                    Span(u.span.start + ia, u.span.end + ia),
                )
                for u in found
            ]
        m = _QUOTED_LABEL.match(sub)
        if m is None:
            return []
        kind, num = ("clause", m["cnum"]) if m["clause"] else ("point", m["pnum"])
        prefix = "para" if kind == "clause" else "point"
        end = ia + len(sub.rstrip(XML_WS))
        return [Unit(f"{prefix}_{num}", kind, num, m.group(0), None, None, Span(ia, end))]

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, el: etree._Element, a: int, b: int, *, mods: bool = True) -> None:
        """Fill the element-only container ``el`` with ``text[a:b]`` as ``p`` blocks: one a line,
        or a run of lines that a citation or a quote holds together."""
        t = self.text
        held = sorted(
            [(s, e) for s, e, _ in self._cites_in(a, b)]
            + ([(s, e) for s, e, _ in self._quotes_in(a, b)] if mods else [])
        )
        cuts: list[int] = []
        j = 0
        reach = -1
        pos = t.find("\n", a, b)
        while pos != -1:
            while j < len(held) and held[j][0] < pos:
                reach = max(reach, held[j][1])
                j += 1
            if reach <= pos:
                cuts.append(pos)
            pos = t.find("\n", pos + 1, b)
        prev = a
        for seg_start, seg_end in zip([a, *(c + 1 for c in cuts)], [*cuts, b], strict=True):
            s, e = seg_start, seg_end
            while s < e and t[s] in XML_WS:
                s += 1
            while e > s and t[e - 1] in XML_WS:
                e -= 1
            if s == e:
                continue
            append_text(el, t[prev:s])
            self.inline(etree.SubElement(el, A + "p"), s, e, mods=mods)
            prev = e
        append_text(el, t[prev:b])
        if prev == a and el.find(A + "p") is None:
            etree.SubElement(el, A + "p")

    def _blocks_or_ws(
        self, parent: etree._Element, a: int, b: int, tag: str | None = None, *, mods: bool = True
    ) -> etree._Element | None:
        """White space goes between elements; other text into blocks (inside ``tag`` if given)."""
        if a >= b:
            return None
        if _blank(self.text[a:b]):
            append_text(parent, self.text[a:b])
            return None
        if tag is None:
            self.blocks(parent, a, b, mods=mods)
            return parent
        el = etree.SubElement(parent, A + tag)
        self.blocks(el, a, b, mods=mods)
        return el

    # --- units ----------------------------------------------------------------------------

    def _children(
        self,
        parent: etree._Element,
        children: list[Unit],
        end: int,
        kids: dict[str | None, list[Unit]],
        prefix: str | None,
        *,
        wrap: bool,
    ) -> None:
        """Units side by side. Text between two units stays with the first; text after the last
        one (up to ``end``) goes to the parent's ``wrapUp`` when ``wrap``, else stays with it."""
        t = self.text
        for i, c in enumerate(children):
            last = i + 1 == len(children)
            nxt = end if last else children[i + 1].span.start
            gap_blank = _blank(t[c.span.end : nxt])
            if gap_blank or (last and wrap):
                self._unit(parent, c, c.span.end, kids, prefix)
                self._blocks_or_ws(parent, c.span.end, nxt, "wrapUp", mods=prefix is None)
            else:
                self._unit(parent, c, nxt, kids, prefix)

    def _unit(
        self,
        parent: etree._Element,
        u: Unit,
        end: int,
        kids: dict[str | None, list[Unit]],
        prefix: str | None,
    ) -> None:
        """Lay out ``text[u.start:end]`` (``end`` past the unit's own end when text between it
        and the next unit stays with it). ``prefix`` is ``None`` for the document's own units,
        the eId prefix for the units of a quoted text."""
        t = self.text
        quoted = prefix is not None
        el = etree.SubElement(parent, A + TAG[u.kind], eId=(prefix or "") + u.id)
        if not quoted:
            self.out.units[u.id] = el
        children = kids.get(u.id, [])
        head_end = children[0].span.start if children else end
        pos = u.span.start
        if u.label and t.startswith(u.label, pos) and pos + len(u.label) <= head_end:
            num_end = pos + len(u.label)
            while num_end < head_end and t[num_end] in ".:":
                num_end += 1
            self.inline(etree.SubElement(el, A + "num"), pos, num_end, mods=False)
            pos = num_end
            if u.heading:
                skip = pos
                while skip < head_end and t[skip] in XML_WS:
                    skip += 1
                pattern = r"\s+".join(map(re.escape, u.heading.split()))
                m = re.compile(pattern).match(t, skip, head_end)
                if m is not None:
                    append_text(el, t[pos:skip])
                    self.inline(etree.SubElement(el, A + "heading"), skip, m.end(), mods=False)
                    pos = m.end()
        self._blocks_or_ws(el, pos, head_end, "intro" if children else "content", mods=not quoted)
        if children:
            self._children(el, children, end, kids, prefix, wrap=True)

    def _attachment(self, parent: etree._Element, u: Unit, end: int) -> None:
        """An attached regulation: its own ``doc`` (title block in ``preface``, units in
        ``mainBody``); text after it, up to the next one, in that doc's ``conclusions``."""
        t = self.text
        att = etree.SubElement(parent, A + "attachment", eId=u.id)
        self.out.units[u.id] = att
        doc = etree.SubElement(att, A + "doc", name="vanBanKemTheo")
        self.out.attachment_meta[u.id] = etree.SubElement(doc, A + "meta")
        children = self.kids.get(u.id, [])
        own_end = u.span.end
        if children:
            self._blocks_or_ws(doc, u.span.start, children[0].span.start, "preface")
            main = etree.SubElement(doc, A + "mainBody")
            self._children(main, children, own_end, self.kids, None, wrap=False)
        else:
            self.blocks(etree.SubElement(doc, A + "mainBody"), u.span.start, own_end)
        if _blank(t[own_end:end]):
            append_text(parent, t[own_end:end])
        else:
            self._blocks_or_ws(doc, own_end, end, "conclusions")

    def document(self) -> Layout:
        t = self.text
        act = self.out.act
        tops = self.kids.get(None, [])
        main = [u for u in tops if u.kind != "attachment"]
        atts = [u for u in tops if u.kind == "attachment"]
        att_start = atts[0].span.start if atts else len(t)
        if main:
            body_start, main_end = main[0].span.start, main[-1].span.end
            basis = _BASIS_LINE.search(t, 0, body_start)
            pre_end = basis.start() if basis else body_start
            self._blocks_or_ws(act, 0, pre_end, "preface")
            self._blocks_or_ws(act, pre_end, body_start, "preamble")
            body = etree.SubElement(act, A + "body")
            self._children(body, main, main_end, self.kids, None, wrap=False)
            self._blocks_or_ws(act, main_end, att_start, "conclusions")
        else:
            body = etree.SubElement(act, A + "body")
            box = etree.SubElement(body, A + "hcontainer", name="noiDung")
            self.blocks(etree.SubElement(box, A + "content"), 0, att_start)
        if atts:
            holder = etree.SubElement(act, A + "attachments")
            for i, u in enumerate(atts):
                nxt = atts[i + 1].span.start if i + 1 < len(atts) else len(t)
                self._attachment(holder, u, nxt)
        return self.out


def lay_out(
    text: str, units: Sequence[Unit], citations: Sequence[Citation], quotes: Sequence[Span]
) -> Layout:
    """The whole document laid out; ``meta`` is left empty for :mod:`vbqppl.akn.export`.

    ``text`` must already hold only characters XML allows (see :data:`BAD_XML`)."""
    return _Writer(text, units, citations, quotes).document()
