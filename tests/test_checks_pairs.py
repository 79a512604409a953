"""The pair checks' rule logic on small hand-made views: two central bodies' own-field twins are
not an overlap, two provinces' texts on one matter are; a provision repeated across many
documents is one finding, not one per pair."""

from __future__ import annotations

from vbqppl.checks import run_checks
from vbqppl.checks.pairs import _own_fields
from vbqppl.checks.view import CorpusView, UnitRow
from vbqppl.store.catalog import DocRecord

AT = "2026-01-01"
SHARED = (
    "Điều 2. Quản lý chợ\nỦy ban nhân dân cấp xã quản lý các chợ hạng 3 trên địa bàn, bố trí "
    "ban quản lý chợ, phê duyệt nội quy chợ, kiểm tra việc chấp hành quy định về phòng cháy, "
    "chữa cháy, vệ sinh môi trường và an toàn thực phẩm tại chợ theo phân cấp."
)


def _doc(i: int, number: str, issuer: str, title: str, scope: str, body: str) -> tuple:
    text = f"Điều 1. Phạm vi điều chỉnh\n{scope}\n{body}\n"
    cut = text.index("Điều 2.")
    units = {
        "art_1": UnitRow("art_1", "article", "1", "Điều 1", None, 0, cut - 1),
        "art_2": UnitRow("art_2", "article", "2", "Điều 2", None, cut, len(text) - 1),
    }
    kind = "Thông tư" if "/TT-" in number else "Quyết định"
    record = DocRecord(
        i, number, number, kind, issuer, "2024-01-02", "2024-02-01", None, title, None
    )
    return record, text, units


def _view(docs: list[tuple]) -> CorpusView:
    return CorpusView(
        AT,
        {d[0].id: d[0] for d in docs},
        {d[0].id: d[1] for d in docs},
        {d[0].id: d[2] for d in docs},
        [],
        [],
        {},
    )


def _province(i: int, name: str) -> tuple:
    return _doc(
        i,
        f"{i}/2024/QĐ-UBND",
        f"Ủy ban nhân dân tỉnh {name}",
        f"Ban hành Quy định phân cấp quản lý chợ trên địa bàn tỉnh {name}",
        f"Quy định này quy định việc phân cấp quản lý nhà nước đối với chợ trên địa bàn tỉnh {name}.",
        SHARED,
    )


def test_two_ministries_each_governing_its_own_field_are_not_one_matter() -> None:
    scope = "Thông tư này hướng dẫn định mức chi xây dựng văn bản quy phạm pháp luật tại {}."
    docs = [
        _doc(
            1, "1/2025/TT-BTC", "Bộ Tài chính", "Định mức chi", scope.format("Bộ Tài chính"), SHARED
        ),
        _doc(2, "2/2025/TT-BCA", "Bộ Công an", "Định mức chi", scope.format("Bộ Công an"), SHARED),
    ]
    view = _view(docs)
    assert _own_fields(view, 1, 2)
    assert not [f for f in run_checks(view, rules=["overlap"])]


def test_two_provinces_on_one_matter_overlap_and_many_make_one_finding() -> None:
    two = run_checks(_view([_province(1, "Bắc Lâm"), _province(2, "Hòa Lâm")]), rules=["overlap"])
    assert [f.units for f in two] == [("1/2024/QĐ-UBND#art_2", "2/2024/QĐ-UBND#art_2")]
    names = ["Bắc Lâm", "Hòa Lâm", "Nam Lâm", "Đông Lâm", "Tây Lâm"]
    many = run_checks(_view([_province(i, n) for i, n in enumerate(names, 1)]), rules=["overlap"])
    assert len(many) == 1
    assert len(many[0].documents) == 5
    assert "5 quy định trong 5 văn bản" in many[0].explanation


def test_judged_findings_are_well_formed() -> None:
    """The hand judgements bench/sample_findings.py --judged reads: one per finding id."""
    from pathlib import Path

    import yaml

    from vbqppl.checks.registry import REGISTRY

    path = Path(__file__).parent / "fixtures" / "findings_judged.yaml"
    judged = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids = [j["id"] for j in judged]
    assert len(ids) == len(set(ids)) >= 40
    for j in judged:
        assert len(j["id"]) == 16 and int(j["id"], 16) >= 0
        assert j["rule"] in REGISTRY and isinstance(j["verdict"], bool) and j["reason"]
