"""A readable outline of a parsed document, for a person (``vbqppl parse --format tree``)."""

from __future__ import annotations

from vbqppl.model import Document

_INDENT = {
    "attachment": 0,
    "part": 0,
    "chapter": 1,
    "section": 2,
    "subsection": 3,
    "article": 2,
    "clause": 3,
    "point": 4,
}


def outline(doc: Document, *, max_heading: int = 70) -> str:
    m = doc.metadata
    head = [
        f"{m.type or 'Văn bản'} {m.number or '(không số)'}"
        + (f" ngày {m.issued}" if m.issued else "")
        + (f" — {m.issuer}" if m.issuer else ""),
    ]
    if m.title:
        head.append(f"  {m.title}")
    if m.effective or m.effective_rule:
        head.append(f"  Hiệu lực: {m.effective or m.effective_rule}")
    lines = [*head, ""]
    for u in doc.units:
        text = u.heading or _first_words(doc.text[u.span.start : u.span.end], u.label)
        if len(text) > max_heading:
            text = text[: max_heading - 1] + "…"
        pad = "  " * _INDENT.get(u.kind, 0)
        lines.append(f"{pad}{u.label} {text}".rstrip() + f"  [{u.id}]")
    for d in doc.diagnostics:
        lines.append(f"! {d.code}: {d.message}")
    return "\n".join(lines)


def _first_words(body: str, label: str) -> str:
    first = body.split("\n", 1)[0].strip()
    if first.startswith(label):
        first = first[len(label) :].strip()
    return first
