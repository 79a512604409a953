"""Each stored document's articles and clauses as LSH band keys (``unit_sketches``), so that
``vbqppl check --document`` finds the similar units of the store without reading its texts.
Stores migrated from 0004 have none: ``vbqppl sketch`` adds them. An index on
``documents.issuer`` finds the documents of one territory.

Revision ID: 0005_unit_sketches
Revises: 0004_procedures
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_unit_sketches"
down_revision = "0004_procedures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_sketches",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey(
                "documents.id",
                ondelete="CASCADE",
                name="fk_unit_sketches_document_id_documents",
            ),
            primary_key=True,
        ),
        sa.Column("units", sa.Text, nullable=False),
        sa.Column("keys", sa.LargeBinary, nullable=False),
        sa.Column("hashes", sa.LargeBinary, nullable=False),
        sa.Column("sizes", sa.LargeBinary, nullable=False),
        sa.Column("words", sa.LargeBinary, nullable=False),
    )
    # the documents of one territory, for check --document (issuers name the province)
    op.create_index("ix_documents_issuer", "documents", ["issuer"])


def downgrade() -> None:
    op.drop_index("ix_documents_issuer", "documents")
    op.drop_table("unit_sketches")
