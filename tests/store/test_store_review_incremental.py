"""The review queue's sync after an ingest reads only what the ingest changed (both backends):
ingesting documents a few at a time with that partial sync leaves exactly the queue that the
whole-store sync leaves after each of the same ingests (same items, statuses, units and log),
on the demo corpus and on a generated one, in several orders, with re-ingests that replace
documents."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from vbqppl.review import queue
from vbqppl.review.queue import SYNCED, after_ingest, sync
from vbqppl.store import schema
from vbqppl.store.db import Store, get_meta, open_store
from vbqppl.store.ingest import ingest

ROOT = Path(__file__).resolve().parents[2]
DEMO = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md", ".html"))
DEMO = [p for p in DEMO if p.name != "README.md"]
LOGGED = ("user", "action", "field", "old_value", "new_value", "version", "outcome")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("gen")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "300", str(out), "--seed", "3"],
        check=True,
        capture_output=True,
    )
    return sorted(out.rglob("*.txt"))


def queue_state(store: Store) -> dict[str, Any]:
    """The queue with item ids replaced by keys and without times: what must be equal."""
    t, tu, tl = schema.review_items, schema.review_units, schema.review_log
    with store.read() as conn:
        items = list(conn.execute(select(t)).mappings())
        key = {r["id"]: r["key"] for r in items}
        skip = ("id", "created_at", "updated_at")
        return {
            "items": {r["key"]: {k: v for k, v in r.items() if k not in skip} for r in items},
            "units": sorted(
                (key[r["item_id"]], r["unit_id"], r["handled_by"], r["handled_on"], r["outcome"])
                for r in conn.execute(select(tu)).mappings()
            ),
            "log": sorted(
                (key[r["item_id"]], *(str(r[c]) for c in LOGGED))
                for r in conn.execute(select(tl)).mappings()
            ),
        }


def _batches(files: Sequence[Path], rng: random.Random, largest: int) -> list[list[Path]]:
    out, at = [], 0
    while at < len(files):
        n = rng.randint(1, largest)
        out.append(list(files[at : at + n]))
        at += n
    return out


def _edited(path: Path, tmp: Path) -> Path:
    """The same document with one more sentence: stored again, it replaces the first one."""
    copy = tmp / f"sua-{path.name}"
    copy.write_text(path.read_text(encoding="utf-8") + "\nNơi nhận: như trên.\n", encoding="utf-8")
    return copy


def run_both(
    partial: Store, whole: Store, steps: Sequence[tuple[list[Path], str]], monkeypatch: Any
) -> list[bool]:
    """Ingest each step into both stores; ``partial`` syncs through :func:`after_ingest`,
    ``whole`` with the whole-store :func:`sync`; the queues must be equal after every step.
    Returns, for each step, whether the partial sync was taken."""
    taken: list[bool] = []
    real: Callable[..., Any] = queue.sync

    def spy(conn: Any, documents: Any = None) -> Any:
        taken.append(documents is not None)
        return real(conn, documents)

    monkeypatch.setattr(queue, "sync", spy)
    for n, (files, policy) in enumerate(steps):
        report = ingest(partial, files, jobs=1, on_conflict=policy)
        after_ingest(partial, report)
        ingest(whole, files, jobs=1, on_conflict=policy)
        with whole.begin() as conn:
            real(conn)
        assert queue_state(partial) == queue_state(whole), f"step {n}: {[f.name for f in files]}"
    return taken


def _steps(files: Sequence[Path], seed: int, largest: int, tmp: Path) -> list[tuple[list, str]]:
    rng = random.Random(seed)
    order = list(files)
    if seed:
        rng.shuffle(order)
    steps = [(b, "keep-both") for b in _batches(order, rng, largest)]
    # re-ingest a few documents edited: they replace the stored ones (their items relink)
    for p in rng.sample(list(files), 3):
        steps.insert(rng.randrange(len(steps) // 2, len(steps) + 1), ([_edited(p, tmp)], "replace"))
    return steps


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_partial_sync_equals_whole_demo(
    db_url: str, other_db_url: str, tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    partial, whole = open_store(db_url), open_store(other_db_url)
    try:
        # one document at a time, in the corpus order (seed 0) and in shuffled orders
        steps = _steps(DEMO, seed, 1, tmp_path)
        taken = run_both(partial, whole, steps, monkeypatch)
        assert taken[0] is False and all(taken[1:])  # the first sync is whole, then partial
        items = queue_state(partial)["items"]
        assert {i["cause"] for i in items.values()} == {"amended", "basis"}
        assert any(i["status"] == "đã xử lý" for i in items.values())
    finally:
        partial.close()
        whole.close()


@pytest.mark.parametrize("seed,largest", [(0, 1), (4, 1), (5, 12)])
def test_partial_sync_equals_whole_generated(
    db_url: str,
    other_db_url: str,
    tmp_path: Path,
    generated: list[Path],
    seed: int,
    largest: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    partial, whole = open_store(db_url), open_store(other_db_url)
    try:
        taken = run_both(partial, whole, _steps(generated, seed, largest, tmp_path), monkeypatch)
        assert all(taken[1:])
        items = queue_state(partial)["items"]
        assert sum(i["cause"] == "basis" for i in items.values()) > 10
        assert sum(i["status"] == "đã xử lý" for i in items.values()) > 10
    finally:
        partial.close()
        whole.close()


def test_whole_sync_after_unsynced_documents(tmp_path: Path) -> None:
    """Documents stored without a sync (a library ingest, an Akoma Ntoso import): the next
    ingest syncs the whole store, not only its own documents."""
    store = open_store(str(tmp_path / "kho.db"))
    try:
        first = ingest(store, DEMO[:2], jobs=1)
        after_ingest(store, first)
        ingest(store, DEMO[2:-1], jobs=1)  # no sync
        with store.read() as conn:
            mark = get_meta(conn, SYNCED)
        last = ingest(store, DEMO[-1:], jobs=1)
        synced = after_ingest(store, last)
        assert synced is not None
        with store.read() as conn:
            assert get_meta(conn, SYNCED) != mark
        reference = open_store(str(tmp_path / "ref.db"))
        try:
            for part in (DEMO[:2], DEMO[2:]):
                ingest(reference, part, jobs=1)
                with reference.begin() as conn:
                    sync(conn)
            assert queue_state(store) == queue_state(reference)
        finally:
            reference.close()
    finally:
        store.close()
