"""Administrative procedures (thủ tục hành chính) and the provisions that are their legal basis.

Revision ID: 0004_procedures
Revises: 0003_review
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_procedures"
down_revision = "0003_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procedures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(40), nullable=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=True),
        sa.Column("level", sa.Text, nullable=True),
        sa.Column("agency", sa.Text, nullable=True),
        sa.Column("time_limit", sa.Text, nullable=True),
        sa.Column("fees", sa.Text, nullable=True),
        sa.Column("legal_basis", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("imported_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_procedures_code", "procedures", ["code"])
    op.create_table(
        "procedure_bases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "procedure_id",
            sa.Integer,
            sa.ForeignKey(
                "procedures.id",
                ondelete="CASCADE",
                name="fk_procedure_bases_procedure_id_procedures",
            ),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("target_number", sa.String(80), nullable=True),
        sa.Column("target_key", sa.String(80), nullable=True),
        sa.Column("target_unit", sa.String(200), nullable=True),
    )
    op.create_index("ix_procedure_bases_procedure_id", "procedure_bases", ["procedure_id"])
    op.create_index("ix_procedure_bases_target_key", "procedure_bases", ["target_key"])


def downgrade() -> None:
    op.drop_index("ix_procedure_bases_target_key", "procedure_bases")
    op.drop_index("ix_procedure_bases_procedure_id", "procedure_bases")
    op.drop_table("procedure_bases")
    op.drop_index("ix_procedures_code", "procedures")
    op.drop_table("procedures")
