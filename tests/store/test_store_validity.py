"""Validity of documents and units at a date: pure rules (tables), then the demo corpus with
the relations its manifest records, in the store."""

from __future__ import annotations

import pytest

from tests.store.corpus_docs import load_linked
from vbqppl.store.db import Store
from vbqppl.store.validity import (
    Effect,
    Status,
    corpus_validity,
    document_report,
    document_validity,
    start_date,
    unit_validities,
)


@pytest.mark.parametrize(
    ("issued", "effective", "rule", "start"),
    [
        ("2024-03-15", "2024-03-25", None, "2024-03-25"),
        ("2025-03-24", None, "kể từ ngày ký", "2025-03-24"),
        ("2025-03-24", None, "từ ngày ký ban hành", "2025-03-24"),
        ("2020-11-13", None, "kể từ ngày thông qua", "2020-11-13"),
        ("2025-01-01", None, "sau 45 ngày kể từ ngày ký", "2025-02-15"),
        ("2025-01-01", None, "sau 45 ngày kể từ ngày ký ban hành", "2025-02-15"),
        (None, None, "kể từ ngày ký", None),
        ("2025-01-01", None, "kể từ ngày 01 tháng 7 năm sau", None),
        ("2025-01-01", None, None, None),
    ],
)
def test_start_date(
    issued: str | None, effective: str | None, rule: str | None, start: str | None
) -> None:
    assert start_date(issued, effective, rule) == start


def E(type_: str, unit: str | None = None, date: str | None = "2025-01-01", by: int = 9) -> Effect:
    return Effect(
        type=type_, by_document=by, by_label=f"Quyết định {by}/2025/QĐ-UBND", unit=unit, date=date
    )


@pytest.mark.parametrize(
    ("start", "effects", "at", "status", "since"),
    [
        ("2024-01-01", [], "2024-06-01", Status.IN_FORCE, "2024-01-01"),
        ("2024-01-01", [], "2023-12-31", Status.NOT_YET, None),
        (None, [], "2024-06-01", Status.IN_FORCE, None),
        ("2024-01-01", [E("repeals")], "2024-12-31", Status.IN_FORCE, "2024-01-01"),
        ("2024-01-01", [E("repeals")], "2025-01-01", Status.EXPIRED, "2025-01-01"),
        ("2024-01-01", [E("replaces")], "2025-06-01", Status.EXPIRED, "2025-01-01"),
        ("2024-01-01", [E("expires")], "2025-06-01", Status.EXPIRED, "2025-01-01"),
        ("2024-01-01", [E("suspends")], "2025-06-01", Status.SUSPENDED, "2025-01-01"),
        ("2024-01-01", [E("repeals", "art_2")], "2025-06-01", Status.PARTLY_EXPIRED, "2025-01-01"),
        ("2024-01-01", [E("amends", "art_2")], "2025-06-01", Status.PARTLY_EXPIRED, "2025-01-01"),
        ("2024-01-01", [E("amends")], "2025-06-01", Status.PARTLY_EXPIRED, "2025-01-01"),
        (
            "2024-01-01",
            [E("suspends", "art_2")],
            "2025-06-01",
            Status.PARTLY_SUSPENDED,
            "2025-01-01",
        ),
        ("2024-01-01", [E("corrects"), E("guides")], "2025-06-01", Status.IN_FORCE, "2024-01-01"),
        # repealed before it took effect: repealed
        ("2026-01-01", [E("repeals")], "2025-06-01", Status.EXPIRED, "2025-01-01"),
        # the first whole-document end counts
        (
            "2024-01-01",
            [E("repeals", date="2025-03-01", by=2), E("replaces", date="2025-02-01", by=3)],
            "2025-06-01",
            Status.EXPIRED,
            "2025-02-01",
        ),
        # a date not known is taken as already in effect
        ("2024-01-01", [E("repeals", date=None)], "2024-06-01", Status.EXPIRED, None),
    ],
)
def test_document_validity(
    start: str | None, effects: list[Effect], at: str, status: Status, since: str | None
) -> None:
    v = document_validity(start, effects, at)
    assert (v.status, v.since) == (status, since)


def test_reason_names_a_change_stated_twice_once() -> None:
    # the title and the first article of an amending decision both amend the whole document
    v = document_validity(
        "2024-01-01", [E("amends"), E("amends"), E("repeals", "art_2")], "2025-06-01"
    )
    assert v.reason().count("được sửa đổi, bổ sung bởi Quyết định 9/2025/QĐ-UBND") == 1
    assert "Điều 2 bị bãi bỏ" in v.reason() and "thay đổi khác" not in v.reason()


def test_reason_names_the_acting_document_and_the_unit() -> None:
    v = document_validity(
        "2024-01-01", [E("repeals", "att_1__art_10__para_1__point_c")], "2025-06-01"
    )
    assert v.by is not None and v.by.by_document == 9
    assert v.reason() == (
        "điểm c khoản 1 Điều 10 văn bản kèm theo bị bãi bỏ bởi Quyết định 9/2025/QĐ-UBND "
        "từ ngày 01/01/2025"
    )
    assert (
        document_validity("2024-03-25", [], "2025-01-01").reason()
        == "có hiệu lực từ ngày 25/03/2024"
    )


UNITS = {
    "chp_1": None,
    "art_1": "chp_1",
    "art_1__para_1": "art_1",
    "art_1__para_1__point_a": "art_1__para_1",
    "art_1__para_1__point_b": "art_1__para_1",
    "art_1__para_2": "art_1",
    "art_2": "chp_1",
    "art_2__para_1": "art_2",
}


def _units(effects: list[Effect], at: str = "2025-06-01") -> dict[str, Status]:
    doc = document_validity("2024-01-01", effects, at)
    return {u: v.status for u, v in unit_validities(UNITS, doc, effects, at).items()}


def test_repealing_a_point_ends_it_and_leaves_its_parents_partly_in_force() -> None:
    got = _units([E("repeals", "art_1__para_1__point_b")])
    assert got == {
        "chp_1": Status.PARTLY_EXPIRED,
        "art_1": Status.PARTLY_EXPIRED,
        "art_1__para_1": Status.PARTLY_EXPIRED,
        "art_1__para_1__point_a": Status.IN_FORCE,
        "art_1__para_1__point_b": Status.EXPIRED,
        "art_1__para_2": Status.IN_FORCE,
        "art_2": Status.IN_FORCE,
        "art_2__para_1": Status.IN_FORCE,
    }


def test_an_amended_article_is_in_force_in_its_new_wording() -> None:
    got = _units([E("amends", "art_1")])
    assert {u for u, s in got.items() if s is Status.IN_FORCE} == {
        "art_1",
        "art_1__para_1",
        "art_1__para_1__point_a",
        "art_1__para_1__point_b",
        "art_1__para_2",
        "art_2",
        "art_2__para_1",
    }
    assert got["chp_1"] is Status.PARTLY_EXPIRED


def test_units_the_new_wording_leaves_out_are_no_longer_in_force() -> None:
    doc = document_validity("2024-01-01", [], "2025-06-01")
    effects = [E("amends", "art_1")]
    now = set(UNITS) - {"art_1__para_1__point_b"}  # the new Điều 1 has no điểm b
    got = unit_validities(UNITS, doc, effects, "2025-06-01", current=now)
    assert got["art_1__para_1__point_b"].status is Status.EXPIRED
    assert got["art_1"].status is Status.IN_FORCE
    assert got["art_1"].reason().startswith("Điều 1 được sửa đổi, bổ sung bởi Quyết định 9/2025")


def test_inserting_a_unit_changes_the_unit_it_goes_into() -> None:
    got = _units([E("amends", "art_1__para_1a")])  # "bổ sung khoản 1a vào sau khoản 1"
    assert got["art_1"] is Status.PARTLY_EXPIRED
    assert got["art_1__para_1"] is Status.IN_FORCE


def test_effects_not_yet_in_force_do_nothing_and_whole_document_status_is_inherited() -> None:
    assert set(_units([E("repeals", "art_2", date="2026-01-01")]).values()) == {Status.IN_FORCE}
    assert set(_units([E("repeals")]).values()) == {Status.EXPIRED}
    assert set(_units([], at="2023-01-01").values()) == {Status.NOT_YET}
    assert _units([E("suspends", "art_2")])["art_2__para_1"] is Status.SUSPENDED


# --- the demo corpus in the store -------------------------------------------------------------


@pytest.fixture
def linked_store(store: Store) -> tuple[Store, dict[str, int]]:
    return store, load_linked(store)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # 27/2024 replaces 08/2019 from 01/10/2024 (the day 27/2024 takes effect)
        ("2024-09-30", {"08/2019/QĐ-UBND": Status.IN_FORCE, "27/2024/QĐ-UBND": Status.NOT_YET}),
        ("2024-10-01", {"08/2019/QĐ-UBND": Status.EXPIRED, "27/2024/QĐ-UBND": Status.IN_FORCE}),
        # 11/2025 repeals 15/2020 from the day it is signed (kể từ ngày ký, 24/03/2025)
        ("2025-03-23", {"15/2020/QĐ-UBND": Status.IN_FORCE, "11/2025/QĐ-UBND": Status.NOT_YET}),
        ("2025-03-24", {"15/2020/QĐ-UBND": Status.EXPIRED, "11/2025/QĐ-UBND": Status.IN_FORCE}),
        # 16/2025 amends and partly repeals the regulation attached to 12/2024 from 20/05/2025
        ("2025-05-19", {"12/2024/QĐ-UBND": Status.IN_FORCE}),
        ("2025-05-20", {"12/2024/QĐ-UBND": Status.PARTLY_EXPIRED}),
        # 41/2025 ends 17/2021 (Bắc Lâm) the day it takes effect
        ("2025-09-30", {"17/2021/QĐ-UBND": Status.IN_FORCE, "41/2025/QĐ-UBND": Status.NOT_YET}),
        ("2025-10-01", {"17/2021/QĐ-UBND": Status.EXPIRED, "41/2025/QĐ-UBND": Status.IN_FORCE}),
    ],
)
def test_demo_corpus_statuses(
    linked_store: tuple[Store, dict[str, int]], at: str, expected: dict[str, Status]
) -> None:
    store, ids = linked_store
    with store.read() as conn:
        _docs, validity = corpus_validity(conn, at)
    assert {n: validity[ids[n]].status for n in expected} == expected
    untouched = {"05/2023/NQ-HĐND", "22/2022/QĐ-UBND", "09/2023/QĐ-UBND"}
    assert {validity[ids[n]].status for n in untouched} == {Status.IN_FORCE}


def test_demo_unit_statuses_and_reason(linked_store: tuple[Store, dict[str, int]]) -> None:
    store, ids = linked_store
    with store.read() as conn:
        report = document_report(conn, ids["12/2024/QĐ-UBND"], "2025-06-01")
        replaced = document_report(conn, ids["08/2019/QĐ-UBND"], "2025-06-01")
    units = report.units
    assert units["att_1__art_10__para_1__point_c"].status is Status.EXPIRED
    assert units["att_1__art_10__para_1"].status is Status.PARTLY_EXPIRED
    assert units["att_1__art_10__para_1__point_a"].status is Status.IN_FORCE
    # the whole article re-worded: in force in its new wording (tests/store/test_store_inforce.py)
    assert units["att_1__art_14"].status is Status.IN_FORCE
    assert units["att_1__art_14"].by is not None
    assert units["att_1__art_14"].by.by_document == ids["16/2025/QĐ-UBND"]
    assert units["att_1__art_1"].status is Status.IN_FORCE
    assert units["art_1"].status is Status.IN_FORCE  # the decision's own articles are untouched
    assert {e.by_document for e in report.validity.effects} == {ids["16/2025/QĐ-UBND"]}
    by = replaced.validity.by
    assert by is not None and by.by_document == ids["27/2024/QĐ-UBND"]
    assert (
        replaced.validity.reason()
        == "bị thay thế bởi Quyết định 27/2024/QĐ-UBND từ ngày 01/10/2024"
    )
    assert {v.status for v in replaced.units.values()} == {Status.EXPIRED}


def test_replacing_an_annex_ends_only_part_of_the_document() -> None:
    """'Thay thế Phụ lục III ...' names no unit but acts on part of the document."""
    annex = Effect(
        type="replaces",
        by_document=9,
        by_label="Thông tư 9/2025/TT-BLĐTBXH",
        unit=None,
        date="2025-01-01",
        part=True,
    )
    v = document_validity("2024-01-01", [annex], "2025-06-01")
    assert v.status is Status.PARTLY_EXPIRED
    whole = document_validity("2024-01-01", [E("replaces")], "2025-06-01")
    assert whole.status is Status.EXPIRED
