"""The review report as a Word document: national header, title, summary figures, each finding
with the two provisions side by side, the reason, the legal basis and the recommended handling,
the review queue, and the mandated lists in short."""

from __future__ import annotations

from pathlib import Path

from docx.shared import Pt

from vbqppl.report import docx_base as w
from vbqppl.report.data import ReportData
from vbqppl.store.validity import vn_date

TITLE = "BÁO CÁO"
SUBTITLE = "Kết quả rà soát văn bản quy phạm pháp luật"


def agency_lines(data: ReportData) -> list[str]:
    return [data.agency, data.department]


def summary_rows(data: ReportData) -> list[tuple[str, int]]:
    f = data.figures
    rows = [
        ("Số văn bản quy phạm pháp luật được rà soát", f["documents"]),
        ("Văn bản còn hiệu lực", f["in_force"]),
        ("Văn bản hết hiệu lực toàn bộ", f["expired"]),
        ("Văn bản hết hiệu lực một phần", f["partly_expired"]),
        ("Văn bản chưa có hiệu lực", f["not_yet"]),
        ("Văn bản ngưng hiệu lực (toàn bộ hoặc một phần)", f["suspended"]),
        (
            "Số vấn đề phát hiện (chồng chéo, mâu thuẫn, trái pháp luật, hết hiệu lực ...)",
            f["findings"],
        ),
        ("   trong đó mức độ cao", f["severity:cao"]),
        ("   mức độ trung bình", f["severity:trung bình"]),
        ("   mức độ thấp", f["severity:thấp"]),
    ]
    if data.review is not None:
        rows.append(("Số mục trong hàng đợi rà soát", f.get("review_items", 0)))
        rows += [(f"   {status}", n) for status, n in data.review.counts]
    return rows


def write_docx(data: ReportData, path: Path) -> Path:
    doc = w.document()
    w.national_header(doc, agency_lines(data), "Số:        /BC-RSVB", data.place, data.scope.at)
    w.title(doc, TITLE, SUBTITLE, f"({data.scope.describe()})")
    p = doc.add_paragraph()
    p.add_run("Kính gửi: ").bold = True
    p.add_run("; ".join(data.recipients) + ".")
    w.heading(doc, "I. KẾT QUẢ RÀ SOÁT")
    w.para(
        doc,
        f"Đã rà soát {data.figures['documents']} văn bản quy phạm pháp luật; phát hiện "
        f"{data.figures['findings']} vấn đề cần xem xét xử lý. Số liệu cụ thể như sau:",
    )
    w.grid(doc, ["Nội dung", "Số lượng"], summary_rows(data), widths=[13, 3])
    w.heading(doc, "II. CÁC VẤN ĐỀ PHÁT HIỆN VÀ ĐỀ XUẤT XỬ LÝ")
    if not data.findings:
        w.para(doc, "Không phát hiện vấn đề nào.")
    for i, f in enumerate(data.findings, 1):
        w.heading(doc, f"{i}. {f.rule_name} (mức độ {f.severity}) — {', '.join(f.documents)}")
        sides = list(f.sides) or []
        if sides:
            table = w.grid(doc, [s.where for s in sides], [["" for _ in sides]], size=10)
            for cell, s in zip(table.rows[1].cells, sides, strict=True):
                par = cell.paragraphs[0]
                for text, bold in ((s.before, False), (s.quote, True), (s.after, False)):
                    if text:
                        run = par.add_run(w.cell_text(text))
                        run.bold = bold
                        run.font.size = Pt(10)
        w.para(doc, f.explanation, bold_lead="Lý do: ")
        w.para(doc, f.basis, bold_lead="Căn cứ pháp lý: ")
        w.para(doc, f.handling, bold_lead="Đề xuất xử lý: ")
        w.para(doc, f"{f.status} (mã phát hiện {f.id})", bold_lead="Tình trạng: ")
    w.heading(doc, "III. TÌNH HÌNH XỬ LÝ (HÀNG ĐỢI RÀ SOÁT)")
    if data.review is None:
        w.para(doc, "Chưa có hàng đợi rà soát: các vấn đề trên đều chưa được xử lý.", italic=True)
    else:
        w.grid(doc, ["Trạng thái", "Số mục"], list(data.review.counts), widths=[10, 3])
        if data.review.items:
            doc.add_paragraph()
            w.grid(
                doc,
                ["STT", "Văn bản", "Nội dung", "Trạng thái", "Thời hạn", "Người xử lý"],
                [
                    (i, it.document, it.summary, it.status, it.deadline, it.assignee)
                    for i, it in enumerate(data.review.items, 1)
                ],
                size=10,
            )
    w.heading(doc, "IV. DANH MỤC VĂN BẢN")
    w.para(
        doc,
        f"Danh mục văn bản hết hiệu lực toàn bộ ({len(data.expired)} văn bản), hết hiệu lực một "
        f"phần ({len(data.partly_expired)}), còn hiệu lực ({len(data.in_force)}) và cần sửa đổi, "
        f"bổ sung, thay thế, bãi bỏ, đình chỉ hoặc ban hành mới ({len(data.actions)} nội dung) "
        "kèm theo Báo cáo này (tệp Excel).",
    )
    for label, rows in (
        ("hết hiệu lực toàn bộ", data.expired),
        ("hết hiệu lực một phần", data.partly_expired),
    ):
        if rows:
            w.para(doc, f"Văn bản {label}:", italic=True)
            w.grid(
                doc,
                ["STT", "Số, ký hiệu", "Ngày ban hành", "Tên gọi", "Lý do", "Từ ngày"],
                [
                    (i, d.label, vn_date(d.issued), d.title, d.reason, vn_date(d.since))
                    for i, d in enumerate(rows, 1)
                ],
                size=10,
            )
    w.heading(doc, "V. ĐỀ XUẤT, KIẾN NGHỊ")
    w.para(
        doc,
        "Đề nghị các cơ quan chủ trì soạn thảo xem xét, xử lý các nội dung nêu tại Mục II theo "
        "hình thức đề xuất; báo cáo kết quả xử lý về cơ quan rà soát.",
    )
    doc.add_paragraph()
    w.signature(
        doc,
        "Giám đốc" if data.department == "Sở Tư pháp" else "Thủ trưởng đơn vị",
        ["Như trên", "Lưu: VT"],
    )
    for p in doc.paragraphs:
        for r in p.runs:
            if r.font.size is None:
                r.font.size = Pt(13)
    doc.save(str(path))
    return path
