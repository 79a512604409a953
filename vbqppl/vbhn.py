"""A consolidation rendered as an official văn bản hợp nhất reads: text, or DOCX bytes.

The preamble names the base document and every amending document with its effective date; each
changed unit carries a footnote marker after its label (clauses, points) or its heading line
(articles, chapters), and the footnotes say what changed it, as the official ones do: "Khoản này
được sửa đổi, bổ sung theo quy định tại khoản 2 Điều 1 của Quyết định số 16/2025/QĐ-UBND ngày 05
tháng 5 năm 2025 của Ủy ban nhân dân tỉnh Hòa Lâm, có hiệu lực kể từ ngày 20 tháng 5 năm 2025."

Pure: :func:`render_text` returns a string and :func:`render_docx` returns the bytes of a .docx
file (footnotes as a numbered "Chú thích" list at the end, superscript markers in the text: real
Word footnotes need a footnotes part python-docx does not write).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from vbqppl.amend import unit_phrase
from vbqppl.consolidate import Amending, Change, Consolidated

_SUBJECT = {
    "part": "Phần này",
    "chapter": "Chương này",
    "section": "Mục này",
    "subsection": "Tiểu mục này",
    "article": "Điều này",
    "clause": "Khoản này",
    "point": "Điểm này",
    "attachment": "Văn bản này",
}
_VERB = {
    "amended": "được sửa đổi, bổ sung",
    "inserted": "được bổ sung",
    "repealed": "được bãi bỏ",
    "intro": "được sửa đổi, bổ sung",
    "heading": "được sửa đổi, bổ sung",
}


@dataclass(frozen=True, slots=True)
class Layout:
    """What both renderings show: preamble lines, the body with its marker positions, notes."""

    preamble: tuple[str, ...]
    body: str
    markers: tuple[tuple[int, int], ...]  # (offset in body, footnote number)
    footnotes: tuple[str, ...]
    notes: tuple[str, ...]  # pending and not-applied instructions


def date_vn(iso: str | None) -> str:
    """ "2025-05-20" -> "ngày 20 tháng 5 năm 2025" (days as two digits, months 1 and 2 too)."""
    if not iso or len(iso) != 10:
        return iso or ""
    y, m, d = iso.split("-")
    month = m if int(m) < 3 else str(int(m))
    return f"ngày {d} tháng {month} năm {y}"


def describe(doc: Amending) -> str:
    """ "Quyết định số 16/2025/QĐ-UBND ngày 05 tháng 5 năm 2025 của Ủy ban nhân dân tỉnh ..." """
    out = f"{doc.type or 'Văn bản'} số {doc.number}"
    if doc.issued:
        out += f" {date_vn(doc.issued)}"
    if doc.issuer:
        out += f" của {doc.issuer}"
    return out


def footnote(kind: str, changes: tuple[Change, ...], docs: dict[str, Amending]) -> str:
    """The footnote of a unit of ``kind`` changed by ``changes``."""
    subject = _SUBJECT.get(kind, "Nội dung này")
    sentences = []
    for ch in changes:
        source = docs.get(ch.document)
        where = describe(source) if source else f"văn bản số {ch.document}"
        if ch.source_unit:
            where = f"{unit_phrase(ch.source_unit)} của {where}"
        tail = f" theo quy định tại {where}"
        if ch.effective:
            tail += f", có hiệu lực kể từ {date_vn(ch.effective)}"
        if ch.action == "words" and ch.detail:
            what = ch.detail[:1].upper() + ch.detail[1:]
            what = what.replace("được thay bằng", "được thay thế bằng")
            sentences.append(f"{what} tại {_lower(subject)}{tail}.")
        elif ch.action == "heading":
            sentences.append(f"Tên {_lower(subject)} {_VERB['heading']}{tail}.")
        elif ch.action == "intro":
            sentences.append(f"Đoạn đầu {_lower(subject)} {_VERB['intro']}{tail}.")
        elif ch.action in _VERB:
            sentences.append(f"{subject} {_VERB[ch.action]}{tail}.")
        else:
            what = ch.detail or ch.action
            sentences.append(f"{what[:1].upper()}{what[1:]}{tail}.")
    return " ".join(sentences)


def _lower(subject: str) -> str:
    return subject if subject.startswith("Điều") else subject[:1].lower() + subject[1:]


def layout(c: Consolidated) -> Layout:
    doc = c.document
    docs = {a.number: a for a in (c.base, *c.amending)}
    text = doc.text
    first = doc.units[0].span.start if doc.units else 0
    basis = text.find("\nCăn cứ", 0, first)
    start = basis + 1 if basis != -1 else first
    body = text[start:]
    changed = dict(c.provenance)
    places: list[tuple[int, str, tuple[Change, ...]]] = []
    for u in doc.units:
        if u.id not in changed or u.span.start < start:
            continue
        if u.kind in ("clause", "point") and text.startswith(u.label, u.span.start):
            pos = u.span.start + len(u.label)
        else:
            line_end = text.find("\n", u.span.start, u.span.end)
            pos = u.span.end if line_end == -1 else line_end
        places.append((pos - start, u.kind, changed[u.id]))
    places.sort(key=lambda p: p[0])
    markers = tuple((pos, i + 1) for i, (pos, _, _) in enumerate(places))
    notes = [footnote(kind, changes, docs) for _, kind, changes in places]
    preamble = list(_preamble(c))
    if c.document_changes:
        notes.append(footnote("attachment", c.document_changes, docs))
        preamble[-1] += f"[{len(notes)}]"
    return Layout(tuple(preamble), body, markers, tuple(notes), tuple(_notes(c)))


def _preamble(c: Consolidated) -> list[str]:
    base = c.base
    lines = ["VĂN BẢN HỢP NHẤT"]
    if c.at:
        lines.append(f"(nội dung có hiệu lực tại {date_vn(c.at)})")
    lines += ["", (base.type or "").upper(), base.title or "", ""]
    head = describe(base)
    if base.effective:
        head += f", có hiệu lực kể từ {date_vn(base.effective)}"
    if not c.amending:
        lines.append(head + ", chưa được sửa đổi, bổ sung.")
        return lines
    lines.append(head + ", được sửa đổi, bổ sung bởi:")
    for i, a in enumerate(c.amending, 1):
        end = "." if i == len(c.amending) else ";"
        eff = f", có hiệu lực kể từ {date_vn(a.effective)}" if a.effective else ""
        lines.append(f"{i}. {describe(a)}{eff}{end}")
    return lines


def _notes(c: Consolidated) -> list[str]:
    out = []
    if c.pending:
        out.append(f"Nội dung sửa đổi chưa có hiệu lực tại {date_vn(c.at)}:")
        for p in c.pending:
            what = unit_phrase(p.target) or "văn bản"
            out.append(
                f"- {what}: {p.change.instruction} ({p.change.document}, "
                f"có hiệu lực kể từ {date_vn(p.change.effective)})"
            )
    if c.not_applied:
        out.append("Không áp dụng được nội dung sửa đổi:")
        out += [f"- {n.message}" for n in c.not_applied]
    return out


def render_text(c: Consolidated) -> str:
    lay = layout(c)
    body = lay.body
    for pos, n in sorted(lay.markers, reverse=True):
        body = body[:pos] + f"[{n}]" + body[pos:]
    parts = ["\n".join(lay.preamble), body.rstrip()]
    if lay.footnotes:
        parts.append(
            "Chú thích:\n" + "\n".join(f"[{i}] {t}" for i, t in enumerate(lay.footnotes, 1))
        )
    if lay.notes:
        parts.append("\n".join(lay.notes))
    return "\n\n".join(parts) + "\n"


def render_docx(c: Consolidated) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    lay = layout(c)
    out = Docx()
    style = out.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for i, line in enumerate(lay.preamble):
        p = out.add_paragraph()
        head = i < 5 and not line.startswith("(")
        if i < 5:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = head and bool(line)
        if line.endswith("]") and "[" in line and i == len(lay.preamble) - 1:
            number = line[line.rindex("[") + 1 : -1]
            run.text = line[: line.rindex("[")]
            p.add_run(number).font.superscript = True
    marks = sorted(lay.markers)
    pos = 0
    k = 0
    for line in lay.body.split("\n"):
        end = pos + len(line)
        p = out.add_paragraph()
        cur = pos
        while k < len(marks) and marks[k][0] <= end:
            at, n = marks[k]
            p.add_run(lay.body[cur:at])
            p.add_run(str(n)).font.superscript = True
            cur = at
            k += 1
        p.add_run(lay.body[cur:end])
        pos = end + 1
    if lay.footnotes:
        out.add_paragraph().add_run("Chú thích").bold = True
        for i, t in enumerate(lay.footnotes, 1):
            p = out.add_paragraph()
            p.add_run(str(i)).font.superscript = True
            p.add_run(f" {t}")
    for line in lay.notes:
        out.add_paragraph(line)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
