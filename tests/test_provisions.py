"""Provision features: quantities, modality, subject terms. One line of input, one expected value."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vbqppl.parse import parse_document
from vbqppl.provisions import (
    modality,
    modality_cues,
    parse_number,
    parse_number_words,
    quantities,
    subject_terms,
    term_overlap,
)
from vbqppl.read import read_file

ROOT = Path(__file__).resolve().parents[1]


def Q(kind: str, unit: str, value: float, bound: str | None = None, *, low: float | None = None, per: str | None = None) -> tuple:  # fmt: skip
    """Expected quantity: what the tests compare (kind, unit, low, high, bound, per)."""
    return (kind, unit, value if low is None else low, value, bound, per)


def _got(text: str) -> list[tuple]:
    return [(q.kind, q.unit, q.low, q.high, q.bound, q.per) for q in quantities(text)]


QUANTITIES = [
    # time limits: working days and calendar days are different units
    ("Thời hạn giải quyết: 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", [Q("duration", "working_day", 5)]),
    ("Trong thời hạn 10 ngày, cơ quan tiếp nhận phải trả lời bằng văn bản.", [Q("duration", "day", 10, "at_most")]),
    ("đào tạo trình độ sơ cấp, đào tạo dưới 03 tháng", [Q("duration", "month", 3, "under")]),
    ("Giấy phép có thời hạn 02 năm.", [Q("duration", "year", 2)]),
    ("chậm nhất là 24 giờ kể từ khi phát hiện", [Q("duration", "hour", 24, "at_most")]),
    ("trong thời hạn 15 (mười lăm) ngày làm việc", [Q("duration", "working_day", 15, "at_most")]),
    ("không quá hai năm", [Q("duration", "year", 2, "at_most")]),
    ("bị phạt tù từ 02 năm đến 07 năm", [Q("duration", "year", 7, "range", low=2)]),
    ("trong 01 tuần", [Q("duration", "week", 1, "at_most")]),
    # dates are not durations
    ("Quyết định này có hiệu lực kể từ ngày 15 tháng 3 năm 2024.", []),
    ("trước ngày 30 tháng 6 hằng năm; từ ngày 01/7/2025", []),
    ("Nghị quyết số 05/2023/NQ-HĐND ngày 12 tháng 7 năm 2023", []),
    ("tháng 3 năm 2024 và Quý III/2020", []),
    # money
    ("Mức thu: 50.000 đồng/lượt.", [Q("money", "dong", 50_000, per="lượt")]),
    ("mức hỗ trợ tối đa 4.000.000 đồng/người/khóa học;", [Q("money", "dong", 4_000_000, "at_most", per="người/khóa học")]),
    ("Phạt tiền từ 1.000.000 đồng đến 2.000.000 đồng đối với hành vi", [Q("money", "dong", 2_000_000, "range", low=1_000_000)]),
    ("Phạt tiền từ 1.000.000 đến 2.000.000 đồng.", [Q("money", "dong", 2_000_000, "range", low=1_000_000)]),
    ("hỗ trợ 2 triệu đồng", [Q("money", "dong", 2_000_000)]),
    ("hỗ trợ 1,5 triệu đồng/người", [Q("money", "dong", 1_500_000, per="người")]),
    ("từ 500 nghìn đến 2 triệu đồng", [Q("money", "dong", 2_000_000, "range", low=500_000)]),
    ("Phạt tiền đến 150.000.000 đồng", [Q("money", "dong", 150_000_000, "at_most")]),
    ("giá vé 5.000đ/xe", [Q("money", "dong", 5_000, per="xe")]),
    ("trị giá 500.000.000 đồng trở lên", [Q("money", "dong", 500_000_000, "at_least")]),
    # percentages
    ("giảm 30% mức thu", [Q("percent", "percent", 30)]),
    ("không quá 0,5 %", [Q("percent", "percent", 0.5, "at_most")]),
    ("bằng ba mươi phần trăm mức lương", [Q("percent", "percent", 30)]),
    ("từ 10% đến 20%", [Q("percent", "percent", 20, "range", low=10)]),
    # ages
    ("Người đủ 18 tuổi trở lên", [Q("age", "year", 18, "at_least")]),
    ("người từ đủ 15 tuổi đến dưới 18 tuổi", [Q("age", "year", 18, "range", low=15)]),
    ("trẻ em dưới 6 tuổi", [Q("age", "year", 6, "under")]),
    ("người chưa đủ 13 tuổi", [Q("age", "year", 13, "under")]),
    # areas, in square metres
    ("diện tích tối thiểu 50 m2", [Q("area", "m2", 50, "at_least")]),
    ("nhà văn hóa có diện tích trên 100 m²", [Q("area", "m2", 100, "over")]),
    ("quy mô không quá 75 ha", [Q("area", "m2", 750_000, "at_most")]),
    ("rừng trồng 2 héc-ta", [Q("area", "m2", 20_000)]),
    ("từ 3.000 mét vuông (m2) đến dưới 5.000 mét vuông", [Q("area", "m2", 5_000, "range", low=3_000)]),
    # several in one provision
    (
        "Tổng thời hạn là 20 ngày làm việc, trong đó: a) Cơ sở: 05 ngày làm việc; b) Phòng: 07 ngày làm việc.",
        [Q("duration", "working_day", 20), Q("duration", "working_day", 5), Q("duration", "working_day", 7)],
    ),
    # not quantities
    ("Điều 5 khoản 2 điểm a; chợ hạng 3; 3 điểm", []),
    ("Quyết định số 12/2024/QĐ-UBND; mã thủ tục 1.001612", []),
    ("thời hạn nêu trên là 02 ngày làm việc", [Q("duration", "working_day", 2)]),
    ("", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), QUANTITIES, ids=[t[:40] for t, _ in QUANTITIES])
def test_quantities(text: str, expected: list[tuple]) -> None:
    assert _got(text) == expected


def test_quantity_spans_quote_the_text() -> None:
    text = "Phạt tiền từ 1.000.000 đồng đến 2.000.000 đồng; trong thời hạn 05 ngày làm việc."
    (fine, limit) = quantities(text)
    assert (
        text[fine.span.start : fine.span.end] == fine.text == "từ 1.000.000 đồng đến 2.000.000 đồng"
    )
    assert limit.text == "trong thời hạn 05 ngày làm việc"
    assert fine.value == 2_000_000
    assert fine.to_json()["span"] == [fine.span.start, fine.span.end]


def test_comparable_quantities() -> None:
    a, b, c, d = quantities("15 ngày làm việc; 20 ngày làm việc; 20 ngày; 4.000.000 đồng/người")
    assert a.comparable(b) and not a.comparable(c) and not c.comparable(d)


@given(
    st.text(alphabet=st.sampled_from("0123456789 .,/%đồngàytháuổiểm2()-trởlêndưới\n"), max_size=80)
)
def test_quantities_never_raise_and_spans_hold(text: str) -> None:
    for q in quantities(text):
        assert text[q.span.start : q.span.end] == q.text
        assert q.low <= q.high or q.bound == "range"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4.000.000", 4e6),
        ("1,5", 1.5),
        ("05", 5),
        ("0.5", 0.5),
        ("10.000", 1e4),
        ("1.000,25", 1000.25),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("năm", 5),
        ("mười", 10),
        ("mười lăm", 15),
        ("hai mươi", 20),
        ("hai mươi mốt", 21),
        ("ba mươi", 30),
        ("bốn mươi tư", 44),
        ("một trăm", 100),
        ("một trăm linh năm", 105),
        ("một trăm hai mươi", 120),
        ("một nghìn hai trăm", 1200),
    ],
)
def test_parse_number_words(text: str, value: int) -> None:
    assert parse_number_words(text) == value


@pytest.mark.parametrize("text", ["", "mười hai tháng", "12"])
def test_parse_number_words_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number_words(text)


@pytest.mark.parametrize("text", ["", "1.2.3", "mười"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


MODALITY = [
    # obligation
    ("Nước thải phải được thu gom, xử lý trước khi đấu nối.", "obligation"),
    ("Sở Tài chính có trách nhiệm hướng dẫn thực hiện.", "obligation"),
    ("Chủ đầu tư có nghĩa vụ bảo đảm an toàn lao động.", "obligation"),
    ("Việc mua bảo hiểm là bắt buộc.", "obligation"),
    ("Giám đốc Sở chịu trách nhiệm trước Ủy ban nhân dân tỉnh.", "obligation"),
    # permission
    ("Ban quản lý cụm công nghiệp được phép tiếp nhận dự án đầu tư mới.", "permission"),
    ("Người lao động có quyền khiếu nại quyết định hành chính.", "permission"),
    ("Người thuộc hộ nghèo được hỗ trợ chi phí đào tạo.", "permission"),
    ("Hộ nghèo được miễn phí trông giữ xe.", "permission"),
    ("Hộ nghèo không phải nộp phí.", "permission"),
    ("Việc đăng ký là không bắt buộc.", "permission"),
    # prohibition
    ("Nghiêm cấm tiếp nhận dự án đầu tư mới vào cụm công nghiệp.", "prohibition"),
    ("Cấm xây dựng mộ ngoài khu vực đã quy hoạch.", "prohibition"),
    ("Mộ không được xây dựng tường rào, mái che.", "prohibition"),
    ("Tổ chức không có quyền thu thêm bất kỳ khoản phí nào.", "prohibition"),
    ("Ban quản lý không được phép tiếp nhận dự án.", "prohibition"),
    # "được" as the passive marker is not a permission
    ("Mức thu được quy định tại Phụ lục ban hành kèm theo Quyết định này.", "none"),
    ("Doanh nghiệp được lựa chọn thông qua đấu thầu.", "none"),
    ("Chợ được tổ chức quản lý theo một trong các hình thức sau.", "none"),
    ("Trường hợp hồ sơ không được chấp thuận, cơ quan trả lời bằng văn bản.", "none"),
    ("Chi phí này không được tính vào giá dịch vụ.", "none"),
    ("Xe đi vào khu vực cấm.", "none"),
    ("Đây không phải là thủ tục hành chính.", "none"),
    ("Phạm vi điều chỉnh", "none"),
    ("", "none"),
    # several cues: the strongest wins
    ("Người lao động được hỗ trợ chi phí và phải cam kết làm việc tại tỉnh.", "obligation"),
    ("Chủ hộ phải đăng ký và không được tự ý xây dựng.", "prohibition"),
]


@pytest.mark.parametrize(("text", "kind"), MODALITY, ids=[t[:40] or "empty" for t, _ in MODALITY])
def test_modality(text: str, kind: str) -> None:
    assert modality(text).kind == kind


def test_modality_cues_do_not_overlap() -> None:
    text = "Ban quản lý không được phép tiếp nhận; chủ hộ không phải nộp phí và phải báo cáo."
    cues = modality_cues(text)
    assert [(c.kind, c.text) for c in cues] == [
        ("prohibition", "không được phép"),
        ("permission", "không phải"),
        ("obligation", "phải"),
    ]
    for c in cues:
        assert text[c.span.start : c.span.end] == c.text
    m = modality(text)
    assert m.kinds() == {"prohibition", "permission", "obligation"}
    assert m.to_json()["kind"] == "prohibition"


SUBJECTS = [
    (
        "Ủy ban nhân dân cấp huyện quản lý các chợ hạng 2 và chợ hạng 3 trên địa bàn các phường.",
        ["ủy ban nhân dân cấp huyện quản lý", "chợ hạng", "địa bàn", "phường"],
    ),
    ("Uỷ ban nhân dân tỉnh Hoà Lâm", ["ủy ban nhân dân tỉnh hòa lâm"]),
    (
        "Thời hạn giải quyết: 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
        ["giải quyết", "nhận đủ hồ sơ hợp lệ"],
    ),
    (
        "a) Cơ sở giáo dục nghề nghiệp;\nb) Phòng Lao động.",
        ["cơ sở giáo dục nghề nghiệp", "phòng lao động"],
    ),
    ("của và các theo quy định của pháp luật", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "terms"), SUBJECTS, ids=[t[:30] or "empty" for t, _ in SUBJECTS])
def test_subject_terms(text: str, terms: list[str]) -> None:
    assert subject_terms(text) == terms


def test_subject_terms_with_own_stop_list() -> None:
    assert subject_terms("quản lý chợ và nghĩa trang", stop=["và", "quản lý"]) == [
        "chợ",
        "nghĩa trang",
    ]


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (["chi phí đào tạo"], ["chi phí đào tạo"], 1.0, 1.0),
        (["hỗ trợ chi phí đào tạo trình độ sơ cấp"], ["chi phí đào tạo", "hồ sơ"], 0.3, 0.5),
        (["nghĩa trang nhân dân"], ["nước thải tập trung"], 0.0, 0.0),
        ([], ["chợ"], 0.0, 0.0),
    ],
)
def test_term_overlap(a: list[str], b: list[str], low: float, high: float) -> None:
    assert low <= term_overlap(a, b) <= high
    assert term_overlap(a, b) == term_overlap(b, a)


def _demo_unit(file: str, unit_id: str) -> str:
    doc = parse_document(read_file(ROOT / "corpus" / file))
    unit = doc.unit(unit_id)
    assert unit is not None
    return doc.text[unit.span.start : unit.span.end]


def test_planted_numeric_conflict_reads_15_and_20_working_days() -> None:
    a = _demo_unit("qd-12-2024-ubnd.txt", "att_1__art_6__para_1")
    b = _demo_unit("qd-31-2024-ubnd.txt", "art_4__para_2")
    limits_a = [q.value for q in quantities(a) if q.unit == "working_day"]
    limits_b = [q.value for q in quantities(b) if q.unit == "working_day"]
    assert limits_a == [15] and limits_b[0] == 20
    assert term_overlap(subject_terms(a), subject_terms(b)) >= 0.3


def test_planted_modality_conflict_reads_permission_and_prohibition() -> None:
    a = _demo_unit("qd-27-2024-ubnd.txt", "att_1__art_8__para_2")
    b = _demo_unit("qd-06-2025-ubnd.txt", "art_5__para_1")
    assert (modality(a).kind, modality(b).kind) == ("permission", "prohibition")
    assert term_overlap(subject_terms(a), subject_terms(b)) >= 0.5
