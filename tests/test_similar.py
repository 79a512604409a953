"""Similarity stage: normalisation, units, LSH candidates, pairs; properties; the demo corpus's
planted overlaps; recall on part of the real corpus."""

from __future__ import annotations

import random
import re
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from tests.evaluation import REAL, real_corpus_present
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl.similar import (
    Pair,
    UnitRef,
    UnitText,
    _shingles,
    _span_norms,
    _word_shingles,
    all_candidates,
    band_keys,
    band_pairs,
    encode_units,
    exhaustive_scores,
    lsh_bands,
    lsh_candidates,
    min_jaccard,
    normalize_for_similarity,
    similar_pairs,
    similarity_params,
    stable_encode,
    unit_texts,
)

ROOT = Path(__file__).resolve().parents[1]
THRESHOLD = similarity_params().threshold

# --- normalisation ------------------------------------------------------------------------------

NORMALIZE = [
    ("Ủy ban nhân dân tỉnh", "uy ban nhan dan tinh"),
    ("Uỷ ban nhân dân tỉnh", "uy ban nhan dan tinh"),  # old tone placement
    (unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh"), "uy ban nhan dan tinh"),
    ("Uy ban nhan dan tinh", "uy ban nhan dan tinh"),  # typed without marks
    ("ĐIỀU KHOẢN  thi\nhành", "dieu khoan thi hanh"),
    ("1. Sở Tài chính chủ trì;", "so tai chinh chu tri"),
    ("Điều 5. Phân cấp quản lý chợ", "phan cap quan ly cho"),
    ("a) Người thuộc hộ nghèo;\nđ) Người khuyết tật.", "nguoi thuoc ho ngheo nguoi khuyet tat"),
    ("mức 4.000.000 đồng/người", "muc 0 dong nguoi"),
    ("trong thời hạn 05 ngày", "trong thoi han 0 ngay"),
    ("khoản 2 Điều 5", "khoan 0 dieu 0"),
    ("hòa, hoà, HOÀ", "hoa hoa hoa"),
    ("", ""),
    ("  \n ", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE)
def test_normalize_for_similarity(text: str, expected: str) -> None:
    assert normalize_for_similarity(text) == expected


def _fold_as_documented(text: str) -> str:
    """Marks off and "đ" to "d", character by character, as the docstring says: a Latin letter
    whose canonical decomposition starts with an ASCII letter becomes that letter, combining
    marks (U+0300 to U+036F) go; every other character stays."""
    out = []
    for ch in text:
        if "\u0300" <= ch < "\u0370":
            continue
        if ch in "đĐ\u0110\u0111\u00d0\u0189":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        latin = "\u00c0" <= ch < "\u0250" or "\u1e00" <= ch < "\u1f00"
        out.append(base.lower() if latin and base != ch and base.isascii() else ch)
    return "".join(out)


def _normalize_as_documented(text: str) -> str:
    """normalize_for_similarity's steps one after the other on the whole string, as its
    docstring gives them (the reference the array version is held to)."""
    t = unicodedata.normalize("NFC", text).lower()
    t = re.sub(
        r"(?m)^[ \t]*(?:điều[ \t]+\d+[a-zđ]?[ \t]*[.:]|\d{1,3}[a-zđ]?[ \t]*[.)]|[a-zđ]\d?[ \t]*\))",
        " ",
        t,
    )
    t = re.sub(r"\d+(?:[.,]\d+)*", " 0 ", _fold_as_documented(t))
    return " ".join(re.sub(r"[\W_]+", " ", t).split())


# Letters, marks alone, digits and separators, punctuation, a private-use bullet, a CJK
# character, an astral emoji (past the arrays: the other path), Greek capital sigma (its lower
# case depends on the next letter), "_" and line breaks.
_ALPHABET = "aAđĐêỆưỨoÒ\u0301\u0323\u031b0123.,;:)( \t\n_–“”\uf0b7\u4e00\U0001f600ΣΑ\u00a0"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_normalize_for_similarity_is_its_documented_steps(text: str) -> None:
    for t in (text, f"Điều 5. {text}", f"1. {text}\na) {text}"):
        assert normalize_for_similarity(t) == _normalize_as_documented(t)


@pytest.mark.skipif(not real_corpus_present(), reason="../shared/corpus-real không có")
def test_normalize_for_similarity_on_real_texts_is_its_documented_steps() -> None:
    texts = sorted((REAL / "texts").glob("*.txt"))[::7]
    assert texts
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert normalize_for_similarity(text) == _normalize_as_documented(text), path.name


def _corpus_documents() -> list[Path]:
    own = sorted((ROOT / "corpus").glob("*.txt"))
    real = sorted((REAL / "texts").glob("*.txt"))[::3] if real_corpus_present() else []
    return own + real


def test_unit_norms_are_their_texts_normalised_alone() -> None:
    """unit_texts normalises each line of a document once, for all the units on it; every
    unit's form must still be its own text's, normalised alone."""
    units = 0
    for path in _corpus_documents():
        doc = parse_document(read_file(path))
        for u in unit_texts(doc, min_tokens=0, skip=()):
            assert u.norm == normalize_for_similarity(u.text), (path.name, u.ref.unit)
            units += 1
    assert units > 1000


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=_ALPHABET, max_size=200),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=8),
)
@example(text="0\n", spans=[(0, 2), (0, 1)])  # a span to its line's break, then another
@example(text="a b\nc\nd", spans=[(2, 4), (0, 6), (4, 6)])
def test_span_norms_are_the_spans_normalised_alone(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans of any text, starting and ending anywhere (inside a line, at a break, past a
    label), overlapping or not, in any order."""
    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in spans]
    assert _span_norms(text, spans) == [normalize_for_similarity(text[a:b]) for a, b in spans]


def test_span_norms_of_spans_out_of_order() -> None:
    """Later spans first, one far from the others: each line still normalised."""
    lines = [f"{k}. Dòng thứ {k} của văn bản, điểm a) Đ_" for k in range(1, 60)]
    text = "\n".join(lines)
    at = [0, *(len("\n".join(lines[:k])) + 1 for k in range(1, 59))]
    spans = [(at[40] + 3, at[50] - 1), (at[2], at[6] + 9), (at[20] + 1, at[22]), (at[5], at[5])]
    want = [normalize_for_similarity(text[a:b]) for a, b in spans]
    assert all(want[:3])
    assert _span_norms(text, spans) == want


def test_normalize_without_folding_keeps_marks() -> None:
    assert normalize_for_similarity("Uỷ ban, ĐIỀU 5", fold=False) == "uỷ ban điều 0"


# --- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "doc", "unit"),
    [
        ("12/2024/QĐ-UBND#art_5", "12/2024/QĐ-UBND", "art_5"),
        ("22/2022/QĐ-UBND#att_1__art_4__para_1", "22/2022/QĐ-UBND", "att_1__art_4__para_1"),
    ],
)
def test_unit_ref_round_trip(text: str, doc: str, unit: str) -> None:
    ref = UnitRef.parse(text)
    assert (ref.doc, ref.unit) == (doc, unit)
    assert str(ref) == text


@pytest.mark.parametrize("text", ["", "art_5", "#art_5", "12/2024/QĐ-UBND#"])
def test_unit_ref_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        UnitRef.parse(text)


@pytest.mark.parametrize(
    ("threshold", "jaccard"), [(80, 2 / 3), (100, 1.0), (70, 0.7 / 1.3), (0, 0.0)]
)
def test_min_jaccard(threshold: float, jaccard: float) -> None:
    assert min_jaccard(threshold) == pytest.approx(jaccard)


@pytest.mark.parametrize(
    ("jaccard", "num_perm", "min_recall", "expected"),
    [(2 / 3, 128, 0.95, (25, 5)), (0.818, 128, 0.95, (16, 8)), (0.538, 128, 0.95, (42, 3))],
)
def test_lsh_bands(
    jaccard: float, num_perm: int, min_recall: float, expected: tuple[int, int]
) -> None:
    bands, rows = lsh_bands(jaccard, num_perm, min_recall)
    assert (bands, rows) == expected
    assert 1 - (1 - jaccard**rows) ** bands >= min_recall


# --- units --------------------------------------------------------------------------------------

DOC_A = """ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM
Số: 40/2025/QĐ-UBND
QUYẾT ĐỊNH
Quy định về quản lý chợ

Điều 1. Phân cấp quản lý chợ
1. Ủy ban nhân dân tỉnh quản lý các chợ hạng 1 và chợ đầu mối trên địa bàn tỉnh theo quy định.
2. Ngắn quá.
Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày 01 tháng 10 năm 2025.
"""


def _doc_a_units() -> list[UnitText]:
    return unit_texts(parse_document(DOC_A))


def test_unit_texts_keeps_long_units_with_their_label_stripped() -> None:
    doc = parse_document(DOC_A)
    units = unit_texts(doc)
    assert [str(u.ref) for u in units] == ["40/2025/QĐ-UBND#art_1", "40/2025/QĐ-UBND#art_1__para_1"]
    art, clause = units
    assert art.kind == "article" and clause.kind == "clause"
    assert art.text.startswith("Phân cấp quản lý chợ\n1. Ủy ban")
    assert clause.text.startswith("Ủy ban nhân dân tỉnh quản lý")
    for u in units:
        assert doc.text[u.span.start : u.span.end] == u.text
        assert u.norm == normalize_for_similarity(u.text)
        assert u.n_tokens == len(u.norm.split())


def test_unit_texts_options() -> None:
    doc = parse_document(DOC_A)
    # the effective-date formula comes back when the skip patterns are turned off
    refs = [u.ref.unit for u in unit_texts(doc, skip=(), min_tokens=5)]
    assert "art_2" in refs and "art_1__para_2" not in refs
    assert [u.ref.unit for u in unit_texts(doc, kinds=["clause"])] == ["art_1__para_1"]
    assert {u.ref.doc for u in unit_texts(doc, doc_key="qd-40")} == {"qd-40"}


def test_unit_texts_of_a_document_without_units() -> None:
    assert unit_texts(parse_document("Một đoạn văn không có điều khoản nào.")) == []


# --- pairs --------------------------------------------------------------------------------------

BASE = (
    "Ủy ban nhân dân cấp huyện quản lý các chợ hạng 2 và chợ hạng 3 nằm trên địa bàn các "
    "phường, thị trấn thuộc huyện, thành phố; tổ chức kiểm tra việc chấp hành nội quy chợ."
)
OTHER = (
    "Người lao động thuộc hộ nghèo tham gia khóa đào tạo trình độ sơ cấp được hỗ trợ chi phí "
    "đào tạo tối đa 4.000.000 đồng cho mỗi người mỗi khóa học theo quy định của tỉnh."
)


def _unit(doc: str, unit: str, text: str, kind: str = "clause") -> UnitText:
    from vbqppl.model import Span

    return UnitText(
        UnitRef(doc, unit), kind, Span(0, len(text)), text, normalize_for_similarity(text)
    )


def test_same_clause_in_two_documents_is_a_near_duplicate() -> None:
    units = [
        _unit("A", "art_1__para_2", BASE),
        _unit("A", "art_2", OTHER),
        _unit("B", "art_4__para_2", BASE.replace("Ủy", "Uỷ").replace("các chợ", "chợ")),
    ]
    pairs = list(similar_pairs(units))
    assert len(pairs) == 1
    p = pairs[0]
    assert (str(p.a), str(p.b)) == ("A#art_1__para_2", "B#art_4__para_2")
    assert p.kind == "near-duplicate" and THRESHOLD <= p.score <= 100
    assert p.to_json() == {
        "a": "A#art_1__para_2",
        "b": "B#art_4__para_2",
        "score": p.score,
        "kind": "near-duplicate",
    }


def test_pairs_become_graph_edges() -> None:
    import networkx as nx

    units = [_unit("A", "art_1", BASE), _unit("B", "art_2", BASE), _unit("C", "art_3", OTHER)]
    graph = nx.Graph()
    graph.add_edges_from(p.edge() for p in similar_pairs(units))
    assert list(graph.edges(data=True)) == [
        ("A#art_1", "B#art_2", {"type": "similar", "score": 100.0, "kind": "near-duplicate"})
    ]


def test_pairs_inside_one_document_only_when_asked() -> None:
    units = [_unit("A", "art_1", BASE), _unit("A", "art_7", BASE + " Báo cáo hằng năm.")]
    assert list(similar_pairs(units)) == []
    (p,) = similar_pairs(units, same_document=True)
    assert (p.a.unit, p.b.unit) == ("art_1", "art_7")


def test_overlap_kind_between_threshold_and_near_duplicate() -> None:
    changed = BASE.replace("tổ chức kiểm tra việc chấp hành nội quy chợ", "ban hành nội quy mẫu")
    units = [_unit("A", "art_1", BASE), _unit("B", "art_1", changed)]
    (p,) = similar_pairs(units, threshold=60)
    assert p.kind == "overlap" and 60 <= p.score < similarity_params().near_duplicate


def test_no_units_no_pairs() -> None:
    assert list(similar_pairs([])) == []


# keys of one band: rows 0-2 share 5, rows 3-4 share 7; blocks: -1 pairs with every block
BAND = [5, 5, 5, 7, 7]


@pytest.mark.parametrize(
    ("blocks", "max_bucket", "pairs"),
    [
        (None, None, [(0, 1), (0, 2), (1, 2), (3, 4)]),
        (None, 2, [(3, 4)]),  # the bucket of three is a frame
        ([0, 0, 1, -1, 1], None, [(0, 1), (3, 4)]),  # 2 is alone in its block
        ([0, 1, -1, 2, 2], None, [(0, 2), (1, 2), (3, 4)]),
        ([0, 1, -1, 2, 2], 2, [(0, 2), (1, 2), (3, 4)]),  # each block's reach is 2
        ([0, 0, -1, 2, 2], 2, [(3, 4)]),  # block 0 reaches 3 rows with the "everywhere" one
    ],
)
def test_band_buckets_by_block_and_size(
    blocks: list[int] | None, max_bucket: int | None, pairs: list[tuple[int, int]]
) -> None:
    keys = np.array([BAND], dtype=np.uint64).T
    labels = None if blocks is None else np.array(blocks)
    got = [tuple(p) for batch in band_pairs(keys, labels, max_bucket) for p in batch.tolist()]
    assert got == pairs


def test_a_pair_is_given_by_its_first_band_only() -> None:
    keys = np.array([[1, 2, 1], [1, 2, 1], [3, 2, 4]], dtype=np.uint64)
    assert [b.tolist() for b in band_pairs(keys.copy())] == [[[0, 1]], [[0, 2], [1, 2]]]
    # a pair left out of a frame bucket in one band is still given by a later band
    keys = np.array([[1, 2], [1, 2], [1, 5]], dtype=np.uint64)
    assert [b.tolist() for b in band_pairs(keys, max_bucket=2)] == [[[0, 1]]]
    assert [b.tolist() for b in band_pairs(keys[:, ::-1].copy(), max_bucket=2)] == [[[0, 1]]]


def test_blocks_keep_apart_units_of_different_blocks() -> None:
    units = [_unit("A", "art_1", BASE), _unit("B", "art_1", BASE), _unit("C", "art_1", BASE)]
    found = {(p.a.doc, p.b.doc) for p in similar_pairs(units, blocks=["x", "y", None])}
    assert found == {("A", "C"), ("B", "C")}
    found = {(p.a.doc, p.b.doc) for p in similar_pairs(units, blocks=["x", "x", "y"])}
    assert found == {("A", "B")}


def test_scorer_is_a_strategy() -> None:
    short = "Ủy ban nhân dân cấp huyện quản lý các chợ hạng 2 và chợ hạng 3 trên địa bàn."
    units = [_unit("A", "art_1", BASE), _unit("B", "art_1", short)]
    assert list(similar_pairs(units, candidates=all_candidates)) == []
    (p,) = similar_pairs(units, candidates=all_candidates, scorer=fuzz.partial_ratio, threshold=90)
    assert p.score >= 90


# --- properties ---------------------------------------------------------------------------------

WORDS = [
    "ủy ban", "nhân dân", "tỉnh", "huyện", "xã", "sở", "tài chính", "công thương", "quản lý",
    "chợ", "hạng", "đầu mối", "địa bàn", "phường", "thị trấn", "hộ nghèo", "người lao động",
    "đào tạo", "nghề", "hỗ trợ", "chi phí", "kinh phí", "ngân sách", "hồ sơ", "thủ tục",
    "giải quyết", "thời hạn", "ngày làm việc", "cơ quan", "tổ chức", "cá nhân", "trách nhiệm",
    "nghĩa trang", "mộ", "xây dựng", "nước thải", "cụm công nghiệp", "bảo vệ", "môi trường",
    "kiểm tra", "báo cáo", "hòa giải", "khóa học",
]  # fmt: skip

TEXTS = st.lists(st.sampled_from(WORDS), min_size=16, max_size=60).map(" ".join)


def _perturb(text: str, rnd: random.Random) -> str:
    """The same words with other diacritics, spacing, case and numbering."""
    out = []
    for w in text.split():
        choice = rnd.randrange(5)
        if choice == 0:
            w = normalize_for_similarity(w)  # marks removed
        elif choice == 1:
            w = unicodedata.normalize("NFD", w)
        elif choice == 2:
            w = w.replace("ủy", "uỷ").replace("òa", "oà").upper()
        out.append(w)
    sep = rnd.choice([" ", "  ", " \n", "\t"])
    label = rnd.choice(["1. ", "3. ", "a) ", "đ) ", "Điều 7. ", ""])
    return label + sep.join(out) + rnd.choice([".", ";", " (05 ngày).", ""])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(TEXTS, min_size=1, max_size=12),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_a_copy_differing_in_marks_spacing_and_numbering_is_found(
    texts: list[str], seed: int
) -> None:
    rnd = random.Random(seed)
    original = texts[0] + " (03 ngày)"
    copy = _perturb(original, rnd)
    assert (
        fuzz.ratio(*encode_units([_unit("A", "x", original), _unit("B", "y", copy)])) >= THRESHOLD
    )
    units = [_unit("A", "art_1", original)]
    units += [_unit(f"D{i}", "art_1", t) for i, t in enumerate(texts[1:])]
    units.append(_unit("B", "art_9__para_1", copy))
    pairs = list(similar_pairs(units))
    assert any({str(p.a), str(p.b)} == {"A#art_1", "B#art_9__para_1"} for p in pairs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from("ABC"), TEXTS, st.integers(min_value=0, max_value=3)),
        max_size=25,
    ),
    st.booleans(),
)
def test_each_unordered_pair_once_with_a_score_in_range(
    rows: list[tuple[str, str, int]], same_document: bool
) -> None:
    # units built from few words and repeated texts, so that many pairs are similar
    units = [
        _unit(doc, f"art_{i}", " ".join([text] * (rep + 1)))
        for i, (doc, text, rep) in enumerate(rows)
    ]
    pairs = list(similar_pairs(units, same_document=same_document))
    keys = [frozenset((p.a, p.b)) for p in pairs]
    assert len(keys) == len(set(keys))
    position = {u.ref: i for i, u in enumerate(units)}
    for p in pairs:
        assert isinstance(p, Pair)
        assert position[p.a] < position[p.b]
        assert THRESHOLD <= p.score <= 100
        assert p.kind in ("near-duplicate", "overlap")
        assert same_document or p.a.doc != p.b.doc
    exhaustive = {
        frozenset((p.a, p.b)): p
        for p in similar_pairs(units, same_document=same_document, candidates=all_candidates)
    }
    assert set(keys) <= set(exhaustive)
    for p in pairs:
        assert exhaustive[frozenset((p.a, p.b))].score == p.score


def test_exhaustive_scores_match_all_candidates() -> None:
    rnd = random.Random(3)
    texts = [" ".join(rnd.choices(WORDS[:20], k=rnd.randint(10, 30))) for _ in range(60)]
    texts += [_perturb(t, rnd) for t in texts[:20]]
    units = [_unit(f"D{i % 7}", f"art_{i}", t) for i, t in enumerate(texts)]
    encoded = encode_units(units)
    docs = [u.ref.doc for u in units]
    exact = exhaustive_scores(encoded, docs, threshold=THRESHOLD, block=7)
    position = {u.ref: i for i, u in enumerate(units)}
    slow = {
        (position[p.a], position[p.b]): p.score
        for p in similar_pairs(units, candidates=all_candidates)
    }
    assert set(exact) == set(slow)
    assert len(exact) >= 20
    for k, v in exact.items():
        assert v == pytest.approx(slow[k], abs=0.01)
    # with these seeds the LSH candidates hold every pair (the figure on real text is in bench/)
    assert set(exact) <= lsh_candidates(encoded, docs)


# --- the demo corpus ----------------------------------------------------------------------------


@cache
def _demo_units() -> tuple[UnitText, ...]:
    units: list[UnitText] = []
    for path in sorted((ROOT / "corpus").iterdir()):
        if path.suffix in (".txt", ".md"):
            units += unit_texts(parse_document(read_file(path)))
    return tuple(units)


MANIFEST = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
PLANTED = [p for p in MANIFEST["planted"] if p["rule"] in ("overlap", "repeats-higher")]


@pytest.mark.parametrize("planted", PLANTED, ids=[p["id"] for p in PLANTED])
def test_planted_overlaps_are_found(planted: dict) -> None:
    a, b = (UnitRef.parse(u) for u in planted["units"])
    pairs = {frozenset((p.a, p.b)): p for p in similar_pairs(list(_demo_units()))}
    assert frozenset((a, b)) in pairs, planted["description"]
    assert pairs[frozenset((a, b))].score >= THRESHOLD


def test_demo_corpus_pairs_are_all_between_related_documents() -> None:
    """Every pair the demo corpus yields links documents related by design: a planted problem,
    a replacement or an expiry (the old and the new text of the same rules)."""
    pairs = list(similar_pairs(list(_demo_units())))
    assert 10 <= len(pairs) <= 40
    related = {frozenset(p["documents"][:2]) for p in MANIFEST["planted"]}
    related |= {frozenset((r["from"], r["to"])) for r in MANIFEST["relations"]}
    for p in pairs:
        assert frozenset((p.a.doc, p.b.doc)) in related, p


# --- the real corpus ----------------------------------------------------------------------------


@pytest.mark.realcorpus
@pytest.mark.slow
def test_lsh_recall_on_part_of_the_real_corpus() -> None:
    """Candidates hold at least 95% of the pairs an exhaustive comparison scores at the threshold
    (bench/bench_similar.py measures it on 20,000 units; this is a 60-file check)."""
    assert real_corpus_present()
    units: list[UnitText] = []
    for path in sorted((REAL / "texts").glob("*.txt"))[:60]:
        doc = parse_document(path.read_text(encoding="utf-8"), path=path.name)
        units += unit_texts(doc, doc_key=path.stem)
    assert len(units) >= 2000
    encoded = encode_units(units)
    docs = [u.ref.doc for u in units]
    exact = exhaustive_scores(encoded, docs)
    found = lsh_candidates(encoded, docs)
    assert len(exact) >= 100
    assert len(set(exact) & found) / len(exact) >= 0.95
    pairs = list(similar_pairs(units))
    assert len(pairs) == len(set(exact) & found)


def test_band_keys_take_known_keys_and_compute_the_rest_the_same() -> None:
    """Stored keys (``known``) stand in for computing them: the result is the same array, and
    a text not in ``known`` (or empty) is computed as before."""
    rng = random.Random(3)
    words = [f"w{n}" for n in range(60)]
    texts = [stable_encode(" ".join(rng.choices(words, k=rng.randint(0, 30)))) for _ in range(80)]
    every = band_keys(texts)
    known = {t: every[i] for i, t in enumerate(texts) if t and i % 3}
    assert len(known) > 20
    assert np.array_equal(band_keys(texts, known=known), every)
    wrong = {t: every[i] + np.uint64(1) for i, t in enumerate(texts) if t and i % 3}
    assert not np.array_equal(band_keys(texts, known=wrong), every)  # they are really used


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcxyzđ\u4e00\U0001f600", max_size=90), max_size=12))
def test_word_shingles_in_numpy_are_the_python_ones(texts: list[str]) -> None:
    """band_keys' vectorised word shingles (n = 1) equal _shingles text by text, occurrence
    numbers past 63 included."""
    texts = [t * 3 for t in texts]  # repeated words: occurrence numbers up to 63 and past
    sizes, flat = _word_shingles(texts)
    at = 0
    for text, size in zip(texts, sizes.tolist(), strict=True):
        assert flat[at : at + size].tolist() == [x & 0xFFFFFFFF for x in _shingles(text, 1)]
        at += size
    assert at == len(flat)


def _fmix32_int(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    return h ^ (h >> 16)


def test_band_keys_are_minhash_bands_as_documented() -> None:
    """band_keys against MinHash written out in Python integers, unit by unit: for each
    permutation ``a * fmix32(h) + b mod 2**32`` the least over the unit's shingles, and each
    band's ``rows`` minima folded into one 64-bit key. Texts of one word to several hundred,
    in one chunk and across chunks."""
    params = similarity_params()
    bands, rows = lsh_bands(min_jaccard(params.threshold), params.num_perm, params.min_recall)
    gen = np.random.RandomState(1)
    a = [(int(x) << 1) | 1 for x in gen.randint(0, 1 << 31, bands * rows)]
    b = [int(x) for x in gen.randint(0, 1 << 32, bands * rows, dtype=np.uint64)]
    fold = [(int(x) << 1) | 1 for x in gen.randint(0, 1 << 62, rows)]
    rng = random.Random(5)
    words = [f"w{n}" for n in range(300)]
    texts = [
        stable_encode(" ".join(rng.choices(words, k=rng.choice([1, 7, 40, 400])))) for _ in range(9)
    ]
    got = band_keys(texts, chunk=4)
    for text, keys in zip(texts, got.tolist(), strict=True):
        hashed = [_fmix32_int(s & 0xFFFFFFFF) for s in _shingles(text, 1)]
        sig = [min((ap * h + bp) % (1 << 32) for h in hashed) for ap, bp in zip(a, b, strict=True)]
        want = [
            sum(sig[band * rows + r] * fold[r] for r in range(rows)) % (1 << 64)
            for band in range(bands)
        ]
        assert keys == want
