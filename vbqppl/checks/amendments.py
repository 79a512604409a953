"""Amendment instructions that cannot be applied to the document they amend (the target unit is
not there, the old words are not found, two instructions collide): found when the view reads
the amended document in its wording in force (:mod:`vbqppl.inforce`). An error in an amending
document is itself worth a review, never a silent skip."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from vbqppl.amend import NotApplied
from vbqppl.checks.finding import LOW, Evidence, Finding
from vbqppl.checks.registry import check
from vbqppl.checks.view import CorpusView

_LINE_END = re.compile(r":[ \t]*\n|\n")


@check("amendment-not-applied", severity=LOW)
def amendment_not_applied(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Không áp dụng được nội dung sửa đổi, bổ sung vào văn bản được sửa đổi."""
    for doc_id, inf in view.in_force_texts.items():
        base = view.documents[doc_id]
        for n in inf.result.not_applied:
            source = inf.amending.get(n.document)
            if source is None:
                continue
            ev = _instruction_evidence(view, source, n)
            units = (view.ref(source, n.source_unit),) if n.source_unit else ()
            yield Finding(
                rule="amendment-not-applied",
                severity=LOW,
                documents=(view.name(source), view.name(doc_id)),
                units=units,
                evidence=(ev,),
                explanation=(
                    f"{n.message}. Văn bản được sửa đổi: {base.label}; nội dung này không có "
                    "trong văn bản hợp nhất."
                ),
                handling=(
                    "đối chiếu nội dung sửa đổi với văn bản được sửa đổi; nếu văn bản sửa đổi "
                    "có sai sót thì đính chính hoặc sửa đổi, bổ sung cho khớp"
                ),
            )


def _instruction_evidence(view: CorpusView, doc_id: int, n: NotApplied) -> Evidence:
    """The first line of the unit holding the instruction (up to "như sau:"), else the first
    words of the instruction where they are in the text, else the document's opening line."""
    text = view.stored_text(doc_id)
    rows = view.stored_units.get(doc_id) or view.units.get(doc_id, {})
    row = rows.get(n.source_unit) if n.source_unit else None
    if row is not None:
        start = row.start
        m = _LINE_END.search(text, start, row.end)
        end = m.start() + (1 if m[0].startswith(":") else 0) if m else row.end
    else:
        words = n.instruction.rstrip("…").split()[:8]
        m = re.search(r"\s+".join(re.escape(w) for w in words), text) if words else None
        start, end = (m.start(), m.end()) if m else (0, min(len(text), 120))
    return Evidence(view.name(doc_id), n.source_unit, start, end, text[start:end])
