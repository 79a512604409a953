"""The review queue: items to review, the units each concerns, and the audit log of every change.

Revision ID: 0003_review
Revises: 0002_findings
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_review"
down_revision = "0002_findings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("cause", sa.String(16), nullable=False),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey(
                "documents.id",
                ondelete="SET NULL",
                name="fk_review_items_document_id_documents",
            ),
            nullable=True,
        ),
        sa.Column("document", sa.String(80), nullable=False),
        sa.Column("document_label", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rule", sa.String(64), nullable=True),
        sa.Column("finding_id", sa.String(32), nullable=True),
        sa.Column("trigger_document_id", sa.Integer, nullable=True),
        sa.Column("trigger", sa.String(80), nullable=True),
        sa.Column("trigger_type", sa.String(16), nullable=True),
        sa.Column("trigger_issued", sa.String(10), nullable=True),
        sa.Column("via", sa.String(80), nullable=True),
        sa.Column("recommendation", sa.Text, nullable=True),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("assignee", sa.Text, nullable=True),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("deadline", sa.String(10), nullable=True),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("handled_by", sa.String(80), nullable=True),
        sa.Column("handled_by_id", sa.Integer, nullable=True),
        sa.Column("handled_on", sa.String(10), nullable=True),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("relation_mark", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_items"),
        sa.UniqueConstraint("key", name="uq_review_items_key"),
    )
    op.create_index("ix_review_items_document_id", "review_items", ["document_id"])
    op.create_index("ix_review_items_status", "review_items", ["status"])
    op.create_index("ix_review_items_finding_id", "review_items", ["finding_id"])
    op.create_table(
        "review_units",
        sa.Column(
            "item_id",
            sa.Integer,
            sa.ForeignKey(
                "review_items.id", ondelete="CASCADE", name="fk_review_units_item_id_review_items"
            ),
            nullable=False,
        ),
        sa.Column("unit_id", sa.String(200), nullable=False),
        sa.Column("handled_by", sa.String(80), nullable=True),
        sa.Column("handled_on", sa.String(10), nullable=True),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("item_id", "unit_id", name="pk_review_units"),
    )
    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "item_id",
            sa.Integer,
            sa.ForeignKey(
                "review_items.id", ondelete="CASCADE", name="fk_review_log_item_id_review_items"
            ),
            nullable=False,
        ),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("user", sa.Text, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32), nullable=True),
        sa.Column("old_value", sa.Text, nullable=True),
        sa.Column("new_value", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_log"),
    )
    op.create_index("ix_review_log_item_id", "review_log", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_review_log_item_id", "review_log")
    op.drop_table("review_log")
    op.drop_table("review_units")
    op.drop_index("ix_review_items_finding_id", "review_items")
    op.drop_index("ix_review_items_status", "review_items")
    op.drop_index("ix_review_items_document_id", "review_items")
    op.drop_table("review_items")
