"""Full-text search over the stored units, without regard to diacritics ("thu tuc" finds
"thủ tục", "dat dai" finds "đất đai").

The index holds *passages*: every article, and the stretches of text outside articles (title,
preamble, the sections of a plan without articles). SQLite indexes the folded text
(:func:`vbqppl.store.fold.fold`) in an FTS5 table; PostgreSQL indexes a ``tsvector`` made with
``unaccent``. A hit is then pinned to the deepest unit (clause, point) where the words occur.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, insert, select, text

from vbqppl.errors import VbqpplError
from vbqppl.model import Document, Unit
from vbqppl.store import schema
from vbqppl.store.db import insert_rows
from vbqppl.store.fold import fold

_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of a document's text that the index holds, and the unit it belongs to."""

    unit_id: str | None
    start: int
    end: int


def passages(doc: Document) -> list[Passage]:
    """Every article, plus the text between articles cut at the other units' starts."""
    by_id = {u.id: u for u in doc.units}
    articles: list[Unit] = []
    end = -1
    for art in sorted((u for u in doc.units if u.kind == "article"), key=lambda u: u.span.start):
        if art.span.start >= end:  # outermost only
            articles.append(art)
            end = art.span.end
    starting: dict[int, Unit] = {}  # the smallest non-article unit starting at each offset
    for u in doc.units:
        if u.kind != "article":
            held = starting.get(u.span.start)
            if held is None or u.span.end - u.span.start < held.span.end - held.span.start:
                starting[u.span.start] = u
    cuts = sorted(starting)

    def holder(pos: int, above: str | None) -> str | None:
        if pos in starting:
            return starting[pos].id
        while above is not None:  # after an article: its chapter, section... that holds pos
            u = by_id[above]
            if u.span.start <= pos < u.span.end:
                return u.id
            above = u.parent
        return None

    out: list[Passage] = []
    pos, above = 0, None
    for a in [*articles, None]:
        stop = a.span.start if a is not None else len(doc.text)
        if stop > pos:
            lo, hi = bisect.bisect_right(cuts, pos), bisect.bisect_left(cuts, stop)
            bounds = [pos, *cuts[lo:hi], stop]
            for s, e in itertools.pairwise(bounds):
                if _WORD.search(doc.text, s, e):
                    out.append(Passage(holder(s, above), s, e))
        if a is not None:
            out.append(Passage(a.id, a.span.start, a.span.end))
            pos, above = max(pos, a.span.end), a.parent
    return out


def index_body(text: str) -> str:
    """What SQLite's FTS5 index gets: its tokenizer (``remove_diacritics 2``) drops the tone and
    vowel marks itself, but keeps ``đ``, so that one is folded here."""
    for char in ("đ", "Đ", "\u00d0", "\u0189"):  # str.replace is much faster than translate
        text = text.replace(char, "d")
    return text


# --- the index ------------------------------------------------------------------------------


def index_document(conn: Connection, doc_id: int, doc_text: str, items: Sequence[Passage]) -> None:
    if not items:
        return
    t = schema.passages
    rows = [
        {"document_id": doc_id, "unit_id": p.unit_id, "span_start": p.start, "span_end": p.end}
        for p in items
    ]
    bodies = [doc_text[p.start : p.end] for p in items]
    if conn.dialect.name == "sqlite":
        insert_rows(conn, t, rows)
        # new ids only grow, so in id order the rows are in the order they went in
        new = conn.execute(select(t.c.id).where(t.c.document_id == doc_id).order_by(t.c.id))
        conn.exec_driver_sql(
            "INSERT INTO passage_fts(rowid, body) VALUES (?, ?)",
            [(i, index_body(b)) for i, b in zip(new.scalars(), bodies, strict=True)],
        )
        return
    ids = conn.execute(insert(t).returning(t.c.id, sort_by_parameter_order=True), rows).scalars()
    conn.execute(  # one statement for all the passages
        text(
            "INSERT INTO passage_fts(passage_id, tsv)"
            " SELECT id, to_tsvector('vbqppl_vi', body)"
            " FROM unnest(CAST(:ids AS integer[]), CAST(:bodies AS text[])) AS p(id, body)"
        ),
        {"ids": list(ids), "bodies": bodies},
    )


def unindex_documents(conn: Connection, doc_ids: Sequence[int]) -> None:
    if conn.dialect.name == "sqlite":
        stmt = text(
            "DELETE FROM passage_fts WHERE rowid IN (SELECT id FROM passages WHERE document_id IN :docs)"
        )
    else:
        stmt = text(
            "DELETE FROM passage_fts WHERE passage_id IN (SELECT id FROM passages WHERE document_id IN :docs)"
        )
    conn.execute(stmt.bindparams(bindparam("docs", expanding=True)), {"docs": list(doc_ids)})


# --- searching ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching unit: where it is and the words around the match."""

    document_id: int
    unit_id: str | None  # the deepest unit holding the match (None: outside every unit)
    start: int  # the match, in the document's text
    end: int
    snippet: str
    rank: float


def query_words(query: str) -> list[str]:
    words = re.findall(r"\w+", fold(query))
    if not words:
        raise VbqpplError("câu tìm kiếm không có từ nào")
    return words


def search(conn: Connection, query: str, *, limit: int = 20) -> tuple[list[Hit], str]:
    """The best ``limit`` units for ``query``, and how they matched: ``"phrase"`` (the words
    together, in order) or, when no passage has the phrase, ``"words"`` (all the words)."""
    words = query_words(query)
    modes = ["phrase"] if len(words) == 1 else ["phrase", "words"]
    for mode in modes:
        rows = _passage_hits(conn, words, mode, limit)
        if rows:
            return [_pin(conn, row, words, mode) for row in rows], mode
    return [], modes[-1]


def _passage_hits(conn: Connection, words: list[str], mode: str, limit: int) -> list[tuple]:
    if conn.dialect.name == "sqlite":
        match = (
            '"' + " ".join(words) + '"' if mode == "phrase" else " ".join(f'"{w}"' for w in words)
        )
        sql = text(
            "SELECT p.id, p.document_id, p.unit_id, p.span_start, p.span_end, bm25(passage_fts) AS r"
            " FROM passage_fts JOIN passages p ON p.id = passage_fts.rowid"
            " WHERE passage_fts MATCH :q ORDER BY r, p.id LIMIT :n"
        )
        return [tuple(r) for r in conn.execute(sql, {"q": match, "n": limit})]
    fn = "phraseto_tsquery" if mode == "phrase" else "plainto_tsquery"
    sql = text(
        "SELECT p.id, p.document_id, p.unit_id, p.span_start, p.span_end, -ts_rank(f.tsv, q) AS r"
        f" FROM passage_fts f JOIN passages p ON p.id = f.passage_id, {fn}('vbqppl_vi', :q) q"
        " WHERE f.tsv @@ q ORDER BY r, p.id LIMIT :n"
    )
    return [tuple(r) for r in conn.execute(sql, {"q": " ".join(words), "n": limit})]


def _pin(conn: Connection, row: tuple, words: list[str], mode: str) -> Hit:
    _pid, doc_id, unit_id, start, end, rank = row
    body = conn.execute(
        text("SELECT substr(text, :s, :n) FROM documents WHERE id = :d"),
        {"s": start + 1, "n": end - start, "d": doc_id},
    ).scalar_one()
    folded = fold(body)
    if mode == "phrase":
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b"
    else:
        pattern = r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"
    m = re.search(pattern, folded)
    lo, hi = (m.start(), m.end()) if m else (0, 0)
    pos = start + lo
    t = schema.units
    deepest = conn.execute(
        select(t.c.unit_id)
        .where(t.c.document_id == doc_id, t.c.span_start <= pos, t.c.span_end > pos)
        .order_by(t.c.span_end - t.c.span_start)
        .limit(1)
    ).scalar()
    return Hit(
        document_id=doc_id,
        unit_id=deepest or unit_id,
        start=pos,
        end=start + hi,
        snippet=_snippet(body, lo, hi),
        rank=float(rank),
    )


def _snippet(body: str, lo: int, hi: int, width: int = 90) -> str:
    """The words around the match, on one line, the match between « »."""
    a = max(0, lo - width)
    b = min(len(body), hi + width)
    out = " ".join((body[a:lo] + "«" + body[lo:hi] + "»" + body[hi:b]).split())
    return ("…" if a > 0 else "") + out + ("…" if b < len(body) else "")
