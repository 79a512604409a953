"""Search: diacritics do not matter ("thu tuc" finds "thủ tục", "dat dai" finds "đất đai"),
hits are pinned to the deepest unit, on SQLite (FTS5) and PostgreSQL (unaccent)."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text

from tests.store.corpus_docs import load_linked, parsed
from vbqppl.errors import VbqpplError
from vbqppl.model import Document, Metadata, Source, Span, Unit
from vbqppl.store.db import Store
from vbqppl.store.search import Passage, passages, search


@pytest.fixture
def demo(store: Store) -> tuple[Store, dict[str, int]]:
    return store, load_linked(store)


def _texts(store: Store, query: str, limit: int = 50) -> tuple[list[str], str, list]:
    with store.read() as conn:
        hits, mode = search(conn, query, limit=limit)
        bodies = [
            conn.execute(
                text("SELECT substr(text, :s, :n) FROM documents WHERE id = :d"),
                {"s": h.start + 1, "n": h.end - h.start, "d": h.document_id},
            ).scalar_one()
            for h in hits
        ]
    return bodies, mode, hits


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("thu tuc", "thủ tục"),
        ("THỦ TỤC", "thủ tục"),
        ("dat dai", "đất đai"),
        ("nghia trang nhan dan", "nghĩa trang nhân dân"),
        ("cum cong nghiep", "cụm công nghiệp"),
    ],
)
def test_search_ignores_diacritics(
    demo: tuple[Store, dict[str, int]], query: str, found: str
) -> None:
    store, _ = demo
    bodies, mode, hits = _texts(store, query)
    assert hits and mode == "phrase"
    assert all(b.lower() == found for b in bodies), bodies[:5]


def test_a_hit_is_pinned_to_its_clause(demo: tuple[Store, dict[str, int]]) -> None:
    # P-numeric: 15 working days in 12/2024 att_1 Điều 6 khoản 1, 20 in 31/2024 Điều 4 khoản 2
    store, ids = demo
    with store.read() as conn:
        hits, _ = search(conn, "15 ngay lam viec ke tu ngay nhan du ho so", limit=5)
        hits20, _ = search(conn, "20 ngay lam viec", limit=10)
    assert (hits[0].document_id, hits[0].unit_id) == (
        ids["12/2024/QĐ-UBND"],
        "att_1__art_6__para_1",
    )
    assert (ids["31/2024/QĐ-UBND"], "art_4__para_2") in {(h.document_id, h.unit_id) for h in hits20}
    assert "«15 ngày làm việc kể từ ngày nhận đủ hồ sơ»" in hits[0].snippet


def test_words_apart_are_found_when_the_phrase_is_not(demo: tuple[Store, dict[str, int]]) -> None:
    store, _ = demo
    with store.read() as conn:
        hits, mode = search(conn, "ngay lam viec thu tuc")  # no passage has it as a phrase
        none, _ = search(conn, "khong co tu nay zzzq")
    assert mode == "words" and hits
    assert none == []


def test_an_empty_query_is_an_error(demo: tuple[Store, dict[str, int]]) -> None:
    store, _ = demo
    with store.read() as conn, pytest.raises(VbqpplError):
        search(conn, " ?! ")


def test_passages_cover_articles_and_the_text_around_them() -> None:
    doc = parsed()["12/2024/QĐ-UBND"]
    items = passages(doc)
    arts = [
        p
        for p in items
        if p.unit_id and doc.unit(p.unit_id) and doc.unit(p.unit_id).kind == "article"
    ]  # type: ignore[union-attr]
    assert len(arts) == len(doc.articles())
    # no overlap, in order, and every word of the text is in some passage
    for a, b in itertools.pairwise(items):
        assert a.end <= b.start
    covered = "".join(doc.text[p.start : p.end] for p in items)
    assert "".join(w for w in doc.text.split()) == "".join(covered.split())


def test_passages_of_a_document_without_articles() -> None:
    text = "KẾ HOẠCH\nI. MỤC ĐÍCH\nRà soát văn bản.\nII. NỘI DUNG\nThủ tục."
    start = text.index("II.")
    doc = Document(
        text=text,
        source=Source(None, "txt", None),
        metadata=Metadata(),
        units=(Unit("part_2", "part", "2", "II.", "NỘI DUNG", None, Span(start, len(text))),),
    )
    assert passages(doc) == [Passage(None, 0, start), Passage("part_2", start, len(text))]
