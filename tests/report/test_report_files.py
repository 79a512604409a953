"""The files `vbqppl run` writes, opened as a reader would (python-docx, openpyxl, json): the
national header, the official columns, Vietnamese text, and every figure equal to what the
database says (counted here with SQL and the validity module, not taken from the report)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.report.conftest import AT, DemoRun
from vbqppl.report import REPORT_FILES
from vbqppl.report.xlsx_report import EXPIRED, IN_FORCE, PARTLY, TO_HANDLE
from vbqppl.review.model import OPEN_STATUSES, STATUSES
from vbqppl.store import schema
from vbqppl.store.db import opened
from vbqppl.store.validity import Status, corpus_validity
from vbqppl_cli.app import app


def _db_facts(run: DemoRun) -> dict[str, object]:
    with opened(str(run.db), create=False) as store, store.read() as conn:
        docs, validity = corpus_validity(conn, AT)
        normative = {i for i, d in docs.items() if d.normative}
        statuses = Counter(validity[i].status for i in normative)
        by_status = {
            s: sorted(docs[i].number for i in normative if validity[i].status is s) for s in Status
        }
        f = schema.findings
        open_findings = conn.execute(
            select(func.count()).select_from(f).where(f.c.status == "open")
        ).scalar()
        per_rule = dict(
            conn.execute(
                select(f.c.rule, func.count()).where(f.c.status == "open").group_by(f.c.rule)
            ).all()
        )
        r = schema.review_items
        queue = dict(conn.execute(select(r.c.status, func.count()).group_by(r.c.status)).all())
        queue_open_other = conn.execute(
            select(func.count())
            .select_from(r)
            .where(r.c.finding_id.is_(None), r.c.status.in_(OPEN_STATUSES))
        ).scalar()
    return {
        "queue": queue,
        "queue_open_other": queue_open_other,
        "documents": len(normative),
        "statuses": statuses,
        "by_status": by_status,
        "findings": open_findings,
        "per_rule": per_rule,
    }


def test_run_writes_every_file_and_a_vietnamese_summary(demo_run: DemoRun) -> None:
    assert demo_run.exit_code == 0, demo_run.stdout
    for name in REPORT_FILES.values():
        assert (demo_run.out / name).stat().st_size > 0
    assert "Kết quả:" in demo_run.stdout and "Báo cáo đã ghi vào" in demo_run.stdout
    assert (
        "danh mục TTHC công bố theo Quyết định 52/2025/QĐ-UBND (A: 1, B: 1, C: 1)"
        in demo_run.stdout
    )


def test_docx_header_title_figures_and_findings(demo_run: DemoRun) -> None:
    facts = _db_facts(demo_run)
    doc = Document(str(demo_run.out / REPORT_FILES["docx"]))
    header = doc.tables[0]
    left, right = (c.text for c in header.rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "Hòa Lâm, ngày 28 tháng 11 năm 2026" in right
    assert "ỦY BAN NHÂN DÂN TỈNH HÒA LÂM" in left and "SỞ TƯ PHÁP" in left and "Số:" in left
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Kết quả rà soát văn bản quy phạm pháp luật" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Hòa Lâm; Bộ Tư pháp." in text
    figures = {r.cells[0].text.strip(): r.cells[1].text.strip() for r in doc.tables[1].rows[1:]}
    statuses = facts["statuses"]
    assert isinstance(statuses, Counter)
    assert figures["Số văn bản quy phạm pháp luật được rà soát"] == str(facts["documents"])
    assert figures["Văn bản còn hiệu lực"] == str(statuses[Status.IN_FORCE])
    assert figures["Văn bản hết hiệu lực toàn bộ"] == str(statuses[Status.EXPIRED])
    assert figures["Văn bản hết hiệu lực một phần"] == str(statuses[Status.PARTLY_EXPIRED])
    queue = facts["queue"]
    assert isinstance(queue, dict) and queue
    assert figures["Số mục trong hàng đợi rà soát"] == str(sum(queue.values()))
    for status in STATUSES:
        assert figures[status] == str(queue.get(status, 0)), status
    found = [k for k in figures if k.startswith("Số vấn đề phát hiện")]
    assert figures[found[0]] == str(facts["findings"])
    # each finding: a numbered heading, then the provisions side by side, reason, basis, handling
    assert text.count("Lý do: ") == facts["findings"]
    assert text.count("Căn cứ pháp lý: ") == facts["findings"]
    assert text.count("Đề xuất xử lý: ") == facts["findings"]
    side_tables = [t for t in doc.tables if len(t.columns) == 2 and "—" in t.rows[0].cells[0].text]
    pair = [t for t in side_tables if "31/2024/QĐ-UBND" in t.rows[0].cells[1].text]
    assert pair and "15 ngày làm việc" in pair[0].rows[1].cells[0].text
    assert "20 ngày làm việc" in pair[0].rows[1].cells[1].text


def _sheet_rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=5, values_only=True) if any(v is not None for v in r)]


def test_xlsx_lists_have_the_official_columns_and_the_stored_documents(demo_run: DemoRun) -> None:
    facts = _db_facts(demo_run)
    by_status = facts["by_status"]
    assert isinstance(by_status, dict)
    wb = load_workbook(demo_run.out / REPORT_FILES["xlsx"])
    for sheet, title, columns in (EXPIRED, PARTLY, IN_FORCE, TO_HANDLE):
        ws = wb[sheet]
        assert ws.cell(row=1, column=1).value == title
        assert [c.value for c in ws[4]] == [c for c, _ in columns]
    assert [c.value for c in wb[EXPIRED[0]][4]][:3] == [
        "STT",
        "Tên loại văn bản",
        "Số, ký hiệu văn bản",
    ]
    for sheet, status in (
        (EXPIRED[0], Status.EXPIRED),
        (PARTLY[0], Status.PARTLY_EXPIRED),
        (IN_FORCE[0], Status.IN_FORCE),
    ):
        rows = _sheet_rows(wb[sheet])
        assert sorted(r[2] for r in rows) == by_status[status], sheet
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    expired = {r[2]: r for r in _sheet_rows(wb[EXPIRED[0]])}
    assert "bị bãi bỏ bởi Quyết định 11/2025/QĐ-UBND" in expired["15/2020/QĐ-UBND"][5]
    assert expired["15/2020/QĐ-UBND"][6] == "24/03/2025"
    partly = {r[2]: r for r in _sheet_rows(wb[PARTLY[0]])}
    assert "khoản 2 Điều 6 văn bản kèm theo" in partly["12/2024/QĐ-UBND"][5]
    handle = _sheet_rows(wb[TO_HANDLE[0]])
    # one row per open finding, and one per open queue item of Điều 39 (a document acted on)
    assert facts["queue_open_other"]
    assert len(handle) == facts["findings"] + facts["queue_open_other"]  # type: ignore[operator]
    assert {r[6] for r in handle if r[2] == "12/2024/QĐ-UBND"} >= {
        "rà soát, đề xuất hình thức xử lý"
    }
    summary = {r[0]: r[1] for r in _sheet_rows(wb["Tổng hợp"])}
    assert summary["Số văn bản quy phạm pháp luật được rà soát"] == facts["documents"]


def test_json_has_the_same_figures(demo_run: DemoRun) -> None:
    facts = _db_facts(demo_run)
    data = json.loads((demo_run.out / REPORT_FILES["json"]).read_text(encoding="utf-8"))
    assert data["figures"]["documents"] == facts["documents"]
    assert data["figures"]["findings"] == facts["findings"] == len(data["findings"])
    per_rule = facts["per_rule"]
    assert isinstance(per_rule, dict)
    assert {k[5:]: v for k, v in data["figures"].items() if k.startswith("rule:")} == per_rule
    by_status = facts["by_status"]
    assert isinstance(by_status, dict)
    assert sorted(data["lists"]["expired"]) == by_status[Status.EXPIRED]


@pytest.mark.parametrize(
    ("fragment"),
    [
        "Mâu thuẫn (số liệu, thời hạn)",
        "Thủ tục hành chính có căn cứ pháp lý đã thay đổi",
        "<svg",
        'http-equiv="Content-Security-Policy"',
    ],
)
def test_html_has_the_content(demo_run: DemoRun, fragment: str) -> None:
    html = (demo_run.out / REPORT_FILES["html"]).read_text(encoding="utf-8")
    assert fragment in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["run", "khong-co-thu-muc", "--out", "{tmp}/out"], 2),
        (["report", "--out", "{tmp}/out", "--db", "{tmp}/chua-co.db"], 3),
        (["report", "--out", "{tmp}/out", "--db", "{tmp}/chua-co.db", "--from", "31/02/2025"], 1),
        (["procedures", "publish", "99/2099/QĐ-UBND", "--db", "{db}"], 1),
    ],
)
def test_bad_input_is_one_vietnamese_line(
    demo_run: DemoRun, tmp_path: Path, args: list[str], code: int
) -> None:
    argv = [a.format(tmp=tmp_path, db=demo_run.db) for a in args]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == code, result.output
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), result.stderr
    assert not (tmp_path / "chua-co.db").exists()


def test_a_scoped_report_keeps_to_its_documents(demo_run: DemoRun) -> None:
    from vbqppl.report import Scope, collect
    from vbqppl.report.review import collect_review

    with opened(str(demo_run.db), create=False) as store, store.read() as conn:
        review = collect_review(conn)
        data = collect(conn, Scope(at=AT, date_from="2025-01-01", issuer="Hòa Lâm"), review=review)
    numbers = {d.number for d in data.documents}
    assert numbers == {
        "06/2025/QĐ-UBND",
        "11/2025/QĐ-UBND",
        "16/2025/QĐ-UBND",
        "41/2025/QĐ-UBND",
        "52/2025/QĐ-UBND",
    }
    assert data.findings and all(numbers & set(f.documents) for f in data.findings)
    assert data.review is not None and data.review.items
    assert {i.document_number for i in data.review.items} <= numbers
    assert sum(n for _, n in data.review.counts) == len(data.review.items) < len(review.items)
