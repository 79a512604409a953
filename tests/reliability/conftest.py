"""The store fixtures (SQLite, and PostgreSQL when ``VBQPPL_TEST_PG`` is set) for these tests."""

from tests.store.conftest import db_url, store  # noqa: F401  (pytest fixtures)
