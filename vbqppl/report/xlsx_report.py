"""The mandated lists as an Excel workbook, one sheet each with the official columns: văn bản hết
hiệu lực toàn bộ; hết hiệu lực một phần; còn hiệu lực; cần sửa đổi, bổ sung, thay thế, bãi bỏ,
đình chỉ hoặc ban hành mới; plus the summary figures and every finding."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vbqppl.report.data import ReportData
from vbqppl.report.safe import set_text
from vbqppl.store.validity import vn_date as _vn_date


def vn_date(iso: str | None) -> str:
    """DD/MM/YYYY; blank (not \"?\") when the date is not known, for an officer to fill in."""
    return _vn_date(iso) if iso else ""


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

# sheet title, list title, columns (header, width)
EXPIRED = (
    "Hết hiệu lực toàn bộ",
    "DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT HẾT HIỆU LỰC TOÀN BỘ",
    [
        ("STT", 6),
        ("Tên loại văn bản", 14),
        ("Số, ký hiệu văn bản", 20),
        ("Ngày, tháng, năm ban hành văn bản", 14),
        ("Tên gọi của văn bản", 50),
        ("Lý do hết hiệu lực", 45),
        ("Ngày hết hiệu lực", 14),
    ],
)
PARTLY = (
    "Hết hiệu lực một phần",
    "DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT HẾT HIỆU LỰC MỘT PHẦN",
    [
        ("STT", 6),
        ("Tên loại văn bản", 14),
        ("Số, ký hiệu văn bản", 20),
        ("Ngày, tháng, năm ban hành văn bản", 14),
        ("Tên gọi của văn bản", 45),
        ("Nội dung, quy định hết hiệu lực", 35),
        ("Lý do hết hiệu lực", 45),
        ("Ngày hết hiệu lực", 14),
    ],
)
IN_FORCE = (
    "Còn hiệu lực",
    "DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT CÒN HIỆU LỰC",
    [
        ("STT", 6),
        ("Tên loại văn bản", 14),
        ("Số, ký hiệu văn bản", 20),
        ("Ngày, tháng, năm ban hành văn bản", 14),
        ("Tên gọi của văn bản", 55),
        ("Thời điểm có hiệu lực", 14),
        ("Ghi chú", 25),
    ],
)
TO_HANDLE = (
    "Cần sửa đổi, thay thế, bãi bỏ",
    "DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT CẦN SỬA ĐỔI, BỔ SUNG, THAY THẾ, BÃI BỎ, ĐÌNH CHỈ HOẶC BAN HÀNH MỚI",
    [
        ("STT", 6),
        ("Tên loại văn bản", 14),
        ("Số, ký hiệu văn bản", 20),
        ("Ngày, tháng, năm ban hành văn bản", 14),
        ("Tên gọi của văn bản", 40),
        ("Nội dung, quy định cần xử lý", 25),
        ("Kiến nghị (sửa đổi, bổ sung, thay thế, bãi bỏ, đình chỉ, ban hành mới)", 22),
        ("Lý do kiến nghị", 50),
        ("Cơ quan chủ trì soạn thảo", 20),
        ("Thời hạn xử lý", 12),
        ("Tình trạng xử lý", 14),
    ],
)
SHEETS = (EXPIRED, PARTLY, IN_FORCE, TO_HANDLE)


def _sheet(
    ws: Worksheet,
    title: str,
    subtitle: str,
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[object]],
) -> None:
    n = len(columns)
    for r, text, bold in ((1, title, True), (2, subtitle, False)):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        c = ws.cell(row=r, column=1)
        set_text(c, text)
        c.font = Font(name="Times New Roman", bold=bold, size=13 if bold else 12, italic=not bold)
        c.alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[1].height = 36
    for i, (head, width) in enumerate(columns, 1):
        c = ws.cell(row=4, column=i)
        set_text(c, head)
        c.font = Font(name="Times New Roman", bold=True, size=11)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = BOX
        ws.column_dimensions[get_column_letter(i)].width = width
    for r, row in enumerate(rows, 5):
        for i, value in enumerate(row, 1):
            c = ws.cell(row=r, column=i)
            set_text(c, value)
            c.font = Font(name="Times New Roman", size=11)
            c.alignment = WRAP
            c.border = BOX
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"


def list_rows(data: ReportData) -> dict[str, list[tuple[object, ...]]]:
    """The rows of each mandated list, in sheet order."""
    return {
        EXPIRED[0]: [
            (i, d.type, d.number, vn_date(d.issued), d.title, d.reason, vn_date(d.since))
            for i, d in enumerate(data.expired, 1)
        ],
        PARTLY[0]: [
            (
                i,
                d.type,
                d.number,
                vn_date(d.issued),
                d.title,
                d.provisions,
                d.reason,
                vn_date(d.since),
            )
            for i, d in enumerate(data.partly_expired, 1)
        ],
        IN_FORCE[0]: [
            (i, d.type, d.number, vn_date(d.issued), d.title, vn_date(d.start), "")
            for i, d in enumerate(data.in_force, 1)
        ],
        TO_HANDLE[0]: [
            (
                i,
                a.type,
                a.document,
                vn_date(a.issued),
                a.title,
                a.provision,
                a.recommendation,
                a.reason,
                a.drafting_body,
                a.deadline,
                a.status,
            )
            for i, a in enumerate(data.actions, 1)
        ],
    }


def write_xlsx(data: ReportData, path: Path) -> Path:
    wb = Workbook()
    ws0 = wb.active
    assert ws0 is not None
    wb.remove(ws0)
    rows = list_rows(data)
    subtitle = f"({data.scope.describe()})"
    for sheet, title, columns in SHEETS:
        _sheet(wb.create_sheet(sheet), title, subtitle, columns, rows[sheet])
    from vbqppl.report.docx_report import summary_rows

    _sheet(
        wb.create_sheet("Tổng hợp"),
        "TỔNG HỢP KẾT QUẢ RÀ SOÁT",
        subtitle,
        [("Nội dung", 70), ("Số lượng", 12)],
        summary_rows(data),
    )
    _sheet(
        wb.create_sheet("Phát hiện"),
        "CÁC VẤN ĐỀ PHÁT HIỆN",
        subtitle,
        [
            ("STT", 6),
            ("Mã phát hiện", 18),
            ("Loại vấn đề", 22),
            ("Mức độ", 10),
            ("Văn bản", 24),
            ("Quy định thứ nhất", 45),
            ("Quy định thứ hai", 45),
            ("Lý do", 50),
            ("Căn cứ pháp lý", 35),
            ("Đề xuất xử lý", 22),
            ("Tình trạng", 14),
        ],
        [
            (
                i,
                f.id,
                f.rule_name,
                f.severity,
                ", ".join(f.documents),
                f"{f.sides[0].where}: {f.sides[0].quote}" if f.sides else "",
                "\n".join(f"{s.where}: {s.quote}" for s in f.sides[1:]),
                f.explanation,
                f.basis,
                f.handling,
                f.status,
            )
            for i, f in enumerate(data.findings, 1)
        ],
    )
    wb.save(str(path))
    return path
