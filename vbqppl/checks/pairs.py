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
from collections.abc import Collection, Iterator, Mapping
from itertools import pairwise
from types import SimpleNamespace
from typing import Any, cast

from vbqppl.checks.finding import AMEND, HIGH, LOW, MEDIUM, REPEAL, Evidence, Finding
from vbqppl.checks.registry import check
from vbqppl.checks.territory import territory
from vbqppl.checks.view import CorpusView, evidence
from vbqppl.describe import describe_unit
from vbqppl.model import Document
from vbqppl.provisions import Quantity, modality, quantities, subject_terms, term_overlap
from vbqppl.rules import fold, folded, load_rules
from vbqppl.similar import Pair, UnitText, similar_pairs, similarity_params, unit_texts


def comparable_units(view: CorpusView) -> dict[str, tuple[int, UnitText]]:
    """Articles and clauses in force of the ranked normative documents, keyed ``NUMBER#unit``.
    A focused view (:mod:`vbqppl.checks.focus`) may name in ``view.memo["only_units"]`` the
    units (ids) to consider of some documents: those that joined it for a few similar units."""
    if "units" in view.memo:
        return cast(dict[str, tuple[int, UnitText]], view.memo["units"])
    out: dict[str, tuple[int, UnitText]] = {}
    boilerplate = folded(load_rules("checks")["boilerplate"]["pattern"])
    closing = re.compile(load_rules("checks")["closing_article"]["pattern"])
    only: Mapping[int, Collection[str]] = view.memo.get("only_units", {})
    for doc_id in view.documents:
        if view.rank(doc_id) is None or not view.in_force(doc_id):
            continue
        text, units = view.texts[doc_id], view.units.get(doc_id, {})
        closed = [
            u.unit_id
            for u in units.values()
            if u.kind == "article" and closing.search(text[u.start : u.start + 120])
        ]
        shim = SimpleNamespace(
            text=view.texts[doc_id],
            units=[
                SimpleNamespace(
                    id=u.unit_id,
                    kind=u.kind,
                    label=u.label,
                    span=SimpleNamespace(start=u.start, end=u.end),
                )
                for u in units.values()
                if doc_id not in only or u.unit_id in only[doc_id]
            ],
            metadata=SimpleNamespace(number=None),
            source=SimpleNamespace(path=None, sha256=None),
        )
        for ut in unit_texts(cast(Document, shim), doc_key=f"#{doc_id}"):
            unit = ut.ref.unit
            if any(unit == c or unit.startswith(c + "__") for c in closed):
                continue  # effect, transition, implementation: every document's closing words
            if view.in_force(doc_id, unit) and not boilerplate.search(fold(ut.text)):
                out[view.ref(doc_id, unit)] = (doc_id, ut)
    view.memo["units"] = out
    return out


def scored_pairs(
    view: CorpusView, threshold: float
) -> list[tuple[int, UnitText, int, UnitText, Pair]]:
    """Similar pairs of units of two different, unrelated documents, scoring ``threshold`` or
    more (computed once per view at the lowest threshold asked). The band keys stored for the
    view's units (``view.memo["known_keys"]``, :func:`vbqppl.store.sketches.stored_keys`) are
    used when there are some and ``threshold`` is the one they were made for."""
    key = "pairs"
    cached = view.memo.get(key)
    if cached is None or cached[0] > threshold:
        units = list(comparable_units(view).values())
        texts = [u for _, u in units]
        doc_of = {u.ref: d for d, u in units}
        blocks = [territory_of(view, d) for d, _ in units]
        known = view.memo.get("known_keys") if threshold == similarity_params().threshold else None
        found = []
        for p in similar_pairs(texts, threshold=threshold, blocks=blocks, known=known):
            a, b = doc_of[p.a], doc_of[p.b]
            if a == b or view.related(a, b) or view.versions(a, b):
                continue
            ua = _lookup(texts, p.a)
            ub = _lookup(texts, p.b)
            found.append((a, ua, b, ub, p))
        view.memo[key] = cached = (threshold, found)
    return [x for x in cached[1] if x[4].score >= threshold]


def territory_of(view: CorpusView, doc_id: int) -> str | None:
    """The territory a document applies in (:func:`vbqppl.checks.territory.territory`): the
    pair checks compare two documents only when :func:`may_pair` allows it."""
    memo = view.memo.setdefault("territory", {})
    if doc_id not in memo:
        rank = view.rank(doc_id)
        memo[doc_id] = territory(view.documents[doc_id].issuer, rank.scope if rank else None)
    return cast(str | None, memo[doc_id])


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


def _scope_articles(view: CorpusView, doc_id: int) -> list[str]:
    """A document's articles headed "Phạm vi điều chỉnh" or "Đối tượng áp dụng", or else its
    first article: what it says it governs."""
    memo = view.memo.setdefault("scope_articles", {})
    if doc_id not in memo:
        head = re.compile(load_rules("checks")["scope"]["pattern"])
        text = view.texts[doc_id]
        articles = [u for u in view.units.get(doc_id, {}).values() if u.kind == "article"]
        chosen = [u for u in articles if head.search(text[u.start : u.start + 120])]
        memo[doc_id] = [u.unit_id for u in chosen or articles[:1]]
    return cast(list[str], memo[doc_id])


def _scope_text(view: CorpusView, doc_id: int) -> str:
    """The text of :func:`_scope_articles`, cut to ``scope.max_chars``."""
    units, text = view.units.get(doc_id, {}), view.texts[doc_id]
    joined = " ".join(text[units[u].start : units[u].end] for u in _scope_articles(view, doc_id))
    return joined[: int(load_rules("checks")["scope"]["max_chars"])]


def _in_scope_article(view: CorpusView, doc_id: int, unit: str) -> bool:
    return any(unit == u or unit.startswith(u + "__") for u in _scope_articles(view, doc_id))


def _matter(view: CorpusView, doc_id: int) -> list[str]:
    """The subject terms of a document's title and scope articles."""
    memo = view.memo.setdefault("matter", {})
    if doc_id not in memo:
        title = view.documents[doc_id].title or ""
        memo[doc_id] = subject_terms(f"{title}. {_scope_text(view, doc_id)}")
    return cast(list[str], memo[doc_id])


def _words(text: str) -> set[str]:
    """The lower-case words of ``text`` (old tone placement made new)."""
    return {w for term in subject_terms(text, stop=()) for w in term.split()}


def _own_fields(view: CorpusView, a: int, b: int) -> bool:
    """Two central bodies each governing their own field with one template ("các đơn vị thuộc
    Bộ Tài chính" / "thuộc Bộ Công an"; "ngành, lĩnh vực lao động, người có công và xã hội" /
    "ngành, lĩnh vực kế hoạch, đầu tư và thống kê"): the words in which their scopes differ
    name each one's own issuer. Not for local documents: two provinces' texts on one matter
    are the overlap after provinces merge."""
    ra, rb = view.rank(a), view.rank(b)
    da, db = view.documents[a], view.documents[b]
    if not ra or not rb or ra.scope != "central" or rb.scope != "central":
        return False
    if (da.issuer or "") == (db.issuer or ""):
        return False
    generic = set(load_rules("checks")["scope"]["issuer_generic_words"])
    wa, wb = _words(_scope_text(view, a)), _words(_scope_text(view, b))
    ia = _words(da.issuer or "") - generic
    ib = _words(db.issuer or "") - generic
    return bool((wa - wb) & ia) and bool((wb - wa) & ib)


def _same_matter(view: CorpusView, a: int, b: int, title: float, matter: float) -> bool:
    """Whether two documents govern the same matter: the subject terms of their titles share
    ``title`` or more, those of their titles and scope articles together ``matter`` or more,
    and they are not two central bodies' own-field twins (:func:`_own_fields`)."""
    memo = view.memo.setdefault("same_matter", {})
    key = (min(a, b), max(a, b), title, matter)
    if key not in memo:
        memo[key] = (
            term_overlap(_title(view, a), _title(view, b)) >= title
            and term_overlap(_matter(view, a), _matter(view, b)) >= matter
            and not _own_fields(view, a, b)
        )
    return cast(bool, memo[key])


def _title(view: CorpusView, doc_id: int) -> list[str]:
    memo = view.memo.setdefault("title", {})
    if doc_id not in memo:
        memo[doc_id] = subject_terms(view.documents[doc_id].title or "")
    return cast(list[str], memo[doc_id])


def _based_on(view: CorpusView, a: int, b: int) -> bool:
    """Whether one of the two documents names the other in its Căn cứ (it implements it)."""
    pairs = view.memo.get("based_on")
    if pairs is None:
        pairs = view.memo["based_on"] = {
            (c.document_id, c.resolved_document_id)
            for c in view.citations
            if c.type == "bases-on" and c.resolved_document_id is not None
        }
    return (a, b) in pairs or (b, a) in pairs


def _unit_evidence(view: CorpusView, doc_id: int, ut: UnitText) -> Evidence:
    return evidence(view, doc_id, ut.span.start, ut.span.end, ut.ref.unit)


def _where(view: CorpusView, doc_id: int, unit: str) -> str:
    return f"{describe_unit(unit)} {view.documents[doc_id].label}"


Row = tuple[int, UnitText, int, UnitText, Pair]


def _clusters(pairs: list[Row]) -> list[list[Row]]:
    """The pairs grouped by connected units (union-find, linear in the pairs)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keys = [(f"{a}#{ua.ref.unit}", f"{b}#{ub.ref.unit}") for a, ua, b, ub, _ in pairs]
    for x, y in keys:
        parent[find(x)] = find(y)
    groups: dict[str, list[Row]] = defaultdict(list)
    for (x, _), row in zip(keys, pairs, strict=True):
        groups[find(x)].append(row)
    return list(groups.values())


def _overlap_pairs(view: CorpusView, params: Mapping[str, Any]) -> list[Row]:
    title = float(params["min_title_overlap"])
    same_issuer = float(params["min_title_overlap_same_issuer"])
    matter = float(params["min_matter_overlap"])
    pairs = []
    for x in scored_pairs(view, float(params["min_score"])):
        ra, rb = view.rank(x[0]), view.rank(x[2])
        if ra is None or rb is None or ra.rank != rb.rank or _based_on(view, x[0], x[2]):
            continue
        if _in_scope_article(view, x[0], x[1].ref.unit) or _in_scope_article(
            view, x[2], x[3].ref.unit
        ):
            continue  # what each governs, compared by _same_matter; the overlap is elsewhere
        da, db = view.documents[x[0]], view.documents[x[2]]
        one = ra.code == rb.code and (da.issuer or "") == (db.issuer or "")
        if _same_matter(view, x[0], x[2], same_issuer if one else title, matter):
            pairs.append(x)
    return [x for x in _outermost(pairs) if not _opposed(x[1].text, x[3].text)]


@check("overlap", severity=MEDIUM, params="overlap")
def overlap(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Quy định gần trùng nhau, cùng còn hiệu lực, trong các văn bản cùng cấp."""
    most = int(params["max_pair_documents"])
    for group in _clusters(_overlap_pairs(view, params)):
        members: dict[tuple[int, str], UnitText] = {}
        for a, ua, b, ub, _ in group:
            members[(a, ua.ref.unit)] = ua
            members[(b, ub.ref.unit)] = ub
        if len({d for d, _ in members}) > most:
            yield _cluster_finding(view, params, members, min(p.score for *_, p in group))
            continue
        for a, ua, b, ub, p in group:
            yield _pair_finding(
                view,
                ("overlap", MEDIUM),
                (a, ua),
                (b, ub),
                f"{_where(view, a, ua.ref.unit)} và {_where(view, b, ub.ref.unit)} là hai "
                f"văn bản cùng cấp, cùng còn hiệu lực, cùng điều chỉnh một vấn đề, có nội "
                f"dung gần trùng nhau (độ tương đồng {p.score:.0f}/100): chồng chéo.",
                f"{AMEND} hoặc {REPEAL} một trong hai quy định",
            )


def _pair_finding(
    view: CorpusView,
    rule: tuple[str, str],
    first: tuple[int, UnitText],
    second: tuple[int, UnitText],
    explanation: str,
    handling: str,
) -> Finding:
    """A finding on two whole units of two documents (``rule`` is the rule and its severity)."""
    (a, ua), (b, ub) = first, second
    return Finding(
        rule=rule[0],
        severity=rule[1],
        documents=(view.name(a), view.name(b)),
        units=(view.ref(a, ua.ref.unit), view.ref(b, ub.ref.unit)),
        evidence=(_unit_evidence(view, a, ua), _unit_evidence(view, b, ub)),
        explanation=explanation,
        handling=handling,
    )


def _cluster_finding(
    view: CorpusView,
    params: Mapping[str, Any],
    members: Mapping[tuple[int, str], UnitText],
    least: float,
) -> Finding:
    """One finding for a provision repeated across many documents (not one per pair)."""
    shown = int(params["max_cluster_units"])
    order = sorted(members, key=lambda k: (view.name(k[0]), k[1]))
    docs = list(dict.fromkeys(view.name(d) for d, _ in order))
    units = tuple(view.ref(d, u) for d, u in order[:shown])
    where = "; ".join(_where(view, d, u) for d, u in order[:shown])
    more = f" và {len(order) - shown} quy định khác" if len(order) > shown else ""
    return Finding(
        rule="overlap",
        severity=MEDIUM,
        documents=tuple(docs),
        units=units,
        evidence=tuple(_unit_evidence(view, d, members[(d, u)]) for d, u in order[:shown]),
        explanation=(
            f"{len(order)} quy định trong {len(docs)} văn bản cùng cấp, cùng còn hiệu lực, cùng "
            f"điều chỉnh một vấn đề có nội dung gần trùng nhau (độ tương đồng từ {least:.0f}/100): "
            f"{where}{more}. Chồng chéo: nên giữ một quy định."
        ),
        handling=f"{AMEND} hoặc {REPEAL} các quy định trùng, giữ một quy định",
    )


@check("repeats-higher", severity=LOW, params="repeats_higher")
def repeats_higher(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Quy định của văn bản cấp dưới chép lại quy định của văn bản cấp trên."""
    sanction = re.compile(params["sanction"]["pattern"])
    matter = float(params["min_matter_overlap"])
    best: dict[tuple[int, str], tuple[tuple[int, str, str], Row]] = {}
    for a, ua, b, ub, p in _outermost(scored_pairs(view, float(params["min_score"]))):
        ra, rb = view.rank(a), view.rank(b)
        if ra is None or rb is None or ra.rank == rb.rank:
            continue
        (hi, uh), (lo, ul) = ((a, ua), (b, ub)) if ra.rank < rb.rank else ((b, ub), (a, ua))
        signed_hi, signed_lo = view.documents[hi].issued, view.documents[lo].issued
        if signed_hi and signed_lo and signed_hi > signed_lo:
            continue  # a copy comes after its source: the higher text was written later
        if sanction.search(ul.text):
            continue  # a sanction names the act it punishes in the words that forbid it
        if term_overlap(_matter(view, lo), _matter(view, hi)) < matter:
            continue  # a parallel text for another matter, not a copy of this one
        # one finding per copying unit, against the strongest text it copies
        key = (min(ra.rank, rb.rank), signed_hi or "", view.ref(hi, uh.ref.unit))
        if (lo, ul.ref.unit) not in best or key < best[(lo, ul.ref.unit)][0]:
            best[(lo, ul.ref.unit)] = (key, (lo, ul, hi, uh, p))
    for _, (lo, ul, hi, uh, p) in sorted(best.values(), key=lambda x: x[0]):
        yield _pair_finding(
            view,
            ("repeats-higher", LOW),
            (lo, ul),
            (hi, uh),
            f"{_where(view, lo, ul.ref.unit)} chép lại gần nguyên văn "
            f"{_where(view, hi, uh.ref.unit)} (độ tương đồng {p.score:.0f}/100), văn bản có "
            f"hiệu lực pháp lý cao hơn; không cần quy định lại.",
            f"{AMEND} (bỏ phần lặp lại, dẫn chiếu văn bản cấp trên)",
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
        yield _pair_finding(
            view,
            ("modality-conflict", HIGH),
            (fa, fua),
            (fb, fub),
            f'{_where(view, fa, fua.ref.unit)} "{allow.text}" trong khi '
            f'{_where(view, fb, fub.ref.unit)} "{ban.text}" cùng nội dung (độ tương đồng '
            f"{p.score:.0f}/100): mâu thuẫn.",
            f"{AMEND} hoặc {REPEAL} quy định không phù hợp",
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
    firsts = view.memo.setdefault("first_child", {})
    if doc_id not in firsts:  # where each unit's first child starts, for a document at once
        first: dict[str, int] = {}
        units = view.units.get(doc_id, {})
        for u in units.values():
            parent = units.get(u.parent) if u.parent is not None else None
            if parent is not None and u.start > parent.start:
                first[parent.unit_id] = min(first.get(parent.unit_id, u.start), u.start)
        firsts[doc_id] = first
    start = firsts[doc_id].get(ut.ref.unit)
    return ut.text[: start - ut.span.start] if start is not None else ut.text


def _key(q: Quantity) -> tuple[str, str, str | None]:
    return (q.kind, q.unit, q.per)


@check("numeric-conflict", severity=HIGH, params="numeric_conflict")
def numeric_conflict(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Cùng nội dung nhưng khác số liệu (thời hạn, mức tiền, tỷ lệ, độ tuổi, diện tích)."""
    kinds = set(params["kinds"])
    least = float(params["min_term_overlap"])
    list_head = folded(params["list_head"]["pattern"])
    rows = []
    for doc_id, ut in _leaf_units(view):
        lead = _lead(view, doc_id, ut)
        if list_head.search(fold(lead.rstrip())):
            continue
        qs: dict[tuple[str, str, str | None], Quantity] = {}
        for q in quantities(lead):
            if q.kind in kinds:
                qs.setdefault(_key(q), q)
        if qs:
            terms = subject_terms(lead)
            rows.append((doc_id, ut, qs, terms, _grams(terms)))
    limit = int(params["max_gram_units"])
    matter = float(params["min_matter_overlap"])
    parameter = float(params["min_parameter_overlap"])
    for i, j in _blocked_candidates(view, rows, limit, least):
        da, ua, qa = rows[i][:3]  # their grams reach least (term_overlap): _gram_candidates
        db, ub, qb = rows[j][:3]
        if da == db or view.related(da, db) or view.versions(da, db):
            continue
        keys = [
            k
            for k in qa.keys() & qb.keys()
            if (qa[k].low, qa[k].high) != (qb[k].low, qb[k].high) and qa[k].bound == qb[k].bound
        ]
        if not keys or not _same_matter(view, da, db, 0.0, matter) or _based_on(view, da, db):
            continue
        la, lb = _lead(view, da, ua), _lead(view, db, ub)
        for key in sorted(keys, key=str):
            x, y = qa[key], qb[key]
            if term_overlap(_parameter(la, x), _parameter(lb, y)) < parameter:
                continue
            yield _numeric_finding(view, (da, ua, x), (db, ub, y))
            break


_CLAUSE_END = re.compile(r"[.;!?]\s|\n\s*[a-zđ]\)\s")


def _parameter(lead: str, q: Quantity) -> list[str]:
    """What a figure is the value of: the subject terms of its sentence up to the figure
    ("Thời hạn giải quyết thủ tục hỗ trợ chi phí đào tạo ...: 15 ngày")."""
    before = lead[: q.span.start]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    return subject_terms(before[ends[-1] if ends else 0 :])


def _blocked_candidates(
    view: CorpusView, rows: list[Any], limit: int, least: float
) -> Iterator[tuple[int, int]]:
    """:func:`_gram_candidates` of ``rows`` (each a document id first, its gram set fifth)
    territory by territory: each province's rows with the central ones, then the central ones
    alone (:func:`territory_of`), so that the work and the gram counts are a territory's."""
    by: dict[str | None, list[int]] = defaultdict(list)
    for n, row in enumerate(rows):
        by[territory_of(view, row[0])].append(n)
    central = by.pop(None, [])
    focus = view.memo.get("focus")  # check --document: only pairs with its own rows
    for place in [*sorted(p for p in by if p is not None), None]:
        block = central + by[place] if place is not None else central
        only = None if focus is None else [n for n, k in enumerate(block) if rows[k][0] in focus]
        for i, j in _gram_candidates([rows[k][4] for k in block], limit, least, only):
            if place is None or j >= len(central):  # central pairs once, with the central block
                yield block[i], block[j]


def _gram_candidates(
    grams: list[set[str]], limit: int, least: float, only: list[int] | None = None
) -> list[tuple[int, int]]:
    """Index pairs ``i < j``, sorted, of gram sets that share a gram held by at most ``limit``
    sets and may reach ``least`` Jaccard: every such pair, found without listing the pairs of
    each gram (quadratic in its holders). A pair reaching ``least`` shares one of the first
    ``len - ceil(least * len) + 1`` grams of each set taken rarest first (prefix filtering), so
    only those grams are indexed; a set none of whose grams is held by ``limit`` sets or fewer
    cannot pass and is left out.

    Of the prefix, only the grams held by ``limit`` sets or fewer are indexed and looked up, so
    no list is longer than ``limit`` and the work is linear in the sets: a pair sharing such a
    gram shares one in both prefixes too (the prefixes meet, and every gram of a prefix before
    a shared rare gram is rarer still). The pairs' Jaccard is also checked here, on sizes first
    (``least * |a| <= |b|``), so only pairs reaching ``least`` come out. With ``only``, the
    pairs of which one set is one of those: every set is indexed, only those look up."""
    held: dict[str, int] = defaultdict(int)
    for gs in grams:
        for g in gs:
            held[g] += 1
    index: dict[str, list[int]] = defaultdict(list)
    found: set[tuple[int, int]] = set()

    def probe(gs: set[str]) -> list[str]:
        if not gs or min(held[g] for g in gs) > limit:
            return []
        ordered = sorted(gs, key=lambda g: (held[g], g))
        size = len(ordered) - math.ceil(least * len(ordered) - 1e-9) + 1
        return [g for g in ordered[: max(1, size)] if held[g] <= limit]

    def look(i: int, grams_i: list[str]) -> None:
        gs, n = grams[i], len(grams[i])
        for j in {j for g in grams_i for j in index[g]}:
            other = grams[j]
            if j == i or least * n > len(other) or least * len(other) > n:
                continue
            common = len(gs & other)
            if common >= least * (n + len(other) - common):
                found.add((min(i, j), max(i, j)))

    if only is None:
        for i, gs in enumerate(grams):
            mine = probe(gs)
            look(i, mine)
            for g in mine:
                index[g].append(i)
        return sorted(found)
    probes = [probe(gs) for gs in grams]
    for i, mine in enumerate(probes):
        for g in mine:
            index[g].append(i)
    for i in only:
        look(i, probes[i])
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
