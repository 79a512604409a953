"""Properties that hold for any text (Hypothesis): the parser never raises, spans nest."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vbqppl.clean import clean_text, normalize_source
from vbqppl.parse import parse_document

LINES = st.sampled_from(
    [
        "Điều 1. Phạm vi điều chỉnh",
        "Điều 2.",
        "Điều 5a. Điều chèn",
        "Điều",
        "3. Khoản ba",
        "1. Sửa đổi, bổ sung Điều 5 như sau:",
        "“Điều 5. Nội dung mới",
        "a) Điểm a;",
        "đ) Điểm đ”.",
        "Chương II",
        "QUY ĐỊNH CHUNG",
        "Mục 1. CHUNG",
        "Phần thứ nhất",
        "PHỤ LỤC",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "(Ban hành kèm theo Quyết định số 12/2024/QĐ-UBND)",
        "QUY ĐỊNH",
        "CÔNG BÁO/Số 1 + 2/Ngày 01-01-2024",
        "12",
        "Ký bởi: Cổng",
        "Thời gian ký: 01.01.2024",
        "1 Chú thích cuối trang",
        "",
        "Số: 12/2024/QĐ-UBND",
        "Hòa Lâm, ngày 15 tháng 3 năm 2024",
        'Quyết định này có hiệu lực kể từ ngày ký."',
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
        "Căn cứ Nghị định số 45/2020/NĐ-",
        "CP ngày 20 tháng 4 năm 2020;",
        "2. Bãi bỏ khoản 2 Điều 5 Quyết định số 15/2020/QĐ-UBND.",
        "Quyết định này thay thế Quyết định số 08/2019/QĐ-UBND",
        "Thông tư số 01/2024/TT-BLĐTBXH hết hiệu lực kể từ ngày 01/7/2024.",
        "Bổ sung khoản 8a vào sau khoản 8 Điều 9 như sau:",
        "theo điểm a, b khoản 1 Điều này và Điều 24 đến Điều 28 Luật Đất đai số 31/2024/QH15",
        "Thay thế cụm từ “huyện” bằng cụm từ “xã” tại khoản 3 Điều 7.",
        "Các văn bản sau hết hiệu lực:",
        "được sửa đổi, bổ sung bởi:",
        "VĂN BẢN HỢP NHẤT",
    ]
)
TEXTS = st.one_of(
    st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=60).map("\n".join),
    st.text(max_size=400),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_parser_never_raises_and_spans_nest(text: str) -> None:
    doc = parse_document(text)
    by_id = {u.id: u for u in doc.units}
    assert len(by_id) == len(doc.units), "unit ids are unique"
    for u in doc.units:
        assert 0 <= u.span.start <= u.span.end <= len(doc.text)
        if u.parent is not None:
            assert u.parent in by_id
            assert by_id[u.parent].span.contains(u.span)
    for q in doc.quotes:
        assert 0 <= q.start <= q.end <= len(doc.text)
    doc.to_json()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_every_citation_and_relation_span_quotes_its_text(text: str) -> None:
    doc = parse_document(text)
    by_id = {u.id: u for u in doc.units}
    for c in doc.citations:
        assert doc.text[c.span.start : c.span.end] == c.text
        assert c.text.strip() == c.text and c.text
        if c.from_unit is not None:
            assert by_id[c.from_unit].span.contains(c.span)
        assert c.role in ("basis", "reference")
    for r in doc.relations:
        assert 0 <= r.span.start < r.span.end <= len(doc.text)
        assert r.target.number or r.target.name
        if r.from_unit is not None:
            assert r.from_unit in by_id


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_cleaning_is_idempotent_and_maps_back(text: str) -> None:
    source = normalize_source(text)
    once = clean_text(source)
    twice = clean_text(once.text)
    assert twice.text == once.text
    for clean_start, src_start, length in once.runs:
        assert (
            once.text[clean_start : clean_start + length] == source[src_start : src_start + length]
        )
