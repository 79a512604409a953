"""The territory rule of the pair checks, on issuer names as the store holds them."""

from vbqppl.checks.territory import may_pair, territory


def test_merged_provinces_share_a_territory() -> None:
    a = territory("Ủy ban nhân dân tỉnh Bắc Giang", "local")
    b = territory("Ủy ban nhân dân tỉnh Bắc Ninh", "local")
    assert a == b == "bắc ninh"
    assert may_pair(a, b)


def test_provinces_not_merged_do_not_pair() -> None:
    a = territory("Ủy ban nhân dân tỉnh Cao Bằng", "local")
    b = territory("Hội đồng nhân dân thành phố Hà Nội", "local")
    assert (a, b) == ("cao bằng", "hà nội")
    assert not may_pair(a, b)


def test_old_tone_placement_and_longest_name() -> None:
    assert territory("Ủy ban nhân dân tỉnh Hoà Bình", "local") == "phú thọ"
    assert territory("Ủy ban nhân dân tỉnh Thừa Thiên Huế", "local") == "huế"
    assert territory("Ủy ban nhân dân Thành phố Hồ Chí Minh", "local") == "hồ chí minh"
    assert territory("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", "local") == "hồ chí minh"


def test_central_and_unknown_pair_with_everything() -> None:
    assert territory("Bộ Tài chính", "central") is None
    assert territory("Ủy ban nhân dân huyện Lâm Hà", "local") is None
    assert may_pair(None, "hà nội") and may_pair("hà nội", None)


def test_a_province_outside_the_table_keeps_its_name() -> None:
    # the demo corpus's fictional province, and the generated corpora's
    a = territory("Ủy ban nhân dân tỉnh Hòa Lâm", "local")
    assert a == "hòa lâm"
    assert not may_pair(a, territory("Ủy ban nhân dân tỉnh Bắc Ninh", "local"))
