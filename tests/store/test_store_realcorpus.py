"""The store on the real corpus (../shared/corpus-real): skipped cleanly when it is absent.

All 560 texts go in with no error (both copies kept where two files carry one number), a second
run does no work, the validity rules agree with the ministries' lists given the true relations,
names resolve to the law in force at a date, and search finds real text without its marks.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.evaluation import REAL, manifest
from tests.store.conftest import NO_PG, PG_ENV, _pg_schema_url
from tests.store.validity_eval import evaluate
from vbqppl.store import schema
from vbqppl.store.catalog import load_documents, load_units
from vbqppl.store.db import Store, open_store
from vbqppl.store.ingest import IngestReport, ingest
from vbqppl.store.resolve import Index, resolve_target
from vbqppl.store.search import search

pytestmark = [pytest.mark.realcorpus, pytest.mark.slow]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def real(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, IngestReport]]:
    cleanup = None
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("real") / "real.db")
    else:
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(NO_PG)
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        url = _pg_schema_url(base, name)

        def cleanup() -> None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            admin.dispose()

    store = open_store(url)
    report = ingest(store, [REAL / "texts"], on_conflict="keep-both", jobs=2)
    yield store, report
    store.close()
    if cleanup:
        cleanup()


def test_every_text_goes_in_and_a_second_run_does_nothing(real: tuple[Store, IngestReport]) -> None:
    store, report = real
    n = len(manifest())
    assert report.problems == []
    assert report.counts["stored"] == n
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(schema.documents)).scalar_one() == n
    again = ingest(store, [REAL / "texts"], jobs=2)
    assert again.counts == {"unchanged": n} and again.results == []


def test_validity_rules_agree_with_the_official_lists(real: tuple[Store, IngestReport]) -> None:
    store, _ = real
    with store.read() as conn:
        rows = evaluate(conn, "oracle")
    assert len(rows) >= 10
    assert sum(r.agrees for r in rows) / len(rows) >= 0.9


@pytest.mark.parametrize(
    ("name", "at", "number"),
    [
        ("Bộ luật Lao động", "2021-06-01", "45/2019/QH14"),
        ("Luật Bảo hiểm xã hội", "2020-01-01", "58/2014/QH13"),
        ("Luật Bảo hiểm xã hội", "2025-08-01", "41/2024/QH15"),
        ("Luật Đầu tư", "2016-01-01", "67/2014/QH13"),
        ("Luật Đầu tư", "2022-01-01", "61/2020/QH14"),
    ],
)
def test_names_resolve_to_the_law_in_force_at_the_date(
    real: tuple[Store, IngestReport], name: str, at: str, number: str
) -> None:
    store, _ = real
    with store.read() as conn:
        docs = load_documents(conn)
        index = Index.build(docs, load_units(conn))
    citing = dataclasses.replace(next(iter(docs.values())), id=-1, issued=at)
    r = resolve_target(
        number=None, name=name, date=None, unit=None, self_ref=False, citing=citing, index=index
    )
    assert r.document_id is not None and docs[r.document_id].number == number


def test_search_real_text_without_marks(real: tuple[Store, IngestReport]) -> None:
    store, _ = real
    with store.read() as conn:
        hits, mode = search(conn, "tro cap that nghiep", limit=10)
        docs = load_documents(conn, {h.document_id for h in hits})
    assert mode == "phrase" and len(hits) == 10
    assert all("«trợ cấp thất nghiệp»" in h.snippet.lower() for h in hits)
    assert all(docs[h.document_id].number for h in hits)
