"""The relations a document states about other documents, on short texts written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluation import real_corpus_present
from vbqppl.parse import parse_document
from vbqppl.relations import _rx, _scan

HEAD = """ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM
Số: {number}
QUYẾT ĐỊNH
{title}

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;

QUYẾT ĐỊNH:
"""


def _doc(body: str, title: str = "Về việc quản lý", number: str = "30/2025/QĐ-UBND"):
    return parse_document(HEAD.format(number=number, title=title) + body)


def _triples(doc) -> set[tuple[str, str | None, str | None]]:
    return {(r.type, r.target.number, r.target.unit) for r in doc.relations}


# body, expected (type, target number, target unit) set
CASES = [
    (
        "Điều 1. Quyết định này thay thế Quyết định số 08/2019/QĐ-UBND ngày 20 tháng 3 năm 2019.",
        {("replaces", "08/2019/QĐ-UBND", None)},
    ),
    (
        "Điều 1. Bãi bỏ toàn bộ Quyết định số 15/2020/QĐ-UBND ngày 12 tháng 6 năm 2020.",
        {("repeals", "15/2020/QĐ-UBND", None)},
    ),
    (
        "Điều 1. Bãi bỏ khoản 2 và khoản 3 Điều 5 Quyết định số 15/2020/QĐ-UBND.",
        {
            ("repeals", "15/2020/QĐ-UBND", "art_5__para_2"),
            ("repeals", "15/2020/QĐ-UBND", "art_5__para_3"),
        },
    ),
    (
        "Điều 1. Hiệu lực\n1. Quyết định này có hiệu lực từ ngày 01 tháng 7 năm 2025.\n"
        "2. Quyết định số 17/2021/QĐ-UBND ngày 25 tháng 5 năm 2021 của Ủy ban nhân dân tỉnh quy "
        "định về nghĩa trang hết hiệu lực kể từ ngày 01 tháng 10 năm 2025.",
        {("expires", "17/2021/QĐ-UBND", None)},
    ),
    (
        "Điều 1. Hiệu lực\n1. Quyết định này có hiệu lực từ ngày 01 tháng 7 năm 2025.\n"
        "2. Quyết định số 01/2020/QĐ-UBND ngày 05 tháng 1 năm 2020 quy định về chợ; Quyết định "
        "số 02/2021/QĐ-UBND ngày 06 tháng 2 năm 2021 sửa đổi, bổ sung một số điều của Quyết định "
        "số 01/2020/QĐ-UBND hết hiệu lực kể từ ngày Quyết định này có hiệu lực.",
        {("expires", "01/2020/QĐ-UBND", None), ("expires", "02/2021/QĐ-UBND", None)},
    ),
    (
        "Điều 1. Bãi bỏ các văn bản sau:\n"
        "1. Quyết định số 03/2018/QĐ-UBND ngày 01 tháng 2 năm 2018 hướng dẫn Nghị định số "
        "45/2017/NĐ-CP;\n2. Quyết định số 04/2019/QĐ-UBND ngày 01 tháng 3 năm 2019.",
        {("repeals", "03/2018/QĐ-UBND", None), ("repeals", "04/2019/QĐ-UBND", None)},
    ),
    (
        "Điều 1. Sửa đổi, bổ sung một số điều của Quyết định số 12/2024/QĐ-UBND ngày 15 tháng 3 năm 2024\n"
        "1. Sửa đổi, bổ sung khoản 2 Điều 8 như sau:\n“2. Nội dung mới theo Điều 9 của Luật Đất đai.”\n"
        "2. Bổ sung khoản 8a vào sau khoản 8 Điều 9 như sau:\n“8a. Nội dung bổ sung.”\n"
        "3. Thay thế cụm từ “cấp huyện” bằng cụm từ “cấp xã” tại khoản 3 Điều 7.\n"
        "4. Bãi bỏ điểm c khoản 1 Điều 10.",
        {
            ("amends", "12/2024/QĐ-UBND", None),
            ("amends", "12/2024/QĐ-UBND", "art_8__para_2"),
            ("amends", "12/2024/QĐ-UBND", "art_9__para_8a"),
            ("amends", "12/2024/QĐ-UBND", "art_7__para_3"),
            ("repeals", "12/2024/QĐ-UBND", "art_10__para_1__point_c"),
        },
    ),
    (
        "Điều 1. Sửa đổi, bổ sung một số điều của Quy định về quản lý chợ ban hành kèm theo "
        "Quyết định số 12/2024/QĐ-UBND\n1. Sửa đổi khoản 2 Điều 8 như sau:\n“2. Nội dung.”",
        {
            ("amends", "12/2024/QĐ-UBND", None),
            ("amends", "12/2024/QĐ-UBND", "att_1__art_8__para_2"),
        },
    ),
    (
        "Điều 1. Thay thế Phụ lục III Quyết định số 07/2021/QĐ-UBND bằng Phụ lục ban hành kèm theo "
        "Quyết định này.",
        {("replaces", "07/2021/QĐ-UBND", None)},
    ),
    (
        "Điều 1. Đình chỉ việc thi hành Quyết định số 05/2025/QĐ-UBND ngày 02 tháng 1 năm 2025.",
        {("suspends", "05/2025/QĐ-UBND", None)},
    ),
    (
        "Điều 1. Sửa đổi 10 Quyết định hướng dẫn thực hiện Nghị định số 62/2022/NĐ-CP.",
        set(),
    ),
    (
        "Điều 1. Đính chính Quyết định số 09/2025/QĐ-UBND ngày 03 tháng 3 năm 2025 như sau:",
        {("corrects", "09/2025/QĐ-UBND", None)},
    ),
    (
        "Điều 1. Phạm vi điều chỉnh\nQuyết định này quy định chi tiết khoản 3 Điều 12 Nghị định số "
        "60/2024/NĐ-CP ngày 05 tháng 6 năm 2024.",
        {("guides", "60/2024/NĐ-CP", "art_12__para_3")},
    ),
    (
        "Điều 1. Phạm vi\nTrường hợp văn bản dẫn chiếu tại Quyết định này được sửa đổi, bổ sung hoặc "
        "thay thế thì áp dụng theo văn bản mới.",
        set(),
    ),
    (
        "Điều 1. Sửa đổi Quyết định số 12/2024/QĐ-UBND như sau:\n"
        "1. Bãi bỏ tên Mục 1, Mục 2 trong Chương III.\n2. Bãi bỏ khoản 2 Điều 5.",
        {("amends", "12/2024/QĐ-UBND", None), ("repeals", "12/2024/QĐ-UBND", "art_5__para_2")},
    ),
    (  # "quy định chi tiết và hướng dẫn" of the decree cited, not the document's (188/2025)
        "Điều 1. Mức hưởng\nNgười bệnh được thanh toán theo Điều 11 của Nghị định số "
        "70/2015/NĐ-CP ngày 01 tháng 9 năm 2015 của Chính phủ quy định chi tiết và hướng dẫn\n"
        "thi hành một số điều của Luật Bảo hiểm y tế số 25/2008/QH12.",
        set(),
    ),
    (  # the document's own verb first, then the one joined to it
        "Điều 1. Phạm vi\nQuyết định này quy định chi tiết và hướng dẫn thi hành một số điều "
        "của Luật Bảo hiểm y tế số 25/2008/QH12.",
        {("guides", "25/2008/QH12", None)},
    ),
    (  # "bổ sung" a word of the subject, not an act: the joined verb is the document's
        "Điều 1. Hiệu lực\nQuyết định này quy định mức hỗ trợ bổ sung và thay thế Quyết định số "
        "10/2020/QĐ-UBND ngày 05 tháng 3 năm 2020.",
        {("replaces", "10/2020/QĐ-UBND", None)},
    ),
    (  # a verb joined to the document's instruction
        "Điều 1. Sửa đổi, bổ sung và bãi bỏ một số điều của Quyết định số 12/2024/QĐ-UBND.",
        {("amends", "12/2024/QĐ-UBND", None), ("repeals", "12/2024/QĐ-UBND", None)},
    ),
    (  # a clause named before one article of a list is that article's only (372/2025/NĐ-CP)
        "Điều 1. Sửa đổi Nghị định số 112/2021/NĐ-CP như sau:\n"
        "1. Bãi bỏ khoản 4 Điều 7, Điều 13, Điều 14 và khoản 2, khoản 3 Điều 23.",
        {("amends", "112/2021/NĐ-CP", None)}
        | {
            ("repeals", "112/2021/NĐ-CP", u)
            for u in ("art_7__para_4", "art_13", "art_14", "art_23__para_2", "art_23__para_3")
        },
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES, ids=[c[0][9:50] for c in CASES])
def test_relations(body: str, expected: set) -> None:
    assert _triples(_doc(body)) == expected


def test_scope_and_effective_date() -> None:
    doc = _doc(
        "Điều 1. Hiệu lực\n1. Quyết định này có hiệu lực từ ngày 01 tháng 7 năm 2025.\n"
        "2. Bãi bỏ Điều 3 Quyết định số 15/2020/QĐ-UBND kể từ ngày 01 tháng 8 năm 2025.\n"
        "3. Bãi bỏ Quyết định số 16/2020/QĐ-UBND."
    )
    by_target = {r.target.number: r.to_json() for r in doc.relations}
    assert by_target["15/2020/QĐ-UBND"]["scope"] == "part"
    assert by_target["15/2020/QĐ-UBND"]["effective"] == "2025-08-01"
    assert by_target["16/2020/QĐ-UBND"]["scope"] == "whole"
    assert by_target["16/2020/QĐ-UBND"]["effective"] == "2025-07-01"


def test_title_names_the_amended_document() -> None:
    doc = _doc(
        "Điều 1. Sửa đổi khoản 2 Điều 8 như sau:\n“2. Nội dung.”",
        title="Sửa đổi, bổ sung một số điều của Quyết định số 12/2024/QĐ-UBND",
    )
    assert ("amends", "12/2024/QĐ-UBND", "art_8__para_2") in _triples(doc)


def test_consolidated_text_names_its_base_and_amenders() -> None:
    text = """BỘ LAO ĐỘNG
VĂN BẢN HỢP NHẤT
THÔNG TƯ
Hướng dẫn về an toàn lao động

Thông tư số 10/2020/TT-BLĐTBXH ngày 01 tháng 6 năm 2020 của Bộ trưởng Bộ Lao động hướng
dẫn thi hành Nghị định số 44/2016/NĐ-CP, có hiệu lực kể từ ngày 15 tháng 7 năm 2020, được sửa đổi,
bổ sung bởi:
Thông tư số 05/2023/TT-BLĐTBXH ngày 10 tháng 3 năm 2023 của Bộ trưởng Bộ Lao động sửa đổi
Thông tư số 10/2020/TT-BLĐTBXH, có hiệu lực kể từ ngày 01 tháng 5 năm 2023.
Căn cứ Nghị định số 44/2016/NĐ-CP;
Điều 1. Phạm vi
Thông tư này thay thế Thông tư số 01/2015/TT-BLĐTBXH.
Nơi nhận: như trên.
XÁC THỰC VĂN BẢN HỢP NHẤT
Số: 12/VBHN-BLĐTBXH
"""
    doc = parse_document(text)
    (rel,) = doc.relations
    assert (rel.type, rel.target.number) == ("consolidates", "10/2020/TT-BLĐTBXH")
    assert rel.to_json()["amended_by"] == ["05/2023/TT-BLĐTBXH"]


def test_a_verb_broken_over_lines_after_another_verb_line() -> None:
    """The verb's line window must reach the next line even when the line before it already
    held a verb syllable ("hiệu lực ... và thay / thế Thông tư số ...")."""
    doc = _doc(
        "Điều 7. Hiệu lực thi hành\n1. Quyết định này có hiệu lực thi hành kể từ ngày 01 tháng 4 "
        "năm 2025 và thay\nthế Quyết định số 19/2022/QĐ-UBND ngày 10 tháng 8 năm 2022.\n"
    )
    assert ("replaces", "19/2022/QĐ-UBND", None) in _triples(doc)


ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus-real" / "texts"


def _same_matches_as_a_full_scan(paths: list[Path]) -> int:
    """The finder's scan of each pattern (only where its rule says matches begin) gives the
    matches a scan of the whole text gives; returns how many there were."""
    found = 0
    for path in paths:
        text = parse_document(path.read_text(encoding="utf-8")).text
        for name in ("instruction", "active", "passive"):
            fast = [m.span(m.lastgroup or 0) for m in _scan(name, text)]
            full = [m.span(m.lastgroup or 0) for m in _rx(name).finditer(text)]
            assert fast == full, (path.name, name)
            found += len(full)
    return found


def test_the_fast_scan_finds_what_a_full_scan_finds_in_the_demo_corpus() -> None:
    paths = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "corpus").glob("*.md"))
    assert _same_matches_as_a_full_scan([p for p in paths if p.name != "README.md"]) > 10


@pytest.mark.realcorpus
@pytest.mark.skipif(not real_corpus_present(), reason="../shared/corpus-real không có")
def test_the_fast_scan_finds_what_a_full_scan_finds_in_real_documents() -> None:
    paths = sorted(REAL.glob("*.txt"))[::3]
    assert len(paths) > 150
    assert _same_matches_as_a_full_scan(paths) > 500
