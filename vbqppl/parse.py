"""``parse_document``: text in, :class:`~vbqppl.model.Document` out. Never raises on content."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from vbqppl.citations import find_citations
from vbqppl.clean import clean_text, normalize_source
from vbqppl.metadata import extract_metadata
from vbqppl.model import Document, RawText, Source
from vbqppl.relations import find_relations
from vbqppl.structure import parse_structure


def parse_document(raw: RawText | str, *, path: str | None = None) -> Document:
    """Parse a document's text: clean it, find its unit tree and its metadata.

    ``raw`` is what :func:`vbqppl.read.read_file` returns, or a plain string. ``path``, when
    given, is what ``source.path`` says (the reader's absolute path otherwise). Then its citations
    and relations (:mod:`vbqppl.citations`, :mod:`vbqppl.relations`).
    """
    if isinstance(raw, str):
        raw = RawText(text=raw, path=path, format="txt")
    source_text = normalize_source(raw.text)
    cleaned = clean_text(source_text)
    text = cleaned.text
    structure = parse_structure(text)
    body_start = structure.body.start if structure.body else None
    metadata = extract_metadata(text, body_start=body_start)
    sha = raw.sha256 or hashlib.sha256(raw.text.encode("utf-8")).hexdigest()
    doc = Document(
        text=text,
        source=Source(path=path or raw.path, format=raw.format, sha256=sha),
        metadata=metadata,
        units=structure.units,
        diagnostics=structure.diagnostics,
        quotes=structure.quotes,
    )
    citations = find_citations(doc)
    return replace(doc, citations=citations, relations=find_relations(doc, citations))
