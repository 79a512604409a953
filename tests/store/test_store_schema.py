"""The schema: made only by the named migrations, and what the code's table definitions say."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from vbqppl.store import schema
from vbqppl.store.db import Store, current_revision, get_meta, head_revision, open_store, upgrade
from vbqppl.store.resolve import STALE

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _ignore_search_index(obj: object, name: str | None, kind: str, *_: object) -> bool:
    # the full-text index is made by the migration per database (FTS5 / tsvector), not declared
    return not (kind == "table" and name is not None and name.startswith("passage_fts"))


def test_migrated_store_matches_the_table_definitions(store: Store) -> None:
    with store.read() as conn:
        assert current_revision(conn) == head_revision()
        ctx = MigrationContext.configure(
            conn,
            opts={"include_object": _ignore_search_index, "compare_type": True},
        )
        diff = compare_metadata(ctx, schema.metadata)
    assert diff == []


def test_search_index_exists_per_database(store: Store) -> None:
    with store.read() as conn:
        names = set(inspect(conn).get_table_names())
    assert {"documents", "units", "citations", "relations", "files", "ingest_runs"} <= names
    assert "passage_fts" in names


def test_reopening_and_upgrading_again_change_nothing(db_url: str) -> None:
    first = open_store(db_url)
    first.close()
    again = open_store(db_url)
    upgrade(again)
    with again.read() as conn:
        assert current_revision(conn) == head_revision()
    again.close()


def test_migration_goes_down_and_up(store: Store) -> None:
    from alembic import command

    from vbqppl.store.db import _alembic_config

    with store.begin() as conn:
        command.downgrade(_alembic_config(conn), "base")
    with store.read() as conn:
        assert current_revision(conn) is None
        assert "documents" not in inspect(conn).get_table_names()
    upgrade(store)
    with store.read() as conn:
        assert current_revision(conn) == head_revision()


def test_document_records_are_built_from_their_columns_in_field_order() -> None:
    # load_documents builds DocRecord positionally from the selected columns
    import dataclasses

    from vbqppl.store.catalog import _DOC_COLUMNS, DocRecord

    assert tuple(f.name for f in dataclasses.fields(DocRecord)) == _DOC_COLUMNS


def test_head_and_current_revision_are_what_alembic_says(store: Store) -> None:
    """Read without alembic (a command opening an up-to-date store does not import it)."""
    from alembic.script import ScriptDirectory

    from vbqppl.store.db import _alembic_config

    assert head_revision() == ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with store.read() as conn:
        assert current_revision(conn) == MigrationContext.configure(conn).get_current_revision()


def test_a_store_resolved_before_links_kept_to_their_province_is_resolved_again(
    db_url: str, tmp_path: Path
) -> None:
    """0007: links resolved by an earlier version may point at another province's document;
    the next ingest, even of files already stored, resolves the whole store again."""
    from alembic import command

    from vbqppl.store.db import _alembic_config
    from vbqppl.store.ingest import ingest

    old = open_store(db_url)
    ingest(old, [CORPUS / "qd-12-2024-ubnd.txt", CORPUS / "qd-31-2024-ubnd.txt"], jobs=1)
    with old.begin() as conn:  # as a store resolved by the version before 0007 left it
        command.downgrade(_alembic_config(conn), "0006_link_name_index")
    with old.read() as conn:
        assert get_meta(conn, STALE) is None
    upgrade(old)
    with old.read() as conn:
        assert get_meta(conn, STALE) == "1"
    again = ingest(old, [CORPUS / "qd-12-2024-ubnd.txt"], jobs=1)
    assert again.counts["unchanged"] == 1 and again.resolution is not None
    assert again.resolution.scope == "store"  # every link, not only a new document's
    with old.read() as conn:
        assert get_meta(conn, STALE) is None
    old.close()
    empty = open_store(str(tmp_path / "new.db"))  # nothing resolved yet: nothing to redo
    with empty.read() as conn:
        assert get_meta(conn, STALE) is None
    empty.close()


def test_an_address_naming_another_driver_uses_the_stores_own() -> None:
    from vbqppl.errors import StoreError
    from vbqppl.store.db import database_url

    for given in ("postgres://u@h/d", "postgresql://u@h/d", "postgresql+psycopg2://u@h/d"):
        assert database_url(given).drivername == "postgresql+psycopg", given
    assert database_url("sqlite+pysqlite:///x.db").drivername == "sqlite"
    assert database_url("kho.db").drivername == "sqlite"
    with pytest.raises(StoreError, match="không hỗ trợ"):
        database_url("mysql://u@h/d")
