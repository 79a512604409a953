"""The look of an official Vietnamese document in Word (Nghị định 30/2020/NĐ-CP layout): A4,
Times New Roman, the two-column national header (agency left; Quốc hiệu and Tiêu ngữ right),
number and place-date line, centred bold title. Shared by the review report and the TTHC
publication list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from vbqppl.report.safe import cell_text

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"


def vn_long_date(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def document(landscape: bool = False) -> Document:
    doc = new_document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    return doc


def _line(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 13,
    first: bool = False,
) -> None:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(cell_text(text))
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)


def national_header(
    doc: Document, agency: Sequence[str], number_line: str, place: str, when: str
) -> None:
    """The header table: agency lines (the last one bold) and "Số: ..." on the left; Quốc hiệu,
    Tiêu ngữ and "<place>, ngày ... tháng ... năm ..." on the right."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, [6.5, 9.5])
    left, right = table.rows[0].cells
    lines = [a for a in agency if a] or ["CƠ QUAN BÁO CÁO"]
    for i, text in enumerate(lines):
        _line(
            left,
            text.upper(),
            bold=i == len(lines) - 1,
            size=12 if i < len(lines) - 1 else 13,
            first=i == 0,
        )
    _line(left, "_______", size=11)
    _line(left, number_line)
    _line(right, NATION, bold=True, size=12, first=True)
    _line(right, MOTTO, bold=True)
    _line(right, "_______________________", size=11)
    _line(right, f"{place + ', ' if place else ''}{vn_long_date(when)}", italic=True)
    doc.add_paragraph()


def set_widths(table: Table, widths: Sequence[float]) -> None:
    """Column widths in cm, for Word and LibreOffice alike (grid columns and every cell)."""
    table.autofit = False
    for col, w in zip(table.columns, widths, strict=False):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = Cm(w)


def title(doc: Document, *lines: str) -> None:
    for i, text in enumerate(lines):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0 if i < len(lines) - 1 else 12)
        run = p.add_run(cell_text(text))
        run.bold = True
        run.font.size = Pt(14 if i == 0 else 13)


def heading(doc: Document, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(8)
    run = p.add_run(cell_text(text))
    run.bold = True


def para(doc: Document, text: str, *, bold_lead: str | None = None, italic: bool = False) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Cm(1)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if bold_lead:
        p.add_run(cell_text(bold_lead)).bold = True
    p.add_run(cell_text(text)).italic = italic


def grid(
    doc: Document,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float] | None = None,
    size: int = 11,
) -> Table:
    """A bordered table with a bold header row."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(cell_text(text))
        run.bold = True
        run.font.size = Pt(size)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            run = cell.paragraphs[0].add_run(cell_text("" if value is None else str(value)))
            run.font.size = Pt(size)
    if widths:
        set_widths(table, widths)
    return table


def signature(doc: Document, role: str, note_lines: Sequence[str] = ()) -> None:
    """ "Nơi nhận" on the left, the signing role on the right (name left blank to sign)."""
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, [8, 8])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    r = p.add_run("Nơi nhận:")
    r.bold, r.italic = True, True
    r.font.size = Pt(12)
    for line in note_lines:
        q = left.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        q.add_run(cell_text(f"- {line};")).font.size = Pt(11)
    _line(right, role.upper(), bold=True, first=True)
    _line(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12)
