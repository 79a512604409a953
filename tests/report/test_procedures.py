"""The TTHC register (CSV and XLSX import), the draft publication lists of the demo corpus, and
the alerts on procedures whose legal basis ended; bad register files are one Vietnamese line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tests.report.conftest import CORPUS, DemoRun
from vbqppl.errors import ReadError
from vbqppl.procedures import BasisRef, basis_findings, publication, read_register
from vbqppl.procedures.publish import ABOLISHED, CHANGED, NEW
from vbqppl.procedures.writers import COLUMNS, base_name, write_publication
from vbqppl.store.db import opened
from vbqppl_cli.app import app

REGISTER = CORPUS / "thu-tuc-hanh-chinh.csv"


def test_register_csv_links_each_procedure_to_its_provisions() -> None:
    procs = {p.code: p for p in read_register(REGISTER)}
    assert sorted(procs) == ["HL.001", "HL.002", "HL.003", "HL.004", "HL.005"]
    assert procs["HL.001"].name.startswith("Hỗ trợ chi phí đào tạo trình độ sơ cấp, đào tạo")
    assert procs["HL.001"].level == "Cấp xã" and procs["HL.001"].time_limit == "15 ngày làm việc"
    assert {(b.number, b.unit) for b in procs["HL.001"].bases} == {
        ("05/2023/NQ-HĐND", "art_4"),
        ("12/2024/QĐ-UBND", "att_1__art_5"),
        ("12/2024/QĐ-UBND", "att_1__art_6"),
    }
    assert [(b.number, b.unit) for b in procs["HL.004"].bases] == [("17/2021/QĐ-UBND", "art_2")]


def test_register_xlsx_with_a_title_row(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH (xuất từ CSDL quốc gia)"])
    ws.append(
        [
            "STT",
            "Mã TTHC",
            "Tên TTHC",
            "Lĩnh vực",
            "Cấp thực hiện",
            "Cơ quan thực hiện",
            "Căn cứ pháp lý",
        ]
    )
    ws.append(
        [
            1,
            "1.001612",
            "Đăng ký khai sinh",
            "Hộ tịch",
            "Cấp xã",
            "UBND cấp xã",
            "Điều 16 Luật Hộ tịch số 60/2014/QH13",
        ]
    )
    path = tmp_path / "tthc.xlsx"
    wb.save(path)
    (p,) = read_register(path)
    assert (p.code, p.name, p.field, p.level) == (
        "1.001612",
        "Đăng ký khai sinh",
        "Hộ tịch",
        "Cấp xã",
    )
    assert p.bases == (BasisRef("Điều 16 Luật Hộ tịch số 60/2014/QH13", "60/2014/QH13", "art_16"),)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("khong-co-cot.csv", b"a,b,c\n1,2,3\n"),
        ("hong.xlsx", b"PK\x03\x04 not really a workbook"),
        ("sai-ma.csv", "Tên TTHC,Lĩnh vực\n".encode("utf-16")),
        ("tthc.pdf", b"%PDF-1.4"),
    ],
)
def test_bad_register_is_one_vietnamese_line(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError):
        read_register(path)
    result = CliRunner().invoke(
        app, ["procedures", "import", str(path), "--db", str(tmp_path / "k.db")]
    )
    assert result.exit_code == 2
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ") and "Traceback" not in result.output


def _codes(pub, section: str) -> list[str]:
    return [r.procedure.code or r.procedure.name for r in pub.section(section)]


def test_publication_lists_of_the_demo_corpus(demo_run: DemoRun) -> None:
    with opened(str(demo_run.db), create=False) as store, store.read() as conn:
        p52 = publication(conn, "52/2025/QĐ-UBND")
        p16 = publication(conn, "16/2025/QĐ-UBND")
        p27 = publication(conn, "27/2024/QĐ-UBND")
        p41 = publication(conn, "41/2025/QĐ-UBND")
        p33 = publication(conn, "33/2024/QĐ-UBND")
    # 52/2025 amends khoản 2 Điều 6 (HL.001), repeals Điều 7 and 8 (HL.002), and creates a
    # procedure in its own Điều 2 that the register does not have yet
    assert _codes(p52, CHANGED) == ["HL.001"]
    assert _codes(p52, ABOLISHED) == ["HL.002"]
    (new,) = p52.section(NEW)
    assert not new.registered and new.procedure.name.startswith("Thủ tục xác nhận người lao động")
    assert new.provisions == "Điều 2 Quyết định 52/2025/QĐ-UBND"
    assert sorted(_codes(p16, CHANGED)) == ["HL.001", "HL.002"] and not p16.section(ABOLISHED)
    (replaced,) = p27.section(CHANGED)
    assert replaced.procedure.code == "HL.003" and replaced.change == "thay thế"
    assert _codes(p41, ABOLISHED) == ["HL.004"]
    assert p33.rows == ()


def test_publication_files_have_the_official_shape(demo_run: DemoRun, tmp_path: Path) -> None:
    with opened(str(demo_run.db), create=False) as store, store.read() as conn:
        pub = publication(conn, "52/2025/QĐ-UBND")
    paths = write_publication(pub, tmp_path)
    assert paths["docx"].name == "cong-bo-tthc-52-2025-QD-UBND.docx"
    # a document another stored one shares the number with (named apart) adds its id
    apart = replace(pub, document=replace(pub.document, alias="52/2025/QĐ-UBND (#99)"))
    assert base_name(apart) == f"cong-bo-tthc-52-2025-QD-UBND-{pub.document.id}"
    doc = Document(str(paths["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "PHẦN I. DANH MỤC THỦ TỤC HÀNH CHÍNH" in text
    for title in (
        "A. DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH",
        "B. DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG HOẶC THAY THẾ",
        "C. DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ",
        "Thủ tục hành chính cấp xã",
        "Thủ tục hành chính cấp tỉnh",
    ):
        assert title in text, title
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.tables[0].rows[0].cells[1].text
    assert "Hòa Lâm, ngày" in doc.tables[0].rows[0].cells[1].text
    headers = [tuple(c.text for c in t.rows[0].cells) for t in doc.tables[1:]]
    assert headers == [COLUMNS[NEW], COLUMNS[CHANGED], COLUMNS[ABOLISHED]]
    wb = load_workbook(paths["xlsx"])
    assert wb.sheetnames == ["A. Mới ban hành", "B. Sửa đổi, thay thế", "C. Bãi bỏ"]
    c = wb["C. Bãi bỏ"]
    assert tuple(x.value for x in c[5]) == COLUMNS[ABOLISHED]
    assert [x.value for x in c[7]][:3] == [
        1,
        "HL.002",
        "Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng",
    ]


def test_alerts_for_procedures_whose_basis_ended(demo_run: DemoRun) -> None:
    with opened(str(demo_run.db), create=False) as store, store.read() as conn:
        found = {f.explanation.split("(mã ")[1][:6]: f for f in basis_findings(conn, "2026-11-28")}
        before = basis_findings(conn, "2024-06-01")
    assert sorted(found) == ["HL.001", "HL.002", "HL.003", "HL.004"]  # HL.005: basis in force
    assert (
        found["HL.003"].severity == "cao"
        and "bị thay thế bởi Quyết định 27/2024" in found["HL.003"].explanation
    )
    assert found["HL.001"].severity == "trung bình"
    assert all(e.quote for f in found.values() for e in f.evidence)
    assert before == []  # nothing had changed yet in June 2024


def test_every_file_run_writes_opens(demo_run: DemoRun) -> None:
    """Every DOCX and XLSX `vbqppl run` wrote opens, with the national header and Vietnamese
    text intact; one publication list per document that changes registered procedures."""
    docx_files = sorted(demo_run.out.rglob("*.docx"))
    xlsx_files = sorted(demo_run.out.rglob("*.xlsx"))
    names = {p.stem for p in docx_files}
    assert {
        f"cong-bo-tthc-{n}"
        for n in ("16-2025-QD-UBND", "27-2024-QD-UBND", "41-2025-QD-UBND", "52-2025-QD-UBND")
    } <= names
    for path in docx_files:
        doc = Document(str(path))
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.tables[0].rows[0].cells[1].text, path
        assert "Độc lập - Tự do - Hạnh phúc" in doc.tables[0].rows[0].cells[1].text, path
    for path in xlsx_files:
        wb = load_workbook(path)
        assert wb.sheetnames and all(ws.max_row >= 4 for ws in wb), path
        first = wb.worksheets[0].cell(row=1, column=1).value
        assert isinstance(first, str) and "DANH MỤC" in first, path
