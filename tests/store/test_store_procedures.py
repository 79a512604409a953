"""The TTHC register in the store (SQLite and PostgreSQL): saved, replaced by code, read back
with its bases, and the bases found among the stored documents."""

from __future__ import annotations

from pathlib import Path

from tests.store.corpus_docs import load_linked
from vbqppl.procedures import (
    basis_findings,
    load_register,
    publication,
    read_register,
    save_register,
)
from vbqppl.procedures.publish import ABOLISHED, CHANGED
from vbqppl.store.db import Store

REGISTER = Path(__file__).resolve().parents[2] / "corpus" / "thu-tuc-hanh-chinh.csv"


def test_register_round_trip_and_links(store: Store) -> None:
    load_linked(store)
    procs = read_register(REGISTER)
    with store.begin() as conn:
        first = save_register(conn, procs, source="a.csv")
    with store.begin() as conn:
        again = save_register(conn, procs[:2], source="b.csv")
    assert (first.new, first.updated, again.new, again.updated) == (5, 0, 0, 2)
    with store.read() as conn:
        back = load_register(conn)
        pub = publication(conn, "52/2025/QĐ-UBND")
        alerts = basis_findings(conn, "2026-01-01")
    assert sorted(p.code or "" for p in back) == [p.code for p in procs]
    assert {p.code: p.bases for p in back} == {p.code: p.bases for p in procs}
    assert [r.procedure.code for r in pub.section(CHANGED)] == ["HL.001"]
    assert [r.procedure.code for r in pub.section(ABOLISHED)] == ["HL.002"]
    assert len(alerts) == 4
