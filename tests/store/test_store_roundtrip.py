"""Store → load gives back the same document (Hypothesis), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.store.corpus_docs import linked
from vbqppl.model import (
    RELATION_TYPES,
    UNIT_KINDS,
    Citation,
    Diagnostic,
    Document,
    Metadata,
    Relation,
    Source,
    Span,
    Target,
    Unit,
)
from vbqppl.store import schema
from vbqppl.store.db import COPY_MIN, Store, insert_rows
from vbqppl.store.documents import document_from_rows, document_rows, load_document, save_document

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
VI = st.sampled_from(["Điều 5", "thủ tục", "ĐẤT ĐAI", "Ủy ban nhân dân", "người lao động", "", "x"])
OPT = st.none() | st.one_of(TEXT, VI)
DATE = st.none() | st.dates().map(lambda d: d.isoformat())


@st.composite
def spans(draw: st.DrawFn, size: int) -> Span:
    a = draw(st.integers(0, size))
    return Span(a, draw(st.integers(a, size)))


@st.composite
def targets(draw: st.DrawFn, relation: bool = False) -> Target:
    return Target(
        number=draw(
            st.none() | st.sampled_from(["45/2020/NĐ-CP", "12/2024/QĐ-UBND", "50/CP", "x"])
        ),
        name=draw(OPT),
        date=None if relation else draw(DATE),
        unit=draw(st.none() | st.sampled_from(["art_5", "art_5__para_2__point_đ", "att_1__art_1"])),
        self_ref=False if relation else draw(st.booleans()),
    )


_ids = count()


@st.composite
def documents(draw: st.DrawFn) -> Document:
    text = draw(st.text(max_size=300).map(lambda t: t.replace("\x00", "")))
    n = len(text)
    units = []
    for i in range(draw(st.integers(0, 6))):
        units.append(
            Unit(
                id=f"art_{i + 1}",
                kind=draw(st.sampled_from(UNIT_KINDS)),
                number=str(i + 1),
                label=draw(VI),
                heading=draw(OPT),
                parent=f"art_{i}" if i and draw(st.booleans()) else None,
                span=draw(spans(n)),
            )
        )
    citations = [
        Citation(
            draw(OPT),
            draw(spans(n)),
            draw(TEXT),
            draw(st.sampled_from(["basis", "reference"])),
            draw(targets()),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    relations = [
        Relation(
            draw(st.sampled_from(RELATION_TYPES)),
            draw(OPT),
            draw(spans(n)),
            draw(targets(relation=True)),
            draw(DATE),
            extra=tuple(
                draw(
                    st.lists(
                        st.tuples(st.sampled_from(["scope", "note"]), OPT),
                        max_size=2,
                        unique_by=lambda kv: kv[0],
                    )
                )
            ),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    return Document(
        text=text,
        source=Source(
            draw(OPT), draw(st.sampled_from(["txt", "docx", "pdf"])), f"{next(_ids):064x}"
        ),
        metadata=Metadata(
            number=draw(OPT),
            type=draw(OPT),
            issuer=draw(OPT),
            place=draw(OPT),
            issued=draw(DATE),
            effective=draw(DATE),
            effective_rule=draw(OPT),
            title=draw(OPT),
            signer=draw(OPT),
            normative=draw(st.booleans()),
        ),
        units=tuple(units),
        citations=tuple(citations),
        relations=tuple(relations),
        diagnostics=tuple(
            Diagnostic(draw(TEXT), draw(TEXT), draw(st.none() | spans(n)))
            for _ in range(draw(st.integers(0, 2)))
        ),
        quotes=tuple(draw(st.lists(spans(n), max_size=2))),
    )


def _same(a: Document, b: Document) -> None:
    assert json.dumps(a.to_json(), ensure_ascii=False) == json.dumps(
        b.to_json(), ensure_ascii=False
    )
    assert a.text == b.text
    assert a.quotes == b.quotes
    assert a == b


@settings(max_examples=200, deadline=None)
@given(documents())
def test_rows_round_trip(doc: Document) -> None:
    rows = document_rows(doc)
    back = document_from_rows(
        {**rows.document, "id": 1},
        rows.units,
        [{**c} for c in rows.citations],
        rows.relations,
    )
    _same(doc, back)


@given(documents())
def test_json_round_trip(doc: Document) -> None:
    back = Document.from_json(
        json.loads(json.dumps(doc.to_json())), text=doc.text, quotes=doc.quotes
    )
    _same(doc, back)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(doc=documents())
def test_store_round_trip(store: Store, doc: Document) -> None:
    with store.begin() as conn:
        doc_id = save_document(conn, doc)
    with store.read() as conn:
        back = load_document(conn, doc_id)
    assert back is not None
    _same(doc, back)


def test_demo_corpus_round_trips_with_links(store: Store) -> None:
    for doc in linked().values():
        with store.begin() as conn:
            doc_id = save_document(conn, doc)
        with store.read() as conn:
            back = load_document(conn, doc_id)
        assert back is not None
        _same(doc, back)
    assert sum(len(d.citations) for d in linked().values()) > 50
    assert sum(len(d.relations) for d in linked().values()) >= 5


def test_many_rows_go_in_whole_and_a_refused_batch_raises_the_databases_error(
    store: Store,
) -> None:
    """``insert_rows`` of many rows (PostgreSQL: by COPY) stores every value as it was, and
    rows the database refuses raise SQLAlchemy's error, rolled back to the savepoint alone."""
    tricky = ["tab\there", "back\\slash \\N", "new\nline\r\n", "'\"", "Điều 5. Đ", "", None]
    rows = [{"key": f"k{i:02}", "value": tricky[i % len(tricky)]} for i in range(COPY_MIN + 5)]
    with store.begin() as conn:
        insert_rows(conn, schema.meta, rows)
        with pytest.raises(IntegrityError), conn.begin_nested():  # k00 is there already
            insert_rows(conn, schema.meta, [{"key": f"k{i:02}", "value": "x"} for i in range(20)])
        insert_rows(conn, schema.meta, [{"key": "after", "value": "the refused batch"}])
    with store.read() as conn:
        got = dict(conn.execute(select(schema.meta.c.key, schema.meta.c.value)).all())
    assert {k: v for k, v in got.items() if k.startswith("k")} == {
        r["key"]: r["value"] for r in rows
    }
    assert got["after"] == "the refused batch"
