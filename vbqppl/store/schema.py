"""The store's tables, one schema for SQLite and PostgreSQL (SQLAlchemy Core).

The database is only ever moved by the named migrations in :mod:`vbqppl.store.migrations`;
these definitions are what the queries use, and a test checks the migrated database against
them. The full-text index is the one part that differs by database: an FTS5 virtual table on
SQLite, a ``tsvector`` table with ``unaccent`` on PostgreSQL (both named ``passage_fts``, made by
the migration, not declared here).

Dates are ISO strings (``2024-03-15``), as in the document JSON; offsets index
``documents.text``, the text the parser worked on.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# The original bytes of every file ingested (or only its hash and size with --no-bytes).
sources = Table(
    "sources",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=True),
    Column("format", String(16), nullable=False),
    Column("content", LargeBinary, nullable=True),
    Column("first_path", Text, nullable=True),
    Column("stored_at", String(32), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(80), nullable=True),
    Column("number_key", String(80), nullable=True, index=True),  # DocNumber.key
    # the name findings give it when another stored document has its number (DocRecord.name)
    Column("alias", String(80), nullable=True),
    Column("type", Text, nullable=True),
    Column("issuer", Text, nullable=True, index=True),  # territory of check --document
    Column("issuer_key", Text, nullable=True),
    Column("place", Text, nullable=True),
    Column("issued", String(10), nullable=True),
    Column("effective", String(10), nullable=True),
    Column("effective_rule", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("signer", Text, nullable=True),
    Column("normative", Boolean, nullable=False),
    Column("name_key", Text, nullable=True, index=True),  # "bo luat lao dong"
    Column("source_path", Text, nullable=True),
    Column("source_format", String(16), nullable=False),
    Column("source_sha256", String(64), ForeignKey("sources.sha256"), nullable=True, index=True),
    Column("text", Text, nullable=False),
    Column("diagnostics", JSON, nullable=False),
    Column("quotes", JSON, nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

units = Table(
    "units",
    metadata,
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("unit_id", String(200), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("number", String(32), nullable=False),
    Column("label", Text, nullable=False),
    Column("heading", Text, nullable=True),
    Column("parent", String(200), nullable=True),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
)


def _link_columns() -> list[Column]:
    """Columns citations and relations share: where, what was written, what it resolved to."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "document_id",
            Integer,
            ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("seq", Integer, nullable=False),
        Column("from_unit", String(200), nullable=True),
        Column("span_start", Integer, nullable=False),
        Column("span_end", Integer, nullable=False),
        Column("target_number", String(80), nullable=True),
        Column("target_key", String(80), nullable=True, index=True),
        Column("target_name", Text, nullable=True),
        Column("target_unit", String(200), nullable=True),
        # resolution: the corpus document (and unit) the target is, and how it was found
        Column(
            "resolved_document_id",
            Integer,
            ForeignKey("documents.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        Column("resolved_unit", String(200), nullable=True),
        Column("resolution", String(16), nullable=True),  # number | name | self
        Column("unresolved", String(16), nullable=True),  # document | unit | null when resolved
    ]


citations = Table(
    "citations",
    metadata,
    *_link_columns(),
    Column("text", Text, nullable=False),
    Column("role", String(16), nullable=False),  # basis | reference
    Column("target_date", String(10), nullable=True),
    Column("target_self", Boolean, nullable=False),
)

relations = Table(
    "relations",
    metadata,
    *_link_columns(),
    Column("type", String(16), nullable=False),
    Column("effective", String(10), nullable=True),
    Column("extra", JSON, nullable=False),  # fields added to the contract later, kept as given
)

# Search passages: every article, and the stretches of text outside articles (the preamble, a
# plan's sections); the full-text index (passage_fts) points at these rows.
passages = Table(
    "passages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("unit_id", String(200), nullable=True),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
)

# The ingest state of every path: what hash was last seen there and what came of it.
files = Table(
    "files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("outcome", String(16), nullable=False),  # see ingest.OUTCOMES
    Column("message", Text, nullable=True),
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    Column("updated_at", String(32), nullable=False),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=True),  # null: interrupted (or still running)
    Column("arguments", JSON, nullable=False),
    Column("counts", JSON, nullable=True),
)

ingest_events = Table(
    "ingest_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "run_id",
        Integer,
        ForeignKey("ingest_runs.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=True),
    Column("outcome", String(16), nullable=False),
    Column("message", Text, nullable=True),
    Column("document_id", Integer, nullable=True),  # no key: the document may be replaced later
    Column("at", String(32), nullable=False),
)

# Small facts about the store itself, such as "resolution is stale".
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=True),
)

Index("ix_units_document_id_seq", units.c.document_id, units.c.seq)
# The names cited without a number, each found by one index step (resolve.distinct_names).
Index("ix_citations_target_key_name", citations.c.target_key, citations.c.target_name)
Index("ix_relations_target_key_name", relations.c.target_key, relations.c.target_name)

# Findings of the review checks (vbqppl.checks); ``id`` is the finding's deterministic id, so a
# re-run updates ``last_seen`` and keeps ``first_seen`` and ``status``.
findings = Table(
    "findings",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("rule", String(64), nullable=False, index=True),
    Column("severity", String(16), nullable=False),
    Column("documents", JSON, nullable=False),  # ["12/2024/QĐ-UBND", ...]
    Column("units", JSON, nullable=False),  # ["12/2024/QĐ-UBND#art_5", ...]
    Column("evidence", JSON, nullable=False),  # [{document, unit, span, quote}, ...]
    Column("explanation", Text, nullable=False),
    Column("handling", Text, nullable=False),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # open | gone (not found by the last full run)
)

# The review queue (vbqppl.review): one row per thing to review, keyed by ``key`` so the same
# cause never opens two items; ``version`` is bumped by every change (optimistic locking).
review_items = Table(
    "review_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),  # finding:… | amended:… | basis:…
    Column("cause", String(16), nullable=False),  # finding | amended | basis
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    Column("document", String(80), nullable=False),  # the number (or "#id") to review
    Column("document_label", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("rule", String(64), nullable=True),
    Column("finding_id", String(32), nullable=True, index=True),
    Column("trigger_document_id", Integer, nullable=True),  # no key: it may be replaced
    Column("trigger", String(80), nullable=True),
    Column("trigger_type", String(16), nullable=True),
    Column("trigger_issued", String(10), nullable=True),
    Column("via", String(80), nullable=True),  # second hop: the affected document it is based on
    Column("recommendation", Text, nullable=True),
    Column("status", String(24), nullable=False, index=True),
    Column("assignee", Text, nullable=True),
    Column("priority", String(16), nullable=False),
    Column("deadline", String(10), nullable=True),
    Column("notes", JSON, nullable=False),  # [{at, user, text}, ...]
    Column("handled_by", String(80), nullable=True),
    Column("handled_by_id", Integer, nullable=True),
    Column("handled_on", String(10), nullable=True),
    Column("outcome", Text, nullable=True),
    Column("relation_mark", Integer, nullable=False),  # max(relations.id) when opened
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("version", Integer, nullable=False),
)

review_units = Table(
    "review_units",
    metadata,
    Column(
        "item_id",
        Integer,
        ForeignKey("review_items.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("unit_id", String(200), primary_key=True),
    Column("handled_by", String(80), nullable=True),
    Column("handled_on", String(10), nullable=True),
    Column("outcome", Text, nullable=True),
)

review_log = Table(
    "review_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "item_id",
        Integer,
        ForeignKey("review_items.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("at", String(32), nullable=False),
    Column("user", Text, nullable=False),
    Column("action", String(16), nullable=False),  # open | merge | close | assign | decide | ...
    Column("field", String(32), nullable=True),
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=True),
    Column("version", Integer, nullable=True),  # the version the change was based on
    Column("outcome", String(16), nullable=False),  # ok | refused
)

# Administrative procedures (thủ tục hành chính) registered from the national database's export
# (vbqppl.procedures), and the provisions each names as its legal basis (căn cứ pháp lý); a
# basis is matched to stored documents by ``target_key`` when it is read, so documents ingested
# after the register still link.
procedures = Table(
    "procedures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(40), nullable=True, index=True),  # mã TTHC, "1.001612"
    Column("name", Text, nullable=False),
    Column("field", Text, nullable=True),  # lĩnh vực
    Column("level", Text, nullable=True),  # cấp thực hiện
    Column("agency", Text, nullable=True),  # cơ quan thực hiện
    Column("time_limit", Text, nullable=True),  # thời hạn giải quyết
    Column("fees", Text, nullable=True),  # phí, lệ phí
    Column("legal_basis", Text, nullable=True),  # căn cứ pháp lý, as written
    Column("source", Text, nullable=True),  # the file it was imported from
    Column("imported_at", String(32), nullable=False),
)

procedure_bases = Table(
    "procedure_bases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "procedure_id",
        Integer,
        ForeignKey("procedures.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("seq", Integer, nullable=False),
    Column("text", Text, nullable=False),  # the words of the basis naming the provision
    Column("target_number", String(80), nullable=True),
    Column("target_key", String(80), nullable=True, index=True),
    Column("target_unit", String(200), nullable=True),  # None: the whole document
)

# Each document's articles and clauses as LSH band keys (vbqppl.store.sketches): ``units`` their
# ids one a line, ``keys`` an (n, bands) little-endian uint64 array, ``hashes`` (n,) hashes of
# their normalised texts, ``sizes`` (n,) uint32 word counts, ``words`` their words as uint32 codes.
unit_sketches = Table(
    "unit_sketches",
    metadata,
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("units", Text, nullable=False),
    Column("keys", LargeBinary, nullable=False),
    Column("hashes", LargeBinary, nullable=False),
    Column("sizes", LargeBinary, nullable=False),
    Column("words", LargeBinary, nullable=False),
)
