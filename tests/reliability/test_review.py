"""The review queue under crashes and load (SQLite and PostgreSQL).

* SIGKILL during decisions: a process decides in a loop and prints each decision once its
  transaction has returned; it is killed at a moment of its run. Every decision it printed is
  in the store and in the audit log, each item's versions form an unbroken chain, and a new
  decision afterwards goes through.
* Load: 8 processes decide, note and assign on the same few items for a bounded time. Every
  success is in the audit log under its worker's name and base version, no two successes
  share an item's base version (none overwrote another), every note is kept, each item ends
  with the last successful decision, and every refusal was a one-line Vietnamese
  :class:`~vbqppl.errors.VbqpplError` recorded as ``refused`` in the log.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from tests.store.corpus_docs import load_linked
from vbqppl.errors import ConflictError, VbqpplError
from vbqppl.review import add_note, assign, decide, get_item, load_items, sync
from vbqppl.store import schema
from vbqppl.store.db import Store, open_store

WORKERS = 8
LOAD_SECONDS = 10.0
HANDLINGS = ("sửa đổi, bổ sung", "thay thế", "bãi bỏ một phần", "ban hành mới")
ROOT = Path(__file__).resolve().parents[2]


def open_items(db_url: str) -> tuple[Store, list[int]]:
    store = open_store(db_url)
    load_linked(store)
    with store.begin() as conn:
        sync(conn)
    with store.read() as conn:
        ids = [i.id for i in load_items(conn) if not i.closed]
    assert len(ids) >= 3
    return store, ids


def log_rows(store: Store) -> list[Any]:
    t = schema.review_log
    with store.read() as conn:
        return list(conn.execute(select(t).order_by(t.c.id)))


def chains_unbroken(store: Store, ids: list[int]) -> None:
    """For each item, its successful changes are based on versions 1, 2, ... up to the item's
    version minus one: each exactly once (nothing lost, nothing written twice)."""
    rows = log_rows(store)
    with store.read() as conn:
        if store.dialect == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        for item_id in ids:
            item = get_item(conn, item_id)
            based = sorted(
                {
                    r.version
                    for r in rows
                    if r.item_id == item_id
                    and r.outcome == "ok"
                    and r.action in ("decide", "assign", "note", "reopen")
                }
            )
            assert based == list(range(1, item.version)), (item_id, item.version, based)


DECIDER = """
import sys
from vbqppl.review import decide, get_item
from vbqppl.store.db import open_store
store = open_store(sys.argv[1])
ids = [int(x) for x in sys.argv[2].split(",")]
handlings = sys.argv[3].split("|")
n = 0
while True:
    item_id = ids[n % len(ids)]
    with store.read() as conn:
        seen = get_item(conn, item_id).version
    handling = handlings[(n // len(ids)) % len(handlings)]  # each visit changes the item
    item = decide(store, item_id, user="kiem-thu", handling=handling, version=seen)
    print(item_id, item.version, handling, flush=True)
    n += 1
"""


@pytest.mark.slow
def test_sigkill_during_decisions_loses_no_committed_decision(db_url: str) -> None:
    store, ids = open_items(db_url)
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(
            [sys.executable, "-c", DECIDER, db_url, ",".join(map(str, ids)), "|".join(HANDLINGS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        printed = []
        wanted = random.Random(7).randint(15, 40)
        while len(printed) < wanted:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "decider died"
            printed.append(line.split(maxsplit=2))
        proc.send_signal(signal.SIGKILL)  # mid-way through the next decision, or about to
        rest, _ = proc.communicate(timeout=60)
        printed += [x.split(maxsplit=2) for x in rest.splitlines() if x.strip()]
        assert proc.returncode == -signal.SIGKILL
        rows = log_rows(store)
        ok = {
            (r.item_id, r.version + 1) for r in rows if r.action == "decide" and r.outcome == "ok"
        }
        for item_id, version, handling in printed:
            assert (int(item_id), int(version)) in ok, "a committed decision is missing"
            changed = [
                r
                for r in rows
                if r.item_id == int(item_id)
                and r.version == int(version) - 1
                and r.field == "recommendation"
            ]
            assert changed == [] or changed[0].new_value == handling.strip()
        chains_unbroken(store, ids)
        print(json.dumps({"printed": len(printed), "logged_decisions": len(ok)}))
        assert len({(i, v) for i, v, _ in printed}) == len(printed), "each printed one a change"
        last: dict[int, str] = {}
        for item_id, _, handling in printed:
            last[int(item_id)] = handling.strip()
        with store.read() as conn:
            for item_id, handling in last.items():
                current = get_item(conn, item_id)
                # the kill may have landed after one more commit it had no time to print
                assert current.recommendation in HANDLINGS
                if current.version == max(int(v) for i, v, _ in printed if int(i) == item_id):
                    assert current.recommendation == handling
        after = decide(store, ids[0], user="kiem-thu", handling="thay thế")
        assert after.recommendation == "thay thế"
        chains_unbroken(store, ids)
    finally:
        store.close()


def _worker(args: tuple[str, int, list[int], float]) -> list[dict[str, Any]]:
    """One reviewer: random decisions (on the version it read), notes and assignments."""
    db_url, n, ids, seconds = args
    user = f"can-bo-{n}"
    rng = random.Random(n)
    store = open_store(db_url, migrate=False)
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    k = 0
    try:
        while time.monotonic() < deadline:
            item_id = rng.choice(ids)
            k += 1
            try:
                with store.read() as conn:
                    seen = get_item(conn, item_id).version
                op = rng.choice(("decide", "decide", "note", "assign"))
                if op == "decide":
                    value = rng.choice(HANDLINGS)
                    item = decide(store, item_id, user=user, handling=value, version=seen)
                elif op == "note":
                    value = f"{user} ghi chú {k}"
                    item = add_note(store, item_id, value, user=user)
                else:
                    value = user
                    item = assign(store, item_id, user=user, assignee=user, version=seen)
                events.append(
                    {
                        "op": op,
                        "item": item_id,
                        "version": item.version,
                        "value": value,
                        "ok": 1,
                        "noop": op != "note" and item.version == seen,  # nothing to change
                    }
                )
            except ConflictError as err:
                events.append({"op": op, "item": item_id, "seen": seen, "error": str(err)})
            except VbqpplError as err:
                events.append({"op": op, "item": item_id, "error": str(err), "other": 1})
            except Exception as err:  # unexplained: the test fails on it
                events.append({"op": op, "item": item_id, "crash": f"{type(err).__name__}: {err}"})
    finally:
        store.close()
    return events


@pytest.mark.slow
def test_eight_reviewers_at_once_lose_nothing(db_url: str) -> None:
    store, ids = open_items(db_url)
    ids = ids[:3]  # few items, so that the reviewers collide often
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(WORKERS) as pool:
            results = pool.map(
                _worker, [(db_url, n, ids, LOAD_SECONDS) for n in range(WORKERS)], chunksize=1
            )
        events = [dict(e, worker=n) for n, evs in enumerate(results) for e in evs]
        crashes = [e for e in events if "crash" in e]
        assert not crashes, crashes[:3]
        for e in events:
            if "error" in e:
                assert "\n" not in e["error"] and e["error"]
        succeeded = [e for e in events if e.get("ok")]
        refused = [e for e in events if "seen" in e]
        counts = Counter((e["op"], "ok" if e.get("ok") else "refused") for e in events)
        assert succeeded and refused, counts  # the load did make reviewers collide

        rows = log_rows(store)
        ok_rows = defaultdict(list)
        for r in rows:
            if r.outcome == "ok" and r.action in ("decide", "note", "assign"):
                ok_rows[(r.item_id, r.version)].append(r)
        for e in succeeded:
            if e["noop"]:  # the item already held these values: no write, no log line
                continue
            # the change that produced version v was based on v - 1: exactly one change did
            entries = ok_rows.get((e["item"], e["version"] - 1), [])
            assert entries, f"a successful write is not in the audit log: {e}"
            assert {r.user for r in entries} == {f"can-bo-{e['worker']}"}, e
            assert {r.action for r in entries} == {e["op"]}, e
        refused_rows = Counter(
            (r.item_id, r.user, r.version) for r in rows if r.outcome == "refused"
        )
        for e in refused:
            key = (e["item"], f"can-bo-{e['worker']}", e["seen"])
            assert refused_rows[key] > 0, f"a refusal is not in the audit log: {e}"
            assert "đã được người khác thay đổi" in e["error"]
        chains_unbroken(store, ids)
        with store.read() as conn:
            for item_id in ids:
                item = get_item(conn, item_id)
                notes = {n["text"] for n in item.notes}
                mine = [e for e in succeeded if e["item"] == item_id]
                assert {e["value"] for e in mine if e["op"] == "note"} <= notes, "a note was lost"
                decisions = [e for e in mine if e["op"] == "decide" and not e["noop"]]
                if decisions:
                    last = max(decisions, key=lambda e: e["version"])
                    assert item.recommendation == last["value"]
        print(json.dumps({f"{op} {how}": n for (op, how), n in sorted(counts.items())}))
    finally:
        store.close()
