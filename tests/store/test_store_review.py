"""The review queue end to end on the demo corpus (both backends): items opened by the checks'
findings and by the Điều 39 rule (both hops) when the acting documents arrive, closed with the
right outcome when the handling documents arrive, partly handled items left open with what
remains; and two reviewers deciding the same item at once in two processes."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vbqppl.checks import Evidence, Finding, load_view, run_checks
from vbqppl.checks.finding import MEDIUM
from vbqppl.errors import ConflictError
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl.review import (
    assign,
    decide,
    get_item,
    history,
    load_items,
    open_for_findings,
    sync,
)
from vbqppl.review.model import (
    AMEND,
    AMENDED,
    BASIS,
    DONE,
    EXPIRE,
    FINDING,
    NEW,
    OPEN_STATUSES,
    RECOMMENDED,
    REPEAL_WHOLE,
    REPLACE,
    ReviewItem,
)
from vbqppl.store.db import Store, open_store
from vbqppl.store.ingest import ingest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
HANDLER = ROOT / "tests" / "fixtures" / "review" / "qd-44-2025-ubnd.txt"
AT = "2025-04-01"  # before the acting documents took effect


def _acting_files() -> tuple[list[Path], list[Path]]:
    """The demo documents that act on no other document, and those that do."""
    quiet, acting = [], []
    for p in sorted(CORPUS.iterdir()):
        if p.suffix not in (".txt", ".md") or p.name == "README.md":
            continue
        doc = parse_document(read_file(p), path=str(p))
        (acting if doc.relations else quiet).append(p)
    return quiet, acting


def _two_unit_finding() -> Finding:
    """A finding about two units of 12/2024 (only one of which the handler will amend)."""
    units = ("12/2024/QĐ-UBND#att_1__art_6__para_1", "12/2024/QĐ-UBND#att_1__art_4__para_1")
    return Finding(
        rule="test-two-units",
        severity=MEDIUM,
        documents=("12/2024/QĐ-UBND",),
        units=units,
        evidence=(Evidence("12/2024/QĐ-UBND", "att_1__art_6__para_1", 0, 1, "x"),),
        explanation="Hai khoản cần rà soát cùng nhau.",
        handling=AMEND,
    )


def _one(items: list[ReviewItem], **where: Any) -> ReviewItem:
    found = [i for i in items if all(getattr(i, k) == v for k, v in where.items())]
    assert len(found) == 1, (where, [(i.key, i.status) for i in items])
    return found[0]


def test_demo_corpus_review_story(store: Store) -> None:
    quiet, acting = _acting_files()
    assert {p.name for p in acting} == {
        "qd-11-2025-ubnd.txt",
        "qd-16-2025-ubnd.txt",
        "qd-27-2024-ubnd.txt",
        "qd-41-2025-ubnd.txt",
    }
    # 1. the documents that act on nothing, and the checks: items for the findings only
    ingest(store, quiet, jobs=1)
    with store.begin() as conn:
        assert sync(conn).total_opened == 0
        findings = run_checks(load_view(conn, AT))
        first = open_for_findings(conn, [*findings, _two_unit_finding()])
    assert first.total_opened == first.opened[FINDING] > 0
    with store.read() as conn:
        items = load_items(conn)
    numeric = _one(items, rule="numeric-conflict", document="12/2024/QĐ-UBND")
    assert [u.unit for u in numeric.units] == ["att_1__art_6__para_1"]
    assert {i.status for i in items} == {NEW}
    with store.begin() as conn:  # the same findings again: merged, nothing repeated
        again = open_for_findings(conn, findings)
    assert again.total_opened == 0 and again.merged == len(items) - 1

    # 2. the acting documents: Điều 39 items, both hops; whole endings opened already handled
    ingest(store, acting, jobs=1)
    with store.begin() as conn:
        second = sync(conn)
        items = load_items(conn)
    assert second.opened == {AMENDED: 4, BASIS: 1}
    amended = {i.document: i for i in items if i.cause == AMENDED}
    assert set(amended) == {
        "12/2024/QĐ-UBND",
        "08/2019/QĐ-UBND",
        "15/2020/QĐ-UBND",
        "17/2021/QĐ-UBND",
    }
    done = {n: (i.handled_by, i.outcome) for n, i in amended.items() if i.status == DONE}
    assert done == {
        "08/2019/QĐ-UBND": ("27/2024/QĐ-UBND", REPLACE),
        "15/2020/QĐ-UBND": ("11/2025/QĐ-UBND", REPEAL_WHOLE),
        "17/2021/QĐ-UBND": ("41/2025/QĐ-UBND", EXPIRE),
    }
    partial = amended["12/2024/QĐ-UBND"]
    assert partial.status == NEW and partial.trigger == "16/2025/QĐ-UBND"
    assert "bãi bỏ điểm c khoản 1 Điều 10" in partial.reason
    basis = _one(items, cause=BASIS)  # the second hop: issued on the basis of 08/2019
    assert (basis.document, basis.via, basis.trigger) == (
        "06/2025/QĐ-UBND",
        "08/2019/QĐ-UBND",
        "27/2024/QĐ-UBND",
    )
    # 16/2025 amends other units of 12/2024 than the findings name: they stay open
    assert all(i.status == NEW for i in items if i.cause == FINDING)
    with store.begin() as conn:
        assert sync(conn).total_opened == 0  # idempotent

    # 3. a later decision amends khoản 1 Điều 6 of the 12/2024 regulation
    ingest(store, [HANDLER], jobs=1)
    with store.begin() as conn:
        third = sync(conn)
        items = load_items(conn)
    numeric = get_item_by_key(items, numeric.key)
    assert (numeric.status, numeric.handled_by, numeric.outcome) == (
        DONE,
        "44/2025/QĐ-UBND",
        AMEND,
    )
    assert numeric.handled_on == "2025-11-24"
    two = _one(items, rule="test-two-units")  # one of its two units handled: still open
    assert two.status == NEW and two.remaining == ("att_1__art_4__para_1",)
    assert two.id in third.partly
    partial = get_item_by_key(items, partial.key)  # a later amendment of 12/2024 handles it
    assert (partial.status, partial.handled_by, partial.outcome) == (DONE, "44/2025/QĐ-UBND", AMEND)
    assert set(third.closed) == {numeric.id, partial.id}
    still_open = {i.key for i in items if i.status in OPEN_STATUSES}
    assert _one(items, rule="numeric-conflict", document="31/2024/QĐ-UBND").key in still_open
    assert basis.key in still_open
    with store.read() as conn:
        log = history(conn, numeric.id)
    assert [e.action for e in log] == ["open", "handle", *["close"] * 4]
    assert {e.field: e.new_value for e in log if e.action == "close"}["handled_by"] == (
        "44/2025/QĐ-UBND"
    )


def get_item_by_key(items: list[ReviewItem], key: str) -> ReviewItem:
    return next(i for i in items if i.key == key)


# --- two reviewers at once -------------------------------------------------------------------


def _decide_in_process(
    url: str, item_id: int, user: str, handling: str, barrier: Any, out: Any
) -> None:
    store = open_store(url)
    try:
        with store.read() as conn:
            seen = get_item(conn, item_id).version
        barrier.wait(timeout=60)  # both have read the same version before deciding
        try:
            decide(store, item_id, user=user, handling=handling, version=seen)
            out.put((user, "ok"))
        except ConflictError as err:
            out.put((user, str(err)))
    finally:
        store.close()


@pytest.fixture
def one_item(store: Store, db_url: str) -> Iterator[tuple[str, int]]:
    ingest(store, [CORPUS / "qd-33-2024-ubnd.txt"], jobs=1)
    finding = Finding(
        rule="test-conflict",
        severity=MEDIUM,
        documents=("33/2024/QĐ-UBND",),
        units=("33/2024/QĐ-UBND#art_6",),
        evidence=(),
        explanation="Thử hai người cùng quyết định.",
        handling=AMEND,
    )
    with store.begin() as conn:
        (item_id,) = open_for_findings(conn, [finding]).opened_ids
    yield db_url, item_id


def test_two_reviewers_deciding_at_once(one_item: tuple[str, int], store: Store) -> None:
    url, item_id = one_item
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_decide_in_process, args=(url, item_id, u, h, barrier, out))
        for u, h in (("an", "thay thế"), ("binh", "bãi bỏ toàn bộ"))
    ]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    winners = [u for u, r in results.items() if r == "ok"]
    assert len(winners) == 1, results
    (loser,) = set(results) - set(winners)
    assert results[loser].startswith(f"mục rà soát #{item_id} đã được người khác thay đổi")
    with store.read() as conn:
        item = get_item(conn, item_id)
        log = [e for e in history(conn, item_id) if e.action == "decide"]
    expected = {"an": "thay thế", "binh": "bãi bỏ toàn bộ"}
    assert (item.status, item.recommendation, item.version) == (
        RECOMMENDED,
        expected[winners[0]],
        2,
    )
    outcomes = {(e.user, e.outcome) for e in log if e.field == "recommendation"}
    assert outcomes == {(winners[0], "ok"), (loser, "refused")}
    refused = next(e for e in log if e.outcome == "refused" and e.field == "recommendation")
    assert refused.new_value == expected[loser] and refused.version == 1


def test_stale_version_is_refused_and_logged(one_item: tuple[str, int], store: Store) -> None:
    _, item_id = one_item
    assign(store, item_id, user="an", assignee="an", deadline="31/12/2025", version=1)
    with pytest.raises(ConflictError, match="phiên bản hiện tại 2"):
        assign(store, item_id, user="binh", assignee="binh", version=1)
    with store.read() as conn:
        item = get_item(conn, item_id)
        log = history(conn, item_id)
    assert (item.assignee, item.deadline, item.version) == ("an", "2025-12-31", 2)
    assert sorted((e.user, e.field, e.outcome) for e in log if e.action == "assign") == [
        ("an", "assignee", "ok"),
        ("an", "deadline", "ok"),
        ("an", "status", "ok"),
        ("binh", "assignee", "refused"),
    ]
