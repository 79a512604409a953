"""When review items open and close (vbqppl.review.rules): pure functions, table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from vbqppl.review.model import (
    AMEND,
    AMENDED,
    BASIS,
    REPEAL_PART,
    REPEAL_WHOLE,
    REPLACE,
    ItemUnit,
    ReviewItem,
)
from vbqppl.review.rules import plan_closings, plan_openings
from vbqppl.store.catalog import DocRecord, LinkRecord

DOCS = {
    i: DocRecord(
        id=i,
        number=f"{i}/2024/QĐ-UBND",
        number_key=f"{i}/2024/QD-UBND",
        type="Quyết định",
        issuer=None,
        issued=issued,
        effective=None,
        effective_rule=None,
        title=None,
        name_key=None,
    )
    for i, issued in {
        1: "2020-01-01",
        2: "2021-01-01",
        3: "2022-01-01",
        4: "2023-01-01",
        5: None,
    }.items()
}


def rel(
    by: int, typ: str, target: int, unit: str | None = None, part: bool = False, id: int = 1
) -> LinkRecord:
    return LinkRecord(
        kind="relation",
        id=id,
        document_id=by,
        type=typ,
        target_unit=unit,
        resolved_document_id=target,
        resolved_unit=unit,
        part=part,
    )


def basis(by: int, target: int) -> LinkRecord:
    return LinkRecord(
        kind="citation", id=1, document_id=by, type="bases-on", resolved_document_id=target
    )


def item(units: tuple[str, ...] = (), **kw: Any) -> ReviewItem:
    values: dict[str, Any] = {
        "id": 7,
        "key": "k",
        "cause": "finding",
        "document": "1/2024/QĐ-UBND",
        "document_label": "Quyết định 1/2024/QĐ-UBND",
        "document_id": 1,
        "reason": "",
        "status": "mới",
        "priority": "trung bình",
        "version": 1,
        "relation_mark": 10,
        "units": tuple(ItemUnit(u) for u in units),
    }
    values.update(kw)
    return ReviewItem(**values)


# --- opening ----------------------------------------------------------------------------------


def test_first_and_second_hop_merged_by_document_and_trigger() -> None:
    relations = [
        rel(3, "amends", 1, "art_2"),
        rel(3, "repeals", 1, "art_4__para_1", part=True),
        rel(3, "amends", 2, "art_1"),
        rel(4, "replaces", 2),
    ]
    bases = [basis(4, 1), basis(5, 1), basis(5, 2), basis(3, 1), basis(2, 1), basis(2, 3)]
    plan = {o.key: o for o in plan_openings(DOCS, relations, bases)}
    assert set(plan) == {
        "amended:1/2024/QD-UBND:3/2024/QD-UBND",
        "amended:2/2024/QD-UBND:3/2024/QD-UBND",
        "amended:2/2024/QD-UBND:4/2024/QD-UBND",
        "basis:4/2024/QD-UBND:3/2024/QD-UBND",  # 4 rests on 1, amended by 3
        "basis:5/2024/QD-UBND:3/2024/QD-UBND",  # 5 rests on 1 and 2, both amended by 3: one item
        "basis:5/2024/QD-UBND:4/2024/QD-UBND",
    }  # 3 rests on 1 but is the trigger itself: no item; 2 rests on 1, amended by 3, but also
    # on 3 itself (its Căn cứ cites the amending document): issued with the change in view

    one = plan["amended:1/2024/QD-UBND:3/2024/QD-UBND"]
    assert one.cause == AMENDED and one.handled is None
    assert "sửa đổi, bổ sung Điều 2; bãi bỏ khoản 1 Điều 4" in one.reason
    replaced = plan["amended:2/2024/QD-UBND:4/2024/QD-UBND"].handled
    assert replaced is not None and (replaced.by, replaced.outcome) == ("4/2024/QĐ-UBND", REPLACE)
    merged = plan["basis:5/2024/QD-UBND:3/2024/QD-UBND"]
    assert merged.cause == BASIS and merged.via == "1/2024/QĐ-UBND"
    assert "Quyết định 1/2024/QĐ-UBND, Quyết định 2/2024/QĐ-UBND" in merged.reason


def test_suspension_and_self_reference_do_not_open_handled() -> None:
    plan = plan_openings(DOCS, [rel(3, "suspends", 1), rel(2, "amends", 2, "art_1")], [])
    assert [(o.document, o.handled) for o in plan] == [("1/2024/QĐ-UBND", None)]


# --- closing ----------------------------------------------------------------------------------

CASES = [
    # (item units, relations, units handled now, closes with outcome or None)
    ((), [rel(4, "amends", 1, "art_9", id=11)], [], AMEND),
    ((), [rel(4, "repeals", 1, id=11)], [], REPEAL_WHOLE),
    ((), [rel(4, "repeals", 1, "art_2", part=True, id=11)], [], REPEAL_PART),
    ((), [rel(4, "amends", 1, "art_9", id=11), rel(4, "replaces", 1, id=12)], [], REPLACE),
    ((), [rel(4, "amends", 1, "art_9", id=9)], None, None),  # stored before the item opened
    (("art_2__para_1",), [rel(4, "amends", 1, "art_2", id=11)], ["art_2__para_1"], AMEND),  # above
    (("art_2",), [rel(4, "amends", 1, "art_2__para_1", id=11)], None, None),  # below: not all
    (("art_2__para_1",), [rel(4, "amends", 1, None, id=11)], None, None),  # wording throughout
    (("art_2__para_1",), [rel(4, "replaces", 1, None, id=11)], ["art_2__para_1"], REPLACE),
    (
        ("art_2__para_1", "art_3"),
        [rel(4, "amends", 1, "art_3", id=11)],
        ["art_3"],
        None,  # partly handled: stays open
    ),
    (
        ("art_2__para_1", "art_3"),
        [rel(4, "amends", 1, "art_3", id=11), rel(4, "repeals", 1, "art_2", part=True, id=12)],
        ["art_2__para_1", "art_3"],
        f"{AMEND}; {REPEAL_PART}",
    ),
]


@pytest.mark.parametrize(("units", "relations", "handled", "outcome"), CASES)
def test_closing(
    units: tuple[str, ...],
    relations: list[LinkRecord],
    handled: list[str] | None,
    outcome: str | None,
) -> None:
    plan = plan_closings([item(units)], relations, DOCS)
    if handled is None:
        assert plan == []
        return
    (closure,) = plan
    assert sorted(u for u, _ in closure.units) == sorted(handled)
    assert (closure.closes.outcome if closure.closes else None) == outcome
    if closure.closes:
        assert closure.closes.by == "4/2024/QĐ-UBND"


def test_a_trigger_never_closes_its_own_item_and_earlier_documents_do_not_either() -> None:
    opened = item(
        cause=AMENDED, trigger_document_id=3, trigger_issued="2022-01-01", relation_mark=0
    )
    assert plan_closings([opened], [rel(3, "amends", 1, "art_1", id=50)], DOCS) == []
    assert plan_closings([opened], [rel(2, "amends", 1, "art_1", id=50)], DOCS) == []  # 2021
    (later,) = plan_closings([opened], [rel(4, "amends", 1, "art_1", id=1)], DOCS)  # 2023
    assert later.closes is not None and later.closes.by == "4/2024/QĐ-UBND"
    # the earliest of several handling documents handles it
    (first,) = plan_closings(
        [item()], [rel(4, "repeals", 1, id=12), rel(3, "amends", 1, "art_1", id=11)], DOCS
    )
    assert first.closes is not None and (first.closes.by, first.closes.outcome) == (
        "3/2024/QĐ-UBND",
        AMEND,
    )


def test_closed_items_and_items_without_a_document_are_left_alone() -> None:
    relations = [rel(4, "repeals", 1, id=11)]
    assert plan_closings([item(status="giữ nguyên"), item(document_id=None)], relations, DOCS) == []
