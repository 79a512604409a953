"""Checks on pairs of provisions of different documents that say the same thing (overlap,
repeats-higher), or speak of the same matter with different figures (numeric-conflict) or
opposite modalities (modality-conflict).

Pairs come from :func:`vbqppl.similar.similar_pairs` (MinHash LSH, scored with rapidfuzz);
figures, modalities and subject terms from :mod:`vbqppl.provisions`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from itertools import pairwise
from types import SimpleNamespace
from typing import Any, cast

from vbqppl.checks.finding import AMEND, HIGH, LOW, MEDIUM, REPEAL, Evidence, Finding
from vbqppl.checks.registry import check
from vbqppl.checks.view import CorpusView, evidence
from vbqppl.describe import describe_unit
from vbqppl.model import Document
from vbqppl.provisions import Quantity, modality, quantities, subject_terms, term_overlap
from vbqppl.rules import load_rules
from vbqppl.similar import Pair, UnitText, similar_pairs, unit_texts


def comparable_units(view: CorpusView) -> dict[str, tuple[int, UnitText]]:
    """Articles and clauses in force of the ranked normative documents, keyed ``NUMBER#unit``."""
    if "units" in view.memo:
        return cast(dict[str, tuple[int, UnitText]], view.memo["units"])
    out: dict[str, tuple[int, UnitText]] = {}
    boilerplate = re.compile(load_rules("checks")["boilerplate"]["pattern"])
    for doc_id in view.documents:
        if view.rank(doc_id) is None or not view.in_force(doc_id):
            continue
        shim = SimpleNamespace(
            text=view.texts[doc_id],
            units=[
                SimpleNamespace(
                    id=u.unit_id,
                    kind=u.kind,
                    label=u.label,
                    span=SimpleNamespace(start=u.start, end=u.end),
                )
                for u in view.units.get(doc_id, {}).values()
            ],
            metadata=SimpleNamespace(number=None),
            source=SimpleNamespace(path=None, sha256=None),
        )
        for ut in unit_texts(cast(Document, shim), doc_key=f"#{doc_id}"):
            if view.in_force(doc_id, ut.ref.unit) and not boilerplate.search(ut.text):
                out[view.ref(doc_id, ut.ref.unit)] = (doc_id, ut)
    view.memo["units"] = out
    return out


def scored_pairs(
    view: CorpusView, threshold: float
) -> list[tuple[int, UnitText, int, UnitText, Pair]]:
    """Similar pairs of units of two different, unrelated documents, scoring ``threshold`` or
    more (computed once per view at the lowest threshold asked)."""
    key = "pairs"
    cached = view.memo.get(key)
    if cached is None or cached[0] > threshold:
        units = list(comparable_units(view).values())
        texts = [u for _, u in units]
        doc_of = {u.ref: d for d, u in units}
        found = []
        for p in similar_pairs(texts, threshold=threshold):
            a, b = doc_of[p.a], doc_of[p.b]
            if a == b or view.related(a, b) or view.versions(a, b):
                continue
            ua = _lookup(texts, p.a)
            ub = _lookup(texts, p.b)
            found.append((a, ua, b, ub, p))
        view.memo[key] = cached = (threshold, found)
    return [x for x in cached[1] if x[4].score >= threshold]


def _lookup(texts: list[UnitText], ref: Any) -> UnitText:
    index = getattr(_lookup, "index", None)
    if index is None or index[0] is not texts:
        index = (texts, {u.ref: u for u in texts})
        _lookup.index = index  # type: ignore[attr-defined]
    return cast(UnitText, index[1][ref])


def _outermost(
    pairs: list[tuple[int, UnitText, int, UnitText, Pair]],
) -> list[tuple[int, UnitText, int, UnitText, Pair]]:
    """Leave out a pair of clauses when the pair of their articles is there too."""
    keys: dict[tuple[int, int], set[tuple[str, str]]] = defaultdict(set)
    for a, ua, b, ub, _ in pairs:  # by document pair: a pair is only covered by its own
        keys[(a, b)].add((ua.ref.unit, ub.ref.unit))

    def inside(x: str, y: str) -> bool:
        return x != y and x.startswith(y + "__")

    out = []
    for a, ua, b, ub, p in pairs:
        covered = any(
            (inside(ua.ref.unit, x) or ua.ref.unit == x)
            and (inside(ub.ref.unit, y) or ub.ref.unit == y)
            and (x, y) != (ua.ref.unit, ub.ref.unit)
            for x, y in keys[(a, b)]
        )
        if not covered:
            out.append((a, ua, b, ub, p))
    return out


def _same_matter(view: CorpusView, a: int, b: int, least: float) -> bool:
    """Whether two documents' titles are about the same matter (subject terms shared)."""
    ta, tb = view.documents[a].title or "", view.documents[b].title or ""
    return term_overlap(subject_terms(ta), subject_terms(tb)) >= least


def _unit_evidence(view: CorpusView, doc_id: int, ut: UnitText) -> Evidence:
    return evidence(view, doc_id, ut.span.start, ut.span.end, ut.ref.unit)


def _where(view: CorpusView, doc_id: int, unit: str) -> str:
    return f"{describe_unit(unit)} {view.documents[doc_id].label}"


@check("overlap", severity=MEDIUM, params="overlap")
def overlap(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Quy định gần trùng nhau, cùng còn hiệu lực, trong các văn bản cùng cấp."""
    least = float(params["min_title_overlap"])
    same_issuer = float(params["min_title_overlap_same_issuer"])
    pairs = []
    for x in scored_pairs(view, float(params["min_score"])):
        ra, rb = view.rank(x[0]), view.rank(x[2])
        if ra is None or rb is None or ra.rank != rb.rank:
            continue
        da, db = view.documents[x[0]], view.documents[x[2]]
        one = ra.code == rb.code and (da.issuer or "") == (db.issuer or "")
        if _same_matter(view, x[0], x[2], same_issuer if one else least):
            pairs.append(x)
    for a, ua, b, ub, p in _outermost(pairs):
        if _opposed(ua.text, ub.text):
            continue  # a contradiction, reported by modality-conflict
        yield Finding(
            rule="overlap",
            severity=MEDIUM,
            documents=(view.name(a), view.name(b)),
            units=(view.ref(a, ua.ref.unit), view.ref(b, ub.ref.unit)),
            evidence=(_unit_evidence(view, a, ua), _unit_evidence(view, b, ub)),
            explanation=(
                f"{_where(view, a, ua.ref.unit)} và {_where(view, b, ub.ref.unit)} là hai văn bản "
                f"cùng cấp, cùng còn hiệu lực, có nội dung gần trùng nhau (độ tương đồng "
                f"{p.score:.0f}/100): chồng chéo."
            ),
            handling=f"{AMEND} hoặc {REPEAL} một trong hai quy định",
        )


@check("repeats-higher", severity=LOW, params="repeats_higher")
def repeats_higher(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Quy định của văn bản cấp dưới chép lại quy định của văn bản cấp trên."""
    for a, ua, b, ub, p in _outermost(scored_pairs(view, float(params["min_score"]))):
        ra, rb = view.rank(a), view.rank(b)
        if ra is None or rb is None or ra.rank == rb.rank:
            continue
        (hi, uh), (lo, ul) = ((a, ua), (b, ub)) if ra.rank < rb.rank else ((b, ub), (a, ua))
        signed_hi, signed_lo = view.documents[hi].issued, view.documents[lo].issued
        if signed_hi and signed_lo and signed_hi > signed_lo:
            continue  # a copy comes after its source: the higher text was written later
        yield Finding(
            rule="repeats-higher",
            severity=LOW,
            documents=(view.name(lo), view.name(hi)),
            units=(view.ref(lo, ul.ref.unit), view.ref(hi, uh.ref.unit)),
            evidence=(_unit_evidence(view, lo, ul), _unit_evidence(view, hi, uh)),
            explanation=(
                f"{_where(view, lo, ul.ref.unit)} chép lại gần nguyên văn "
                f"{_where(view, hi, uh.ref.unit)} (độ tương đồng {p.score:.0f}/100), văn bản có "
                f"hiệu lực pháp lý cao hơn; không cần quy định lại."
            ),
            handling=f"{AMEND} (bỏ phần lặp lại, dẫn chiếu văn bản cấp trên)",
        )


_OPPOSED = {"permission", "obligation"}


def _opposed(a: str, b: str) -> bool:
    """One forbids and the other, not forbidding, permits or obliges."""
    ka, kb = modality(a).kinds(), modality(b).kinds()
    return bool(
        ("prohibition" in ka and "prohibition" not in kb and kb & _OPPOSED)
        or ("prohibition" in kb and "prohibition" not in ka and ka & _OPPOSED)
    )


@check("modality-conflict", severity=HIGH, params="modality_conflict")
def modality_conflict(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Hai quy định tương ứng: một bên cho phép hoặc bắt buộc, bên kia cấm."""
    for a, ua, b, ub, p in scored_pairs(view, float(params["min_score"])):
        ma, mb = modality(ua.text), modality(ub.text)
        ka, kb = ma.kinds(), mb.kinds()
        if "prohibition" in ka and "prohibition" not in kb and kb & _OPPOSED:
            (fa, fua, fma), (fb, fub, fmb) = (b, ub, mb), (a, ua, ma)
        elif "prohibition" in kb and "prohibition" not in ka and ka & _OPPOSED:
            (fa, fua, fma), (fb, fub, fmb) = (a, ua, ma), (b, ub, mb)
        else:
            continue
        allow = next(c for c in fma.cues if c.kind in _OPPOSED)
        ban = next(c for c in fmb.cues if c.kind == "prohibition")
        yield Finding(
            rule="modality-conflict",
            severity=HIGH,
            documents=(view.name(fa), view.name(fb)),
            units=(view.ref(fa, fua.ref.unit), view.ref(fb, fub.ref.unit)),
            evidence=(_unit_evidence(view, fa, fua), _unit_evidence(view, fb, fub)),
            explanation=(
                f'{_where(view, fa, fua.ref.unit)} "{allow.text}" trong khi '
                f'{_where(view, fb, fub.ref.unit)} "{ban.text}" cùng nội dung (độ tương đồng '
                f"{p.score:.0f}/100): mâu thuẫn."
            ),
            handling=f"{AMEND} hoặc {REPEAL} quy định không phù hợp",
        )


def _grams(terms: list[str]) -> set[str]:
    """The two-syllable words of subject terms, as :func:`vbqppl.provisions.term_overlap`
    compares them (kept here so that each unit's are computed once)."""
    out: set[str] = set()
    for term in terms:
        words = term.split()
        if len(words) == 1:
            out.add(words[0])
        out.update(f"{x} {y}" for x, y in pairwise(words))
    return out


def _leaf_units(view: CorpusView) -> list[tuple[int, UnitText]]:
    """Clauses, and articles without clauses: where a figure belongs to one provision."""
    units = comparable_units(view).values()
    parents = {(d, u.ref.unit.rsplit("__", 1)[0]) for d, u in units if u.kind == "clause"}
    return [(d, u) for d, u in units if u.kind == "clause" or (d, u.ref.unit) not in parents]


def _lead(view: CorpusView, doc_id: int, ut: UnitText) -> str:
    """A unit's own words, before its first point: the points speak of their own matters."""
    starts = [
        u.start
        for u in view.units.get(doc_id, {}).values()
        if u.parent == ut.ref.unit and u.start > ut.span.start
    ]
    return ut.text[: min(starts) - ut.span.start] if starts else ut.text


def _key(q: Quantity) -> tuple[str, str, str | None]:
    return (q.kind, q.unit, q.per)


@check("numeric-conflict", severity=HIGH, params="numeric_conflict")
def numeric_conflict(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Cùng nội dung nhưng khác số liệu (thời hạn, mức tiền, tỷ lệ, độ tuổi, diện tích)."""
    kinds = set(params["kinds"])
    least = float(params["min_term_overlap"])
    list_head = re.compile(params["list_head"]["pattern"])
    rows = []
    for doc_id, ut in _leaf_units(view):
        lead = _lead(view, doc_id, ut)
        if list_head.search(lead.rstrip()):
            continue
        qs: dict[tuple[str, str, str | None], Quantity] = {}
        for q in quantities(lead):
            if q.kind in kinds:
                qs.setdefault(_key(q), q)
        if qs:
            terms = subject_terms(lead)
            rows.append((doc_id, ut, qs, terms, _grams(terms)))
    limit = int(params["max_gram_units"])
    for i, j in _gram_candidates([row[4] for row in rows], limit, least):
        da, ua, qa, _, ga = rows[i]
        db, ub, qb, _, gb = rows[j]
        if da == db or view.related(da, db) or view.versions(da, db):
            continue
        if len(ga & gb) < least * len(ga | gb):  # term_overlap on the grams computed once
            continue
        for key in qa.keys() & qb.keys():
            x, y = qa[key], qb[key]
            if (x.low, x.high) == (y.low, y.high):
                continue
            yield _numeric_finding(view, (da, ua, x), (db, ub, y))
            break


def _gram_candidates(grams: list[set[str]], limit: int, least: float) -> list[tuple[int, int]]:
    """Index pairs ``i < j``, sorted, of gram sets that share a gram held by at most ``limit``
    sets and may reach ``least`` Jaccard: every such pair, found without listing the pairs of
    each gram (quadratic in its holders). A pair reaching ``least`` shares one of the first
    ``len - ceil(least * len) + 1`` grams of each set taken rarest first (prefix filtering), so
    only those grams are indexed; a set none of whose grams is held by ``limit`` sets or fewer
    cannot pass and is left out."""
    held: dict[str, int] = defaultdict(int)
    for gs in grams:
        for g in gs:
            held[g] += 1
    index: dict[str, list[int]] = defaultdict(list)
    found: set[tuple[int, int]] = set()
    for i, gs in enumerate(grams):
        if not gs or min(held[g] for g in gs) > limit:
            continue
        ordered = sorted(gs, key=lambda g: (held[g], g))
        size = len(ordered) - math.ceil(least * len(ordered) - 1e-9) + 1
        mine = {j for g in ordered[: max(1, size)] for j in index[g]}
        for j in mine:
            if any(held[g] <= limit for g in gs & grams[j]):
                found.add((j, i))
        for g in ordered[: max(1, size)]:
            index[g].append(i)
    return sorted(found)


def _numeric_finding(
    view: CorpusView, first: tuple[int, UnitText, Quantity], second: tuple[int, UnitText, Quantity]
) -> Finding:
    (da, ua, x), (db, ub, y) = first, second
    ra, rb = view.rank(da), view.rank(db)
    ea = evidence(view, da, ua.span.start + x.span.start, ua.span.start + x.span.end, ua.ref.unit)
    eb = evidence(view, db, ub.span.start + y.span.start, ub.span.start + y.span.end, ub.ref.unit)
    wa, wb = _where(view, da, ua.ref.unit), _where(view, db, ub.ref.unit)
    if ra and rb and ra.rank != rb.rank:
        (lo, lq, lw), (hq, hw) = (
            ((db, y, wb), (x, wa)) if ra.rank < rb.rank else ((da, x, wa), (y, wb))
        )
        change = "rút ngắn/giảm" if lq.high < hq.high else "kéo dài/tăng"
        text = (
            f'{lw} quy định "{lq.text}" trong khi {hw} (văn bản có hiệu lực pháp lý cao hơn) '
            f'quy định "{hq.text}" cho cùng nội dung: văn bản cấp dưới {change} so với cấp trên.'
        )
        handling = f"{AMEND} {view.documents[lo].label}"
    else:
        text = (
            f'{wa} quy định "{x.text}" trong khi {wb} quy định "{y.text}" cho cùng nội dung; '
            f"hai quy định cùng còn hiệu lực: mâu thuẫn."
        )
        handling = f"{AMEND} một trong hai quy định cho thống nhất"
    return Finding(
        rule="numeric-conflict",
        severity=HIGH,
        documents=(view.name(da), view.name(db)),
        units=(view.ref(da, ua.ref.unit), view.ref(db, ub.ref.unit)),
        evidence=(ea, eb),
        explanation=text,
        handling=handling,
    )
