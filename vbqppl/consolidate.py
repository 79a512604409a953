"""Point-in-time consolidation: the base document as its amendments left it at a date.

:func:`consolidate` is pure: it takes the base :class:`~vbqppl.model.Document` and the amending
documents, turns each amending document's instructions into operations (:mod:`vbqppl.amend`),
applies those in force at the date in order of their effective dates (then issue dates, then
text order), and returns a :class:`Consolidated`: a :class:`~vbqppl.model.Document` whose text and
units are the consolidated ones, the provenance of every changed unit (which document and which
of its units changed it, from when: what the footnotes of an official văn bản hợp nhất say), the
instructions not yet in force, and every instruction that could not be applied, with the reason.

Where the documents come from is the caller's business (files today, the corpus store later).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from vbqppl.amend import (
    Fragment,
    NotApplied,
    Operation,
    operations,
    same_number,
    sort_key,
    unit_phrase,
)
from vbqppl.ids import KIND_PREFIX
from vbqppl.model import Diagnostic, Document, Relation, Span, Target, Unit

REPEALED = "(được bãi bỏ)"
_ACTION = {
    "replace": "amended",
    "insert": "inserted",
    "repeal": "repealed",
    "words": "words",
    "heading": "heading",
    "intro": "intro",
    "annex": "annex",
}
_STRUCTURAL = ("replace", "insert", "repeal")
_APPENDIX = re.compile(
    r"(?m)^[ \t]*(?:PHỤ LỤC|Phụ lục)[ \t]+(?:SỐ[ \t]+|số[ \t]+)?([IVXL]+|\d{1,3}[a-zA-Z]?)\b"
)


@dataclass(frozen=True, slots=True)
class Change:
    """What one instruction did to a unit (or, with ``unit`` None, to the whole document)."""

    action: str  # amended | inserted | repealed | words | heading | intro | annex
    document: str  # the amending document's number
    source_unit: str | None  # its unit holding the instruction
    effective: str | None
    instruction: str
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "document": self.document,
            "from": self.source_unit,
            "effective": self.effective,
            "instruction": self.instruction,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Amending:
    """An amending document, as the consolidated text names it."""

    number: str
    type: str | None
    issuer: str | None
    issued: str | None
    effective: str | None
    title: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "type": self.type,
            "issuer": self.issuer,
            "issued": self.issued,
            "effective": self.effective,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class Pending:
    """An instruction not yet in force at the consolidation date."""

    target: str | None
    change: Change

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, **self.change.to_json()}


@dataclass(frozen=True, slots=True)
class Consolidated:
    """The base document at a date: text and units, provenance, what is pending or failed."""

    document: Document
    at: str | None
    base: Amending
    amending: tuple[Amending, ...]  # those with an instruction in force at ``at``
    provenance: tuple[tuple[str, tuple[Change, ...]], ...]  # unit id -> changes, in order
    document_changes: tuple[Change, ...]
    pending: tuple[Pending, ...]
    not_applied: tuple[NotApplied, ...]

    def changes_of(self, unit_id: str) -> tuple[Change, ...]:
        for uid, changes in self.provenance:
            if uid == unit_id:
                return changes
        return ()

    def unit_text(self, unit_id: str) -> str | None:
        u = self.document.unit(unit_id)
        return None if u is None else self.document.text[u.span.start : u.span.end]

    def to_json(self) -> dict[str, Any]:
        out = self.document.to_json()
        prov = dict(self.provenance)
        for u in out["units"]:
            u["provenance"] = [c.to_json() for c in prov.get(u["id"], ())]
        out["consolidation"] = {
            "base": self.base.to_json(),
            "at": self.at,
            "amending": [a.to_json() for a in self.amending],
            "document_changes": [c.to_json() for c in self.document_changes],
            "pending": [p.to_json() for p in self.pending],
            "not_applied": [n.to_json() for n in self.not_applied],
        }
        return out


@dataclass(eq=False, slots=True)
class _Node:
    id: str
    kind: str
    number: str
    label: str
    heading: str | None
    parts: list[str | _Node]
    repealed: bool = False
    changes: list[Change] = field(default_factory=list)


def consolidate(
    base: Document, amending: Sequence[Document], at: date | str | None = None
) -> Consolidated:
    """The base document as in force at ``at`` (every known amendment when ``None``)."""
    at_iso = at.isoformat() if isinstance(at, date) else at
    number = base.metadata.number or ""
    root = _tree(base)
    doc_changes: list[Change] = []
    pending: list[Pending] = []
    problems: list[NotApplied] = []
    queue: list[tuple[tuple[str, str, int, int], Operation, Document]] = []
    for k, doc in enumerate(amending):
        ops, probs = operations(doc, number)
        problems += probs
        for j, op in enumerate(ops):
            when = op.effective or doc.metadata.effective or doc.metadata.issued or ""
            queue.append(((when or "9999", doc.metadata.issued or "", k, j), op, doc))
    queue.sort(key=lambda item: item[0])
    touched: list[tuple[str, str, str, str]] = []  # (date, unit, action, document)
    in_force: set[str] = set()  # amending documents with an instruction in force at ``at``
    for (when, _, _, _), op, doc in queue:
        op = replace(op, effective=when if when != "9999" else None)
        change = _change(op)
        if at_iso is not None and when != "9999" and when > at_iso:
            pending.append(Pending(op.target, change))
            continue
        in_force.add(op.document)
        index = _index(root)
        reason, unit = _apply(root, index, op, change, doc)
        if reason is not None:
            problems.append(
                NotApplied(op.document, op.source_unit, op.target, op.instruction, reason)
            )
            continue
        if unit is None:
            doc_changes.append(change)
            continue
        clash = _collision(touched, when, unit, op)
        if clash is not None:
            problems.append(NotApplied(op.document, op.source_unit, unit, op.instruction, clash))
        touched.append((when, unit, op.action, op.document))
    text, units, provenance = _render(root)
    for doc in amending:
        for r in doc.relations:
            if same_number(r.target.number, number) and r.target.unit is None:
                _whole_document(r, doc, doc_changes, at_iso)
    in_force |= {c.document for c in doc_changes} | {p.document for p in problems}
    amenders = tuple(
        _amending(d)
        for d in amending
        if _touches(d, number) and (d.metadata.number or d.source.path or "?") in in_force
    )
    relation = Relation(
        type="consolidates",
        from_unit=None,
        span=Span(0, 0),
        target=Target(number=number or None, name=base.metadata.title),
        effective=None,
        extra=(("amended_by", tuple(a.number for a in amenders)),),
    )
    document = Document(
        text=text,
        source=base.source,
        metadata=base.metadata,
        units=tuple(units),
        relations=(relation,),
        diagnostics=tuple(Diagnostic("not-applied", p.message) for p in problems),
    )
    return Consolidated(
        document=document,
        at=at_iso,
        base=_amending(base),
        amending=amenders,
        provenance=tuple(provenance),
        document_changes=tuple(doc_changes),
        pending=tuple(pending),
        not_applied=tuple(problems),
    )


def _touches(doc: Document, number: str) -> bool:
    return any(same_number(r.target.number, number) for r in doc.relations)


def _amending(doc: Document) -> Amending:
    m = doc.metadata
    return Amending(
        m.number or doc.source.path or "?", m.type, m.issuer, m.issued, m.effective, m.title
    )


def _whole_document(r: Relation, doc: Document, out: list[Change], at: str | None) -> None:
    """A replacement, repeal or expiry of the whole base: a note, not an edit of the text."""
    if r.type not in ("replaces", "repeals", "expires", "suspends") or dict(r.extra).get("annex"):
        return
    if dict(r.extra).get("scope") == "part":
        return
    when = r.effective or doc.metadata.effective
    if at is not None and when is not None and when > at:
        return
    words = {
        "replaces": "bị thay thế",
        "repeals": "bị bãi bỏ",
        "expires": "hết hiệu lực",
        "suspends": "bị đình chỉ thi hành",
    }
    change = Change(
        action=r.type,
        document=doc.metadata.number or "?",
        source_unit=r.from_unit,
        effective=when,
        instruction=" ".join(doc.text[r.span.start : r.span.end].split()),
        detail=f"Văn bản {words[r.type]}",
    )
    if change not in out:
        out.append(change)


def _change(op: Operation) -> Change:
    detail = None
    if op.action == "words":
        detail = "; ".join(
            f"cụm từ “{old}” được thay bằng cụm từ “{new}”" if new else f"bỏ cụm từ “{old}”"
            for old, new in op.words
        )
    elif op.action == "annex":
        detail = "thay thế Phụ lục " + ", ".join(op.annexes)
    return Change(
        _ACTION[op.action], op.document, op.source_unit, op.effective, op.instruction, detail
    )


def _collision(
    touched: list[tuple[str, str, str, str]], when: str, unit: str, op: Operation
) -> str | None:
    """Two instructions in force the same day that change the same unit (or one replaces or
    repeals a unit the other changes inside) collide: the later one in the order prevails."""
    for t_when, t_unit, t_action, t_doc in touched:
        if t_when != when:
            continue
        same = t_unit == unit and op.action in _STRUCTURAL and t_action in _STRUCTURAL
        nested = (unit.startswith(t_unit + "__") and t_action in ("replace", "repeal")) or (
            t_unit.startswith(unit + "__") and op.action in ("replace", "repeal")
        )
        if same or nested:
            return (
                f"xung đột với nội dung sửa đổi của văn bản {t_doc} cùng có hiệu lực ngày "
                f"{when} tại {unit_phrase(t_unit)}; áp dụng nội dung sau cùng"
            )
    return None


# --- the unit tree -------------------------------------------------------------------------


def _tree(doc: Document) -> _Node:
    text = doc.text
    ids = {u.id for u in doc.units}
    children: dict[str | None, list[Unit]] = {}
    for u in doc.units:
        children.setdefault(u.parent if u.parent in ids else None, []).append(u)

    def build(node: _Node, start: int, end: int) -> _Node:
        pos = start
        for kid in sorted(children.get(node.id or None, []), key=lambda u: u.span.start):
            if kid.span.start < pos or kid.span.end > end:
                continue
            node.parts.append(text[pos : kid.span.start])
            child = _Node(kid.id, kid.kind, kid.number, kid.label, kid.heading, [])
            node.parts.append(build(child, kid.span.start, kid.span.end))
            pos = kid.span.end
        node.parts.append(text[pos:end])
        node.parts = [p for p in node.parts if p != ""]
        return node

    return build(_Node("", "document", "", "", None, []), 0, len(text))


def _index(root: _Node) -> dict[str, tuple[_Node, _Node]]:
    """Every unit id -> (node, parent node)."""
    out: dict[str, tuple[_Node, _Node]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for p in node.parts:
            if isinstance(p, _Node):
                out[p.id] = (p, node)
                stack.append(p)
    return out


def _from_fragment(frag: Fragment, uid: str) -> _Node:
    parts: list[str | _Node] = []
    for p in frag.parts:
        if isinstance(p, str):
            parts.append(p)
        else:
            step = f"{KIND_PREFIX[p.kind]}_{p.number}"
            parts.append(_from_fragment(p, f"{uid}__{step}"))
    return _Node(uid, frag.kind, frag.number, frag.label, frag.heading, parts)


def _new_node(op: Operation, uid: str) -> _Node | None:
    kind = _kind_of(uid)
    number = uid.rsplit("__", 1)[-1].partition("_")[2]
    if op.new is not None:
        if op.new.kind != kind:
            return None
        node = _from_fragment(op.new, uid)
        node.number = number
        return node
    if op.lead:  # new text quoted without its label: the label is the target's
        label = {"article": f"Điều {number}", "clause": f"{number}."}.get(kind, f"{number})")
        sep = ". " if kind == "article" else " "
        return _Node(uid, kind, number, label, None, [f"{label}{sep}{op.lead}"])
    return None


def _kind_of(uid: str) -> str:
    prefix = uid.rsplit("__", 1)[-1].partition("_")[0]
    return {v: k for k, v in KIND_PREFIX.items()}.get(prefix, "")


def _apply(
    root: _Node, index: dict[str, tuple[_Node, _Node]], op: Operation, change: Change, doc: Document
) -> tuple[str | None, str | None]:
    """Apply one operation; returns (reason it could not be, unit changed)."""
    if op.action == "annex":
        return _annex(root, op, change, doc), None
    if op.action == "words" and op.target is None:
        found = _substitute(root, op.words, heading_only=False)
        missing = [old for (old, _), n in zip(op.words, found, strict=True) if n == 0]
        if missing:
            return f"không tìm thấy cụm từ “{missing[0]}” trong văn bản", None
        return None, None
    present = [t for t in op.targets if t is not None and t in index]
    if op.action == "insert" or (not present and op.action == "replace" and "bổ sung" in op.verb):
        if present and op.action == "insert":
            if "sửa đổi" not in op.verb:
                return f"{unit_phrase(present[0])} đã có trong văn bản, không bổ sung được", None
            return _replace(index, present[0], op, change)
        return _insert(root, index, op, change)
    if not present:
        return f"không có {unit_phrase(op.target)} trong văn bản được sửa đổi", None
    uid = present[0]
    node = index[uid][0]
    if op.action == "replace":
        return _replace(index, uid, op, change)
    if op.action == "repeal":
        node.repealed = True
    elif op.action == "words":
        found = _substitute(node, op.words, heading_only=op.heading_only)
        missing = [old for (old, _), n in zip(op.words, found, strict=True) if n == 0]
        if missing:
            where = f"tên {unit_phrase(uid)}" if op.heading_only else unit_phrase(uid)
            return f"không tìm thấy cụm từ “{missing[0]}” tại {where}", None
    elif op.action == "heading":
        reason = _heading(node, op)
        if reason:
            return reason, None
    elif op.action == "intro":
        reason = _intro(node, op)
        if reason:
            return reason, None
    node.changes.append(change)
    return None, uid


def _replace(
    index: dict[str, tuple[_Node, _Node]], uid: str, op: Operation, change: Change
) -> tuple[str | None, str | None]:
    node, parent = index[uid]
    new = _new_node(op, uid)
    if new is None:
        return f"nội dung mới không phải là {unit_phrase(uid).split(' ')[0]}", None
    new.changes = [*node.changes, change]
    parent.parts[parent.parts.index(node)] = new
    return None, uid


def _insert(
    root: _Node, index: dict[str, tuple[_Node, _Node]], op: Operation, change: Change
) -> tuple[str | None, str | None]:
    for uid in op.targets:
        if uid is None or uid in index:
            continue
        kind = _kind_of(uid)
        number = uid.rsplit("__", 1)[-1].partition("_")[2]
        before: _Node | None = None
        if kind == "article":
            parent, after = _article_place(root, index, uid, number)
        else:
            parent_id = uid.rpartition("__")[0]
            if parent_id not in index:
                continue
            parent = index[parent_id][0]
            after = _sibling_before(parent, kind, number)
            if op.anchor is not None:  # "vào trước khoản 1", "vào sau khoản 8"
                named = [
                    p
                    for p in parent.parts
                    if isinstance(p, _Node) and p.kind == kind and p.number == op.anchor[1]
                ]
                if named and op.anchor[0] == "trước":
                    before, after = named[0], None
                elif named and (
                    after is None or sort_key(kind, after.number) < sort_key(kind, named[0].number)
                ):
                    after = named[0]  # else a unit this instruction inserted after it
        if parent is None:
            continue
        new = _new_node(op, uid)
        if new is None:
            return f"nội dung mới không phải là {unit_phrase(uid).split(' ')[0]}", None
        new.changes.append(change)
        if before is not None:
            i = parent.parts.index(before)
            parent.parts[i:i] = [new, "\n"]
        else:
            _place(parent, new, after, kind)
        return None, uid
    return f"không tìm thấy chỗ để bổ sung {unit_phrase(op.target)}", None


def _article_place(
    root: _Node, index: dict[str, tuple[_Node, _Node]], uid: str, number: str
) -> tuple[_Node | None, _Node | None]:
    """An inserted article goes after the last article of its region numbered before it."""
    prefix = uid.rpartition("__")[0]
    best: tuple[tuple[int, str], _Node, _Node] | None = None
    for other, (node, parent) in index.items():
        if node.kind != "article" or other.rpartition("__")[0] != prefix:
            continue
        key = sort_key("article", node.number)
        if key < sort_key("article", number) and (best is None or key > best[0]):
            best = (key, node, parent)
    if best is None:
        return None, None
    return best[2], best[1]


def _sibling_before(parent: _Node, kind: str, number: str) -> _Node | None:
    best: _Node | None = None
    for p in parent.parts:
        if (
            isinstance(p, _Node)
            and p.kind == kind
            and sort_key(kind, p.number) < sort_key(kind, number)
        ):
            best = p
    return best


def _place(parent: _Node, new: _Node, after: _Node | None, kind: str) -> None:
    if after is not None:
        i = parent.parts.index(after)
        parent.parts[i + 1 : i + 1] = ["\n", new]
        return
    for i, p in enumerate(parent.parts):
        if isinstance(p, _Node) and p.kind == kind:
            parent.parts[i:i] = [new, "\n"]
            return
    if parent.parts and isinstance(parent.parts[-1], str):
        parent.parts[-1] = parent.parts[-1].rstrip() + "\n"
    else:
        parent.parts.append("\n")
    parent.parts.append(new)


def _flex(phrase: str) -> re.Pattern[str]:
    """The phrase with any run of spaces or line breaks between its words, and optional ones
    after its punctuation (“,hồ sơ” finds ", hồ sơ")."""
    out = r"\s*" if phrase[:1].isspace() else ""
    for token in re.findall(r"\s+|[^\s]", phrase.strip()):
        if token.isspace():
            out += r"\s+"
        else:
            out += re.escape(token) + (r"\s*" if token in ",.;:()" else "")
    return re.compile(out.replace(r"\s*\s+", r"\s+"))


def _substitute(node: _Node, pairs: Sequence[tuple[str, str]], heading_only: bool) -> list[int]:
    """Replace words in every string of the subtree (or in the heading line only); returns
    how many times each old phrase was found."""
    counts = [0] * len(pairs)

    def sub(s: str) -> str:
        for i, (old, new) in enumerate(pairs):
            s, n = _flex(old).subn(new.replace("\\", "\\\\"), s)
            counts[i] += n
        return s

    if heading_only:
        head = node.parts[0] if node.parts and isinstance(node.parts[0], str) else ""
        cut = head.find("\n") if "\n" in head else len(head)
        if node.heading:
            m = _flex(node.heading).search(head)
            cut = m.end() if m else cut
        node.parts[0] = sub(head[:cut]) + head[cut:]
        node.heading = sub(node.heading) if node.heading else node.heading
        return counts
    stack = [node]
    while stack:
        n = stack.pop()
        n.parts = [sub(p) if isinstance(p, str) else p for p in n.parts]
        if n.heading:
            n.heading = sub(n.heading)
        stack += [p for p in n.parts if isinstance(p, _Node)]
    return counts


def _heading(node: _Node, op: Operation) -> str | None:
    new = op.new
    if new is None or not node.parts or not isinstance(node.parts[0], str):
        return "không tìm thấy tên mới của đơn vị trong nội dung sửa đổi"
    body = new.text
    body = body[body.find(".") + 1 :] if new.kind == "article" else body
    heading = " ".join(body.split()).rstrip(".;")
    head = node.parts[0]
    m = _flex(node.heading).search(head) if node.heading else None
    if m is None:
        return f"không tìm thấy tên hiện hành của {unit_phrase(node.id)}"
    node.parts[0] = head[: m.start()] + heading + head[m.end() :]
    node.heading = heading
    return None


def _intro(node: _Node, op: Operation) -> str | None:
    new = op.new
    if new is None or not node.parts or not isinstance(node.parts[0], str):
        return "không tìm thấy đoạn đầu mới trong nội dung sửa đổi"
    first = new.parts[0] if new.parts and isinstance(new.parts[0], str) else new.text
    old = node.parts[0]
    tail = old[len(old.rstrip()) :]
    node.parts[0] = first.rstrip() + (tail if tail else ("\n" if len(node.parts) > 1 else ""))
    return None


def _annex(root: _Node, op: Operation, change: Change, doc: Document) -> str | None:
    """Replace annexes of the base (after its last unit) by those attached to ``doc``."""
    if not op.annexes:
        return "không xác định được phụ lục bị thay thế"
    tail_i = max((i for i, p in enumerate(root.parts) if isinstance(p, str)), default=None)
    if tail_i is None:
        return "văn bản được sửa đổi không có phụ lục"
    last = root.parts[tail_i]
    assert isinstance(last, str)
    old_blocks = _appendix_blocks(last)
    new_start = max((u.span.end for u in doc.units), default=0)
    new_blocks = _appendix_blocks(doc.text[new_start:])
    missing = [a for a in op.annexes if a not in old_blocks or a not in new_blocks]
    if missing:
        return (
            f"không tìm thấy Phụ lục {missing[0]} trong văn bản được sửa đổi hoặc văn bản sửa đổi"
        )
    for a in sorted(op.annexes, key=lambda a: -old_blocks[a][0]):
        s, e = old_blocks[a]
        ns, ne = new_blocks[a]
        last = last[:s] + doc.text[new_start + ns : new_start + ne] + last[e:]
        old_blocks = _appendix_blocks(last)
    root.parts[tail_i] = last
    return None


def _appendix_blocks(text: str) -> dict[str, tuple[int, int]]:
    marks = [(m.start(), m[1].upper()) for m in _APPENDIX.finditer(text)]
    out: dict[str, tuple[int, int]] = {}
    for i, (start, name) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        out.setdefault(name, (start, end))
    return out


# --- rendering -----------------------------------------------------------------------------


def _render(root: _Node) -> tuple[str, list[Unit], list[tuple[str, tuple[Change, ...]]]]:
    out: list[str] = []
    length = 0
    units: list[Unit] = []
    provenance: list[tuple[str, tuple[Change, ...]]] = []

    def write(s: str) -> None:
        nonlocal length
        out.append(s)
        length += len(s)

    def emit(node: _Node, parent: str | None) -> None:
        start = length
        slot = len(units)
        units.append(
            Unit(node.id, node.kind, node.number, node.label, node.heading, parent, Span(0, 0))
        )
        if node.changes:
            provenance.append((node.id, tuple(node.changes)))
        if node.repealed:
            label = (
                f"{node.label}." if node.kind in ("article", "chapter", "section") else node.label
            )
            write(f"{label} {REPEALED}")
        else:
            for p in node.parts:
                if isinstance(p, str):
                    write(p)
                else:
                    emit(p, node.id)
        units[slot] = replace(units[slot], span=Span(start, trimmed_end(start)))

    def trimmed_end(start: int) -> int:
        end = length
        for piece in reversed(out):
            stripped = piece.rstrip(" \t\n")
            end -= len(piece) - len(stripped)
            if stripped or end <= start:
                break
        return max(end, start)

    for p in root.parts:
        if isinstance(p, str):
            write(p)
        else:
            emit(p, None)
    return "".join(out), units, provenance
