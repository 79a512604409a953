"""The pair checks' rule logic on small hand-made views: two central bodies' own-field twins are
not an overlap, two provinces' texts on one matter are; a provision repeated across many
documents is one finding, not one per pair."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from vbqppl.checks import run_checks
from vbqppl.checks.pairs import _gram_candidates, _own_fields
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
    # three provinces merged into Ninh Bình in 2025; Cao Bằng and Sơn La were not merged
    names = ["Ninh Bình", "Hà Nam", "Nam Định", "Cao Bằng", "Sơn La"]
    many = run_checks(_view([_province(i, n) for i, n in enumerate(names, 1)]), rules=["overlap"])
    assert len(many) == 1
    assert many[0].documents == ("1/2024/QĐ-UBND", "2/2024/QĐ-UBND", "3/2024/QĐ-UBND")
    assert "3 quy định trong 3 văn bản" in many[0].explanation


def test_provinces_not_merged_are_not_compared() -> None:
    docs = [_province(1, "Cao Bằng"), _province(2, "Sơn La"), _province(3, "Bắc Lâm")]
    assert run_checks(_view(docs), rules=["overlap", "modality-conflict"]) == []


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


def test_one_dead_reference_finding_per_citing_unit_and_target() -> None:
    """A table naming a replaced circular in several rows is one finding quoting each place."""
    from vbqppl.store.catalog import LinkRecord
    from vbqppl.store.validity import Effect

    name = "Thông tư số 29/2021/TT-BLĐTBXH"
    text = f"Điều 1. Mức bồi dưỡng\nTheo {name}; loại IV theo {name}.\n"
    citing = DocRecord(
        1, "24/2022/TT-BLĐTBXH", "k1", "Thông tư", "Bộ", "2022-01-02", "2022-03-01", None, "x", None
    )
    cited = DocRecord(
        2, "29/2021/TT-BLĐTBXH", "k2", "Thông tư", "Bộ", "2021-01-02", "2021-03-01", None, "y", None
    )
    units = {1: {"art_1": UnitRow("art_1", "article", "1", "Điều 1", None, 0, len(text) - 1)}}
    spots = [i for i in range(len(text)) if text.startswith(name, i)]
    cites = [
        LinkRecord(
            "citation",
            n,
            1,
            "cites",
            "art_1",
            "29/2021/TT-BLĐTBXH",
            text=name,
            resolved_document_id=2,
        )
        for n in range(len(spots))
    ]
    ended = {2: [Effect("replaces", 3, "Thông tư 03/2025/TT-BLĐTBXH", None, "2025-04-01")]}
    view = CorpusView(
        AT,
        {1: citing, 2: cited},
        {1: text, 2: ""},
        units,
        cites,
        [],
        ended,
        citation_spans={n: (i, i + len(name)) for n, i in enumerate(spots)},
    )
    from vbqppl.checks.references import _dead_references

    assert len(list(_dead_references(view))) == 2  # two places before merging
    found = run_checks(view, rules=["dead-reference"])
    assert len(found) == 1
    assert [(e.start, e.quote) for e in found[0].evidence] == [(i, name) for i in spots]


def test_missing_effect_article_is_not_said_of_a_text_without_its_body() -> None:
    body = "Điều 1. Phạm vi\nThông tư này quy định mức chi.\n"
    row = {"art_1": UnitRow("art_1", "article", "1", "Điều 1", None, 0, len(body) - 1)}
    for text, units, expected in [
        (body, row, 1),  # articles, none on effect: said
        ("BỘ TÀI CHÍNH\nSố: 19/2026/TT-BTC\nKT. BỘ TRƯỞNG", {}, 0),  # header only
        (body + "(Xem tiếp theo Công báo số 1205 + 1206)", row, 0),  # cut Công báo part
    ]:
        doc = DocRecord(
            1,
            "19/2026/TT-BTC",
            "k",
            "Thông tư",
            "Bộ Tài chính",
            "2025-10-01",
            "2025-12-01",
            None,
            "x",
            None,
        )
        view = CorpusView(AT, {1: doc}, {1: text}, {1: units}, [], [], {})
        said = [
            f
            for f in run_checks(view, rules=["form-competence"])
            if "không có điều khoản" in f.explanation
        ]
        assert len(said) == expected, text


@settings(max_examples=300, deadline=None)
@given(
    grams=st.lists(st.sets(st.sampled_from([f"g{n}" for n in range(14)]), max_size=8), max_size=30),
    limit=st.integers(1, 12),
    least=st.sampled_from([0.3, 0.5, 0.6, 0.75, 1.0]),
)
def test_gram_candidates_are_every_pair_sharing_a_rare_gram_and_reaching_least(
    grams: list[set[str]], limit: int, least: float
) -> None:
    """numeric-conflict's candidates, by prefix filtering on the rare grams only, are exactly
    the pairs a comparison of every pair gives: sharing a gram held by at most ``limit`` sets,
    with Jaccard at least ``least``."""
    held = Counter(g for gs in grams for g in gs)
    every = [
        (i, j)
        for i, j in combinations(range(len(grams)), 2)
        if any(held[g] <= limit for g in grams[i] & grams[j])
        and len(grams[i] & grams[j]) >= least * len(grams[i] | grams[j])
    ]
    assert _gram_candidates(grams, limit, least) == every
    only = list(range(0, len(grams), 3))
    mine = [(i, j) for i, j in every if i in only or j in only]
    assert _gram_candidates(grams, limit, least, only) == mine
