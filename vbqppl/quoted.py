"""Quoted new text of an amendment: where it is, and the units it holds.

:func:`quoted_text` takes the new text that follows an instruction ("... như sau:"), quoted or
not; :func:`parse_fragments` splits it into the articles, clauses or points it quotes, each with
its children, as :class:`Fragment` values whose pieces concatenate back to the quoted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vbqppl.ids import point_index

UNIT_KINDS = ("article", "clause", "point")
LABEL = {
    "article": re.compile(
        r"(?:Điều|ĐIỀU)[ \t]+(?P<num>\d{1,3}[a-zđ]?)[ \t]*[.:][ \t]*(?P<rest>.*)$"
    ),
    "clause": re.compile(r"(?P<num>\d{1,3}[a-zđ]?)\.(?:[ \t]+(?P<rest>\S.*))?$"),
    "point": re.compile(r"(?P<num>[a-zđ]\d{0,2})\)[ \t]*(?P<rest>.*)$"),
}
_SENTENCE_END = tuple('.;:!?”"')


@dataclass(frozen=True, slots=True)
class Fragment:
    """A unit of quoted new text: its label and heading, and its text as pieces (strings and
    the fragments of its children, in order; their concatenation is the unit's text)."""

    kind: str
    number: str
    label: str
    heading: str | None
    parts: tuple[str | Fragment, ...]

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)


def _key(kind: str, number: str) -> tuple[int, str]:
    if kind == "point":
        idx = point_index(number[0])
        return (-1 if idx is None else idx, number[1:])
    m = re.match(r"(\d+)(.*)", number)
    return (int(m[1]), m[2]) if m else (0, number)


def sort_key(kind: str, number: str) -> tuple[int, str]:
    """Order of siblings: 8 < 8a < 8b < 9; d < d1 < đ."""
    return _key(kind, number)


def _in_sequence(prev: tuple[int, str] | None, cur: tuple[int, str]) -> bool:
    if prev is None:
        return cur[0] in (0, 1) and not cur[1]
    if not cur[1]:
        return cur[0] == prev[0] + 1
    return cur[0] == prev[0] and cur[1] > prev[1]


def parse_fragments(text: str, top: str) -> tuple[str, list[Fragment]]:
    """Split quoted new text into units of kind ``top`` (article, clause or point), each with
    its clauses and points. Returns the text before the first unit and the units."""
    kinds = UNIT_KINDS[UNIT_KINDS.index(top) :]
    level = {k: i for i, k in enumerate(kinds)}
    # open units: [kind, number, label, heading, start, children]
    stack: list[list[Any]] = []
    done: list[tuple[str, str, str, str | None, int, int, list[Any]]] = []
    last: dict[int, tuple[int, str] | None] = {}
    prev_line = ""
    prev_label = 99  # level of the label on the line before (99: not a label line)
    first_start: int | None = None

    def close_to(lv: int, at: int) -> None:
        while stack and level[stack[-1][0]] >= lv:
            kind, number, label, heading, start, children = stack.pop()
            end = at
            while end > start and text[end - 1] in " \t\n":
                end -= 1
            item = (kind, number, label, heading, start, end, children)
            (stack[-1][5] if stack else done).append(item)

    pos = 0
    for line in text.split("\n"):
        s = line.strip()
        ls = pos + len(line) - len(line.lstrip())
        pos += len(line) + 1
        accepted = None
        for kind in kinds:
            m = LABEL[kind].match(s)
            if m is None:
                continue
            lv = level[kind]
            if lv > 0 and not any(level[o[0]] < lv for o in stack):
                continue  # a clause or point needs its article or clause open
            key = _key(kind, m["num"])
            if key[0] < 0:
                continue
            prev = last.get(lv)
            ends = not prev_line or prev_line.endswith(_SENTENCE_END)
            # the quoted units themselves open in sequence; inside them, a label in sequence
            # also opens a unit after its parent's label line or as the first child ("1. Mã
            # số ...\na) ..."), else the line before must end a sentence ("... tại khoản\n2.
            # Điều 5" is a wrapped line)
            first_child = prev is None and key in ((0, ""), (1, ""))
            in_seq = _in_sequence(prev, key)
            if (
                (lv == 0 and (prev is None or in_seq))
                or ends
                or (in_seq and (prev_label < lv or first_child))
            ):
                accepted = (kind, m)
                break
        if accepted is not None:
            kind, m = accepted
            lv = level[kind]
            close_to(lv, ls)
            for deeper in range(lv + 1, len(kinds)):
                last[deeper] = None
            last[lv] = _key(kind, m["num"])
            heading = ((m["rest"] or "").strip() or None) if kind == "article" else None
            label = {"article": f"Điều {m['num']}", "clause": f"{m['num']}."}.get(
                kind, f"{m['num']})"
            )
            stack.append([kind, m["num"], label, heading, ls, []])
            if first_start is None:
                first_start = ls
        if s:
            prev_label = level[accepted[0]] if accepted is not None else 99
        prev_line = s or prev_line
    close_to(0, len(text))
    lead = text[: first_start if first_start is not None else len(text)].strip()
    return lead, [_assemble(text, item) for item in done]


def _assemble(text: str, item: tuple[str, str, str, str | None, int, int, list[Any]]) -> Fragment:
    kind, number, label, heading, start, end, children = item
    parts: list[str | Fragment] = []
    pos = start
    for child in children:
        parts.append(text[pos : child[4]])
        parts.append(_assemble(text, child))
        pos = child[5]
    parts.append(text[pos:end])
    if kind == "article" and heading is not None:
        heading = _article_heading(text[start:end], heading)
    return Fragment(kind, number, label, heading, tuple(p for p in parts if p != ""))


def _article_heading(unit_text: str, first: str) -> str:
    """The heading of a quoted article: its first line and the lines that continue it (they
    begin in lower case, as a heading wrapped by the page does)."""
    lines = unit_text.split("\n")[1:3]
    out = [first]
    for ln in lines:
        t = ln.strip()
        if not t or not t[0].islower() or out[-1].endswith((".", ";", ":")):
            break
        out.append(t)
    return " ".join(out)


def quoted_text(text: str, start: int, end: int) -> str | None:
    """The new text between ``start`` (after the instruction's colon) and ``end``: the bodies of
    the quotes there, or, when nothing is quoted, the text itself (unquoted new text)."""
    bodies: list[str] = []
    i = start
    while True:
        j = text.find("“", i, end)
        if j == -1:
            break
        depth, k = 0, j
        while k < end:
            c = text[k]
            if c == "“":
                depth += 1
            elif c == "”":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        bodies.append(text[j + 1 : k])
        i = k + 1
    if bodies:
        tail = text[i:end].lstrip(' \t\n.;,”"')
        if any(LABEL[k].match(tail.split("\n", 1)[0]) for k in UNIT_KINDS):
            bodies.append(tail.rstrip(' \t\n.;,”"'))  # an item the drafter left unquoted
        return "\n".join(bodies)
    rest = text[start:end].strip()
    if rest.startswith('"') and rest.count('"') >= 2:
        return rest[1 : rest.rindex('"')]
    return rest or None
