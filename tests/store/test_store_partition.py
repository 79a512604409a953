"""The whole-store check part by part (vbqppl.checks.partition) finds what the check of the
whole store in one view finds: on the demo corpus (central documents and two merged made-up
provinces), on a generated one (63 provinces) and on the real corpus, in one process and in two;
the parts keep territories whole."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.evaluation import REAL
from vbqppl.checks import load_view, run_checks
from vbqppl.checks.partition import check_store, plan
from vbqppl.checks.territory import territory
from vbqppl.store.db import Store, open_store
from vbqppl.store.ingest import ingest

ROOT = Path(__file__).resolve().parents[2]


def _whole(store: Store, at: str) -> list[str]:
    with store.read() as conn:
        return [f.id for f in run_checks(load_view(conn, at))]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, generated_300: Store) -> Iterator[Store]:
    """The demo corpus (central documents, two merged made-up provinces) with the generated
    one's documents (63 real provinces citing central texts): a store with central documents
    and many territories."""
    store = open_store(str(tmp_path_factory.mktemp("part") / "mixed.db"))
    folder = Path(generated_300.name).parent / "c"
    ingest(store, [ROOT / "corpus", folder], jobs=2, on_conflict="keep-both")
    yield store
    store.close()


def _places(store: Store) -> dict[int, str | None]:
    with store.read() as conn:
        view = load_view(conn, "2026-01-01", in_force=False)
    return {
        i: territory(d.issuer, r.scope if (r := view.rank(i)) else None)
        for i, d in view.documents.items()
    }


@pytest.mark.parametrize("size", [1, 40, 10_000])
def test_plan_keeps_territories_whole_and_owns_each_document_once(
    generated_300: Store, size: int
) -> None:
    place = _places(generated_300)
    with generated_300.read() as conn:
        parts = plan(conn, size)
    owners = Counter(i for p in parts for i in p.own)
    assert set(owners) == set(place) and set(owners.values()) == {1}
    held: dict[str | None, set[int]] = defaultdict(set)
    for n, p in enumerate(parts):
        for i in p.own:
            held[place[i]].add(n)
        assert set(p.central) == {i for i, x in place.items() if x is None}
        assert {place[i] for i in p.own} - {None} == set(p.places)
    assert all(len(v) == 1 for k, v in held.items() if k is not None)  # a territory: one part
    count = Counter(x for x in place.values() if x is not None)
    local = [sum(count[x] for x in p.places) for p in parts]
    for n, p in zip(local, parts, strict=True):  # at most size, unless one territory is more
        assert n <= size or len(p.places) == 1
    for n, p in zip(local, parts[1:], strict=False):  # packed: the next one did not fit
        assert n + count[p.places[0]] > size
    if size == 10_000:  # fewer local documents than that: one part, the whole store's view
        assert len(parts) == 1
    if size == 1:
        assert len(parts) == len({x for x in place.values() if x is not None})


def test_parts_find_what_the_whole_store_check_finds_on_a_generated_corpus(
    generated_300: Store,
) -> None:
    whole = _whole(generated_300, "2026-01-01")
    assert len(whole) > 100
    for jobs in (1, 2):
        parts = check_store(generated_300, "2026-01-01", jobs=jobs, part_size=40)
        assert [f.id for f in parts] == whole, jobs


def test_parts_find_what_the_whole_store_check_finds_with_central_documents(
    mixed: Store,
) -> None:
    place = _places(mixed)
    assert any(x is None for x in place.values())  # a central document, in every part
    whole = _whole(mixed, "2025-12-01")
    assert len(whole) > 100
    seen: list[tuple[int, int]] = []
    got = check_store(
        mixed, "2025-12-01", jobs=2, part_size=60, progress=lambda d, n: seen.append((d, n))
    )
    assert [f.id for f in got] == whole
    assert len(seen) > 1 and seen[-1][0] == seen[-1][1] == len(seen)


def test_a_rule_subset_is_checked_part_by_part(generated_300: Store) -> None:
    rules = ["repeats-higher", "numeric-conflict"]
    with generated_300.read() as conn:
        whole = [f.id for f in run_checks(load_view(conn, "2026-01-01"), rules=rules)]
    got = check_store(generated_300, "2026-01-01", rules=rules, part_size=40)
    assert [f.id for f in got] == whole and {f.rule for f in got} <= set(rules)


@pytest.mark.realcorpus
def test_parts_find_what_the_whole_store_check_finds_on_the_real_corpus(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "real.db"))
    try:
        ingest(store, [REAL / "texts"], jobs=2)
        whole = _whole(store, "2026-11-28")
        assert len(whole) > 50
        # most of the corpus is central, and every part checks the central documents again:
        # two parts are enough to compare, seven took four times the whole check's time
        with store.read() as conn:
            assert len(plan(conn, 100)) == 2
        got = check_store(store, "2026-11-28", jobs=2, part_size=100)
        assert [f.id for f in got] == whole
    finally:
        store.close()


def test_parts_in_workers_read_the_same_store_on_each_backend(
    store: Store, generated_300: Store
) -> None:
    """The worker processes open the store by its URL: SQLite and PostgreSQL alike."""
    files = sorted((Path(generated_300.name).parent / "c").rglob("*.txt"))[:90]
    ingest(store, files, jobs=1, on_conflict="keep-both")
    whole = _whole(store, "2026-01-01")
    assert whole
    with store.read() as conn:
        assert len(plan(conn, 10)) > 2
    assert [f.id for f in check_store(store, "2026-01-01", jobs=2, part_size=10)] == whole
