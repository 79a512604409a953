"""Named migrations of the store (Alembic). Run by :func:`vbqppl.store.db.migrate`."""
