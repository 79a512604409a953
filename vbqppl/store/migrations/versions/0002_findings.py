"""Findings of the review checks, keyed by their deterministic id.

Revision ID: 0002_findings
Revises: 0001_corpus
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_findings"
down_revision = "0001_corpus"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("documents", sa.JSON, nullable=False),
        sa.Column("units", sa.JSON, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("handling", sa.Text, nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_index("ix_findings_rule", "findings", ["rule"])


def downgrade() -> None:
    op.drop_index("ix_findings_rule", "findings")
    op.drop_table("findings")
