"""The unit tree of a document being consolidated: built from a parsed document, edited by
amendment operations, rendered back to a text and its units.

Every node keeps its text as pieces (strings, and its children's nodes) whose concatenation is
the unit's text, so an untouched document renders to exactly its own text and every edit is
local: a replaced unit swaps one node, an inserted one adds a node and a line break beside its
elder sibling, a repealed one renders as its label and "(được bãi bỏ)".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from vbqppl.amend import Operation, unit_phrase
from vbqppl.ids import KIND_PREFIX
from vbqppl.model import Document, Span, Unit
from vbqppl.quoted import Fragment, sort_key

if TYPE_CHECKING:
    from vbqppl.consolidate import Change

REPEALED = "(được bãi bỏ)"
_APPENDIX = re.compile(
    r"(?m)^[ \t]*(?:PHỤ LỤC|Phụ lục)[ \t]+(?:SỐ[ \t]+|số[ \t]+)?([IVXL]+|\d{1,3}[a-zA-Z]?)\b"
)


@dataclass(eq=False, slots=True)
class Node:
    """A unit while it is being edited (mutable; the result is frozen into Units)."""

    id: str
    kind: str
    number: str
    label: str
    heading: str | None
    parts: list[str | Node]
    repealed: bool = False
    changes: list[Change] = field(default_factory=list)


def build_tree(doc: Document) -> Node:
    text = doc.text
    ids = {u.id for u in doc.units}
    children: dict[str | None, list[Unit]] = {}
    for u in doc.units:
        children.setdefault(u.parent if u.parent in ids else None, []).append(u)

    def build(node: Node, start: int, end: int) -> Node:
        pos = start
        for kid in sorted(children.get(node.id or None, []), key=lambda u: u.span.start):
            if kid.span.start < pos or kid.span.end > end:
                continue
            node.parts.append(text[pos : kid.span.start])
            child = Node(kid.id, kid.kind, kid.number, kid.label, kid.heading, [])
            node.parts.append(build(child, kid.span.start, kid.span.end))
            pos = kid.span.end
        node.parts.append(text[pos:end])
        node.parts = [p for p in node.parts if p != ""]
        return node

    return build(Node("", "document", "", "", None, []), 0, len(text))


def index_tree(root: Node) -> dict[str, tuple[Node, Node]]:
    """Every unit id -> (node, parent node)."""
    out: dict[str, tuple[Node, Node]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for p in node.parts:
            if isinstance(p, Node):
                out[p.id] = (p, node)
                stack.append(p)
    return out


def _from_fragment(frag: Fragment, uid: str) -> Node:
    parts: list[str | Node] = []
    for p in frag.parts:
        if isinstance(p, str):
            parts.append(p)
        else:
            step = f"{KIND_PREFIX[p.kind]}_{p.number}"
            parts.append(_from_fragment(p, f"{uid}__{step}"))
    return Node(uid, frag.kind, frag.number, frag.label, frag.heading, parts)


def _new_node(op: Operation, uid: str) -> Node | None:
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
        return Node(uid, kind, number, label, None, [f"{label}{sep}{op.lead}"])
    return None


def _kind_of(uid: str) -> str:
    prefix = uid.rsplit("__", 1)[-1].partition("_")[0]
    return {v: k for k, v in KIND_PREFIX.items()}.get(prefix, "")


def apply(
    root: Node, index: dict[str, tuple[Node, Node]], op: Operation, change: Change, doc: Document
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
    index: dict[str, tuple[Node, Node]], uid: str, op: Operation, change: Change
) -> tuple[str | None, str | None]:
    node, parent = index[uid]
    new = _new_node(op, uid)
    if new is None:
        return f"nội dung mới không phải là {unit_phrase(uid).split(' ')[0]}", None
    new.changes = [*node.changes, change]
    parent.parts[parent.parts.index(node)] = new
    return None, uid


def _insert(
    root: Node, index: dict[str, tuple[Node, Node]], op: Operation, change: Change
) -> tuple[str | None, str | None]:
    for uid in op.targets:
        if uid is None or uid in index:
            continue
        kind = _kind_of(uid)
        number = uid.rsplit("__", 1)[-1].partition("_")[2]
        before: Node | None = None
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
                    if isinstance(p, Node) and p.kind == kind and p.number == op.anchor[1]
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
    root: Node, index: dict[str, tuple[Node, Node]], uid: str, number: str
) -> tuple[Node | None, Node | None]:
    """An inserted article goes after the last article of its region numbered before it."""
    prefix = uid.rpartition("__")[0]
    best: tuple[tuple[int, str], Node, Node] | None = None
    for other, (node, parent) in index.items():
        if node.kind != "article" or other.rpartition("__")[0] != prefix:
            continue
        key = sort_key("article", node.number)
        if key < sort_key("article", number) and (best is None or key > best[0]):
            best = (key, node, parent)
    if best is None:
        return None, None
    return best[2], best[1]


def _sibling_before(parent: Node, kind: str, number: str) -> Node | None:
    best: Node | None = None
    for p in parent.parts:
        if (
            isinstance(p, Node)
            and p.kind == kind
            and sort_key(kind, p.number) < sort_key(kind, number)
        ):
            best = p
    return best


def _place(parent: Node, new: Node, after: Node | None, kind: str) -> None:
    if after is not None:
        i = parent.parts.index(after)
        parent.parts[i + 1 : i + 1] = ["\n", new]
        return
    for i, p in enumerate(parent.parts):
        if isinstance(p, Node) and p.kind == kind:
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


def _substitute(node: Node, pairs: Sequence[tuple[str, str]], heading_only: bool) -> list[int]:
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
        stack += [p for p in n.parts if isinstance(p, Node)]
    return counts


def _heading(node: Node, op: Operation) -> str | None:
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


def _intro(node: Node, op: Operation) -> str | None:
    new = op.new
    if new is None or not node.parts or not isinstance(node.parts[0], str):
        return "không tìm thấy đoạn đầu mới trong nội dung sửa đổi"
    first = new.parts[0] if new.parts and isinstance(new.parts[0], str) else new.text
    old = node.parts[0]
    tail = old[len(old.rstrip()) :]
    node.parts[0] = first.rstrip() + (tail if tail else ("\n" if len(node.parts) > 1 else ""))
    return None


def _annex(root: Node, op: Operation, change: Change, doc: Document) -> str | None:
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
    for blocks, where in ((old_blocks, "được sửa đổi"), (new_blocks, "sửa đổi")):
        missing = [a for a in op.annexes if a not in blocks]
        if missing:
            return f"không tìm thấy Phụ lục {missing[0]} sau phần điều khoản của văn bản {where}"
    for a in sorted(op.annexes, key=lambda a: -old_blocks[a][0]):
        s, e = old_blocks[a]
        ns, ne = new_blocks[a]
        block = last[s:e]
        fresh = doc.text[new_start + ns : new_start + ne].rstrip()
        last = last[:s] + fresh + block[len(block.rstrip()) :] + last[e:]
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


def render(root: Node) -> tuple[str, list[Unit], list[tuple[str, tuple[Change, ...]]]]:
    out: list[str] = []
    length = 0
    units: list[Unit] = []
    provenance: list[tuple[str, tuple[Change, ...]]] = []

    def write(s: str) -> None:
        nonlocal length
        out.append(s)
        length += len(s)

    def emit(node: Node, parent: str | None) -> None:
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
