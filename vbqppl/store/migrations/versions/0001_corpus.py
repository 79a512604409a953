"""The corpus: sources, documents, units, citations, relations, passages, files, ingest log.

Revision ID: 0001_corpus
Revises:
Create Date: 2025-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_corpus"
down_revision = None
branch_labels = None
depends_on = None


def _link_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("from_unit", sa.String(200), nullable=True),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("target_number", sa.String(80), nullable=True),
        sa.Column("target_key", sa.String(80), nullable=True),
        sa.Column("target_name", sa.Text, nullable=True),
        sa.Column("target_unit", sa.String(200), nullable=True),
        sa.Column(
            "resolved_document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("resolved_unit", sa.String(200), nullable=True),
        sa.Column("resolution", sa.String(16), nullable=True),
        sa.Column("unresolved", sa.String(16), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("first_path", sa.Text, nullable=True),
        sa.Column("stored_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("number", sa.String(80), nullable=True),
        sa.Column("number_key", sa.String(80), nullable=True),
        sa.Column("type", sa.Text, nullable=True),
        sa.Column("issuer", sa.Text, nullable=True),
        sa.Column("issuer_key", sa.Text, nullable=True),
        sa.Column("place", sa.Text, nullable=True),
        sa.Column("issued", sa.String(10), nullable=True),
        sa.Column("effective", sa.String(10), nullable=True),
        sa.Column("effective_rule", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("signer", sa.Text, nullable=True),
        sa.Column("normative", sa.Boolean, nullable=False),
        sa.Column("name_key", sa.Text, nullable=True),
        sa.Column("source_path", sa.Text, nullable=True),
        sa.Column("source_format", sa.String(16), nullable=False),
        sa.Column("source_sha256", sa.String(64), sa.ForeignKey("sources.sha256"), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("diagnostics", sa.JSON, nullable=False),
        sa.Column("quotes", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_documents_number_key", "documents", ["number_key"])
    op.create_index("ix_documents_name_key", "documents", ["name_key"])
    op.create_index("ix_documents_source_sha256", "documents", ["source_sha256"])

    op.create_table(
        "units",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("unit_id", sa.String(200), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("heading", sa.Text, nullable=True),
        sa.Column("parent", sa.String(200), nullable=True),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
    )
    op.create_index("ix_units_document_id_seq", "units", ["document_id", "seq"])

    op.create_table(
        "citations",
        *_link_columns(),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("target_date", sa.String(10), nullable=True),
        sa.Column("target_self", sa.Boolean, nullable=False),
    )
    op.create_table(
        "relations",
        *_link_columns(),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("effective", sa.String(10), nullable=True),
        sa.Column("extra", sa.JSON, nullable=False),
    )
    for table in ("citations", "relations"):
        for column in ("document_id", "target_key", "resolved_document_id"):
            op.create_index(f"ix_{table}_{column}", table, [column])

    op.create_table(
        "passages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("unit_id", sa.String(200), nullable=True),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
    )
    op.create_index("ix_passages_document_id", "passages", ["document_id"])

    op.create_table(
        "files",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_files_document_id", "files", ["document_id"])

    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32), nullable=True),
        sa.Column("arguments", sa.JSON, nullable=False),
        sa.Column("counts", sa.JSON, nullable=True),
    )
    op.create_table(
        "ingest_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("ingest_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("document_id", sa.Integer, nullable=True),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index("ix_ingest_events_run_id", "ingest_events", ["run_id"])

    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=True),
    )

    # The full-text index over passages: the one part that differs by database.
    if op.get_bind().dialect.name == "sqlite":
        # Folded text (vbqppl.store.fold) goes in; unicode61 splits words and drops the rest of
        # the marks. rowid = passages.id.
        op.execute(
            "CREATE VIRTUAL TABLE passage_fts USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        # PostgreSQL: a text search configuration that runs words through unaccent (which also
        # folds đ to d) then the simple dictionary (lower case, no stemming).
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("CREATE TEXT SEARCH CONFIGURATION vbqppl_vi (COPY = pg_catalog.simple)")
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION vbqppl_vi "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
        op.execute(
            "CREATE TABLE passage_fts ("
            " passage_id integer PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,"
            " tsv tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_passage_fts_tsv ON passage_fts USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE passage_fts")
    else:
        op.execute("DROP TABLE passage_fts")
        op.execute("DROP TEXT SEARCH CONFIGURATION vbqppl_vi")
    for table in (
        "meta",
        "ingest_events",
        "ingest_runs",
        "files",
        "passages",
        "relations",
        "citations",
        "units",
        "documents",
        "sources",
    ):
        op.drop_table(table)
