"""The LSH band keys of each stored document's articles and clauses (table ``unit_sketches``),
so that the units similar to a new document's can be found without reading the store's texts.

A sketch is :func:`vbqppl.similar.band_keys` over the units :func:`vbqppl.similar.unit_texts`
gives, with each word encoded by a hash of the word (:func:`stable_encode`), not by its rank
in some set of texts: keys computed for one document at ingest then match keys computed for
another at check time. Each unit also keeps a hash of its normalised text (identical texts,
for ``max_cluster``) and its words so encoded, which score it exactly (``fuzz.ratio`` does not
depend on which character stands for a word, up to two words sharing one) without reading the
stored text.

One row per document (ids, keys, hashes and spans packed as arrays): a store of 100,000
documents has 100,000 rows, not millions. Written at ingest (:func:`save_sketch`, computed by
the parsing worker); :func:`backfill` adds them to a store ingested before they existed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import cast

import numpy as np
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from vbqppl.model import Document
from vbqppl.rules import load_rules
from vbqppl.similar import (
    UnitText,
    band_keys,
    normalize_for_similarity,
    stable_encode,
    unit_texts,
)
from vbqppl.store import schema
from vbqppl.store.db import Store, chunks, driver_sql, get_meta, insert_rows, select_in, set_meta

# The ``meta`` key of the :func:`fingerprint` the store's sketches were made with.
FINGERPRINT = "sketch_fingerprint"

# A clause as the similarity stage reads it, with what its normalisation changes: a label, case,
# marks ("Uỷ"/"Ủy", "đ"), numbers written three ways, punctuation, quotes and line breaks.
_PROBE = (
    "Điều 5. Sửa đổi, bổ sung khoản 2 Điều 7 của Quyết định số 12/2020/QĐ-UBND ngày 01/7/2020:\n"
    "“a) Uỷ ban nhân dân huyện, thị xã giao Phòng Tài chính - Kế hoạch chủ trì; mức hỗ trợ "
    "4.000.000 đồng/hộ, tối đa 0,5 ha (ĐẮK LẮK, Đắk Nông).”"
)


@dataclass(frozen=True, slots=True)
class Sketch:
    """One document's units (ids, spans of their words) with their band keys and text hashes."""

    units: tuple[str, ...]
    keys: np.ndarray  # (n, bands) uint64
    hashes: np.ndarray  # (n,) uint64: the normalised text's hash
    sizes: np.ndarray  # (n,) int64: how many words each unit has
    words: (
        np.ndarray
    )  # (sum of sizes,) uint32: the units' words, :func:`stable_encode`'s code points


def text_hash(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode(), digest_size=8).digest(), "little")


def sketch_units(units: Sequence[UnitText]) -> Sketch:
    """The sketch of some units (of one document, or any set: keys do not depend on the set)."""
    return sketch_documents([units])[0]


def sketch_documents(documents: Sequence[Sequence[UnitText]]) -> list[Sketch]:
    """:func:`sketch_units` of each documents' units, the band keys computed in one call."""
    flat = [u for units in documents for u in units]
    encoded = [stable_encode(u.norm) for u in flat]
    keys = band_keys(encoded)
    out, at = [], 0
    for units in documents:
        n = len(units)
        mine = encoded[at : at + n]
        hashes = np.fromiter((text_hash(u.norm) for u in units), dtype=np.uint64, count=n)
        sizes = np.fromiter((len(e) for e in mine), dtype=np.int64, count=n)
        words = np.frombuffer("".join(mine).encode("utf-32-le"), dtype="<u4").astype(np.uint32)
        ids = tuple(u.ref.unit for u in units)
        out.append(Sketch(ids, keys[at : at + n], hashes, sizes, words))
        at += n
    return out


def document_sketch(doc: Document) -> Sketch:
    """The sketch of a parsed document's articles and clauses worth comparing."""
    return sketch_units(unit_texts(doc, doc_key="#"))


# --- the store --------------------------------------------------------------------------------


def save_sketch(conn: Connection, doc_id: int, sketch: Sketch, *, fresh: bool = False) -> None:
    """Store ``sketch`` as document ``doc_id``'s (replacing one it had, unless the document is
    ``fresh``: just stored), by the writer's driver-level insert
    (:func:`vbqppl.store.db.insert_rows`): it runs once per ingested file."""
    t = schema.unit_sketches
    if not fresh:
        driver_sql(conn, "DELETE FROM unit_sketches WHERE document_id = ?", (doc_id,))
    row = {
        "document_id": doc_id,
        "units": "\n".join(sketch.units),
        "keys": sketch.keys.astype("<u8").tobytes(),
        "hashes": sketch.hashes.astype("<u8").tobytes(),
        "sizes": sketch.sizes.astype("<u4").tobytes(),
        "words": sketch.words.astype("<u4").tobytes(),
    }
    insert_rows(conn, t, [row])


def stored_keys(conn: Connection, ids: Collection[int]) -> dict[str, np.ndarray]:
    """The band keys of the stored units of documents ``ids`` by their words as
    :func:`stable_encode` gives them: :func:`vbqppl.similar.band_keys` takes a text's keys from
    here instead of computing them (``known``), for any document whose unit has that text.
    Empty when the stored keys were not made as this installation makes them
    (:func:`keys_current`)."""
    out: dict[str, np.ndarray] = {}
    if not keys_current(conn):
        return out
    for part in chunks(ids):
        for sketch in load_sketches(conn, part).values():
            text = sketch.words.astype("<u4").tobytes().decode("utf-32-le")
            start = 0
            for i, end in enumerate(np.cumsum(sketch.sizes).tolist()):
                if end > start:
                    out.setdefault(text[start:end], sketch.keys[i])
                start = end
    return out


@cache
def fingerprint() -> str:
    """What this installation's sketches are made of, as 16 hex digits: the similarity rules
    (which units are sketched, the LSH options) and a probe clause's normalised words, their
    codes and its band keys. A new normalisation (another version of vbqppl), word encoding or
    similarity option changes it, and a stored key made before no longer compares with a new
    one."""
    norm = normalize_for_similarity(_PROBE)
    encoded = stable_encode(norm)
    rules = json.dumps(load_rules("similarity"), sort_keys=True, ensure_ascii=False, default=str)
    h = hashlib.blake2b(digest_size=8)
    parts = (rules.encode(), norm.encode(), encoded.encode("utf-32-le"))
    for part in (*parts, band_keys([encoded]).tobytes()):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


# The mark of a store whose sketches two installations made: no key compares until a rebuild.
MIXED = "mixed"


def claim(conn: Connection) -> None:
    """Before this installation writes sketches: record its :func:`fingerprint` as the
    store's when the store holds none yet (a new store, or one that never had any), or mark it
    :data:`MIXED` when another installation made the ones it holds (every version then reads
    them as stale until ``vbqppl sketch --rebuild``). A store sketched before fingerprints
    keeps no mark. Two processes claiming at once: the one that loses keeps the winner's."""
    mark = get_meta(conn, FINGERPRINT)
    empty = conn.execute(select(schema.unit_sketches.c.document_id).limit(1)).first() is None
    if empty:
        wanted: str | None = fingerprint()
    elif mark is not None and mark != fingerprint():
        wanted = MIXED
    else:
        return
    if wanted != mark:
        try:
            with conn.begin_nested():
                set_meta(conn, FINGERPRINT, wanted)
        except IntegrityError:
            pass  # another ingest inserted the mark between the read and the write


def keys_current(conn: Connection) -> bool:
    """Whether the stored keys were made as this installation makes them, so that a new key
    compares with a stored one: the store's recorded :func:`fingerprint` is this one's (a
    store sketched before fingerprints has none), and one stored unit's keys computed again
    from its stored words are its stored keys (``rules/similarity.yaml`` changed since, they
    differ). True for a store without sketches."""
    mark = get_meta(conn, FINGERPRINT)
    if mark is not None and mark != fingerprint():
        return False
    sql = 'SELECT "keys", sizes, words FROM unit_sketches WHERE units != ? LIMIT 1'
    row = driver_sql(conn, sql, ("",)).first()
    if row is None:
        return True
    keys, sizes, words = row
    size = int(np.frombuffer(sizes, dtype="<u4")[0])
    text = bytes(words[: 4 * size]).decode("utf-32-le")
    stored = np.frombuffer(keys, dtype="<u8").astype(np.uint64)
    again = band_keys([text])[0]
    return len(again) <= len(stored) and bool(np.array_equal(stored[: len(again)], again))


def load_sketches(
    conn: Connection, ids: Collection[int], *, words: bool = True
) -> dict[int, Sketch]:
    """The stored sketches of the documents ``ids`` (those that have one). Without ``words``
    their words are left empty (:func:`load_words` reads them): the keys are what finds the
    colliding units, and the words, the last and largest column, are not read from disk. Read
    by the driver (:func:`vbqppl.store.db.select_in`: a territory's thousands of rows, several
    at a time from a SQLite file)."""
    columns = 'document_id, units, "keys", hashes, sizes' + (", words" if words else "")
    sql = f"SELECT {columns} FROM unit_sketches WHERE document_id IN ({{marks}})"
    out: dict[int, Sketch] = {}
    for doc_id, units, keys, hashes, sizes, *words_ in select_in(conn, sql, ids):
        names = tuple(units.split("\n")) if units else ()
        k = np.frombuffer(keys, dtype="<u8").astype(np.uint64)
        out[doc_id] = Sketch(
            names,
            k.reshape(len(names), -1) if names else band_keys([]),
            np.frombuffer(hashes, dtype="<u8").astype(np.uint64),
            np.frombuffer(sizes, dtype="<u4").astype(np.int64),
            np.frombuffer(words_[0] if words_ else b"", dtype="<u4").astype(np.uint32),
        )
    return out


def load_words(conn: Connection, ids: Collection[int]) -> dict[int, np.ndarray]:
    """The stored words (``Sketch.words``) of the documents ``ids`` that have a sketch."""
    sql = "SELECT document_id, words FROM unit_sketches WHERE document_id IN ({marks})"
    return {
        doc_id: np.frombuffer(words, dtype="<u4").astype(np.uint32)
        for doc_id, words in select_in(conn, sql, ids)
    }


def missing(conn: Connection) -> list[int]:
    """Ids of the stored documents without a sketch."""
    d, t = schema.documents, schema.unit_sketches
    have = select(t.c.document_id)
    stmt = select(d.c.id).where(d.c.id.not_in(have)).order_by(d.c.id)
    return list(conn.execute(stmt).scalars())


def backfill(
    store: Store,
    batch: int = 200,
    progress: Callable[[int, int], None] | None = None,
    documents: Collection[int] | None = None,
    rebuild: bool = False,
) -> int:
    """Sketch every stored document that has none (of ``documents`` only, when given), or
    with ``rebuild`` every one (the similarity options changed: :func:`keys_current`),
    ``batch`` documents per transaction (a run stopped half-way keeps what it wrote; the next
    one goes on, but a rebuild starts over). Returns how many it wrote."""
    with store.begin() as conn:
        claim(conn)
        if rebuild:
            todo = list(conn.execute(select(schema.documents.c.id).order_by("id")).scalars())
        else:
            todo = missing(conn)
    if documents is not None:
        wanted = set(documents)
        todo = [i for i in todo if i in wanted]
    done = 0
    for at in range(0, len(todo), batch):
        done = min(at + batch, len(todo))
        with store.begin() as conn:
            for doc_id, sketch in compute_sketches(conn, todo[at : at + batch]).items():
                save_sketch(conn, doc_id, sketch)
            if rebuild and documents is None and done == len(todo):  # all made as this one makes
                set_meta(conn, FINGERPRINT, fingerprint())
        if progress is not None:
            progress(done, len(todo))
    return done


def compute_sketches(conn: Connection, ids: Collection[int]) -> dict[int, Sketch]:
    """The sketches of some stored documents, computed from their stored texts and units."""
    out: dict[int, Sketch] = {}
    for part in chunks(ids, 200):
        docs = _stored_units(conn, part)
        sketches = sketch_documents([unit_texts(d, doc_key="#") for d in docs.values()])
        out.update(zip(docs, sketches, strict=True))
    return out


def _stored_units(conn: Connection, ids: Sequence[int]) -> dict[int, Document]:
    """The stored texts and units of some documents, as much of a :class:`Document` as
    :func:`unit_texts` reads (loading whole documents would read every link too)."""
    d, u = schema.documents, schema.units
    texts = dict(conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(ids))).all())
    rows: dict[int, list[SimpleNamespace]] = {i: [] for i in texts}
    stmt = (
        select(u.c.document_id, u.c.unit_id, u.c.kind, u.c.label, u.c.span_start, u.c.span_end)
        .where(u.c.document_id.in_(ids))
        .order_by(u.c.document_id, u.c.seq)
    )
    for doc_id, unit_id, kind, label, start, end in conn.execute(stmt):
        span = SimpleNamespace(start=start, end=end)
        rows[doc_id].append(SimpleNamespace(id=unit_id, kind=kind, label=label, span=span))
    return {i: cast(Document, SimpleNamespace(text=texts[i], units=rows[i])) for i in texts}
