"""The corpus store: ingest, resolution, validity, search and the graph, on SQLite (the
embedded default) or PostgreSQL, one schema moved by named migrations.

One stage per module: :mod:`.db` (open, migrate), :mod:`.schema`, :mod:`.documents` (a
document to rows and back), :mod:`.ingest`, :mod:`.resolve`, :mod:`.validity`, :mod:`.search`,
:mod:`.graph`; :mod:`.workers` parses for ingest in worker processes, :mod:`.catalog` holds the
light records the whole-corpus stages share. (Search is ``vbqppl.store.search.search``: not
re-exported here, where it would hide its module.)
"""

from __future__ import annotations

from vbqppl.store.db import Store, open_store, opened
from vbqppl.store.documents import load_document, save_document
from vbqppl.store.ingest import IngestReport, ingest
from vbqppl.store.resolve import resolve_store, resolve_target
from vbqppl.store.validity import Status, Validity, document_validity, unit_validities

__all__ = [
    "IngestReport",
    "Status",
    "Store",
    "Validity",
    "document_validity",
    "ingest",
    "load_document",
    "open_store",
    "opened",
    "resolve_store",
    "resolve_target",
    "save_document",
    "unit_validities",
]
