"""``documents.alias``: the name findings give a document when another stored document has its
number (local numbers repeat across provinces), set once when it is stored so that it never
changes (``DocRecord.name``). Existing stores: in each group of documents sharing a number key,
the first stored keeps its number; each later one gets its number and issuer, or its number and
id when that is taken or longer than 80 characters. Their review items are named as the queue
now names them: ``document`` and ``trigger`` by the alias, and the keys of the Điều 39 items
(``amended:D:T``, ``basis:D:T``) made again, so that the next sync finds them and does not open
them twice.

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
        if not named or len(named) > _MAX or named in taken:
            named = f"{number} (#{doc_id})"
            named = named if len(named) <= _MAX else f"#{doc_id}"
        taken.add(named)
        aliases.append({"alias": named, "doc": doc_id})
    if aliases:
        conn.execute(sa.text("UPDATE documents SET alias = :alias WHERE id = :doc"), aliases)
        _rename_items(conn, {a["doc"]: a["alias"] for a in aliases})


def _rename_items(conn: sa.Connection, alias: dict[int, str]) -> None:
    """Review items on (or triggered by) a document just given an alias, as the queue names
    them now (vbqppl.review.rules.doc_key and doc_number when this was written)."""
    items = conn.execute(
        sa.text("SELECT id, cause, document_id, trigger_document_id FROM review_items")
    ).all()
    touched = [r for r in items if r[2] in alias or r[3] in alias]
    if not touched:
        return
    ids = sorted({i for r in touched for i in (r[2], r[3]) if i is not None})
    found = sa.text("SELECT id, number_key FROM documents WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    keys = {i: k for i, k in conn.execute(found, {"ids": ids}).all()}

    def key(doc: int) -> str:
        return alias.get(doc) or keys.get(doc) or f"#{doc}"

    for item, cause, doc, trigger in touched:
        values: dict[str, object] = {"item": item}
        if doc in alias:
            values["document"] = alias[doc]
        if trigger in alias:
            values["trigger"] = alias[trigger]
        if cause in ("amended", "basis") and doc is not None and trigger is not None:
            values["key"] = f"{cause}:{key(doc)}:{key(trigger)}"
        sets = ", ".join(f'"{c}" = :{c}' for c in values if c != "item")
        conn.execute(sa.text(f"UPDATE review_items SET {sets} WHERE id = :item"), values)


def downgrade() -> None:
    op.drop_column("documents", "alias")
