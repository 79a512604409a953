"""Amendment operations: an amending document's instructions, read as edits of another document.

:func:`operations` turns the relations an amending document states about a base document
(:mod:`vbqppl.relations`) into :class:`Operation` values that :mod:`vbqppl.consolidate` applies:

- ``replace`` a unit by the new text quoted after "... như sau:" ("Sửa đổi, bổ sung khoản 2 Điều 8");
- ``insert`` a new unit ("Bổ sung khoản 8a vào sau khoản 8 Điều 9", "Bổ sung điểm đ");
- ``repeal`` a unit ("Bãi bỏ điểm c khoản 1 Điều 10");
- ``words``: substitute or omit words inside units ("Thay thế cụm từ “A” bằng cụm từ “B” tại ...",
  "Bãi bỏ cụm từ “A” tại ...", "Bổ sung cụm từ “X” vào sau cụm từ “Y” ...");
- ``heading``: a new heading ("Sửa đổi, bổ sung tên Điều 5"); ``intro``: the lead-in words of a
  unit before its points ("Sửa đổi, bổ sung đoạn đầu khoản 7");
- ``annex``: replace annexes by those attached to the amending document.

The quoted new text is found here, not in ``Document.quotes`` (which leaves out one-line quotes):
it is the text between the instruction's colon and the next instruction. Quoted units are split
by :func:`parse_fragments`. An instruction that cannot become an operation (no new text after
"như sau:", a unit kind that cannot be quoted) is returned as a :class:`NotApplied`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vbqppl.citations import UnitPlacer
from vbqppl.ids import DocNumber
from vbqppl.model import Citation, Document, Relation, Span
from vbqppl.quoted import UNIT_KINDS, Fragment, parse_fragments, quoted_text

_WS = re.compile(r"\s+")
_VERB = re.compile(
    r"(?i)(?<![\wđ])(sửa\s+đổi,?\s+bổ\s+sung|sửa\s+đổi|bổ\s+sung|bãi\s+bỏ|hủy\s+bỏ|huỷ\s+bỏ|"
    r"thay\s+thế|thay|bỏ)(?![\wđ])"
)
_INSTRUCTION_LINE = re.compile(
    r"[ \t]*(?:Điều[ \t]+\d{1,3}[a-zđ]?[.:]|\d{1,3}[a-zđ]?\.|[a-zđ]\d?\))?[ \t]*"
    r"(?:Sửa[ \t]+đổi|Bổ[ \t]+sung|Bãi[ \t]+bỏ|Thay[ \t]+thế|Hủy[ \t]+bỏ|Huỷ[ \t]+bỏ|Bỏ|Thay)(?![\wđ])"
)
_PHRASE = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
_WORDS_INTRO = re.compile(r"(?i)(?<![\wđ])(?:các\s+)?(?:cụm\s+từ|từ|chữ|số|nội\s+dung)\s*$")
_WORDS_AFTER = re.compile(
    r"(?i)\s+(?:bằng|thành)\s+(?:các\s+)?(?:cụm\s+từ|từ|chữ|số|nội\s+dung)?\s*$"
)
_WORDS_BESIDE = re.compile(r"(?i)vào\s+(sau|trước)\s+(?:các\s+)?(?:cụm\s+từ|từ|chữ)\s*$")
_HEADING = re.compile(r"(?i)(?<![\wđ])(?:tên|tiêu\s+đề)(?:\s+(?:của|gọi))?\s*$")
_INTRO = re.compile(r"(?i)(?<![\wđ])(?:đoạn|phần)\s+(?:đầu|mở\s+đầu)(?:\s+(?:của|tại))?\s*$")
_WORDS_LATE = re.compile(
    r"[^“\"\n]{0,40}?(?<![\wđ])(?:thành|bằng)\s+(?:các\s+)?(?:cụm\s+từ\s+|từ\s+|nội\s+dung\s+)?“([^”]*)”"
)
_INTO = re.compile(r"\s*vào\s+(?:cuối\s+)?Điều\s+(\d{1,3}[a-zđ]?)(?![\wđ])")
_ANCHOR_BEFORE = re.compile(r"(?<![\wđ])vào(?:\s+(?:sau|trước|cuối|đầu))?\s*(?:của\s+)?$")
_ANCHOR = re.compile(
    r"\s*vào\s+(sau|trước)\s+(?:khoản|điểm|Điều)\s+(\d{1,3}[a-zđ]?|[a-zđ]\d?)(?![\wđ])"
)
_STOP = re.compile(
    r"[.;](?=[ \t]*\n)|\n(?=[ \t]*(?:\d{1,3}[a-zđ]?\.[ \t]|[a-zđ]\d?\)|Điều[ \t]+\d{1,3}[a-zđ]?\.))"
)
_ANNEX = re.compile(r"(?i)phụ\s+lục\s+(?:số\s+)?([IVXL]+|\d{1,3}[a-z]?)(?![\wđ])")
KIND_WORD = {
    "part": "phần",
    "chapter": "chương",
    "section": "mục",
    "subsection": "tiểu mục",
    "article": "Điều",
    "clause": "khoản",
    "point": "điểm",
    "attachment": "văn bản kèm theo",
}
_REL_WORD = {"amends": "sửa đổi, bổ sung", "repeals": "bãi bỏ", "replaces": "thay thế"}
_STEP_KIND = {
    "part": "part",
    "chp": "chapter",
    "sec": "section",
    "subsec": "subsection",
    "art": "article",
    "para": "clause",
    "point": "point",
    "att": "attachment",
}


@dataclass(frozen=True, slots=True)
class Operation:
    """One edit of the base document, from one instruction of an amending document.

    ``targets`` holds the unit id first and the ids to try when it is not in the base (a sub-item
    of an instruction listing units, resolved against its parent item); ``None`` is the whole
    document. ``words`` pairs old and new words (new ``""`` for an omission).
    """

    action: str  # replace | insert | repeal | words | heading | intro | annex
    targets: tuple[str | None, ...]
    document: str
    source_unit: str | None
    span: Span  # the instruction in the amending document's text
    instruction: str  # its words, on one line
    effective: str | None
    verb: str = ""
    new: Fragment | None = None
    lead: str | None = None  # quoted new text with no label of the expected kind
    words: tuple[tuple[str, str], ...] = ()
    heading_only: bool = False
    annexes: tuple[str, ...] = ()
    anchor: tuple[str, str] | None = None  # ("trước" | "sau", sibling number) of an insertion

    @property
    def target(self) -> str | None:
        return self.targets[0] if self.targets else None


@dataclass(frozen=True, slots=True)
class NotApplied:
    """An instruction that could not be applied, and why (Vietnamese)."""

    document: str
    source_unit: str | None
    target: str | None
    instruction: str
    reason: str

    @property
    def message(self) -> str:
        where = f" tại {unit_phrase(self.source_unit)}" if self.source_unit else ""
        return (
            f"Không áp dụng được nội dung sửa đổi{where} của văn bản {self.document} "
            f"(“{self.instruction}”): {self.reason}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "code": "not-applied",
            "message": self.message,
            "document": self.document,
            "from": self.source_unit,
            "target": self.target,
            "instruction": self.instruction,
            "reason": self.reason,
        }


def unit_phrase(unit_id: str | None) -> str:
    """ "att_1__art_8__para_2" -> "khoản 2 Điều 8 của văn bản kèm theo"; ``None`` -> ""."""
    if not unit_id:
        return ""
    words: list[str] = []
    attached = False
    for step in unit_id.split("__"):
        prefix, _, number = step.partition("_")
        kind = _STEP_KIND.get(prefix)
        if kind == "attachment":
            attached = True
        elif kind is not None:
            words.append(f"{KIND_WORD[kind]} {number.split('-')[0]}")
    out = " ".join(reversed(words))
    return f"{out} của văn bản kèm theo" if attached else out


def same_number(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    pa, pb = DocNumber.try_parse(a), DocNumber.try_parse(b)
    if pa is None or pb is None:
        return a == b
    return pa.key == pb.key


def one_line(text: str, width: int = 160) -> str:
    text = _WS.sub(" ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


# --- instructions --------------------------------------------------------------------------


@dataclass(slots=True)
class _Instruction:
    start: int
    unit: str | None  # the amending document's unit holding it
    rels: list[tuple[Relation, Citation | None]]


def _cite_of(doc: Document, r: Relation) -> Citation | None:
    """The citation of the unit a relation targets: the last unit citation inside its span."""
    best: Citation | None = None
    for c in doc.citations:
        if c.span.start < r.span.start or c.span.end > r.span.end or not c.target.unit:
            continue
        if best is None or c.span.end > best.span.end:
            best = c
    return best


def operations(doc: Document, base_number: str) -> tuple[list[Operation], list[NotApplied]]:
    """The edits ``doc`` makes to the document numbered ``base_number``, in text order."""
    rels = [r for r in doc.relations if same_number(r.target.number, base_number)]
    placer = UnitPlacer(doc.units)
    number = doc.metadata.number or doc.source.path or "?"
    unread = [r for r in rels if r.span.end <= r.span.start]  # a relation with no words
    rels = [r for r in rels if r.span.end > r.span.start]
    early = [
        NotApplied(
            number,
            r.from_unit,
            r.target.unit,
            f"{_REL_WORD[r.type]} {unit_phrase(r.target.unit) or 'văn bản'} {base_number}",
            "quan hệ không gắn với lời văn của chỉ dẫn nên không đọc được nội dung sửa đổi",
        )
        for r in unread
        if r.type in ("amends", "repeals", "replaces") and (r.type == "amends" or r.target.unit)
    ]
    # units that hold an instruction (to any document): new text never runs into them
    verb_units = {u.id for u in doc.units if _INSTRUCTION_LINE.match(doc.text, u.span.start)}
    holders = {u.id for r in doc.relations if (u := placer.at(r.span.start)) is not None}
    instr_units = holders | verb_units
    rels += _sub_instructions(doc, placer, rels, verb_units - holders)
    groups: dict[tuple[str | None, int], _Instruction] = {}
    for r in sorted(rels, key=lambda r: (r.span.start, r.span.end)):
        where = placer.at(r.span.start)
        key = (where.id if where else None, r.span.start)
        inst = groups.setdefault(key, _Instruction(r.span.start, key[0], []))
        inst.rels.append((r, _cite_of(doc, r)))
    held = {i.unit for i in groups.values()}
    first_unit = min((u.span.start for u in doc.units), default=None)
    ops: list[Operation] = []
    problems: list[NotApplied] = early
    umbrellas: dict[str, list[str]] = {}  # unit holding a list of sub-instructions -> its units
    for inst in sorted(groups.values(), key=lambda i: i.start):
        region = _new_text_region(doc, placer, inst, instr_units)
        units = [r.target.unit for r, _ in inst.rels if r.target.unit]
        body = quoted_text(doc.text, *region) if region else None
        subs = _descendants(placer, inst.unit, instr_units) if inst.unit else []
        if body is None and subs:
            # "Sửa đổi, bổ sung một số khoản của Điều 3 như sau:", then the items; or an article
            # headed "Sửa đổi, bổ sung Điều 6 của Quy định ...", its clauses the instructions
            umbrellas[inst.unit or ""] = units
            continue
        if inst.unit is None and first_unit is not None and inst.start < first_unit:
            continue  # the title says what the document amends: its articles say how
        parents = _enclosing_units(placer, inst.unit, umbrellas)
        ops_i, probs_i = _instruction_ops(doc, number, inst, region, body, parents)
        ops += ops_i
        problems += probs_i
    # an instruction inside a part acting on the base that yielded no relation at all (items
    # of an annex replacement are the annex operation's business)
    annexes = any(op.action == "annex" for op in ops)
    for uid in sorted(verb_units - holders - held, key=lambda u: placer.by_id[u].span.start):
        u = placer.by_id[uid]
        if _descendants(placer, uid, instr_units):
            continue
        if annexes and _ANNEX.search(doc.text, u.span.start, u.span.end):
            continue
        if any(_descends(placer, u, h) for h in held if h):
            line = doc.text[u.span.start : u.span.end].split("\n", 1)[0]
            reason = "không xác định được đơn vị bị sửa đổi (chỉ dẫn không có quan hệ)"
            problems.append(NotApplied(number, uid, None, one_line(line), reason))
    return ops, problems


def _descendants(placer: UnitPlacer, unit_id: str, among: set[str]) -> list[str]:
    out = []
    for uid in among:
        if uid != unit_id and _descends(placer, placer.by_id.get(uid), unit_id):
            out.append(uid)
    return sorted(out, key=lambda u: placer.by_id[u].span.start)


def _sub_instructions(
    doc: Document, placer: UnitPlacer, rels: Sequence[Relation], bare: set[str]
) -> list[Relation]:
    """Items of an instruction list that name the unit their parent names ("8. Sửa đổi, bổ
    sung Điều 15 như sau: a) Sửa đổi, bổ sung tên Điều 15 như sau: ..."): the relation finder
    keeps one relation per unit, the parent's, so the item's is rebuilt here from its citations."""
    out: list[Relation] = []
    for uid in sorted(bare, key=lambda u: placer.by_id[u].span.start):
        u = placer.by_id[uid]
        parent_rels = [
            r
            for r in rels
            if (h := placer.at(r.span.start)) is not None and _descends(placer, u, h.id)
        ]
        if not parent_rels:
            continue
        line_end = doc.text.find(":", u.span.start, u.span.end)
        line_end = u.span.end if line_end == -1 else line_end
        for c in doc.citations:
            if not (u.span.start <= c.span.start < line_end and c.target.unit):
                continue
            last = c.target.unit.rsplit("__", 1)[-1]
            model = next(
                (
                    r
                    for r in parent_rels
                    if r.target.unit == c.target.unit
                    or (r.target.unit and r.target.unit.rsplit("__", 1)[-1] == last)
                ),
                None,
            )
            if model is None:
                continue
            verb = _VERB.search(doc.text, u.span.start, c.span.start)
            kind = "repeals" if verb and "bỏ" in verb[0].lower() else "amends"
            start = verb.start() if verb else c.span.start
            out.append(Relation(kind, uid, Span(start, c.span.end), model.target, model.effective))
    return out


def _enclosing_units(
    placer: UnitPlacer, unit_id: str | None, umbrellas: dict[str, list[str]]
) -> list[str]:
    """Units named by the instructions that enclose this one (their sub-items resolve there)."""
    out: list[str] = []
    u = placer.by_id.get(unit_id) if unit_id else None
    while u is not None:
        out += umbrellas.get(u.id, [])
        u = placer.by_id.get(u.parent) if u.parent else None
    return out


def _new_text_region(
    doc: Document, placer: UnitPlacer, inst: _Instruction, instr_units: set[str]
) -> tuple[int, int] | None:
    """Where the new text of an instruction ending in "như sau:" lies: from its colon to the
    next unit holding an instruction, or the end of the unit holding this one."""
    text = doc.text
    last_end = max(r.span.end for r, _ in inst.rels)
    stop = _STOP.search(text, last_end, min(len(text), last_end + 600))
    limit = stop.start() if stop else min(len(text), last_end + 600)
    colon = text.find(":", last_end, limit + 1)
    if colon == -1:
        return None
    holder = placer.by_id.get(inst.unit) if inst.unit else None
    end = holder.span.end if holder else len(text)
    for u in placer.units:
        if u.span.start <= colon:
            continue
        if u.span.start >= end:
            break
        inside = holder is not None and _descends(placer, u, holder.id)
        if not inside or u.id in instr_units:
            end = u.span.start
            break
    return colon + 1, end


def _descends(placer: UnitPlacer, unit: Any, ancestor: str) -> bool:
    while unit is not None and unit.parent:
        if unit.parent == ancestor:
            return True
        unit = placer.by_id.get(unit.parent)
    return False


def _words(segment: str) -> tuple[tuple[str, str], ...]:
    """Word edits stated in ``segment`` (the words between the verb and the units): substitution
    "cụm từ “A” bằng cụm từ “B”", omission "cụm từ “A”", insertion "cụm từ “X” vào sau cụm từ
    “Y”". Empty when the segment quotes no words."""
    quotes = list(_PHRASE.finditer(segment))
    if not quotes or not _WORDS_INTRO.search(segment[: quotes[0].start()]):
        return ()
    olds: list[str] = []
    news: list[str] = []
    beside: str | None = None
    side = olds
    pos = 0
    for m in quotes:
        between = segment[pos : m.start()]
        b = _WORDS_BESIDE.search(between)
        if b is not None:
            beside = b[1]
            side = news
        elif _WORDS_AFTER.search(between):
            side = news
        side.append(m[1] if m[1] is not None else m[2])
        pos = m.end()
    if beside is not None:  # "Bổ sung cụm từ “X” vào sau cụm từ “Y”": olds = [X], news = [Y]
        return tuple(
            (anchor, _join(anchor, x) if beside == "sau" else _join(x, anchor))
            for x in olds
            for anchor in news
        )
    if not news:
        return tuple((o, "") for o in olds)
    if len(news) == 1:
        return tuple((o, news[0]) for o in olds)
    return tuple(zip(olds, news, strict=False))


def _join(a: str, b: str) -> str:
    """Words inserted next to others: a space between, none before punctuation."""
    return a + b if b[:1] in ",.;:)" else f"{a} {b}"


def _instruction_ops(
    doc: Document,
    number: str,
    inst: _Instruction,
    region: tuple[int, int] | None,
    body: str | None,
    parents: list[str],
) -> tuple[list[Operation], list[NotApplied]]:
    text = doc.text
    ops: list[Operation] = []
    problems: list[NotApplied] = []
    rels = sorted(inst.rels, key=lambda rc: rc[1].span.start if rc[1] else rc[0].span.end)
    first = rels[0][1]
    trig_end = _verb_end(text, inst.start)
    head_end = first.span.start if first is not None and first.span.start > trig_end else trig_end
    current_words = _words(text[trig_end:head_end])
    prev_end = head_end
    heading_all = not current_words and bool(_HEADING.search(text[trig_end:head_end]))
    intro_all = bool(_INTRO.search(text[trig_end:head_end]))
    last_span_end = max(r.span.end for r, _ in rels)
    stop = _STOP.search(text, last_span_end, min(len(text), last_span_end + 600))
    sentence_end = stop.end() if stop else min(len(text), last_span_end + 600)
    instruction = one_line(text[inst.start : region[0] if region else sentence_end])
    if current_words and not any(new for _, new in current_words):
        # "Sửa đổi cụm từ “A” tại điểm a khoản 1 Điều 2 thành cụm từ “B”": B after the units
        late = _WORDS_LATE.match(text, last_span_end, sentence_end)
        if late is not None and "bỏ" not in text[inst.start : trig_end].lower():
            current_words = tuple((old, late[1]) for old, _ in current_words)
    fragments: dict[str, tuple[str, list[Fragment]]] = {}
    for i, (r, cite) in enumerate(rels):
        segment = text[prev_end : cite.span.start] if cite and cite.span.start > prev_end else ""
        if i == 0:
            segment = text[trig_end:head_end]
        if cite:
            prev_end = max(prev_end, cite.span.end)
        local = _words(segment) if i > 0 else ()
        if local:
            current_words = local
        verbs = _VERB.findall(text[inst.start : cite.span.start if cite else r.span.end])
        verb = _WS.sub(" ", (verbs[-1] if verbs else "")).lower()
        if not verb:
            verbs = _VERB.findall(text[r.span.start : r.span.end])
            verb = _WS.sub(" ", verbs[-1]).lower() if verbs else ""
        unit = r.target.unit
        targets = _candidates(unit, parents)
        into = _INTO.match(text, cite.span.end) if cite else None
        if into and unit and unit.partition("_")[0] in ("para", "point"):
            targets = (f"art_{into[1]}__{unit}", *targets)  # "Bổ sung khoản 6 vào Điều 10"
        effective = r.effective
        issued = doc.metadata.issued
        if effective and issued and effective < issued:
            # a date read from the quoted new text, not the instruction's own
            meta = doc.metadata.effective
            effective = meta if meta and meta >= issued else issued
        common: dict[str, Any] = {
            "targets": targets,
            "document": number,
            "source_unit": inst.unit,
            "span": Span(inst.start, last_span_end),
            "instruction": instruction,
            "effective": effective,
            "verb": verb,
        }
        heading_here = heading_all or bool(_HEADING.search(segment))
        extra = dict(r.extra)
        if r.type == "replaces" and extra.get("annex"):
            annexes = _annexes(text[inst.start : last_span_end + 400])
            ops.append(Operation("annex", (None,), annexes=annexes, **_no_targets(common)))
            continue
        if current_words and r.type in ("amends", "repeals", "replaces"):
            ops.append(Operation("words", words=current_words, heading_only=heading_here, **common))
            continue
        if unit is None:
            continue  # "Sửa đổi, bổ sung một số điều của ...": the items follow
        if r.type == "repeals":
            ops.append(Operation("repeal", **common))
            continue
        if r.type not in ("amends", "replaces"):
            continue  # suspends, expires, corrects, guides: not edits of the text
        kind = _STEP_KIND.get(unit.rsplit("__", 1)[-1].partition("_")[0], "")
        action = "heading" if heading_here else "intro" if intro_all else "replace"
        if action == "replace" and verb == "bổ sung":
            action = "insert"
        if body is None:
            problems.append(
                NotApplied(
                    number,
                    inst.unit,
                    unit,
                    instruction,
                    "không tìm thấy nội dung mới (đoạn trích sau “như sau:”)",
                )
            )
            continue
        if kind not in UNIT_KINDS:
            problems.append(
                NotApplied(
                    number,
                    inst.unit,
                    unit,
                    instruction,
                    f"chưa hỗ trợ sửa đổi cả {KIND_WORD.get(kind, kind)}",
                )
            )
            continue
        if kind not in fragments:
            fragments[kind] = parse_fragments(body, kind)
        lead, frags = fragments[kind]
        num = unit.rsplit("__", 1)[-1].partition("_")[2]
        same = [f for f in frags if f.number == num]
        frag = same[0] if same else (frags[0] if len(frags) == 1 and len(rels) == 1 else None)
        if frag is None and (frags or not lead):
            problems.append(
                NotApplied(
                    number,
                    inst.unit,
                    unit,
                    instruction,
                    f"nội dung mới không có {KIND_WORD[kind]} {num}",
                )
            )
            continue
        at = _ANCHOR.match(text, cite.span.end) if cite else None
        anchor = (at[1], at[2]) if at else None
        ops.append(
            Operation(action, new=frag, lead=None if frag else lead, anchor=anchor, **common)
        )
    left = _uncovered(doc, inst, region[0] if region else sentence_end, number)
    if left:
        reason = f"chỉ dẫn còn nêu {', '.join(left)} nhưng không có quan hệ để áp dụng"
        problems.append(NotApplied(number, inst.unit, None, instruction, reason))
    return ops, problems


def _uncovered(doc: Document, inst: _Instruction, end: int, number: str) -> list[str]:
    """Units the instruction's sentence names that none of its relations covers (a list the
    relation finder read only in part): said, not silently dropped. Anchors ("vào sau khoản 8")
    and references inside quoted words do not count."""
    covered = {c.span for _, c in inst.rels if c is not None}
    named = {r.target.unit.rsplit("__", 1)[-1] for r, _ in inst.rels if r.target.unit}
    text = doc.text
    quotes = [(m.start(), m.end()) for m in _PHRASE.finditer(text, inst.start, end)]
    out: list[str] = []
    for c in doc.citations:
        if not (inst.start <= c.span.start < end) or not c.target.unit or c.span in covered:
            continue
        if c.target.unit.rsplit("__", 1)[-1] in named:
            continue
        if c.target.number and not same_number(c.target.number, number):
            continue
        if any(a <= c.span.start < b for a, b in quotes):
            continue
        if _ANCHOR_BEFORE.search(text, max(0, c.span.start - 30), c.span.start):
            continue
        if c.text not in out:
            out.append(c.text)
    return out


def _no_targets(common: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in common.items() if k != "targets"}


def _verb_end(text: str, start: int) -> int:
    m = _VERB.search(text, start, start + 80)
    return m.end() if m else start


def _candidates(unit: str | None, parents: list[str]) -> tuple[str | None, ...]:
    """The unit, then what it would be under the units its enclosing instructions name: a
    sub-item "điểm a" of "Sửa đổi một số điểm của khoản 3 Điều 42" is art_42__para_3__point_a."""
    if unit is None:
        return (None,)
    out: list[str | None] = [unit]
    last = unit.rsplit("__", 1)[-1]
    for p in parents:
        p_last = p.rsplit("__", 1)[-1]
        if p_last == last:
            out.append(p)
        elif _depth(last) > _depth(p_last):
            out.append(f"{p}__{last}")
    if not unit.startswith("att_"):
        out.append(f"att_1__{unit}")
    return tuple(dict.fromkeys(out))


def _depth(step: str) -> int:
    kind = _STEP_KIND.get(step.partition("_")[0], "")
    return UNIT_KINDS.index(kind) if kind in UNIT_KINDS else -1


def _annexes(text: str) -> tuple[str, ...]:
    """Annex numbers an annex replacement names before "bằng" (the old ones)."""
    head = re.split(r"(?i)(?<![\wđ])bằng(?![\wđ])", text, maxsplit=1)[0]
    return tuple(dict.fromkeys(m[1].upper() for m in _ANNEX.finditer(head)))
