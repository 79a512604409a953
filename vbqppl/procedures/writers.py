"""The draft TTHC publication list as Word and Excel, in the shape of the annex to a quyết định
công bố: Phần I. Danh mục thủ tục hành chính; A. mới ban hành, B. được sửa đổi, bổ sung hoặc
thay thế, C. bị bãi bỏ; within each part, one group per level (cấp thực hiện)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from vbqppl.procedures.publish import ABOLISHED, CHANGED, NEW, SECTIONS, Publication, PublicationRow
from vbqppl.report import docx_base as w
from vbqppl.report.safe import safe_filename, set_text

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
NOT_REGISTERED = "(chưa có trong danh mục TTHC: cần xác định mã, cấp, cơ quan thực hiện)"

COLUMNS = {
    NEW: (
        "STT",
        "Mã TTHC",
        "Tên thủ tục hành chính",
        "Lĩnh vực",
        "Cơ quan thực hiện",
        "Thời hạn giải quyết",
        "Phí, lệ phí",
        "Căn cứ pháp lý",
    ),
    CHANGED: (
        "STT",
        "Mã TTHC",
        "Tên thủ tục hành chính",
        "Tên VBQPPL quy định nội dung sửa đổi, bổ sung, thay thế",
        "Lĩnh vực",
        "Cơ quan thực hiện",
        "Nội dung thay đổi",
    ),
    ABOLISHED: (
        "STT",
        "Mã TTHC",
        "Tên thủ tục hành chính",
        "Tên VBQPPL quy định việc bãi bỏ thủ tục hành chính",
        "Lĩnh vực",
        "Cơ quan thực hiện",
    ),
}


def row_values(section: str, i: int, r: PublicationRow) -> tuple[object, ...]:
    p = r.procedure
    name = p.name if r.registered else f"{p.name} {NOT_REGISTERED}"
    if section == NEW:
        return (
            i,
            p.code_or_blank,
            name,
            p.field or "",
            p.agency or "",
            p.time_limit or "",
            p.fees or "",
            r.provisions,
        )
    if section == CHANGED:
        return (i, p.code_or_blank, name, r.provisions, p.field or "", p.agency or "", r.change)
    return (i, p.code_or_blank, name, r.provisions, p.field or "", p.agency or "")


def base_name(pub: Publication) -> str:
    d = pub.document
    # another stored document has its number (DocRecord.name): its id tells the files apart
    apart = f"-{d.id}" if d.alias is not None else ""
    return "cong-bo-tthc-" + safe_filename(d.number or f"van-ban-{d.id}") + apart


def title_lines(pub: Publication) -> tuple[str, str]:
    d = pub.document
    when = f" ngày {d.issued[8:10]}/{d.issued[5:7]}/{d.issued[:4]}" if d.issued else ""
    return (
        "DANH MỤC THỦ TỤC HÀNH CHÍNH",
        f"(Dự thảo, theo {d.label}{when} của {d.issuer or 'cơ quan ban hành'})",
    )


# column widths (cm) of each part's table on a landscape A4 page (24.7 cm between margins)
WIDTHS = {
    NEW: (1.2, 2.2, 6.0, 3.0, 3.5, 2.8, 2.2, 3.8),
    CHANGED: (1.2, 2.2, 6.0, 6.0, 3.0, 3.8, 2.5),
    ABOLISHED: (1.2, 2.2, 7.0, 7.3, 3.0, 4.0),
}


def write_docx(pub: Publication, path: Path, when: str | None = None) -> Path:
    doc = w.document(landscape=True)
    agency = [pub.document.issuer or "Cơ quan công bố"]
    w.national_header(
        doc, agency, "Số:        /QĐ-...", pub.place, when or date.today().isoformat()
    )
    w.title(doc, "PHỤ LỤC", *title_lines(pub))
    w.heading(doc, "PHẦN I. DANH MỤC THỦ TỤC HÀNH CHÍNH")
    for key in (NEW, CHANGED, ABOLISHED):
        w.heading(doc, f"{key}. {SECTIONS[key].upper()}")
        groups = pub.by_level(key)
        if not groups:
            w.para(doc, "Không có.", italic=True)
            continue
        for n, (level, rows) in enumerate(groups.items()):
            w.heading(
                doc, f"{ROMAN[n] if n < len(ROMAN) else n + 1}. Thủ tục hành chính {level.lower()}"
            )
            w.grid(
                doc,
                COLUMNS[key],
                [row_values(key, i, r) for i, r in enumerate(rows, 1)],
                widths=WIDTHS[key],
                size=10,
            )
    doc.save(str(path))
    return path


def write_xlsx(pub: Publication, path: Path) -> Path:
    wb = Workbook()
    ws0 = wb.active
    assert ws0 is not None
    wb.remove(ws0)
    head, sub = title_lines(pub)
    for key in (NEW, CHANGED, ABOLISHED):
        ws = wb.create_sheet(
            f"{key}. " + {"A": "Mới ban hành", "B": "Sửa đổi, thay thế", "C": "Bãi bỏ"}[key]
        )
        cols = COLUMNS[key]
        for line, text in ((1, head), (2, sub), (3, f"{key}. {SECTIONS[key].upper()}")):
            ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=len(cols))
            set_text(ws.cell(row=line, column=1), text)
            ws.cell(row=line, column=1).font = Font(
                name="Times New Roman", bold=line != 2, italic=line == 2
            )
            ws.cell(row=line, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
        for i, c in enumerate(cols, 1):
            set_text(ws.cell(row=5, column=i), c)
            ws.cell(row=5, column=i).font = Font(name="Times New Roman", bold=True)
            ws.cell(row=5, column=i).alignment = Alignment(wrap_text=True, horizontal="center")
            ws.column_dimensions[chr(64 + i)].width = 6 if i == 1 else 12 if i == 2 else 34
        row = 6
        for n, (level, rows) in enumerate(pub.by_level(key).items()):
            set_text(ws.cell(row=row, column=1), ROMAN[n] if n < len(ROMAN) else str(n + 1))
            set_text(ws.cell(row=row, column=2), f"Thủ tục hành chính {level.lower()}")
            ws.cell(row=row, column=2).font = Font(name="Times New Roman", bold=True)
            row += 1
            for i, r in enumerate(rows, 1):
                for col, value in enumerate(row_values(key, i, r), 1):
                    set_text(ws.cell(row=row, column=col), value)
                    ws.cell(row=row, column=col).alignment = Alignment(
                        wrap_text=True, vertical="top"
                    )
                row += 1
    wb.save(str(path))
    return path


def write_publication(pub: Publication, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    name = base_name(pub)
    return {
        "docx": write_docx(pub, out / f"{name}.docx"),
        "xlsx": write_xlsx(pub, out / f"{name}.xlsx"),
    }
