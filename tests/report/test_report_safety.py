"""Untrusted document text in the outputs: HTML shows it as text, never markup; spreadsheet
cells never hold formulas; output file names carry no path."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from vbqppl.checks.finding import MEDIUM, Evidence, Finding
from vbqppl.report import Scope, collect, write_reports
from vbqppl.report.html_report import render_html
from vbqppl.report.safe import looks_like_formula, safe_filename, set_text
from vbqppl.store.db import opened
from vbqppl.store.findings import save_findings
from vbqppl.store.ingest import ingest

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'

HOSTILE = f"""ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 77/2025/QĐ-UBND

Hòa Lâm, ngày 10 tháng 3 năm 2025

QUYẾT ĐỊNH
Quy định về thử nghiệm {SCRIPT} trên địa bàn tỉnh Hòa Lâm

ỦY BAN NHÂN DÂN TỈNH HÒA LÂM

QUYẾT ĐỊNH:

Điều 1. Phạm vi điều chỉnh
1. Quyết định này quy định {IMG} và {SCRIPT} trong hồ sơ.
2. =HYPERLINK("http://x.invalid","bấm vào đây") là nội dung của khoản này.

Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực thi hành kể từ ngày 25 tháng 3 năm 2025./.
"""


@pytest.fixture
def hostile_report(tmp_path: Path) -> tuple[str, Path]:
    folder = tmp_path / "vb"
    folder.mkdir()
    (folder / "qd-77.txt").write_text(HOSTILE, encoding="utf-8")
    db = str(tmp_path / "kho.db")
    with opened(db) as store:
        ingest(store, [folder], jobs=1)
        with store.read() as conn:
            text = conn.exec_driver_sql("select text from documents").scalar()
        quotes = []
        for needle in (IMG, '=HYPERLINK("http://x.invalid","bấm vào đây")'):
            start = text.index(needle)
            quotes.append(Evidence("77/2025/QĐ-UBND", "art_1", start, start + len(needle), needle))
        finding = Finding(
            rule="overlap",
            severity=MEDIUM,
            documents=("77/2025/QĐ-UBND",),
            units=("77/2025/QĐ-UBND#art_1",),
            evidence=tuple(quotes),
            explanation=f'=HYPERLINK("http://x.invalid","bấm") giải thích có {SCRIPT} và {IMG}',
            handling="sửa đổi, bổ sung",
        )
        with store.begin() as conn:
            save_findings(conn, [finding])
        with store.read() as conn:
            data = collect(conn, Scope(at="2025-06-01"))
    paths = write_reports(data, tmp_path / "out")
    return render_html(data), paths["xlsx"]


def test_document_text_in_html_is_text_not_markup(hostile_report: tuple[str, Path]) -> None:
    html, _ = hostile_report
    assert html.count("<script") == 1  # the report's own filter script, nothing else
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "onerror=alert(2)>" not in html


def test_document_text_in_xlsx_is_never_a_formula(hostile_report: tuple[str, Path]) -> None:
    _, xlsx = hostile_report
    with zipfile.ZipFile(xlsx) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in z.read(name), name
    wb = load_workbook(xlsx)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    hits = [c for c in cells if c.value.startswith("=HYPERLINK")]
    assert hits and all(c.data_type == "s" for c in hits)


@pytest.mark.parametrize(
    "value", ["=1+1", "+SUM(A1:A3)", "-2+3", "@cmd", "\t=1", "\r=1", '=HYPERLINK("x")']
)
def test_set_text_keeps_formula_like_text_as_text(tmp_path: Path, value: str) -> None:
    assert looks_like_formula(value)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    set_text(ws["A1"], value)
    set_text(ws["A2"], 7)
    set_text(ws["A3"], "Thủ tục\x01 hành chính")
    path = tmp_path / "t.xlsx"
    wb.save(path)
    back = load_workbook(path).active
    assert back is not None
    assert back["A1"].value == value and back["A1"].data_type == "s"
    assert back["A2"].value == 7
    assert back["A3"].value == "Thủ tục hành chính"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("12/2024/QĐ-UBND", "12-2024-QD-UBND"),
        ("../../etc/passwd", "etc-passwd"),
        ("a\\b c", "a-b-c"),
        ("...", "van-ban"),
        ("Nghị quyết 05/2023/NQ-HĐND", "Nghi-quyet-05-2023-NQ-HDND"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected
    assert "/" not in safe_filename(name) and not safe_filename(name).startswith(".")
