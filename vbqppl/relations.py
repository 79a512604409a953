"""Relations: what a document does to other documents (amends, replaces, repeals, ...).

:func:`find_relations` reads three kinds of statements, with phrases from
``rules/relations.yaml``:

- instructions, the verb opening a title line, an article heading, a clause or a point
  ("Điều 1. Sửa đổi, bổ sung một số điều của Nghị định số 45/2020/NĐ-CP", "2. Bãi bỏ khoản 3
  Điều 5"); the targets follow the verb in the same sentence, or, after a colon, are the items
  of the list it opens; an instruction naming only units ("1. Sửa đổi, bổ sung khoản 2 Điều 5 như
  sau:") acts on the document its article heading or the title names;
- the document as subject ("Quyết định này thay thế Quyết định số ...");
- the other document as subject ("Quyết định số ... hết hiệu lực kể từ ngày ...").

A consolidated text (văn bản hợp nhất) has no force of its own: it only ``consolidates`` its base
document, and lists the documents that amended the base (``amended_by``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from vbqppl.citations import (  # the literal scans of citations
    UnitPlacer,
    _anchored,
    _positions,
    is_consolidated,
    scan_citations,
)
from vbqppl.model import Citation, Document, Relation, Span, Target
from vbqppl.rules import load_rules

_WS = re.compile(r"\s+")
_BOUNDARY = re.compile(
    r"[.;:!?](?=[ \t]*(?:\n|$))|[.;!?](?=[ \t]+[A-ZĐÀ-Ỹ])"
    r"|\n(?=[ \t*]*(?:\d{1,3}[a-zđ]?[.)]|[a-zđ]\d?\)|Điều[ \t]+\d|[-–+•][ \t]))"
)
_EFFECTIVE = re.compile(
    r"(?:kể[ \t\n]+)?từ[ \t\n]+ngày[ \t\n]+(\d{1,2})[ \t\n]*(?:tháng|/|-)[ \t\n]*(\d{1,2})"
    r"[ \t\n]*(?:năm|/|-)[ \t\n]*(\d{4})"
)
_DESCRIPTIVE = re.compile(
    r"(?<![\wđ])(?:quy định|hướng dẫn|về|sửa đổi|bổ sung|được|thi hành|ban hành|tại|theo|đã)(?![\wđ])"
)
_DESCRIBED = re.compile(r"(?<![\wđ])(?:hướng dẫn|quy định|thi hành|được)(?![\wđ])")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_ANCHOR = re.compile(r"(?<![\wđ])vào(?:[ \t\n]+(?:sau|trước|cuối|đầu))?[ \t\n]*(?:của[ \t\n]+)?$")
_PARTLY = re.compile(
    r"[ \t\n]*(?:một[ \t\n]+phần|một[ \t\n]+số|các[ \t\n]+(?:điều|khoản|điểm))(?![\wđ])"
)
_ARTICLE_IN = re.compile(r"(?<![\wđ])Điều[ \t]+(\d{1,3}[a-zđ]?)(?![\wđ])")
_ATTACHED_BEFORE = re.compile(
    r"(?:Quy[ \t\n]+định|Quy[ \t\n]+chế|Điều[ \t\n]+lệ)[^;.:\n]{0,250}?kèm[ \t\n]+theo[ \t\n]*$"
)
_SENTENCE_WINDOW = 1500
_NEAR = 200  # where the boundary before a statement is looked for first
_LIST_LABEL = re.compile(r"^[ \t*]*(?:\d{1,3}[.)]|[a-zđ]\))[ \t]*")
_FULL_STOP = re.compile(r"[.:](?=[ \t]*\n)|[.!?](?=[ \t]+[A-ZĐÀ-Ỹ])")
_LIST_SEPARATOR = re.compile(r";[ \t\n]*$")
_ITEM_SEPARATOR = re.compile(r"(?:,|(?<![\wđ])và)[ \t\n]*$")
_TYPE_WORD = re.compile(
    r"Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Chỉ thị"
)
_CONJUNCTION = re.compile(r"(?:,|;|(?<![\wđ])và(?![\wđ]))")
_DATE_PHRASE = re.compile(
    r"ngày[ \t\n]+[\d/.\-]+|ngày[ \t\n]+\d{1,2}[ \t\n]+tháng[ \t\n]+\d{1,2}[ \t\n]+năm[ \t\n]+\d{4}"
)
_PART_SCOPE = ("repeals", "replaces", "expires", "suspends")


@cache
def _rules() -> dict[str, Any]:
    return dict(load_rules("relations"))


@cache
def _rx(name: str) -> re.Pattern[str]:
    return re.compile(_rules()[name]["pattern"])


def _verb_type(verb: str) -> str | None:
    folded = _WS.sub(" ", verb).strip().casefold()
    verbs: dict[str, str] = _rules()["verbs"]
    return verbs.get(folded) or verbs.get(folded.replace(",", ""))


@dataclass(frozen=True, slots=True)
class _Trigger:
    type: str
    start: int
    end: int
    passive: bool


class _Context:
    """The parsed document seen by the relation finder: sentences, quotes, citations by place."""

    def __init__(self, doc: Document, citations: Sequence[Citation]) -> None:
        self.doc = doc
        self.text = doc.text
        self.placer = UnitPlacer(doc.units)
        self.quotes = sorted((q.start, q.end) for q in doc.quotes)
        self.cites = sorted(citations, key=lambda c: (c.span.start, c.span.end))
        self.cite_starts = [c.span.start for c in self.cites]
        self.body_start = doc.units[0].span.start if doc.units else len(self.text)
        self.basis = [(c.span.start, c.span.end) for c in citations if c.role == "basis"]

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence (or list item) around ``pos``, found in a window around it: boundaries
        are looked for only where a statement was found, not in the whole text."""
        text = self.text
        lo = max(0, pos - _SENTENCE_WINDOW)
        # The last boundary before ``pos``: first in the nearest stretch, then in the whole
        # window (a boundary is one character, so each stretch finds the same ones).
        near = max(lo, pos - _NEAR)
        start = _last_boundary(text, near, pos)
        if start is None:
            start = _last_boundary(text, lo, pos)
        if start is None:
            start = lo
        after = _BOUNDARY.search(text, pos, min(len(text), pos + 2 * _SENTENCE_WINDOW))
        if after is not None and after.end() > pos:
            return start, after.end()
        return start, min(len(text), pos + 2 * _SENTENCE_WINDOW)

    def subject_start(self, pos: int) -> int:
        """Where the subject of a passive statement may begin: a list of documents separated by
        semicolons runs back to the start of its unit or of its sentence."""
        unit = self.placer.at(pos)
        start = unit.span.start if unit is not None else 0
        last = start
        for stop in _FULL_STOP.finditer(self.text, start, pos):
            last = stop.end()
        return last

    def quoted(self, pos: int) -> bool:
        i = bisect_right(self.quotes, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self.quotes[i][0] <= pos < self.quotes[i][1]

    def in_basis(self, pos: int) -> bool:
        line_start = self.text.rfind("\n", 0, pos) + 1
        return pos < self.body_start and self.text.startswith("Căn cứ", line_start)

    def citations_in(self, start: int, end: int) -> list[Citation]:
        i = bisect_left(self.cite_starts, start)
        out = []
        while i < len(self.cites) and self.cites[i].span.start < end:
            c = self.cites[i]
            if not self.quoted(c.span.start):
                out.append(c)
            i += 1
        return out


def _last_boundary(text: str, lo: int, pos: int) -> int | None:
    """The end of the last sentence boundary in ``text[lo:pos]`` (read up to ``pos + 60``)."""
    last = None
    for m in _BOUNDARY.finditer(text, lo, min(len(text), pos + 60)):
        if m.end() > pos:
            break
        last = m.end()
    return last


def _is_doc(c: Citation) -> bool:
    return bool((c.target.number or c.target.name) and not c.target.self_ref)


def _targets(ctx: _Context, cites: list[Citation]) -> list[Citation]:
    """The cited documents an action applies to: the first one, then those joined to it by a
    conjunction, and the items of a list of documents of the same type ("Thông tư số A ...,
    Thông tư số B ... hết hiệu lực"); not those that only describe an item ("Thông tư số A ...
    hướng dẫn Nghị định số B")."""
    docs = [c for c in cites if _is_doc(c)]
    if not docs:
        return []
    out = [docs[0]]
    first_type = _type_of(docs[0])
    skipped = False  # a document named inside an item's description: the list is over
    for c in docs[1:]:
        prev = out[-1]
        if c.span == prev.span:
            out.append(c)
            continue
        if c.span.start < prev.span.end:
            continue
        gap = _DATE_PHRASE.sub(" ", ctx.text[prev.span.end : c.span.start])
        joined = len(gap) < 160 and _CONJUNCTION.search(gap) and not _DESCRIPTIVE.search(gap)
        item = _LIST_SEPARATOR.search(gap) or (
            not skipped and _ITEM_SEPARATOR.search(gap) and _type_of(c) == first_type
        )
        if joined or item:
            out.append(c)
        else:
            skipped = True
    # every citation sharing a span with a chosen one (one per cited unit) goes too
    spans = {c.span for c in out}
    return [c for c in docs if c.span in spans]


def _type_of(c: Citation) -> str | None:
    m = _TYPE_WORD.search(c.text)
    return m.group(0) if m else None


def _scan(name: str, text: str) -> Iterator[re.Match[str]]:
    """The matches of the pattern ``name`` in ``text``, those its ``finditer`` gives, found
    without trying it at every character (Python's engine does, for a pattern that opens with
    a look-behind or an alternation). A pattern whose rule says ``line_start`` (every match
    begins a line) is run with a line break before it, which the engine finds by a literal
    scan; one whose rule lists ``starts`` (every match begins with one of these words) is
    tried only where they stand (tests/test_rules.py holds both to their examples)."""
    spec = _rules()[name]
    rx = _rx(name)
    if spec.get("line_start"):
        first = rx.match(text)
        if first is not None:
            yield first
        yield from _after_break(name).finditer(text, first.end() if first else 0)
    elif spec.get("starts"):
        yield from _anchored(text, rx, _positions(text, spec["starts"]))
    else:
        yield from rx.finditer(text)


@cache
def _after_break(name: str) -> re.Pattern[str]:
    """The pattern ``name`` (a ``line_start`` one) after a line break: its matches past the
    first line, with the break."""
    rx = _rx(name)
    body = re.sub(r"^\(\?[aiLmsux]+\)", "", rx.pattern)  # its flags go to the new pattern
    return re.compile("\n(?:" + body + ")", rx.flags | re.M)


@cache
def _verb_before() -> re.Pattern[str]:
    """A verb of ``verbs`` (any case, its words broken anywhere) ending where the search ends,
    but for spaces and commas."""
    verbs = sorted(_rules()["verbs"], key=len, reverse=True)
    alts = "|".join(r"[ \t\n]+".join(map(re.escape, v.split())) for v in verbs)
    return re.compile(rf"(?i)(?<![\wđ])(?P<verb>{alts})[ \t\n,]*$")


def _joined_to_another(text: str, m: re.Match[str], own_ends: set[int]) -> bool:
    """Whether an ``active`` match "và hướng dẫn" joins its verb to a guiding verb just before
    it that is not the document's own act: "Nghị định số 188/2025/NĐ-CP ... quy định chi tiết
    và hướng dẫn thi hành ... Luật Bảo hiểm y tế" describes the cited decree, where in "Thông
    tư này quy định chi tiết và hướng dẫn ..." the first verb is the document's (it ends at
    one of ``own_ends``), and so is the second. Guiding verbs only: "bổ sung", "thay" or
    "hướng dẫn" before "và thay thế", "đồng thời bãi bỏ" are as often nouns ("mức hỗ trợ bổ
    sung và thay thế Nghị quyết số ...")."""
    if m.group(0)[:1] not in ("v", "đ") or _verb_type(m["verb"]) != "guides":
        return False  # "Quyết định này ..." (the document names itself), or not guiding
    before = _verb_before().search(text, max(0, m.start() - 60), m.start())
    return (
        before is not None
        and before.end("verb") not in own_ends
        and _verb_type(before["verb"]) == "guides"
    )


def _triggers(ctx: _Context) -> list[_Trigger]:
    text = ctx.text
    found: list[_Trigger] = []
    for m in _scan("instruction", text):
        t = _verb_type(m["verb"])
        if t is not None:
            found.append(_Trigger(t, m.start("verb"), m.end("verb"), passive=False))
    own_ends = {t.end for t in found}
    for m in _scan("active", text):
        t = _verb_type(m["verb"])
        if t is not None and not _joined_to_another(text, m, own_ends):
            found.append(_Trigger(t, m.start("verb"), m.end("verb"), passive=False))
            own_ends.add(m.end("verb"))
    for m in _scan("passive", text):
        verb = m["verb"] or m["expire"]
        t = _verb_type(verb)
        if t is not None:
            group = "verb" if m["verb"] else "expire"
            found.append(_Trigger(t, m.start(group), m.end(group), passive=True))
    found.sort(key=lambda t: t.start)
    return [t for t in found if not ctx.quoted(t.start) and not ctx.in_basis(t.start)]


def _refine(ctx: _Context, trig: _Trigger) -> str:
    """ "Thay thế" of words or an annex is an amendment; "bổ sung"/"sửa đổi" stay amendments."""
    if trig.type != "replaces":
        return trig.type
    after = ctx.text[trig.end : trig.end + 80]
    if _rx("words").match(after):
        return "amends"
    return trig.type


def _effective(ctx: _Context, start: int, end: int) -> str | None:
    m = _EFFECTIVE.search(ctx.text, start, end)
    while m is not None and ctx.quoted(m.start()):  # a date inside the quoted new wording
        m = _EFFECTIVE.search(ctx.text, m.end(), end)
    if m is not None:
        d, mo, y = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    meta = ctx.doc.metadata
    if meta.effective is None and meta.effective_rule and "ngày" in meta.effective_rule:
        rule = meta.effective_rule
        if any(w in rule for w in ("ký", "ban hành", "thông qua")) and "sau" not in rule:
            return meta.issued  # "có hiệu lực kể từ ngày ký"
    return meta.effective


def find_relations(
    doc: Document, citations: Sequence[Citation] | None = None
) -> tuple[Relation, ...]:
    """What ``doc`` does to other documents, from its text and its citations."""
    cites = list(doc.citations if citations is None else citations)
    ctx = _Context(doc, cites)
    if is_consolidated(doc):
        return _consolidates(ctx)
    out: list[Relation] = []
    heading_targets: dict[str, list[Citation]] = {}
    title_targets: list[Citation] = []
    pending: list[tuple[_Trigger, list[Citation], int, int]] = []
    for trig in _triggers(ctx):
        s0, s1 = ctx.sentence(trig.start)
        kind = _refine(ctx, trig)
        if trig.passive:
            s0 = ctx.subject_start(trig.start)
            before = [c for c in ctx.citations_in(s0, trig.start) if c.span.end <= trig.start]
            targets = _targets(ctx, before)
            units = [
                c for c in before if not _is_doc(c) and c.target.unit and not c.target.self_ref
            ]
            if not targets and not units and ctx.text[s1 - 1 : s1] == ":":
                targets = _list_items(ctx, trig, s1)
        elif kind == "repeals" and _rx("heading_only").match(ctx.text, trig.end):
            continue  # "Bãi bỏ tên Mục ...": the headings, not the units under them
        else:
            found = ctx.citations_in(trig.end, s1)
            anchors = [c for c in found if _is_anchor(ctx, c)]
            after = [c for c in found if not _is_anchor(ctx, c)]
            targets = _targets(ctx, after)
            if not targets and anchors and _is_doc(anchors[0]):
                targets = [_document_only(anchors[0])]
            if targets and _DESCRIBED.search(
                _QUOTED.sub(" ", ctx.text[trig.end : targets[0].span.start])
            ):
                targets = []  # "Sửa đổi 10 Thông tư hướng dẫn Nghị định số ...": not the target
            first_doc = targets[0].span.start if targets else s1
            units = [
                c for c in after if c.span.start < first_doc and not _is_doc(c) and c.target.unit
            ]
            if anchors:
                units = [_inserted(u, anchors[0]) for u in units]
            if not targets and not units and ctx.text[s1 - 1 : s1] == ":":
                targets = _list_items(ctx, trig, s1)
        where = ctx.placer.at(trig.start)
        if targets and units and not trig.passive:
            # "Bãi bỏ khoản 2 Điều 5 và Điều 7 Nghị định số ...": the bare units belong to it
            attached = _attached(ctx, targets[0])
            targets = targets + [_with_number(u, targets[0], attached) for u in units]
        if targets:
            out += _relations(ctx, kind, trig, targets)
            if trig.start < ctx.body_start:
                title_targets += [t for t in targets if kind == "amends"]
            elif (
                where is not None
                and kind == "amends"
                and _in_heading(ctx, where.span.start, trig.start)
            ):
                heading_targets.setdefault(where.id, []).extend(targets)
        elif units and kind in ("amends", "repeals", "replaces", "suspends"):
            pending.append((trig, units, s0, s1))
    for trig, units, _s0, _s1 in pending:
        ctx_doc = _context_document(ctx, trig.start, heading_targets, title_targets)
        if ctx_doc is None:
            continue
        attached = _attached(ctx, ctx_doc)
        cites = [_with_number(u, ctx_doc, attached) for u in units]
        out += _relations(ctx, _refine(ctx, trig), trig, cites)
    return tuple(_dedupe(out))


def _in_heading(ctx: _Context, unit_start: int, pos: int) -> bool:
    line_end = ctx.text.find("\n", unit_start)
    return pos < (line_end if line_end != -1 else len(ctx.text))


def _context_document(
    ctx: _Context, pos: int, heading: dict[str, list[Citation]], title: list[Citation]
) -> Citation | None:
    """The document an instruction naming only units acts on: the one its article (or chapter)
    heading names, else the one the title names, when there is exactly one."""
    unit = ctx.placer.at(pos)
    while unit is not None:
        found = heading.get(unit.id)
        if found:
            numbers = {c.target.number or c.target.name for c in found}
            return found[0] if len(numbers) == 1 else None
        unit = ctx.placer.by_id.get(unit.parent) if unit.parent else None
    numbers = {c.target.number or c.target.name for c in title}
    return title[0] if len(numbers) == 1 else None


def _is_anchor(ctx: _Context, c: Citation) -> bool:
    """ "Bổ sung khoản 8a vào sau khoản 8": khoản 8 only says where the new unit goes."""
    return (
        c.target.unit is not None
        and _ANCHOR.search(ctx.text, max(0, c.span.start - 30), c.span.start) is not None
    )


def _document_only(c: Citation) -> Citation:
    return replace(c, target=replace(c.target, unit=None))


def _inserted(new: Citation, anchor: Citation) -> Citation:
    """ "Bổ sung khoản 8a vào sau khoản 8 Điều 9": the new unit sits beside its anchor
    (art_9__para_8 -> art_9__para_8a)."""
    if new.target.unit is None or anchor.target.unit is None:
        return new
    last = new.target.unit.rpartition("__")[2]
    if anchor.target.unit.rpartition("__")[2].split("_")[0] != last.split("_")[0]:
        unit = f"{anchor.target.unit}__{last}"  # "Bổ sung khoản 6 vào Điều 10": inside it
    else:
        parent = anchor.target.unit.rpartition("__")[0]
        unit = f"{parent}__{last}" if parent else last
    return replace(new, target=replace(new.target, unit=unit))


def _target_unit(ctx: _Context, c: Citation) -> str | None:
    """The cited unit, with the article (and clause) an enclosing instruction names when the
    citation names none ("3. Sửa đổi một số khoản của Điều 7 như sau: a) Sửa đổi khoản 4" ->
    art_7__para_4; "16. Sửa đổi một số điểm của khoản 1 Điều 45: b) Sửa đổi điểm b" ->
    art_45__para_1__point_b)."""
    unit = c.target.unit
    if unit is None or "Điều" in c.text:
        return unit
    where = ctx.placer.at(c.span.start)
    own_article = ctx.placer.ancestor(where, "article")
    if own_article is None or not unit.startswith(own_article.id + "__"):
        return unit
    only_points = "khoản" not in c.text.lower()
    node = where
    while node is not None and node.kind != "article":
        line_end = ctx.text.find("\n", node.span.start)
        head_end = min(line_end if line_end != -1 else node.span.end, c.span.start)
        head_start = node.span.start + len(node.label)  # not the unit's own label "Điều 1."
        named = [
            m
            for m in scan_citations(ctx.text[head_start : max(head_end, head_start)])
            if m.articles and m.articles[-1] != "này" and not m.number and not m.name
        ]
        if named:
            last = named[-1]
            prefix = own_article.id[: -len(own_article.id.rsplit("__", 1)[-1])]
            parts = unit[len(own_article.id) :].split("__")[1:]
            head = [f"art_{last.articles[-1]}"]
            if only_points and last.clauses and last.clauses[-1] != "này":
                head.append(f"para_{last.clauses[-1]}")
                parts = [p for p in parts if not p.startswith("para_")]
            return prefix + "__".join(head + parts)
        node = ctx.placer.by_id.get(node.parent) if node.parent else None
    return unit


def _attached(ctx: _Context, doc_cite: Citation) -> bool:
    """ "... của Quy định ... ban hành kèm theo Quyết định số X": the units are the attached
    regulation's."""
    before = ctx.text[max(0, doc_cite.span.start - 300) : doc_cite.span.start]
    return _ATTACHED_BEFORE.search(before) is not None


def _with_number(unit_cite: Citation, doc_cite: Citation, attached: bool = False) -> Citation:
    t = unit_cite.target
    unit = t.unit
    if attached and unit is not None and not unit.startswith("att_"):
        unit = f"att_1__{unit}"
    return Citation(
        from_unit=unit_cite.from_unit,
        span=unit_cite.span,
        text=unit_cite.text,
        role=unit_cite.role,
        target=Target(
            number=doc_cite.target.number,
            name=doc_cite.target.name,
            date=doc_cite.target.date,
            unit=unit,
        ),
    )


def _list_items(ctx: _Context, trig: _Trigger, list_start: int) -> list[Citation]:
    """ "Bãi bỏ các văn bản sau:" — the first cited document of each item of the list."""
    unit = ctx.placer.at(trig.start)
    end = unit.span.end if unit is not None else min(len(ctx.text), list_start + 3000)
    out: list[Citation] = []
    pos = list_start
    while pos < end:
        _, s1 = ctx.sentence(pos)
        s1 = min(max(s1, pos + 1), end)
        item = _targets(ctx, ctx.citations_in(pos, s1))
        out += item
        pos = s1
    return out


def _relations(
    ctx: _Context, kind: str, trig: _Trigger, targets: Iterable[Citation]
) -> list[Relation]:
    out = []
    partly = _PARTLY.match(ctx.text, trig.end) is not None
    for c in targets:
        start = min(trig.start, c.span.start)
        end = max(trig.end, c.span.end)
        unit = _target_unit(ctx, c)
        extra: list[tuple[str, Any]] = []
        if kind in _PART_SCOPE:
            extra.append(("scope", "part" if unit or partly else "whole"))
        if kind == "replaces" and _rx("annex").match(ctx.text[trig.end : trig.end + 60]):
            extra = [("scope", "part"), ("annex", True)]
        out.append(
            Relation(
                type=kind,
                from_unit=c.from_unit,
                span=Span(start, end),
                target=Target(number=c.target.number, name=c.target.name, unit=unit),
                effective=_effective(ctx, *ctx.sentence(trig.start)),
                extra=tuple(extra),
            )
        )
    return out


def _opens_line(text: str, pos: int) -> bool:
    """Nothing but a list label ("1.", "a)", "-") before ``pos`` on its line."""
    before = text[text.rfind("\n", 0, pos) + 1 : pos]
    return not _LIST_LABEL.sub("", before).strip(" \t*-+•")


def _opens_item(text: str, pos: int) -> bool:
    """A line that starts an item of a list: the line before ends its own sentence or item."""
    if not _opens_line(text, pos):
        return False
    before = text[: text.rfind("\n", 0, pos)].rstrip()
    return not before or before[-1] in ";.:"


def _consolidates(ctx: _Context) -> tuple[Relation, ...]:
    """A consolidated text: its base document and the documents that amended it.

    The preamble reads "<base> ngày ... , có hiệu lực kể từ ngày ..., được sửa đổi, bổ sung
    bởi:" and then one line per amending document. The base is the first document opening a
    line whose sentence runs on to that phrase.
    """
    text = ctx.text
    zone_end = ctx.body_start
    marker = _rx("amended_by").search(text, 0, zone_end)
    docs = [
        c
        for c in ctx.cites
        if c.span.start < zone_end
        and c.target.number
        and c.role != "basis"
        and "/VBHN-" not in c.target.number
    ]
    if marker is None:
        base = docs[:1]
        amenders: list[str] = []
    else:
        base = [
            c
            for c in docs
            if c.span.end <= marker.start()
            and _opens_line(text, c.span.start)
            and not re.search(r"[.;][ \t]*\n", text[c.span.end : marker.start()])
        ]
        amenders = [
            c.target.number
            for c in docs
            if c.span.start >= marker.end() and _opens_item(text, c.span.start) and c.target.number
        ]
    if not base:
        return ()
    first = base[0]
    amenders = [n for n in amenders if n != first.target.number]
    return (
        Relation(
            type="consolidates",
            from_unit=None,
            span=first.span,
            target=Target(number=first.target.number, name=first.target.name, unit=None),
            effective=None,
            extra=(("amended_by", tuple(dict.fromkeys(amenders))),),
        ),
    )


def _dedupe(rels: list[Relation]) -> list[Relation]:
    seen: set[tuple[str, str | None, str | None, str | None, str | None]] = set()
    out = []
    for r in rels:
        key = (r.type, r.target.number, r.target.name, r.target.unit, r.from_unit)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out
