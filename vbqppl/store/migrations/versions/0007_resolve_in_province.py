"""Resolve every link again at the next ingest: links resolved before a province's document
was kept from resolving to another province's (every province has a 01/2010/QĐ-UBND) may point
at the wrong document, and one province's decision then ends another's. The store is marked
as ``resolve.STALE`` says (no schema change); ``vbqppl ingest`` of anything, even of files
already stored, then resolves the whole store.

Revision ID: 0007_resolve_in_province
Revises: 0006_link_name_index
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_resolve_in_province"
down_revision = "0006_link_name_index"
branch_labels = None
depends_on = None

_STALE = "resolution_stale"  # vbqppl.store.resolve.STALE, as it was when this was written


def upgrade() -> None:
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    bind = op.get_bind()
    links = [
        bind.execute(sa.text(f"SELECT 1 FROM {t} LIMIT 1")).first()
        for t in ("citations", "relations")
    ]
    if links == [None, None]:  # a new or empty store: nothing was resolved
        return
    op.execute(meta.delete().where(meta.c.key == _STALE))
    op.execute(meta.insert().values(key=_STALE, value="1"))


def downgrade() -> None:
    pass
