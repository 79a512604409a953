"""Store fixtures: every store test runs against SQLite and against PostgreSQL.

PostgreSQL tests use the server named by ``VBQPPL_TEST_PG`` (``.ci/run`` starts one; locally:
``.ci/with-postgres make test``), each test in a schema of its own that is dropped afterwards;
they skip, saying why, when the variable is not set.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from vbqppl.store.db import Store, open_store
from vbqppl.store.ingest import ingest

PG_ENV = "VBQPPL_TEST_PG"
NO_PG = f"{PG_ENV} chưa đặt: không có PostgreSQL để thử (.ci/run hoặc .ci/with-postgres khởi động một máy chủ)"
BACKENDS = ["sqlite", "postgres"]


def _pg_schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    url = url.update_query_dict({"options": f"-csearch_path={schema},public"})
    return url.render_as_string(hide_password=False)


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A new PostgreSQL schema on the server ``base``, dropped afterwards: its URL."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "kho.db")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(NO_PG)
    with pg_schema(base) as url:
        yield url


@pytest.fixture
def other_db_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh database on the same backend as ``db_url``."""
    if not db_url.startswith("postgresql"):
        yield str(tmp_path / "other.db")
        return
    with pg_schema(os.environ[PG_ENV]) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def generated_300(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A SQLite store of 300 documents from ``bench/gen_corpus.py`` (seed 1): 63 provinces,
    copies planted inside and across merged provinces. Read only."""
    base = tmp_path_factory.mktemp("gen")
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, str(root / "bench" / "gen_corpus.py"), "300", str(base / "c"), "--seed=1"],
        check=True,
        capture_output=True,
    )
    store = open_store(str(base / "g.db"))
    ingest(store, [base / "c"], jobs=1, on_conflict="keep-both")
    yield store
    store.close()
