"""Alembic environment: the store hands over an open connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from vbqppl.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
