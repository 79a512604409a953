"""The cite stage: one line of text in, the citations expected out (table-driven)."""

from __future__ import annotations

import pytest

from vbqppl.citations import scan_citations
from vbqppl.parse import parse_document

# text, [(quoted text, number, name, units as "articles/clauses/points")]
CASES = [
    (
        "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 20 tháng 4 năm 2020 của Chính phủ;",
        [("Nghị định số 45/2020/NĐ-CP", "45/2020/NĐ-CP", None, "")],
    ),
    ("theo Luật số 64/2025/QH15", [("Luật số 64/2025/QH15", "64/2025/QH15", None, "")]),
    ("Nghị định số 50/CP ngày 6/8/1993", [("Nghị định số 50/CP", "50/CP", None, "")]),
    ("Nghị định số 111-HĐBT", [("Nghị định số 111-HĐBT", "111-HĐBT", None, "")]),
    ("Thông tư số 49/2025TT-BCT", [("Thông tư số 49/2025TT-BCT", "49/2025/TT-BCT", None, "")]),
    (
        "Thông tư số 01/2024/ TT-BLĐTBXH quy định",
        [("Thông tư số 01/2024/ TT-BLĐTBXH", "01/2024/TT-BLĐTBXH", None, "")],
    ),
    (
        "Quyết định số 12/2024/QĐ-\nUBND của Ủy ban",
        [("Quyết định số 12/2024/QĐ-\nUBND", "12/2024/QĐ-UBND", None, "")],
    ),
    (
        "Thông tư 75/2024/TT-BTCQuy định mới",
        [("Thông tư 75/2024/TT-BTC", "75/2024/TT-BTC", None, "")],
    ),
    (
        "Thông tư liên tịch số 01/2016/TTLT-BTC-BTP",
        [("Thông tư liên tịch số 01/2016/TTLT-BTC-BTP", "01/2016/TTLT-BTC-BTP", None, "")],
    ),
    (
        "Luật Đất đai số 31/2024/QH15",
        [("Luật Đất đai số 31/2024/QH15", "31/2024/QH15", "Luật Đất đai", "")],
    ),
    (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
        [("Luật Tổ chức chính quyền địa phương", None, "Luật Tổ chức chính quyền địa phương", "")],
    ),
    ("theo Bộ luật Lao động, các bên", [("Bộ luật Lao động", None, "Bộ luật Lao động", "")]),
    (
        "Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008;",
        [("Luật Cán bộ, công chức", None, "Luật Cán bộ, công chức", "")],
    ),
    (
        "khoản 2 Điều 5 Nghị định số 45/2020/NĐ-CP",
        [("khoản 2 Điều 5 Nghị định số 45/2020/NĐ-CP", "45/2020/NĐ-CP", None, "5/2/")],
    ),
    (
        "điểm a, b khoản 1 Điều 5 Luật Đất đai số 31/2024/QH15",
        [
            (
                "điểm a, b khoản 1 Điều 5 Luật Đất đai số 31/2024/QH15",
                "31/2024/QH15",
                "Luật Đất đai",
                "5/1/a,b",
            )
        ],
    ),
    ("khoản 2 và khoản 3 Điều 7", [("khoản 2 và khoản 3 Điều 7", None, None, "7/2,3/")]),
    ("từ Điều 24 đến Điều 28", [("Điều 24 đến Điều 28", None, None, "24,25,26,27,28//")]),
    ("điểm a đến điểm đ khoản 1", [("điểm a đến điểm đ khoản 1", None, None, "/1/a,b,c,d,đ")]),
    ("điểm đ khoản 8a Điều 12", [("điểm đ khoản 8a Điều 12", None, None, "12/8a/đ")]),
    ("khoản 1 Điều này", [("khoản 1 Điều này", None, None, "này/1/")]),
]

# Look-alikes that are not document citations.
NOT_CITATIONS = [
    "CÔNG BÁO/Số 511 + 512/Ngày 24-7-2017",
    "theo Mẫu số 01/GTGT ban hành kèm theo",
    "tờ khai 05/KK-TNCN",
    "đạt QCVN 01:2009/BYT và QCVN 05: 2013/BTNMT",
    "mã hồ sơ 1.014390 và mã HS 0101.21.00",
    "Số: .../20.../QĐ-UBND",
    "Quyết định số    /QĐ-BVHTTDL",
    "Trường Mầm non 20-10, giai đoạn 2021-2025, Quý III/2020",
    "các điều khoản của hợp đồng",
    "pháp luật về đất đai",
]


def _units(m) -> str:
    return "/".join([",".join(m.articles), ",".join(m.clauses), ",".join(m.points)])


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_scan(text: str, expected: list[tuple]) -> None:
    got = [
        (text[m.start : m.end], m.number, m.name, _units(m) if m.has_units else "")
        for m in scan_citations(text)
    ]
    assert got == expected


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_look_alikes_are_not_citations(text: str) -> None:
    assert [text[m.start : m.end] for m in scan_citations(text)] == []


def test_a_bare_article_never_names_another_document() -> None:
    (m,) = scan_citations("thực hiện theo Điều 5.")
    assert m.number is None and m.name is None


def test_a_name_given_a_number_elsewhere_takes_it() -> None:
    text = (
        "Quốc hội ban hành Luật sửa đổi, bổ sung một số điều của Luật Đầu tư theo phương thức "
        "đối tác công tư số 64/2020/QH14 và Luật Đầu tư số 61/2020/QH14.\n"
        "Điều 1. Sửa đổi, bổ sung một số điều của Luật Đầu tư theo phương thức đối tác công tư\n"
        "Điều 2. Sửa đổi, bổ sung một số điều của Luật Đầu tư\n"
    )
    heads = [m for m in scan_citations(text) if m.start > text.index("Điều 1")]
    assert [(m.name, m.number) for m in heads] == [
        ("Luật Đầu tư theo phương thức đối tác công tư", "64/2020/QH14"),
        ("Luật Đầu tư", "61/2020/QH14"),
    ]


DOC = """ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM
Số: 20/2025/QĐ-UBND
QUYẾT ĐỊNH
Ban hành Quy định về quản lý chợ

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;
Căn cứ Nghị định số 60/2024/NĐ-CP ngày 05 tháng 6 năm 2024 của Chính phủ;

QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy định về quản lý chợ.
Điều 2. Hiệu lực
Quyết định này có hiệu lực từ ngày 01 tháng 7 năm 2025. Điều 3 Quy định này áp dụng từ ngày 01 tháng 9 năm 2025.

QUY ĐỊNH
Về quản lý chợ
(Ban hành kèm theo Quyết định số 20/2025/QĐ-UBND)

Điều 1. Phạm vi
1. Quy định này áp dụng cho các chợ.
2. Trường hợp quy định tại khoản 1 Điều này thì thực hiện theo điểm a khoản 2 Điều 5 Nghị định số 60/2024/NĐ-CP.
Điều 2. Ban quản lý chợ
Ban quản lý chợ thực hiện theo Điều 1 và khoản 2 Điều này.
"""


def test_citations_placed_in_a_document() -> None:
    doc = parse_document(DOC)
    by_text = {(c.text, c.target.unit): c for c in doc.citations}
    basis = {c.text for c in doc.citations if c.role == "basis"}
    assert basis == {"Luật Tổ chức chính quyền địa phương", "Nghị định số 60/2024/NĐ-CP"}
    own = by_text[("Điều 3 Quy định này", "att_1__art_3")]
    assert own.target.self_ref and own.from_unit == "art_2"
    here = by_text[("khoản 1 Điều này", "att_1__art_1__para_1")]
    assert here.target.self_ref and here.from_unit == "att_1__art_1__para_2"
    other = by_text[("điểm a khoản 2 Điều 5 Nghị định số 60/2024/NĐ-CP", "art_5__para_2__point_a")]
    assert other.target.number == "60/2024/NĐ-CP" and not other.target.self_ref
    assert ("Điều 1", "att_1__art_1") in by_text and (
        "khoản 2 Điều này",
        "att_1__art_2__para_2",
    ) in by_text
    header = [c for c in doc.citations if c.target.number == "20/2025/QĐ-UBND"]
    assert header and all(c.target.self_ref for c in header)


def test_a_citation_running_past_its_unit_belongs_to_the_unit_holding_it() -> None:
    """A number wrapped at its hyphen onto the signature line reads on into it; the article
    ends before the signature, so the citation is no article's (found by Hypothesis)."""
    doc = parse_document(
        "Điều 1. Phạm vi điều chỉnh\nCăn cứ Nghị định số 45/2020/NĐ-\nTM. ỦY BAN NHÂN DÂN"
    )
    (art,) = [u for u in doc.units if u.kind == "article"]
    (c,) = doc.citations
    assert c.span.end > art.span.end
    assert c.from_unit is None
