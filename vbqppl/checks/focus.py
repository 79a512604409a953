"""The checks for one document against the whole store, reading only what can name it.

:func:`focused_view` loads a :class:`CorpusView` of: the document; the documents it cites or
acts on and those citing or acting on it; the documents holding units similar to its units;
and the documents acting on any of these (their relations give the others' validity and
wording in force). Similar units are found without reading the store's texts: each stored
document's units have their LSH band keys in ``unit_sketches`` (:mod:`vbqppl.store.sketches`);
only the documents that apply in the document's territory (:mod:`vbqppl.checks.territory`) are
looked at, the units whose keys collide with its units' are scored on their stored words (the
sketch keeps them encoded), and the documents of those reaching the threshold join the view. The pairs the pair checks compare
are then computed for the document's units only and put where :func:`scored_pairs` keeps
them, so the pair checks run unchanged.

Known limits (``docs/checks.md``, "check --document"): ``numeric-conflict`` compares the
document with the documents of the view only; an overlap found as a cluster (a provision
repeated in many documents) sees the pairs of the document's units, not pairs between the
other documents of the cluster; a stored document whose wording in force differs from its
stored words is found by its stored words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import Connection, select

from vbqppl.checks.pairs import comparable_units, territory_of
from vbqppl.checks.territory import may_pair, territory
from vbqppl.checks.view import CorpusView, load_view
from vbqppl.rules import load_rules
from vbqppl.similar import Pair, UnitText, encode_units
from vbqppl.similar import similarity_params as _similarity_params
from vbqppl.store import schema
from vbqppl.store.db import chunks
from vbqppl.store.documents import find_documents
from vbqppl.store.sketches import (
    Sketch,
    compute_sketches,
    load_sketches,
    sketch_units,
    stable_encode,
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
    mine = [(d, u) for d, u in comparable_units(first).values() if d in seeds]
    threshold = pair_threshold()
    similar, counts = _similar_documents(conn, first, seeds, mine, threshold, focus)
    focus.similar = sorted(similar - linked - set(seeds))
    view = load_view(conn, at, documents=with_actors(conn, set(seeds) | linked | similar))
    focus.loaded = len(view.documents)
    view.memo["pairs"] = (threshold, _pairs(view, set(seeds), threshold, counts))
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
) -> tuple[set[int], dict[int, int]]:
    """The stored documents holding a unit that scores ``threshold`` or more with one of
    ``mine`` (the document's units): their stored sketches' band keys collide with those of
    one of ``mine``, and their stored words score with it. Also how many documents of the
    territory hold each text of ``mine`` (by hash), for ``max_cluster``."""
    if not mine:
        return set(), {}
    places = {territory_of(view, d) for d in seeds}
    own = set(seeds)
    others = [i for i in _territory_documents(conn, places) if i not in own]
    stored = load_sketches(conn, others)
    lacking = [i for i in others if i not in stored]  # a store ingested before sketches
    focus.unsketched = len(lacking)
    if lacking:
        stored.update(compute_sketches(conn, lacking))
    focus.scanned = len(stored)
    sketch = sketch_units([u for _, u in mine])
    counts = _holders(stored.items(), sketch, seeds[0])
    if not stored:
        return set(), counts
    docs = list(stored)
    owners = np.concatenate([np.full(len(stored[i].units), n) for n, i in enumerate(docs)])
    rows = np.concatenate([np.arange(len(stored[i].units)) for i in docs])
    keys = np.concatenate([stored[i].keys for i in docs])
    collide: set[tuple[int, int]] = set()  # (row of keys, unit of mine)
    for band in range(keys.shape[1]):
        index: dict[int, list[int]] = defaultdict(list)
        for t, key in enumerate(sketch.keys[:, band].tolist()):
            index[key].append(t)
        col = keys[:, band]
        hit = np.flatnonzero(np.isin(col, sketch.keys[:, band]))
        for k, key in zip(hit.tolist(), col[hit].tolist(), strict=True):
            collide.update((k, t) for t in index[key])
    focus.colliding = len({k for k, _ in collide})
    ours = [stable_encode(u.norm) for _, u in mine]
    found: set[int] = set()
    for k, t in sorted(collide):
        doc = docs[int(owners[k])]
        if doc not in found:
            theirs = stored[doc].encoded(int(rows[k]))
            if fuzz.ratio(ours[t], theirs, score_cutoff=threshold) >= threshold:
                found.add(doc)
    return found, counts


def _holders(stored: Iterable[tuple[int, Sketch]], mine: Sketch, me: int) -> dict[int, int]:
    """How many documents hold each text of ``mine`` (by hash): its own and the stored ones."""
    wanted = {int(h) for h in mine.hashes}
    holders: dict[int, set[int]] = defaultdict(set)
    for h in wanted:
        holders[h].add(me)
    for doc_id, s in stored:
        for h in set(s.hashes.tolist()) & wanted:
            holders[h].add(doc_id)
    return {h: len(v) for h, v in holders.items()}


def _pairs(
    view: CorpusView, seeds: set[int], threshold: float, counts: dict[int, int]
) -> list[tuple[int, UnitText, int, UnitText, Pair]]:
    """The pairs of the view's comparable units, one of them the document's, scoring
    ``threshold`` or more, as :func:`vbqppl.checks.pairs.scored_pairs` lists them (in the order
    of the view's units; not two units of one document, nor of related documents or versions;
    not a text more than ``max_cluster`` documents hold)."""
    params = _similarity_params()
    units = list(comparable_units(view).values())
    if not units:
        return []
    encoded = encode_units([u for _, u in units])
    mine = [i for i, (d, _) in enumerate(units) if d in seeds]
    most = params.max_cluster
    mine = [i for i in mine if most is None or counts.get(text_hash(units[i][1].norm), 1) <= most]
    if not mine:
        return []
    scores = process.cdist(
        [encoded[i] for i in mine], encoded, scorer=fuzz.ratio, score_cutoff=threshold
    )
    found: dict[tuple[int, int], float] = {}
    for r, j in zip(*np.nonzero(scores >= threshold), strict=True):
        i, j = mine[int(r)], int(j)
        a, b = units[i][0], units[j][0]
        if (
            a == b
            or view.related(a, b)
            or view.versions(a, b)
            or not may_pair(territory_of(view, a), territory_of(view, b))
        ):
            continue
        found[(min(i, j), max(i, j))] = float(scores[r, j])
    out = []
    for (i, j), score in sorted(found.items()):
        (a, ua), (b, ub) = units[i], units[j]
        kind = "near-duplicate" if score >= params.near_duplicate else "overlap"
        out.append((a, ua, b, ub, Pair(ua.ref, ub.ref, round(score, 2), kind)))
    return out
