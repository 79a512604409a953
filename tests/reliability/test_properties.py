"""Properties over any text, beyond ``tests/test_properties.py`` (parser never raises, spans
nest, citations quote their span, cleaning idempotent) and ``tests/store/test_store_roundtrip.py``
(generated documents round-trip): citations and sibling units never overlap partly, and a
document the parser made from any text comes back from the store exactly (SQLite and
PostgreSQL), search passages included."""

from __future__ import annotations

import json
from itertools import pairwise

from hypothesis import HealthCheck, given, settings

from tests.test_properties import TEXTS
from vbqppl.citations import find_citations
from vbqppl.parse import parse_document
from vbqppl.store.db import Store
from vbqppl.store.documents import delete_documents, load_document, save_document
from vbqppl.store.search import passages


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_citations_and_sibling_units_never_overlap_partly(text: str) -> None:
    doc = parse_document(text)
    found = find_citations(doc)
    assert [c.span for c in found] == [c.span for c in doc.citations]
    ordered = sorted(found, key=lambda c: (c.span.start, -c.span.end))
    for a, b in pairwise(ordered):
        assert b.span.start >= a.span.end or b.span.end <= a.span.end, (a, b)
    siblings: dict[str | None, list] = {}
    for u in doc.units:
        siblings.setdefault(u.parent, []).append(u)
    for group in siblings.values():
        group.sort(key=lambda u: u.span.start)
        for a, b in pairwise(group):
            assert b.span.start >= a.span.end, (a.id, a.span, b.id, b.span)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=TEXTS)
def test_a_parsed_document_round_trips_through_the_store(store: Store, text: str) -> None:
    doc = parse_document(text.replace("\x00", ""))  # the readers never give NUL (binary)
    with store.begin() as conn:
        doc_id = save_document(conn, doc, list(passages(doc)))
    try:
        with store.read() as conn:
            back = load_document(conn, doc_id)
        assert back is not None
        assert json.dumps(back.to_json(), ensure_ascii=False) == json.dumps(
            doc.to_json(), ensure_ascii=False
        )
        assert back == doc
    finally:
        with store.begin() as conn:
            delete_documents(conn, [doc_id])
