"""Document numbers, unit ids and the point alphabet: one line of input, one expected value."""

from __future__ import annotations

import pytest

from vbqppl.ids import POINT_ALPHABET, DocNumber, UnitId, point_index, roman_to_int


@pytest.mark.parametrize(
    ("printed", "canonical", "normative"),
    [
        ("45/2020/NĐ-CP", "45/2020/NĐ-CP", True),
        ("45/2020/ND-CP", "45/2020/NĐ-CP", True),  # Đ/D confusion
        ("45/2020/nđ-cp", "45/2020/NĐ-CP", True),
        ("64/2025/QH15", "64/2025/QH15", True),
        ("12/2024/QĐ-UBND", "12/2024/QĐ-UBND", True),
        ("12 / 2024 / QĐ - UBND", "12/2024/QĐ-UBND", True),  # spaces
        ("12/2024/\nQĐ-UBND", "12/2024/QĐ-UBND", True),  # line break
        ("02/2017/TT-VPCP", "02/2017/TT-VPCP", True),
        ("08/2022/QĐ-TTg", "08/2022/QĐ-TTg", True),
        ("08/2022/QĐ-TTG", "08/2022/QĐ-TTg", True),
        ("01/2016/TTLT-BTC-BTP", "01/2016/TTLT-BTC-BTP", True),
        ("03/2017/TT-BLDTBXH", "03/2017/TT-BLĐTBXH", True),
        ("49/2025TT-BCT", "49/2025/TT-BCT", True),  # misprint: slash dropped
        ("79/2025/NĐCP", "79/2025/NĐ-CP", True),  # misprint: hyphen dropped
        ("126/VBHN-VPQH", "126/VBHN-VPQH", False),
        ("4912/KH-UBND", "4912/KH-UBND", False),
        ("1680/QĐ-UBND", "1680/QĐ-UBND", False),
        ("50/CP", "50/CP", False),
        ("111-HĐBT", "111-HĐBT", False),
        ("206-CP", "206-CP", False),
        ("221-KL/TW", "221-KL/TW", False),
        ("\u00d0", None, None),
    ],
)
def test_doc_number(printed: str, canonical: str | None, normative: bool | None) -> None:
    if canonical is None:
        with pytest.raises(ValueError, match="không phải số ký hiệu"):
            DocNumber.parse(printed)
        return
    num = DocNumber.parse(printed)
    assert str(num) == canonical
    assert num.normative is normative
    assert DocNumber.parse(str(num)) == num  # canonical form is a fixed point


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("05/2024/TT-BLĐTBXH", "5/2024/TT-BLDTBXH", True),
        ("45/2020/NĐ-CP", "45/2021/NĐ-CP", False),
        ("34/2016/NĐ-CP", "34/2016/TT-BLĐTBXH", False),
    ],
)
def test_doc_number_key(a: str, b: str, same: bool) -> None:
    assert (DocNumber.parse(a).key == DocNumber.parse(b).key) is same


@pytest.mark.parametrize(
    "bad", ["", "Điều 5", "QCVN 01:2021/BXD", "1.014390", "2020", "…/20…/QĐ-UBND"]
)
def test_doc_number_rejects(bad: str) -> None:
    assert DocNumber.try_parse(bad) is None


@pytest.mark.parametrize(
    ("uid", "steps"),
    [
        ("art_5", (("article", "5"),)),
        ("art_5__para_2", (("article", "5"), ("clause", "2"))),
        ("art_5__para_2__point_đ", (("article", "5"), ("clause", "2"), ("point", "đ"))),
        ("art_5__para_8a", (("article", "5"), ("clause", "8a"))),
        ("art_5__para_1__point_d1", (("article", "5"), ("clause", "1"), ("point", "d1"))),
        ("att_1__art_1", (("attachment", "1"), ("article", "1"))),
        ("chp_2", (("chapter", "2"),)),
        ("part_1", (("part", "1"),)),
        ("chp_1__sec_2", (("chapter", "1"), ("section", "2"))),
    ],
)
def test_unit_id_round_trip(uid: str, steps: tuple[tuple[str, str], ...]) -> None:
    parsed = UnitId.parse(uid)
    assert parsed.steps == steps
    assert str(parsed) == uid


@pytest.mark.parametrize("bad", ["", "article_5", "art_", "art_5__", "dieu_5", "art_5__para_x y"])
def test_unit_id_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="mã đơn vị"):
        UnitId.parse(bad)


@pytest.mark.parametrize(
    ("roman", "value"), [("I", 1), ("IV", 4), ("IX", 9), ("XIV", 14), ("XL", 40), ("ABC", None)]
)
def test_roman(roman: str, value: int | None) -> None:
    assert roman_to_int(roman) == value


def test_point_alphabet() -> None:
    assert POINT_ALPHABET[:6] == ["a", "b", "c", "d", "đ", "e"]
    assert POINT_ALPHABET[-1] == "y"
    for missing in "fjwz":
        assert point_index(missing) is None
    assert point_index("đ") == point_index("d") + 1  # type: ignore[operator]
    assert point_index("g") == point_index("e") + 1  # type: ignore[operator]
