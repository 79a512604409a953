"""Unit ids as a reader says them: ``att_1__art_10__para_1__point_c`` → "điểm c khoản 1 Điều 10
văn bản kèm theo"."""

from __future__ import annotations

from vbqppl.ids import UnitId

_NAMES = {
    "part": "Phần",
    "chapter": "Chương",
    "section": "Mục",
    "subsection": "Tiểu mục",
    "article": "Điều",
    "clause": "khoản",
    "point": "điểm",
}


def describe_unit(unit_id: str | None) -> str:
    """Smallest unit first, as Vietnamese texts cite them; an unknown id comes back as it is."""
    if not unit_id:
        return "toàn văn"
    try:
        uid = UnitId.parse(unit_id)
    except ValueError:
        return unit_id
    words: list[str] = []
    attachment = None
    for kind, number in uid.steps:
        if kind == "attachment":
            attachment = number
        else:
            words.append(f"{_NAMES[kind]} {number}")
    out = " ".join(reversed(words))
    if attachment is not None:
        tail = "văn bản kèm theo" + ("" if attachment == "1" else f" số {attachment}")
        out = f"{out} {tail}" if out else tail
    return out
