"""An index on the links' ``(target_key, target_name)``: the names cited without a number
(``target_key`` null) are read one index step each, not by reading every link, when one new
document is resolved into a big store.

Revision ID: 0006_link_name_index
Revises: 0005_unit_sketches
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0006_link_name_index"
down_revision = "0005_unit_sketches"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("citations", "relations"):
        op.create_index(f"ix_{table}_target_key_name", table, ["target_key", "target_name"])


def downgrade() -> None:
    for table in ("citations", "relations"):
        op.drop_index(f"ix_{table}_target_key_name", table)
