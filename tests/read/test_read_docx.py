""".docx: Word numbering as a reader sees it, tables, notes apart, legacy fonts, headers out."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from vbqppl.read import read_bytes
from vbqppl.read.numbering import format_number

W = nsdecls("w")


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def add_numbering(document, abstract_id: int, levels: list[str], num_ids: dict[int, str]) -> None:
    """Add an abstractNum with ``levels`` and ``w:num`` instances {numId: overrides XML}."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{"".join(levels)}</w:abstractNum>'
    )
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    for num_id, overrides in num_ids.items():
        numbering.append(
            parse_xml(
                f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{overrides}</w:num>"
            )
        )


def numbered(document, text: str, num_id: int, ilvl: int):
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return p


def to_bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def read_docx(build: Callable) -> list[str]:
    document = Document()
    build(document)
    return read_bytes(to_bytes(document), name="test.docx").text.split("\n")


LEGAL_LEVELS = [
    _lvl(0, "decimal", "Điều %1."),
    _lvl(1, "decimal", "%2."),
    _lvl(2, "lowerLetter", "%3)"),
]


def test_word_automatic_numbering_renders_article_clause_point() -> None:
    def build(d) -> None:
        add_numbering(d, 10, LEGAL_LEVELS, {5: ""})
        numbered(d, "Phạm vi điều chỉnh", 5, 0)
        numbered(d, "Nghị định này quy định:", 5, 1)
        numbered(d, "việc thứ nhất;", 5, 2)
        numbered(d, "việc thứ hai.", 5, 2)
        numbered(d, "Khoản hai:", 5, 1)
        numbered(d, "điểm của khoản hai.", 5, 2)
        d.add_paragraph("Một đoạn không đánh số.")
        numbered(d, "Đối tượng áp dụng", 5, 0)
        numbered(d, "Khoản đầu của Điều 2.", 5, 1)

    assert read_docx(build) == [
        "Điều 1. Phạm vi điều chỉnh",
        "1. Nghị định này quy định:",
        "a) việc thứ nhất;",
        "b) việc thứ hai.",
        "2. Khoản hai:",
        "a) điểm của khoản hai.",
        "Một đoạn không đánh số.",
        "Điều 2. Đối tượng áp dụng",
        "1. Khoản đầu của Điều 2.",
    ]


def test_numbering_instances_share_their_list_and_start_override_restarts() -> None:
    def build(d) -> None:
        add_numbering(
            d,
            11,
            [
                _lvl(0, "upperRoman", "Chương %1"),
                _lvl(1, "decimal", "Mục %1.%2", extra="<w:isLgl/>"),
            ],
            {
                7: "",
                8: "",
                9: '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>',
            },
        )
        numbered(d, "A", 7, 0)
        numbered(d, "B", 7, 1)
        numbered(d, "C", 8, 0)  # another instance of the same list: continues
        numbered(d, "D", 9, 0)  # startOverride 5: restarts at V
        numbered(d, "E", 9, 0)
        numbered(d, "F", 9, 1)

    assert read_docx(build) == [
        "Chương I A",
        "Mục 1.1 B",
        "Chương II C",
        "Chương V D",
        "Chương VI E",
        "Mục 6.1 F",
    ]


def test_numbering_from_the_paragraph_style_bullets_and_suffix() -> None:
    def build(d) -> None:
        add_numbering(
            d,
            12,
            [_lvl(0, "bullet", "\uf0b7", extra='<w:suff w:val="space"/>'), _lvl(1, "bullet", "-")],
            {20: ""},
        )
        add_numbering(
            d, 13, [_lvl(0, "decimal", "%1", start=3, extra='<w:suff w:val="nothing"/>')], {21: ""}
        )
        style = d.styles.add_style("Diem", 1)  # WD_STYLE_TYPE.PARAGRAPH
        style.element.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:numId w:val="20"/></w:numPr>')
        )
        d.add_paragraph("theo kiểu đoạn", style="Diem")
        numbered(d, "gạch đầu dòng", 20, 1)
        numbered(d, "/QĐ", 21, 0)

    assert read_docx(build) == ["• theo kiểu đoạn", "- gạch đầu dòng", "3/QĐ"]


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "decimal", "1"),
        (7, "decimalZero", "07"),
        (12, "decimalZero", "12"),
        (1, "lowerLetter", "a"),
        (6, "lowerLetter", "f"),  # Word's letters, not the Vietnamese point sequence
        (26, "lowerLetter", "z"),
        (27, "lowerLetter", "aa"),
        (28, "upperLetter", "BB"),
        (4, "upperRoman", "IV"),
        (1994, "upperRoman", "MCMXCIV"),
        (9, "lowerRoman", "ix"),
        (3, "vietnameseCounting", "ba"),
        (15, "vietnameseCounting", "mười lăm"),
        (2, "none", ""),
        (5, "someFutureFormat", "5"),
    ],
)
def test_number_formats(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


def test_tcvn3_and_vni_runs_by_font() -> None:
    def build(d) -> None:
        p = d.add_paragraph()
        run = p.add_run("\xa7i\xd2u 1. Ph\xb9m vi \xaei\xd2u ch\xd8nh")
        run.font.name = ".VnTime"
        p.add_run(" (Unicode)")
        caps = d.add_paragraph().add_run("quy\xd5t \xae\xdenh")
        caps.font.name = ".VnTimeH"
        vni = d.add_paragraph().add_run("Ñieàu 2. Chöông")
        vni.font.name = "VNI-Times"
        # A run split in the middle of a VNI letter still converts as one piece.
        split = d.add_paragraph()
        for piece in ("Vie", "ät Nam"):
            split.add_run(piece).font.name = "VNI-Times"
        # Font from the paragraph style, not from the run.
        style = d.styles.add_style("CuTCVN", 1)
        style.font.name = ".VnTime"
        d.add_paragraph("H\xb5 N\xe9i", style="CuTCVN")
        d.add_paragraph("Không đổi: § © ½")

    raw_lines = read_docx(build)
    assert raw_lines == [
        "Điều 1. Phạm vi điều chỉnh (Unicode)",
        "QUYẾT ĐỊNH",
        "Điều 2. Chương",
        "Việt Nam",
        "Hà Nội",
        "Không đổi: § © ½",
    ]


def test_unicode_text_left_in_a_legacy_font_is_not_converted() -> None:
    d = Document()
    for text in ("Điều 1. Văn bản này có hiệu lực", "Hà Nội, ngày 5 tháng 3", "có"):
        d.add_paragraph().add_run(text).font.name = ".VnTime"
    raw = read_bytes(to_bytes(d), name="da-unicode.docx")
    assert raw.text == "Điều 1. Văn bản này có hiệu lực\nHà Nội, ngày 5 tháng 3\ncó"
    assert any("đã là Unicode" in n for n in raw.notes)


def test_legacy_note() -> None:
    d = Document()
    d.add_paragraph().add_run("\xa7i\xd2u 1").font.name = ".VnTime"
    raw = read_bytes(to_bytes(d), name="cu.docx")
    assert any("TCVN3" in n for n in raw.notes)


def test_table_rows_and_multi_paragraph_cells() -> None:
    def build(d) -> None:
        d.add_paragraph("Trước bảng")
        table = d.add_table(rows=3, cols=3)
        table.cell(0, 0).text = "QUỐC HỘI"
        cell = table.cell(0, 1)
        cell.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        cell.add_paragraph("Độc lập - Tự do - Hạnh phúc")
        table.cell(1, 0).text = "Luật số: 22/2023/QH15"
        table.cell(1, 2).text = "Hà Nội, ngày 23 tháng 6 năm 2023"
        table.cell(2, 0).merge(table.cell(2, 2)).text = "Hàng gộp"
        inner = table.cell(1, 1).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "lồng 1"
        inner.cell(0, 1).text = "lồng 2"
        d.add_paragraph("Sau bảng")

    assert read_docx(build) == [
        "Trước bảng",
        "QUỐC HỘI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Luật số: 22/2023/QH15 | lồng 1 | lồng 2 | Hà Nội, ngày 23 tháng 6 năm 2023",
        "Hàng gộp",
        "Sau bảng",
    ]


FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Điều này được sửa đổi bởi Luật số 57/2024/QH15.</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>Chú thích hai,</w:t></w:r></w:p><w:p><w:r><w:t>dòng thứ hai.</w:t></w:r></w:p></w:footnote>
</w:footnotes>""".encode()


def test_footnotes_are_kept_apart_with_markers_in_the_text() -> None:
    d = Document()
    p = d.add_paragraph("Điều 5. Đối tượng")
    p._p.append(parse_xml(f'<w:r {W}><w:footnoteReference w:id="1"/></w:r>'))
    p2 = d.add_paragraph("Khoản 1")
    p2._p.append(parse_xml(f'<w:r {W}><w:footnoteReference w:id="2"/></w:r>'))
    p2.add_run(" tiếp.")
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES_XML, d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    raw = read_bytes(to_bytes(d), name="chu-thich.docx")
    assert raw.text == "Điều 5. Đối tượng[1]\nKhoản 1[2] tiếp."
    assert raw.footnotes == (
        "Điều này được sửa đổi bởi Luật số 57/2024/QH15.",
        "Chú thích hai,\ndòng thứ hai.",
    )
    assert any("chú thích" in n for n in raw.notes)


def test_headers_footers_hidden_and_deleted_text_are_left_out() -> None:
    d = Document()
    d.sections[0].header.paragraphs[0].text = "ĐẦU TRANG"
    d.sections[0].footer.paragraphs[0].text = "CHÂN TRANG 1/3"
    p = d.add_paragraph("Giữ ")
    hidden = p.add_run("ẨN ")
    hidden.font.hidden = True
    p._p.append(
        parse_xml(
            f'<w:del {W} w:id="1" w:author="a"><w:r><w:delText>XOÁ </w:delText></w:r></w:del>'
        )
    )
    p._p.append(parse_xml(f'<w:ins {W} w:id="2" w:author="a"><w:r><w:t>chèn</w:t></w:r></w:ins>'))
    p.add_run("\tsau tab").font.size = Pt(12)
    d.add_paragraph("dòng một").add_run().add_break()
    raw = read_bytes(to_bytes(d), name="a.docx")
    assert raw.text == "Giữ chèn sau tab\ndòng một"


def test_empty_paragraphs_keep_at_most_two_blank_lines() -> None:
    def build(d) -> None:
        d.add_paragraph("A")
        for _ in range(5):
            d.add_paragraph("")
        d.add_paragraph("B")

    assert read_docx(build) == ["A", "", "", "B"]
