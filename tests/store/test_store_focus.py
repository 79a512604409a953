"""``check --document``'s focused view (vbqppl.checks.focus) gives the findings naming the
document that the whole-store checks give, on the demo corpus and on a small generated one;
sketches are written at ingest and by the backfill."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from vbqppl import similar
from vbqppl.checks import Finding, load_view, run_checks
from vbqppl.checks.focus import focused_view, pair_threshold
from vbqppl.checks.pairs import scored_pairs
from vbqppl.checks.territory import may_pair, territory
from vbqppl.checks.view import CorpusView
from vbqppl.similar import band_keys, stable_encode, unit_texts
from vbqppl.store import db, schema
from vbqppl.store.db import Store, open_store
from vbqppl.store.documents import load_document
from vbqppl.store.ingest import ingest
from vbqppl.store.sketches import (
    FINGERPRINT,
    MIXED,
    backfill,
    document_sketch,
    fingerprint,
    keys_current,
    load_sketches,
    load_words,
    missing,
    stored_keys,
)
from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

ROOT = Path(__file__).resolve().parents[2]
AT = "2025-12-01"


def _numbers(store: Store) -> list[str]:
    d = schema.documents
    with store.read() as conn:
        return sorted(
            set(conn.execute(select(d.c.number).where(d.c.number.is_not(None))).scalars())
        )


def _territorial(view: CorpusView) -> list[Finding]:
    """The whole-store findings with the territory rule applied to the pair checks
    (vbqppl.checks.territory): the similar pairs of two documents of territories that do not
    pair are left out, and so are the numeric conflicts between them. The whole-store checks
    apply it themselves now; filtering again here keeps the comparison independent of that."""
    place = {
        i: territory(d.issuer, r.scope if (r := view.rank(i)) else None)
        for i, d in view.documents.items()
    }
    threshold = pair_threshold()
    pairs = [x for x in scored_pairs(view, threshold) if may_pair(place[x[0]], place[x[2]])]
    view.memo["pairs"] = (threshold, pairs)
    by_number = {d.number: place[i] for i, d in view.documents.items()}
    return [
        f
        for f in run_checks(view)
        if f.rule != "numeric-conflict" or may_pair(*(by_number[n] for n in f.documents))
    ]


def _compare(store: Store, at: str) -> dict[str, tuple[list[Finding], list[Finding]]]:
    """For each stored number: (whole-store findings naming it, focused findings)."""
    with store.read() as conn:
        whole = _territorial(load_view(conn, at))
        out = {}
        for number in _numbers(store):
            view, _ = focused_view(conn, at, number)
            named = [f for f in whole if number in f.documents]
            out[number] = (named, run_checks(view, documents=[number]))
    return out


def _ids(findings: list[Finding]) -> list[str]:
    return sorted(f.id for f in findings)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(str(tmp_path_factory.mktemp("focus") / "demo.db"))
    ingest(store, [ROOT / "corpus"], jobs=1)
    yield store
    store.close()


def test_focused_findings_equal_whole_store_on_demo_corpus(demo: Store) -> None:
    compared = _compare(demo, AT)
    assert sum(len(w) for w, _ in compared.values()) > 0  # the demo corpus has findings
    for number, (whole, focused) in compared.items():
        assert _ids(focused) == _ids(whole), number


def test_ingest_writes_a_sketch_per_document_equal_to_the_parsed_one(demo: Store) -> None:
    with demo.read() as conn:
        assert missing(conn) == []
        ids = list(conn.execute(select(schema.documents.c.id)).scalars())
        stored = load_sketches(conn, ids)
        for doc_id in ids:
            doc = load_document(conn, doc_id)
            assert doc is not None
            again = document_sketch(doc)
            assert stored[doc_id].units == again.units
            assert (stored[doc_id].keys == again.keys).all()
            assert (stored[doc_id].hashes == again.hashes).all()


def test_backfill_restores_deleted_sketches_and_resumes(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "k.db"))
    ingest(store, [ROOT / "corpus"], jobs=1)
    t = schema.unit_sketches
    with store.read() as conn:
        before = load_sketches(conn, list(conn.execute(select(t.c.document_id)).scalars()))
    with store.begin() as conn:
        conn.execute(delete(t))
    number = "12/2024/QĐ-UBND"  # repeats a higher text: a pair check finds it
    with store.read() as conn:
        view, focus = focused_view(conn, AT, number)
        unsketched = _ids(run_checks(view, documents=[number]))
    assert focus.unsketched > 0 and focus.scanned == focus.unsketched  # computed, not stored
    seen: list[tuple[int, int]] = []
    assert backfill(store, batch=3, progress=lambda d, n: seen.append((d, n))) == len(before)
    assert seen[-1] == (len(before), len(before)) and len(seen) == -(-len(before) // 3)
    with store.read() as conn:
        after = load_sketches(conn, list(before))
        assert conn.execute(select(func.count()).select_from(t)).scalar() == len(before)
    for doc_id, s in before.items():
        assert after[doc_id].units == s.units and (after[doc_id].keys == s.keys).all()
    assert backfill(store) == 0  # nothing left to do
    with store.read() as conn:
        view, focus = focused_view(conn, AT, number)
        assert focus.unsketched == 0
        assert _ids(run_checks(view, documents=[number])) == unsketched != []
    store.close()


def test_sketches_read_by_parallel_readers_are_those_the_connection_reads(
    generated_300: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A territory's sketches are read by several threads from a SQLite file once a chunk
    shows the disk's pace: the same rows, each once, in order, and findings unchanged."""
    with generated_300.read() as conn:
        ids = list(conn.execute(select(schema.unit_sketches.c.document_id)).scalars())
        serial, serial_words = load_sketches(conn, ids), load_words(conn, ids[::3])
        for number in _numbers(generated_300):  # the first document with findings
            view, _ = focused_view(conn, AT, number)
            serial_found = _ids(run_checks(view, documents=[number]))
            if serial_found:
                break
    assert serial_found
    threads = []
    real = db._read_in_threads

    def spy(*args: object) -> list[tuple[object, ...]]:
        threads.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "_read_in_threads", spy)
    monkeypatch.setattr(db, "READERS_FROM", 1)
    monkeypatch.setattr(db, "COLD", 0.0)  # every chunk as if read from the disk
    monkeypatch.setattr(db, "_READ_CHUNK", 7)  # many statements, spread over the threads
    with generated_300.read() as conn:
        parallel, words = load_sketches(conn, ids), load_words(conn, ids[::3])
        view, _ = focused_view(conn, AT, number)
        found = _ids(run_checks(view, documents=[number]))
    assert len(threads) >= 2  # the keys and the words went through them (and the view's)
    assert len(ids) == 300 and list(parallel) == list(serial) == sorted(ids)
    for doc_id, s in serial.items():
        p = parallel[doc_id]
        assert p.units == s.units and (p.keys == s.keys).all() and (p.hashes == s.hashes).all()
        assert (p.sizes == s.sizes).all() and (p.words == s.words).all() and len(p.words)
    assert set(words) == set(serial_words)
    assert all((words[d] == w).all() for d, w in serial_words.items())
    assert found == serial_found


def test_parallel_readers_read_the_state_the_connection_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document stored while a check reads: the readers see it, the check's connection does
    not; the connection then reads the rest itself, and the rows are those of its state."""
    store = open_store(str(tmp_path / "k.db"))
    files = sorted((ROOT / "corpus").glob("*.txt"))
    ingest(store, files[:-1], jobs=1)
    monkeypatch.setattr(db, "READERS_FROM", 1)
    monkeypatch.setattr(db, "COLD", 0.0)
    monkeypatch.setattr(db, "_READ_CHUNK", 2)
    moved = []
    real = db._read_in_threads

    def spy(*args: Any) -> list[tuple[Any, ...]]:
        try:
            return real(*args)
        except db._Moved:
            moved.append(args)
            raise

    monkeypatch.setattr(db, "_read_in_threads", spy)
    sql = "SELECT id, number FROM documents WHERE id IN ({marks}) ORDER BY id"
    with store.read() as conn:
        before = conn.execute(select(schema.documents.c.id, schema.documents.c.number)).all()
        writer = open_store(str(tmp_path / "k.db"))
        ingest(writer, files[-1:], jobs=1)  # committed while conn reads
        writer.close()
        rows = db.select_in(conn, sql, range(1, 1000))
    assert moved  # the readers saw the new document and handed back
    assert [tuple(r) for r in rows] == [tuple(r) for r in before]
    with store.read() as conn:  # a connection opened now reads it, by the threads too
        assert len(db.select_in(conn, sql, range(1, 1000))) == len(before) + 1
    store.close()


_HEAD = """{org}
TỈNH BẮC LÂM
--------

Số: {n}/2024/{code}

Bắc Lâm, ngày {day} tháng 3 năm 2024

{kind}
Quy định về quản lý chợ đầu mối trên địa bàn tỉnh Bắc Lâm

{org} TỈNH BẮC LÂM

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;

{decides}:

Điều 1. Quản lý chợ
{own}

Điều 2. Trách nhiệm phối hợp
Sở Tài chính chủ trì, phối hợp với các sở, ban, ngành và Ủy ban nhân dân các huyện rà soát,
tổng hợp nhu cầu kinh phí, báo cáo Ủy ban nhân dân tỉnh bố trí trong dự toán ngân sách hằng năm
theo quy định của pháp luật về ngân sách nhà nước.

Điều 3. Hiệu lực thi hành
Văn bản này có hiệu lực kể từ ngày 01 tháng 4 năm 2024.

TM. {org}
CHỦ TỊCH
Nguyễn Văn A
"""
_DECISION = {
    "org": "ỦY BAN NHÂN DÂN",
    "code": "QĐ-UBND",
    "kind": "QUYẾT ĐỊNH",
    "decides": "QUYẾT ĐỊNH",
}
_RESOLUTION = {
    "org": "HỘI ĐỒNG NHÂN DÂN",
    "code": "NQ-HĐND",
    "kind": "NGHỊ QUYẾT",
    "decides": "QUYẾT NGHỊ",
}


def test_a_text_held_by_more_than_max_cluster_documents_brings_none_of_them(
    tmp_path: Path,
) -> None:
    """A unit whose text more than ``max_cluster`` (50) documents hold is paired with none: the
    documents holding it do not join the focused view, and the findings stay those of the whole
    store (here: the one near-duplicate of another article)."""
    import random

    words = sorted(
        {
            w
            for p in (ROOT / "corpus").glob("*.txt")
            for w in p.read_text().lower().split()
            if w.isalpha()
        }
    )
    rng = random.Random(7)

    def own() -> str:
        return " ".join(rng.choice(words) for _ in range(40)) + "."

    folder = tmp_path / "vb"
    folder.mkdir()
    shared = own()  # the new document's first article nearly copies document 1's
    for n in range(1, 61):
        text = _HEAD.format(n=n, day=1 + n % 28, own=shared if n == 1 else own(), **_DECISION)
        (folder / f"qd-{n}.txt").write_text(text, encoding="utf-8")
    near = shared.replace(".", " hằng năm.")
    (folder / "qd-99.txt").write_text(
        _HEAD.format(n=99, day=2, own=near, **_RESOLUTION), encoding="utf-8"
    )
    store = open_store(str(tmp_path / "k.db"))
    ingest(store, [folder], jobs=1)
    number = "99/2024/NQ-HĐND"  # another body's: not a version of document 1
    with store.read() as conn:
        whole = [f for f in _territorial(load_view(conn, AT)) if number in f.documents]
        view, focus = focused_view(conn, AT, number)
        focused = run_checks(view, documents=[number])
    store.close()
    assert focus.colliding > 0 and len(focus.similar) == 1  # document 1 alone, not the 60
    assert _ids(focused) == _ids(whole) != []
    assert all(set(f.documents) == {number, "1/2024/QĐ-UBND"} for f in focused)


def test_keys_made_with_other_options_are_not_compared_and_a_rebuild_restores_them(
    tmp_path: Path,
) -> None:
    """Stored keys that do not match the similarity options of the rules now (here: spoilt
    by hand, as a changed rules/similarity.yaml leaves them) are recomputed for the check,
    which finds what it found before and says so; `vbqppl sketch --rebuild` restores them."""
    store = open_store(str(tmp_path / "k.db"))
    ingest(store, [ROOT / "corpus"], jobs=1)
    number = "22/2022/QĐ-UBND"  # overlaps a document it does not cite: found by the keys
    t = schema.unit_sketches
    with store.read() as conn:
        assert keys_current(conn)
        ids = list(conn.execute(select(t.c.document_id)).scalars())
        before = load_sketches(conn, ids)
        view, focus = focused_view(conn, AT, number)
        found = _ids(run_checks(view, documents=[number]))
    assert found and not focus.stale
    with store.begin() as conn:
        conn.exec_driver_sql('UPDATE unit_sketches SET "keys" = zeroblob(length("keys"))')
    with store.read() as conn:
        assert not keys_current(conn)
        view, focus = focused_view(conn, AT, number)
        assert focus.stale and focus.scanned > 0
        assert _ids(run_checks(view, documents=[number])) == found
    out = CliRunner().invoke(app, ["check", "--db", str(tmp_path / "k.db"), "--document", number])
    assert out.exit_code == 0 and "sketch --rebuild" in out.stderr
    out = CliRunner().invoke(app, ["sketch", "--db", str(tmp_path / "k.db"), "--rebuild"])
    assert out.exit_code == 0 and f"tính lại dấu vân tay cho {len(ids)} văn bản" in out.stdout
    with store.read() as conn:
        assert keys_current(conn)
        after = load_sketches(conn, ids)
        assert all((after[d].keys == before[d].keys).all() for d in ids)
    store.close()


def test_focused_findings_equal_whole_store_on_generated_corpus(generated_300: Store) -> None:
    """Equal but for one known case: a copy of the document's provision that also copies a
    stronger or earlier text of another document. repeats-higher reports a copying unit once,
    against the strongest text it copies; the focused check sees the pairs of the document's
    own units only, so for the higher document it reports the copy against it."""
    compared = _compare(generated_300, "2026-01-01")
    assert sum(len(w) for w, _ in compared.values()) > 0
    every = {f.id: f for w, _ in compared.values() for f in w}
    for number, (whole, focused) in compared.items():
        assert set(_ids(whole)) <= set(_ids(focused)), number  # nothing missed
        for f in focused:
            if f.id in _ids(whole):
                continue
            assert f.rule == "repeats-higher" and f.documents[1] == number, f
            copied = [g for g in every.values() if g.rule == f.rule and g.units[0] == f.units[0]]
            assert copied and all(g.units[1] != f.units[1] for g in copied), f


def test_stored_keys_are_the_band_keys_of_each_stored_unit(tmp_path: Path) -> None:
    """What the whole-store check takes instead of computing: each stored unit's words (as
    stable_encode gives them) with its band keys; nothing when the stored keys no longer are
    what the similarity options make (the options changed since ingest)."""
    store = open_store(str(tmp_path / "k.db"))
    ingest(store, [ROOT / "corpus"], jobs=1)
    with store.read() as conn:
        ids = list(conn.execute(select(schema.documents.c.id)).scalars())
        known = stored_keys(conn, ids)
        units = [u for i in ids if (d := load_document(conn, i)) for u in unit_texts(d)]
    texts = sorted({stable_encode(u.norm) for u in units})
    assert set(known) == set(texts)
    assert np.array_equal(np.stack([known[t] for t in texts]), band_keys(texts))
    t = schema.unit_sketches
    with store.begin() as conn:
        for row in conn.execute(select(t.c.document_id, t.c["keys"])).all():
            shifted = (np.frombuffer(row[1], "<u8") + np.uint64(1)).astype("<u8").tobytes()
            conn.execute(t.update().where(t.c.document_id == row.document_id).values(keys=shifted))
    with store.read() as conn:
        assert stored_keys(conn, ids) == {}
    store.close()


# a few key values, so that rows collide often; some share their low 16 bits (which
# _band_hits filters on) and differ above them
_VALUES = [0, 1, 2, 1 << 16, (1 << 16) + 1, 1 << 40, (1 << 63) + 2]
_keys = st.lists(
    st.lists(st.sampled_from(_VALUES), min_size=3, max_size=3), min_size=0, max_size=30
).map(lambda rows: np.array(rows, dtype=np.uint64).reshape(-1, 3))


@given(_keys, _keys.filter(len), st.data())
def test_collisions_are_every_pair_sharing_a_key_outside_the_frames(
    keys: np.ndarray, probes: np.ndarray, data: st.DataObject
) -> None:
    """Keys drawn from a few values: the vectorised collisions are
    the pairs a double loop finds, each once, in order; a frame (band, key) removes exactly the
    pairs sharing no other key; a frame is a bucket of more distinct texts than allowed."""
    from vbqppl.checks.focus import _band_hits, _collisions, _frames
    from vbqppl.store.sketches import Sketch

    frames = set(data.draw(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(_VALUES)))))
    rows, ts = _collisions(_band_hits(keys, probes), probes, frames)
    expected = [
        (j, t)
        for j in range(len(keys))
        for t in range(len(probes))
        if any(keys[j, b] == probes[t, b] and (b, int(keys[j, b])) not in frames for b in range(3))
    ]
    assert list(zip(rows.tolist(), ts.tolist(), strict=True)) == expected
    hashes = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=len(keys), max_size=len(keys))),
        dtype=np.uint64,
    )
    mine_hashes = np.arange(10, 10 + len(probes), dtype=np.uint64)
    most = data.draw(st.integers(0, 4))
    mine = Sketch(
        ("u",) * len(probes),
        probes,
        mine_hashes,
        np.zeros(len(probes), np.int64),
        np.zeros(0, np.uint32),
    )
    bucket_texts = {
        (b, int(probes[t, b])): {
            int(mine_hashes[u]) for u in range(len(probes)) if probes[u, b] == probes[t, b]
        }
        | {int(hashes[j]) for j in range(len(keys)) if keys[j, b] == probes[t, b]}
        for t in range(len(probes))
        for b in range(3)
    }
    assert _frames(_band_hits(keys, probes), mine, hashes, most) == {
        k for k, texts in bucket_texts.items() if len(texts) > most
    }


def test_keys_made_by_another_normalisation_are_stale_and_a_rebuild_makes_them_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store sketched by a version that normalised texts otherwise (here: numbers kept as
    written, not made "0") holds keys that agree with their own stored words: computing one
    unit's keys again cannot tell. The fingerprint recorded when the store got its first
    sketch does; `vbqppl sketch --rebuild` makes the keys this version's."""
    current = fingerprint()
    with monkeypatch.context() as m:
        m.setattr(similar, "_NUMBER", re.compile(r"(?!)"))
        fingerprint.cache_clear()
        older = fingerprint()
        store = open_store(str(tmp_path / "v.db"))
        ingest(store, [ROOT / "corpus"], jobs=1)
    fingerprint.cache_clear()
    assert older != current
    number = "22/2022/QĐ-UBND"
    with store.begin() as conn:
        assert db.get_meta(conn, FINGERPRINT) == older
        assert not keys_current(conn)
        db.set_meta(conn, FINGERPRINT, None)  # as a store sketched before fingerprints
        assert keys_current(conn)  # what the stored words alone say: the keys look current
        db.set_meta(conn, FINGERPRINT, older)
    with store.read() as conn:
        view, focus = focused_view(conn, AT, number)
        assert focus.stale and focus.scanned > 0
        found = _ids(run_checks(view, documents=[number]))
    another = tmp_path / "qd-96-2025-ubnd.txt"
    text = (ROOT / "corpus" / "qd-06-2025-ubnd.txt").read_text(encoding="utf-8")
    another.write_text(text.replace("06/2025/QĐ-UBND", "96/2025/QĐ-UBND"), encoding="utf-8")
    ingest(store, [another], jobs=1)
    with store.read() as conn:  # this version wrote into it too: stale for every version
        assert db.get_meta(conn, FINGERPRINT) == MIXED and not keys_current(conn)
    out = CliRunner().invoke(app, ["sketch", "--db", str(tmp_path / "v.db"), "--rebuild"])
    assert out.exit_code == 0, out.output
    fresh = open_store(str(tmp_path / "f.db"))
    ingest(fresh, [ROOT / "corpus"], jobs=1)
    t = schema.unit_sketches
    with store.read() as conn, fresh.read() as fconn:
        assert db.get_meta(conn, FINGERPRINT) == current == db.get_meta(fconn, FINGERPRINT)
        assert keys_current(conn)
        view, focus = focused_view(conn, AT, number)
        assert not focus.stale and _ids(run_checks(view, documents=[number])) == found != []
        ids = list(fconn.execute(select(t.c.document_id)).scalars())  # the first 16 of both
        rebuilt, made = load_sketches(conn, ids), load_sketches(fconn, ids)
    store.close()
    fresh.close()
    assert ids and rebuilt.keys() == made.keys()
    assert all((rebuilt[d].keys == made[d].keys).all() for d in ids)
