"""``documents.alias``: the name findings give a document when another stored document has its
number (local numbers repeat across provinces), set once when it is stored so that it never
changes (``DocRecord.name``). Existing stores: in each group of documents sharing a number key,
the first stored keeps its number; each later one gets its number and issuer, or its number and
id when that is taken or longer than 80 characters.

Revision ID: 0008_document_alias
Revises: 0007_resolve_in_province
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_document_alias"
down_revision = "0007_resolve_in_province"
branch_labels = None
depends_on = None

_MAX = 80  # vbqppl.store.catalog.NAME_MAX when this was written


def upgrade() -> None:
    # no batch (table copy) on SQLite: dropping the old documents table would cascade to
    # every unit and link; ADD COLUMN and DROP COLUMN (SQLite 3.35) alter it in place
    op.add_column("documents", sa.Column("alias", sa.String(80), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT id, number, number_key, issuer FROM documents WHERE number_key IN"
            " (SELECT number_key FROM documents GROUP BY number_key HAVING COUNT(*) > 1)"
            " ORDER BY number_key, id"
        )
    ).all()
    aliases = []
    taken: set[str] = set()
    key = None
    for doc_id, number, number_key, issuer in rows:
        if number_key != key:  # the first of a group keeps its number
            key, taken = number_key, {number}
            continue
        named = f"{number} ({issuer})" if issuer else ""
        alias = (
            named
            if named and len(named) <= _MAX and named not in taken
            else f"{number} (#{doc_id})"
        )
        taken.add(alias)
        aliases.append({"alias": alias, "doc": doc_id})
    if aliases:
        conn.execute(sa.text("UPDATE documents SET alias = :alias WHERE id = :doc"), aliases)


def downgrade() -> None:
    op.drop_column("documents", "alias")
