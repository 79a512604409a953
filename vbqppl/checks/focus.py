"""The checks for one document against the whole store, reading only what can name it.

:func:`focused_view` loads a :class:`CorpusView` of: the document; the documents it cites or
acts on and those citing or acting on it; the documents holding units similar to its units;
and the documents acting on any of these (their relations give the others' validity and
wording in force). Similar units are found without reading the store's texts: each stored
document's units have their LSH band keys in ``unit_sketches`` (:mod:`vbqppl.store.sketches`);
only the documents that apply in the document's territory (:mod:`vbqppl.checks.territory`) are
looked at, the units whose keys collide with its units' are scored on their stored words (the
sketch keeps them encoded), and the documents of those reaching the threshold join the view.
The pairs the pair checks compare are then computed for the document's units only, from the
same band-key collisions over the view's units (the stored keys, sketching only the texts in
force that differ from the stored words), and put where :func:`scored_pairs` keeps them, so
the pair checks run unchanged.

Known limits (``docs/checks.md``, "check --document"): ``numeric-conflict`` compares the
document with the documents of the view only; an overlap found as a cluster (a provision
repeated in many documents) sees the pairs of the document's units, not pairs between the
other documents of the cluster; a stored document whose wording in force differs from its
stored words is found by its stored words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import Connection, select

from vbqppl.checks.pairs import comparable_units, territory_of
from vbqppl.checks.territory import may_pair, territory
from vbqppl.checks.view import CorpusView, load_view
from vbqppl.rules import load_rules
from vbqppl.similar import Pair, UnitText, band_keys, encode_units, run_positions
from vbqppl.similar import similarity_params as _similarity_params
from vbqppl.store import schema
from vbqppl.store.db import chunks
from vbqppl.store.documents import find_documents
from vbqppl.store.sketches import (
    Sketch,
    compute_sketches,
    keys_current,
    load_sketches,
    load_words,
    sketch_units,
    stable_encode,
    stored_keys,
    text_hash,
)
from vbqppl.store.validity import ACTING


@dataclass
class Focus:
    """What :func:`focused_view` looked at, for the user and the benchmarks."""

    documents: list[int]  # the document's ids (one number may name two stored copies)
    scanned: int = 0  # stored documents of its territory whose sketches were read
    colliding: int = 0  # their units sharing a band key with one of its units
    similar: list[int] = field(default_factory=list)  # documents joining the view for that
    loaded: int = 0  # documents in the view
    unsketched: int = 0  # of those, how many had none stored (computed here: an older store)
    stale: bool = False  # the stored ones were made with other similarity options (recomputed)
    frames: set[tuple[int, int]] = field(default_factory=set)  # (band, key): max_bucket


def pair_threshold() -> float:
    """The lowest ``min_score`` of the checks that read :func:`scored_pairs`."""
    rules = load_rules("checks")
    keys = ("overlap", "repeats_higher", "modality_conflict")
    return min(float(rules[k]["min_score"]) for k in keys)


def focused_view(
    conn: Connection, at: str, number: str, ids: Collection[int] | None = None
) -> tuple[CorpusView, Focus]:
    """A view holding what the checks need to find every finding naming document ``number``
    (the stored documents of that number, or only those of ``ids``), with the similar pairs of
    their units already computed (``view.memo["pairs"]``)."""
    seeds = sorted(ids) if ids is not None else find_documents(conn, number)
    focus = Focus(seeds)
    linked = linked_documents(conn, seeds)
    first = load_view(conn, at, documents=with_actors(conn, set(seeds) | linked))
    # the document's units, as a view with what acts on it and what it acts on reads them (an
    # amending instruction is read into the amended text): the others' are not computed here
    first.memo["only_units"] = {d: () for d in first.documents if d not in seeds}
    mine = list(comparable_units(first).values())
    threshold = pair_threshold()
    similar, counts = _similar_documents(conn, first, seeds, mine, threshold, focus)
    focus.similar = sorted(set(similar) - linked - set(seeds))
    view = load_view(conn, at, documents=with_actors(conn, set(seeds) | linked | set(similar)))
    focus.loaded = len(view.documents)
    # of a document in the view only for its similar units, only those are compared
    view.memo["only_units"] = {d: similar[d] for d in focus.similar}
    known = stored_keys(conn, view.documents)  # the view's stored texts: not sketched again
    pairs = _pairs(view, set(seeds), threshold, counts, known, focus.frames)
    view.memo["pairs"] = (threshold, pairs)
    view.memo["focus"] = set(seeds)  # numeric-conflict: candidates with the document only
    return view, focus


def linked_documents(conn: Connection, ids: Collection[int]) -> set[int]:
    """The documents the documents ``ids`` cite or act on, and those citing or acting on them."""
    out: set[int] = set()
    for t in (schema.citations, schema.relations):
        for part in chunks(ids):
            out.update(
                conn.execute(
                    select(t.c.resolved_document_id).where(
                        t.c.document_id.in_(part), t.c.resolved_document_id.is_not(None)
                    )
                ).scalars()
            )
            out.update(
                conn.execute(
                    select(t.c.document_id).where(t.c.resolved_document_id.in_(part))
                ).scalars()
            )
    return out - set(ids)


def with_actors(conn: Connection, ids: set[int]) -> set[int]:
    """``ids`` and the documents acting on them (amending, replacing, repealing ...)."""
    t = schema.relations
    out = set(ids)
    for part in chunks(ids):
        stmt = select(t.c.document_id).where(
            t.c.resolved_document_id.in_(part), t.c.type.in_(ACTING)
        )
        out.update(conn.execute(stmt).scalars())
    return out


@cache
def _issuer_place(issuer: str | None) -> str | None:
    """The territory of a local document of ``issuer`` (None for an issuer naming no
    province: central bodies, which pair with everything)."""
    return territory(issuer, "local")


def _territory_documents(conn: Connection, places: set[str | None]) -> list[int]:
    """The documents whose issuer may pair with a document of one of ``places`` (by the
    index on ``documents.issuer``: the store's rows are not read)."""
    d = schema.documents
    issuers = list(conn.execute(select(d.c.issuer).distinct()).scalars())
    keep = [i for i in issuers if any(may_pair(p, _issuer_place(i)) for p in places)]
    out: list[int] = []
    for part in chunks(i for i in keep if i is not None):
        out.extend(conn.execute(select(d.c.id).where(d.c.issuer.in_(part))).scalars())
    if None in keep:
        out.extend(conn.execute(select(d.c.id).where(d.c.issuer.is_(None))).scalars())
    return sorted(out)


def _similar_documents(
    conn: Connection,
    view: CorpusView,
    seeds: list[int],
    mine: list[tuple[int, UnitText]],
    threshold: float,
    focus: Focus,
) -> tuple[dict[int, set[str]], dict[int, int]]:
    """The stored documents holding a unit that scores ``threshold`` or more with one of
    ``mine`` (the document's units): their stored sketches' band keys collide with those of
    one of ``mine``, and their stored words score with it; for each, its units colliding with
    one of ``mine`` (ids). Also how many documents of the territory hold each text of ``mine``
    (by hash), for ``max_cluster``."""
    if not mine:
        return {}, {}
    places = {territory_of(view, d) for d in seeds}
    own = set(seeds)
    others = [i for i in _territory_documents(conn, places) if i not in own]
    stored = load_sketches(conn, others, words=False)  # words: of the colliding units only
    if stored and not keys_current(conn):
        # made with other similarity options: no stored key compares with a new one
        focus.stale = True
        stored = compute_sketches(conn, others)
    lacking = [i for i in others if i not in stored]  # a store ingested before sketches
    focus.unsketched = len(lacking)
    if lacking:
        stored.update(compute_sketches(conn, lacking))
    focus.scanned = len(stored)
    sketch = sketch_units([u for _, u in mine])
    if not stored:
        return {}, {int(h): 1 for h in sketch.hashes.tolist()}
    docs = list(stored)
    units = np.fromiter((len(stored[i].units) for i in docs), dtype=np.int64, count=len(docs))
    owners = np.repeat(np.arange(len(docs)), units)
    hashes = np.concatenate([stored[i].hashes for i in docs])
    counts = _holders(hashes, owners, sketch.hashes)
    hits = _band_hits(np.concatenate([stored[i].keys for i in docs]), sketch.keys)
    params = _similarity_params()
    if params.max_bucket is not None:
        focus.frames = _frames(hits, sketch, hashes, params.max_bucket)
    rows, probes = _collisions(hits, sketch.keys, focus.frames)
    if params.max_cluster is not None:
        # a unit of mine whose text more than max_cluster documents hold is paired with none
        # (_pairs): the documents it collides with would join the view for nothing (one
        # generated decision brought 429 such documents of its 434 similar ones)
        paired = np.array(
            [counts[h] <= params.max_cluster for h in sketch.hashes.tolist()], dtype=bool
        )
        keep = paired[probes]
        rows, probes = rows[keep], probes[keep]
    focus.colliding = len(np.unique(rows))
    if not len(rows):
        return {}, counts
    # each distinct (stored text, unit of mine) is scored once: a drafting frame's sentence
    # held by a thousand documents costs one score
    distinct, inverse = np.unique(
        np.stack((hashes[rows], probes.astype(np.uint64)), axis=1), axis=0, return_inverse=True
    )
    inverse = inverse.reshape(-1)
    sample = np.empty(len(distinct), dtype=np.int64)
    sample[inverse] = rows
    first = np.cumsum(units) - units  # each document's first row
    where = [
        (docs[o], k - int(first[o]))
        for o, k in zip(owners[sample].tolist(), sample.tolist(), strict=True)
    ]
    words = _WordTable(conn, {d: stored[d] for d, _ in where})
    ours = [stable_encode(u.norm) for _, u in mine]
    scores = process.cpdist(
        [ours[t] for t in distinct[:, 1].tolist()],
        [words.text(d, i) for d, i in where],
        scorer=fuzz.ratio,
        score_cutoff=threshold,
        dtype=np.float64,
    )
    hit = (scores >= threshold)[inverse]
    found = set(owners[rows[hit]].tolist())
    out: dict[int, set[str]] = defaultdict(set)
    for o, k in zip(owners[rows].tolist(), rows.tolist(), strict=True):
        if o in found:
            out[docs[o]].add(stored[docs[o]].units[k - int(first[o])])
    return dict(out), counts


class _WordTable:
    """The stored words of some documents' units (read in one query for the sketches loaded
    without them), to read any unit's :func:`stable_encode` text."""

    def __init__(self, conn: Connection, sketches: Mapping[int, Sketch]) -> None:
        self.words = {d: s.words for d, s in sketches.items() if len(s.words)}
        self.words.update(load_words(conn, [d for d in sketches if d not in self.words]))
        self.ends = {d: np.cumsum(s.sizes) for d, s in sketches.items()}

    def text(self, doc: int, row: int) -> str:
        """The text of unit ``row`` of document ``doc``."""
        ends = self.ends[doc]
        start, end = (int(ends[row - 1]) if row else 0), int(ends[row])
        return self.words[doc][start:end].astype("<u4").tobytes().decode("utf-32-le")


def _holders(hashes: np.ndarray, owners: np.ndarray, mine: np.ndarray) -> dict[int, int]:
    """How many documents hold each text of ``mine`` (by hash): the document itself and the
    stored ones (``hashes`` of their units, ``owners`` their documents)."""
    held = np.isin(hashes, mine)
    pairs = np.unique(np.stack((hashes[held], owners[held].astype(np.uint64)), axis=1), axis=0)
    found, times = np.unique(pairs[:, 0], return_counts=True)
    counts = {int(h): 1 for h in mine.tolist()}
    counts.update((int(h), 1 + int(n)) for h, n in zip(found, times, strict=True))
    return counts


def _band_hits(keys: np.ndarray, probes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each band (column), the rows ``j`` of ``keys`` and ``t`` of ``probes`` sharing its
    key there: two int64 arrays, a pair per row of ``keys`` and probe holding that key."""
    out = []
    # a table of the probes' keys' low 16 bits (read in place: a view of the keys' first two
    # bytes) rules out nearly every row in one gather; the few left are searched exactly
    low = np.ascontiguousarray(_low16(keys).T)
    mine = _low16(probes)
    for band, col in enumerate(low):
        seen = np.zeros(1 << 16, dtype=bool)
        seen[mine[:, band]] = True
        maybe = np.flatnonzero(seen[col])
        order = np.argsort(probes[:, band], kind="stable")
        ordered = probes[order, band]
        near = keys[maybe, band]
        lo = np.searchsorted(ordered, near, "left")
        many = np.searchsorted(ordered, near, "right") - lo
        held = many > 0
        if held.any():
            j = np.repeat(maybe[held], many[held])
            out.append((j, order[run_positions(lo[held], many[held])]))
        else:
            out.append((np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)))
    return out


def _low16(keys: np.ndarray) -> np.ndarray:
    """16 bits of each uint64 key (the first two bytes of each, whatever the byte order): a
    strided view, not a copy."""
    return np.ascontiguousarray(keys, dtype=np.uint64).view(np.uint16)[:, ::4]


def _frames(
    hits: list[tuple[np.ndarray, np.ndarray]], mine: Sketch, hashes: np.ndarray, most: int
) -> set[tuple[int, int]]:
    """The band buckets of ``mine``'s keys holding more than ``most`` distinct texts (the
    stored ones, by ``hashes``, and the document's): drafting frames, which give no candidates
    (``max_bucket``, as the whole-store check counts them in its part)."""
    out: set[tuple[int, int]] = set()
    for band, (j, t) in enumerate(hits):
        keys = np.concatenate((mine.keys[t, band], mine.keys[:, band]))
        texts = np.concatenate((hashes[j], mine.hashes))
        # each (key, text) once, by one 64-bit code of the two: sorting pairs of columns costs
        # ten times more, and two pairs sharing a code (odds 2**-64) only undercount a bucket
        with np.errstate(over="ignore"):
            code = texts ^ (keys * np.uint64(0x9E3779B97F4A7C15))
        _, first = np.unique(code, return_index=True)
        found, n = np.unique(keys[first], return_counts=True)
        out.update((band, int(k)) for k in found[n > most].tolist())
    return out


def _collisions(
    hits: list[tuple[np.ndarray, np.ndarray]],
    probes: np.ndarray,
    frames: Collection[tuple[int, int]] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of :func:`_band_hits`, each once, but for those sharing only keys of
    ``frames`` (band, key): two int64 arrays ``j`` and ``t``, sorted by ``j`` then ``t``."""
    found = [np.empty(0, dtype=np.int64)]
    for band, (j, t) in enumerate(hits):
        skip = np.array([k for b, k in frames if b == band], dtype=np.uint64)
        if len(skip):
            keep = ~np.isin(probes[t, band], skip)
            j, t = j[keep], t[keep]
        found.append(j * len(probes) + t)
    codes = np.unique(np.concatenate(found))
    return codes // len(probes), codes % len(probes)


def _pairs(
    view: CorpusView,
    seeds: set[int],
    threshold: float,
    counts: dict[int, int],
    known: Mapping[str, np.ndarray] | None = None,
    frames: Collection[tuple[int, int]] = (),
) -> list[tuple[int, UnitText, int, UnitText, Pair]]:
    """The pairs of the view's comparable units, one of them the document's, scoring
    ``threshold`` or more, as :func:`vbqppl.checks.pairs.scored_pairs` lists them (in the order
    of the view's units; not two units of one document, nor of related documents or versions;
    not a text more than ``max_cluster`` documents hold).

    The candidates are those of the whole-store check: the units sharing an LSH band key with
    one of the document's units (``known``: the stored keys of the view's texts, so that only
    the texts in force that differ from the stored words are sketched here), but for a key of
    ``frames`` (the drafting frames :func:`_frames` found in the territory), each scored once.
    """
    params = _similarity_params()
    units = list(comparable_units(view).values())
    if not units:
        return []
    mine = [i for i, (d, _) in enumerate(units) if d in seeds]
    most = params.max_cluster
    mine = [i for i in mine if most is None or counts.get(text_hash(units[i][1].norm), 1) <= most]
    if not mine:
        return []
    keys = band_keys(
        [stable_encode(u.norm) for _, u in units],
        threshold=threshold,
        known=known if threshold == params.threshold else None,
    )
    places = [territory_of(view, d) for d, _ in units]
    candidates: set[tuple[int, int]] = set()
    rows, probes = _collisions(_band_hits(keys, keys[mine]), keys[mine], frames)
    for j, t in zip(rows.tolist(), probes.tolist(), strict=True):
        i = mine[t]
        a, b = units[i][0], units[j][0]
        if (
            a != b
            and not view.related(a, b)
            and not view.versions(a, b)
            and may_pair(places[i], places[j])
        ):
            candidates.add((min(i, j), max(i, j)))
    if not candidates:
        return []
    pairs = sorted(candidates)
    # the candidates' units only: a word's character is the same whatever other units are
    # encoded with them (one per word), so the scores are those of encoding every unit
    needed = sorted({k for pair in pairs for k in pair})
    encoded = dict(zip(needed, encode_units([units[k][1] for k in needed]), strict=True))
    scores = process.cpdist(
        [encoded[i] for i, _ in pairs],
        [encoded[j] for _, j in pairs],
        scorer=fuzz.ratio,
        score_cutoff=threshold,
        dtype=np.float64,
    ).tolist()
    out = []
    for (i, j), score in zip(pairs, scores, strict=True):
        if score >= threshold:
            (a, ua), (b, ub) = units[i], units[j]
            kind = "near-duplicate" if score >= params.near_duplicate else "overlap"
            out.append((a, ua, b, ub, Pair(ua.ref, ub.ref, round(score, 2), kind)))
    return out
