"""Similarity between units across the corpus: which articles and clauses say nearly the same.

:func:`unit_texts` takes the articles and clauses worth comparing out of a parsed document;
:func:`similar_pairs` finds the pairs among them that score at least a threshold. Candidates come
from MinHash LSH (numpy, :func:`band_keys`) over each unit's words, so the work grows with the number of units,
not with its square; each candidate is then scored exactly with rapidfuzz.

Texts are compared after :func:`normalize_for_similarity`: NFC, lower case, tone marks and other
diacritics folded (``đ`` -> ``d``, so old and new tone placement, "Uỷ"/"Ủy", agree), numbers
replaced by ``0`` and the labels that open lines ("1.", "a)", "Điều 5.") removed, punctuation and
spacing reduced to single spaces. The score is rapidfuzz ``fuzz.ratio`` on the word sequences
(each word encoded as one character, which is also what makes it fast): 100 * 2 * LCS / (sum of
lengths), in words. Parameters are data, in ``rules/similarity.yaml``, with how they were chosen.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from vbqppl.model import Document, Span
from vbqppl.rules import load_rules

# --- parameters -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SimilarityParams:
    """The parameters of ``rules/similarity.yaml`` (see the comments there)."""

    threshold: float
    near_duplicate: float
    min_tokens: int
    kinds: tuple[str, ...]
    shingle: int
    num_perm: int
    min_recall: float
    skip_max_tokens: int
    max_cluster: int | None
    max_bucket: int | None


@cache
def similarity_params() -> SimilarityParams:
    data = load_rules("similarity")
    return SimilarityParams(
        threshold=float(data["threshold"]),
        near_duplicate=float(data["near_duplicate"]),
        min_tokens=int(data["min_tokens"]),
        kinds=tuple(data["kinds"]),
        shingle=int(data["shingle"]),
        num_perm=int(data["num_perm"]),
        min_recall=float(data["min_recall"]),
        skip_max_tokens=int(data["skip_max_tokens"]),
        max_cluster=None if data.get("max_cluster") is None else int(data["max_cluster"]),
        max_bucket=None if data.get("max_bucket") is None else int(data["max_bucket"]),
    )


@cache
def _skip_patterns() -> tuple[re.Pattern[str], ...]:
    data = load_rules("similarity")
    return tuple(
        re.compile(v["pattern"])
        for k, v in data.items()
        if k.startswith("skip_") and isinstance(v, dict)
    )


_P = similarity_params()

# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class UnitRef:
    """A unit of a document in the corpus, printed ``NUMBER#unit_id`` (``12/2024/QĐ-UBND#art_5``).

    ``doc`` is the document's number (số ký hiệu), or whatever key the caller gave
    :func:`unit_texts` when the number is missing or not unique.
    """

    doc: str
    unit: str

    @classmethod
    def parse(cls, text: str) -> UnitRef:
        doc, sep, unit = text.rpartition("#")
        if not sep or not doc or not unit:
            raise ValueError(f"tham chiếu đơn vị không hợp lệ (cần SỐ#mã_đơn_vị): {text!r}")
        return cls(doc, unit)

    def __str__(self) -> str:
        return f"{self.doc}#{self.unit}"


@dataclass(frozen=True, slots=True)
class UnitText:
    """One unit's text, ready to compare.

    ``span`` indexes the parsed document's ``text`` (the unit's own label left out), ``text`` is
    that slice, ``norm`` its :func:`normalize_for_similarity` form (words separated by spaces).
    """

    ref: UnitRef
    kind: str
    span: Span
    text: str
    norm: str

    @property
    def n_tokens(self) -> int:
        return self.norm.count(" ") + 1 if self.norm else 0


@dataclass(frozen=True, slots=True)
class Pair:
    """Two similar units of different documents (or of one, when asked).

    ``a`` comes before ``b`` in the input of :func:`similar_pairs`; ``score`` is 0-100; ``kind``
    is ``near-duplicate`` (the same text with a few words changed) or ``overlap``.
    """

    a: UnitRef
    b: UnitRef
    score: float
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {"a": str(self.a), "b": str(self.b), "score": self.score, "kind": self.kind}

    def edge(self) -> tuple[str, str, dict[str, Any]]:
        """The pair as a graph edge between ``NUMBER#unit_id`` nodes:
        ``graph.add_edges_from(p.edge() for p in pairs)`` (networkx)."""
        return str(self.a), str(self.b), {"type": "similar", "score": self.score, "kind": self.kind}


# --- normalisation ----------------------------------------------------------------------------


def _fold_table() -> dict[int, int | None]:
    """Latin letters with diacritics -> their base letter; combining marks -> nothing."""
    table: dict[int, int | None] = {cp: None for cp in range(0x0300, 0x0370)}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for cp in range(start, end):
            base = unicodedata.normalize("NFD", chr(cp))[0]
            if base != chr(cp) and base.isascii():
                table[cp] = ord(base.lower())
    for ch in "đĐ\u0110\u0111\u00d0\u0189":
        table[ord(ch)] = ord("d")
    return table


_FOLD = _fold_table()
# A label opening a line: "Điều 5." / "Điều 5a:", "1." / "1a." / "2)", "a)" / "đ)" / "d1)".
_LINE_LABEL = re.compile(
    r"(?m)^[ \t]*(?:điều[ \t]+\d+[a-zđ]?[ \t]*[.:]|\d{1,3}[a-zđ]?[ \t]*[.)]|[a-zđ]\d?[ \t]*\))"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NON_WORD = re.compile(r"[\W_]+")


def normalize_for_similarity(text: str, *, fold: bool = True) -> str:
    """The text as compared: words in lower case separated by single spaces.

    NFC; labels opening a line removed; every number (``05``, ``4.000.000``, ``0,5``) becomes
    ``0``; punctuation dropped; with ``fold`` (the default) diacritics are removed and ``đ``
    becomes ``d``, so "Ủy ban" and "Uỷ ban" (or a text typed without marks) compare equal.
    """
    if fold:
        return " ".join(" ".join(_normalize_lines(text)).split())
    t = _LINE_LABEL.sub(" ", unicodedata.normalize("NFC", text).lower())
    return " ".join(_NON_WORD.sub(" ", _NUMBER.sub(" 0 ", t)).split())


_NON_WORD_IN_LINE = re.compile(r"(?:[^\w\n]|_)+")
_TABLE_SIZE = 0x10000  # the arrays below cover the Basic Multilingual Plane
_DROP = 0xFFFFFFFF
_RUN_GAP = 8  # lines no span takes whole that _span_norms normalises to join two runs


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """``_FOLD`` as an array (a dropped mark maps to ``_DROP``), and which code points are
    word characters, as the engine's ``\\w`` reads them (``str.isalnum``; "_" is not kept
    either), a line break counted as one so that it stays."""
    fold = np.arange(_TABLE_SIZE, dtype=np.uint32)
    for cp, to in _FOLD.items():
        fold[cp] = _DROP if to is None else to
    word = np.fromiter((chr(cp).isalnum() for cp in range(_TABLE_SIZE)), bool, _TABLE_SIZE)
    word[ord("\n")] = True
    return fold, word


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def _normalize_lines(text: str) -> list[str]:
    """:func:`normalize_for_similarity` of each line of ``text``, its words separated by
    whitespace (not collapsed): the same steps on the whole text at once, the line breaks
    kept. Folding and the punctuation run on arrays of code points, some ten times faster
    than ``str.translate`` and a substitution; a text with code points past the arrays' takes
    the steps as they are written in :func:`normalize_for_similarity`."""
    t = _LINE_LABEL.sub(" ", unicodedata.normalize("NFC", text).lower())
    points = _code_points(t)
    if len(points) == 0 or points.max() >= _TABLE_SIZE:
        t = _NUMBER.sub(" 0 ", t.translate(_FOLD))
        return _NON_WORD_IN_LINE.sub(" ", t).split("\n")
    fold, word = _tables()
    points = fold[points]
    points = points[points != _DROP]
    points = _code_points(_NUMBER.sub(" 0 ", points.tobytes().decode("utf-32-le")))
    spaced = np.where(word[points], points, np.uint32(32)).astype("<u4")
    return spaced.tobytes().decode("utf-32-le").split("\n")


def _span_norms(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """:func:`normalize_for_similarity` of ``text[start:end]`` for each span, each line the
    spans cover normalised once (an article's lines are its clauses' lines too), in a few
    calls of :func:`_normalize_lines` for the whole document.

    The normalisation works line by line: NFC and case never join across a line break, a label
    is removed only at a line's start, and numbers and words end at the break. So a span's
    form is its lines' forms joined: its first line taken from the span's start (the string's
    start there, as when the span is normalised alone), the lines after it whole, but the
    last when the span ends before the text on it does. Those partial lines are normalised
    together, one per line of a second string.
    """
    sizes = map(len, text.split("\n"))
    starts = list(accumulate(map((1).__add__, sizes), initial=0))  # one past the end: a sentinel
    lines: list[str] = [""] * (len(starts) - 1)
    runs: list[list[int]] = []
    heads: list[str] = []
    tails: list[str] = []
    plan: list[tuple[int, int, bool]] = []  # each span's whole lines, and whether it has a tail
    for start, end in spans:
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, end) - 1
        if first == last or starts[first + 1] >= end:  # within one line (or to its break)
            heads.append(text[start : min(end, starts[first + 1] - 1)])
            plan.append((0, 0, False))
            continue
        heads.append(text[start : starts[first + 1] - 1])
        tail = bool(text[end : starts[last + 1] - 1].strip())
        if tail:
            tails.append(text[starts[last] : end])
        plan.append((first + 1, last if tail else last + 1, tail))
    for a, b, _ in sorted(plan):
        if a < b:
            # the label line between two articles joins their runs: one call, not two
            if runs and a <= runs[-1][1] + _RUN_GAP:
                runs[-1][1] = max(runs[-1][1], b)
            else:
                runs.append([a, b])
    for a, b in runs:
        lines[a:b] = _normalize_lines(text[starts[a] : starts[b] - 1])
    head_norms = iter(_normalize_lines("\n".join(heads)))
    tail_norms = iter(_normalize_lines("\n".join(tails)) if tails else ())
    out = []
    for a, b, tail in plan:
        parts = [next(head_norms), *lines[a:b]]
        if tail:
            parts.append(next(tail_norms))
        out.append(" ".join(" ".join(parts).split()))
    return out


# --- units ------------------------------------------------------------------------------------


def _strip_label(text: str, label: str) -> int:
    """How many characters of ``text`` its own label takes ("Điều 5." / "1." / "a)" and spaces)."""
    if not label or not text.startswith(label):
        return 0
    i = len(label)
    while i < len(text) and text[i] in " \t\n.:)":
        i += 1
    return i


def unit_texts(
    doc: Document,
    *,
    doc_key: str | None = None,
    kinds: Iterable[str] = _P.kinds,
    min_tokens: int = _P.min_tokens,
    skip: Sequence[re.Pattern[str]] | None = None,
    skip_max_tokens: int = _P.skip_max_tokens,
) -> list[UnitText]:
    """The units of ``doc`` worth comparing, in document order.

    Units of ``kinds`` (articles and clauses) with at least ``min_tokens`` words once normalised;
    units shorter than ``skip_max_tokens`` words that match a ``skip`` pattern (closing formulas
    such as "Quyết định này có hiệu lực kể từ ngày ...", from ``rules/similarity.yaml`` by
    default) are left out. ``doc_key`` names the document in each :class:`UnitRef`; by default
    its number, else its path, else the start of its hash.
    """
    key = doc_key or doc.metadata.number or doc.source.path or (doc.source.sha256 or "?")[:12]
    wanted = set(kinds)
    patterns = _skip_patterns() if skip is None else tuple(skip)
    out: list[UnitText] = []
    units = [u for u in doc.units if u.kind in wanted]
    bodies = []
    for u in units:
        raw = doc.text[u.span.start : u.span.end]
        cut = _strip_label(raw, u.label)
        bodies.append((u.span.start + cut, raw[cut:].rstrip()))
    norms = _span_norms(doc.text, [(start, start + len(body)) for start, body in bodies])
    for u, (start, body), norm in zip(units, bodies, norms, strict=True):
        n = norm.count(" ") + 1 if norm else 0
        if n < min_tokens:
            continue
        if n < skip_max_tokens and any(p.search(body) for p in patterns):
            continue
        span = Span(start, start + len(body))
        out.append(UnitText(UnitRef(key, u.id), u.kind, span, body, norm))
    return out


# --- encoding ---------------------------------------------------------------------------------

_SURROGATES = 0xD800
_MAX_CODE = 0x10FFFF - 0x800


def encode_units(units: Sequence[UnitText]) -> list[str]:
    """Each unit's words as a string with one character per word, the same word the same character.

    The most frequent words get the smallest code points: rapidfuzz looks characters below 256
    up in an array and the rest in a hash map, so this makes scoring several times faster. The
    rarest words share one code point only past a million distinct words.
    """
    counts = Counter(w for u in units for w in u.norm.split())
    code: dict[str, str] = {}
    for rank, (word, _) in enumerate(counts.most_common()):
        cp = min(rank, _MAX_CODE)
        code[word] = chr(cp + 0x800 if cp >= _SURROGATES else cp)
    return ["".join(code[w] for w in u.norm.split()) for u in units]


def stable_encode(norm: str) -> str:
    """A normalised text with each word as one character chosen by a hash of the word: the
    same word gives the same character in every text and every run (unlike
    :func:`encode_units`, whose characters depend on the set of texts). LSH keys are computed
    on these, so whether two units are candidates depends on their own words only."""
    code = _CODE
    return "".join([code.get(w) or _code(w) for w in norm.split()])


_CODES = 0x10FFFF - 0x800  # code points outside the surrogates
_CODE: dict[str, str] = {}


def _code(word: str) -> str:
    cp = zlib.crc32(word.encode()) % _CODES
    ch = chr(cp + 0x800 if cp >= _SURROGATES else cp)
    if len(_CODE) < 1_000_000:  # the words seen so far; a bound for a process that runs long
        _CODE[word] = ch
    return ch


# --- candidates -------------------------------------------------------------------------------


def min_jaccard(threshold: float) -> float:
    """The least multiset word Jaccard of two texts whose ``fuzz.ratio`` is ``threshold``."""
    r = threshold / 100.0
    return r / (2.0 - r)


def lsh_bands(jaccard: float, num_perm: int, min_recall: float) -> tuple[int, int]:
    """``(bands, rows)`` for LSH: the most rows per band (fewest false candidates) that still make
    a pair of Jaccard ``jaccard`` a candidate with probability ``min_recall``."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1.0 - (1.0 - jaccard**rows) ** bands >= min_recall:
            best = (bands, rows)
        else:
            break
    return best


def _shingles(encoded: str, n: int) -> list[int]:
    """32-bit shingle ids: words with their occurrence number (n = 1), else word n-grams."""
    if n <= 1:
        seen: dict[str, int] = {}
        out = []
        for ch in encoded:
            k = seen.get(ch, 0)
            seen[ch] = k + 1
            out.append(ord(ch) << 6 | (k if k < 63 else 63))
        return out
    if len(encoded) <= n:
        return [_ngram_id(encoded)]
    return list({_ngram_id(encoded[i : i + n]) for i in range(len(encoded) - n + 1)})


def _word_shingles(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_shingles` with ``n = 1`` of every text at once, in numpy: each text's number of
    shingles (int64) and all the shingle ids one text after another (uint64), each word's
    code point shifted left 6 bits with its occurrence number in its text (at most 63)."""
    sizes = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4").astype(np.int64)
    n = len(points)
    owner = np.repeat(np.arange(len(texts)), sizes)
    position = np.arange(n)
    order = np.lexsort((position, points, owner))  # by text, then word, then where
    p, o = points[order], owner[order]
    first = np.ones(n, dtype=bool)
    first[1:] = (p[1:] != p[:-1]) | (o[1:] != o[:-1])
    seen = np.empty(n, dtype=np.int64)
    seen[order] = position - np.maximum.accumulate(np.where(first, position, 0))
    return sizes, ((points << 6) | np.minimum(seen, 63)).astype(np.uint64) & _MASK32


def _ngram_id(gram: str) -> int:
    h = 2166136261
    for ch in gram:  # FNV-1a over code points: deterministic, unlike hash() on str
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


CandidateFinder = Callable[..., set[tuple[int, int]] | Iterable[np.ndarray]]


_MASK32 = np.uint64(0xFFFFFFFF)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer on 32-bit values (kept in uint64): shingle ids that differ by one
    bit come out unrelated, so the affine permutations below behave as random ones."""
    h = h ^ (h >> np.uint64(16))
    h = (h * np.uint64(0x85EBCA6B)) & _MASK32
    h = h ^ (h >> np.uint64(13))
    h = (h * np.uint64(0xC2B2AE35)) & _MASK32
    return h ^ (h >> np.uint64(16))


def band_keys(
    encoded: Sequence[str],
    *,
    threshold: float = _P.threshold,
    num_perm: int = _P.num_perm,
    shingle: int = _P.shingle,
    min_recall: float = _P.min_recall,
    seed: int = 1,
    chunk: int = 256,
    known: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Each text's LSH band keys: a ``(len(encoded), bands)`` uint64 array.

    ``known``: keys already computed with these options for some texts (the stored sketches,
    :mod:`vbqppl.store.sketches`), taken as they are.

    MinHash with ``bands * rows`` permutations ``h -> a * fmix32(h) + b mod 2**32`` (odd ``a``,
    from ``seed``) over the shingles of :func:`_shingles`; the ``rows`` minima of each band are
    folded into one 64-bit key. Two texts share a key in some band exactly when MinHash LSH
    makes them candidates (up to 64-bit key collisions, which only add candidates). Computed
    with numpy a ``chunk`` of texts at a time; an empty text gets keys no other text has.
    """
    if known:
        todo = [i for i, e in enumerate(encoded) if not e or e not in known]
        computed = band_keys(
            [encoded[i] for i in todo],
            threshold=threshold,
            num_perm=num_perm,
            shingle=shingle,
            min_recall=min_recall,
            seed=seed,
            chunk=chunk,
        )
        out = np.empty((len(encoded), computed.shape[1]), dtype=np.uint64)
        out[todo] = computed
        have = np.ones(len(encoded), dtype=bool)
        have[todo] = False
        for i in np.flatnonzero(have).tolist():
            out[i] = known[encoded[i]]
        if todo:  # an empty text's keys are made from its row: keep them distinct here too
            empty = np.array([not encoded[i] for i in todo], dtype=bool)
            if empty.any():
                rows_ = np.asarray(todo, dtype=np.uint64)[empty] | _OWN
                out[np.asarray(todo)[empty]] = rows_[:, None]
        return out
    bands, rows = lsh_bands(min_jaccard(threshold), num_perm, min_recall)
    perms = bands * rows
    gen = np.random.RandomState(seed)
    a = (gen.randint(0, 1 << 31, perms).astype(np.uint64) << np.uint64(1)) | np.uint64(1)
    b = gen.randint(0, 1 << 32, perms, dtype=np.uint64)
    fold = (gen.randint(0, 1 << 62, rows).astype(np.uint64) << np.uint64(1)) | np.uint64(1)
    a32, b32 = a.astype(np.uint32), b.astype(np.uint32)
    out = np.empty((len(encoded), bands), dtype=np.uint64)
    for s in range(0, len(encoded), chunk):
        part = encoded[s : s + chunk]
        if shingle <= 1:
            sizes, flat = _word_shingles(part)
        else:
            ids = [_shingles(e, shingle) if e else [] for e in part]
            sizes = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
            flat = (
                np.fromiter((v for x in ids for v in x), dtype=np.uint64, count=int(sizes.sum()))
                & _MASK32
            )
        sig = np.full((len(part), perms), _MASK32, dtype=np.uint64)
        full = np.nonzero(sizes)[0]
        if len(full):
            # One row per permutation, in uint32 (whose products wrap mod 2**32 by
            # themselves): each unit's minima then run along contiguous memory, some twenty
            # times faster than a column of a (shingles, perms) uint64 array.
            hashed = a32[:, None] * _fmix32(flat).astype(np.uint32)[None, :]
            hashed += b32[:, None]
            starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))[full]
            sig[full] = np.minimum.reduceat(hashed, starts, axis=1).T
        keys = (sig.reshape(len(part), bands, rows) * fold).sum(axis=2, dtype=np.uint64)
        empty = sizes == 0  # distinct keys that no real band gives (top bit set, index below)
        if empty.any():
            own = np.arange(s, s + len(part), dtype=np.uint64)[empty] | np.uint64(1 << 63)
            keys[empty] = own[:, None]
        out[s : s + len(part)] = keys
    return out


def colliding_pairs(
    keys: np.ndarray, blocks: np.ndarray | None = None, max_bucket: int | None = None
) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, sharing a key in some column of ``keys``, each once:
    an ``(n, 2)`` int64 array sorted by ``i`` then ``j`` (:func:`band_pairs` put together)."""
    found = list(band_pairs(keys, blocks, max_bucket))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    n = len(keys)
    codes = np.sort(np.concatenate([f[:, 0] * n + f[:, 1] for f in found]))
    return np.stack((codes // n, codes % n), axis=1).astype(np.int64)


_OWN = np.uint64(1 << 63)


def band_pairs(
    keys: np.ndarray, blocks: np.ndarray | None = None, max_bucket: int | None = None
) -> Iterator[np.ndarray]:
    """The pairs of :func:`colliding_pairs` band by band: for each column of ``keys`` an
    ``(m, 2)`` int64 array of the pairs ``(i, j)``, ``i < j``, sharing a key there and in no
    earlier column, so that a caller scoring them holds one band's pairs at a time.

    ``blocks`` (int, one per row) says which rows may pair: rows of one block, and a row of
    block ``-1`` (everywhere) with any row. ``max_bucket``: rows sharing a key in a band are
    a bucket; a bucket holding more than ``max_bucket`` rows that may pair (a block's rows and
    the ``-1`` rows; the ``-1`` rows alone for theirs) is a drafting frame, not a duplicate,
    and gives no pairs in that band. Runs of equal keys are found by sorting each column, so
    the work is ``n log n`` per band plus the pairs, at most ``max_bucket`` per row.
    ``keys`` is modified: a row of a bucket left out gets a key of its own in that band.
    """
    n = len(keys)
    labels = np.zeros(n, dtype=np.int64) if blocks is None else np.asarray(blocks, np.int64)
    cap = n if max_bucket is None else max_bucket
    for col in range(keys.shape[1] if n > 1 else 0):
        order = np.lexsort((labels, keys[:, col]))  # by key, then block (-1 first)
        ks, ls = keys[order, col], labels[order]
        new_key = np.concatenate(([True], ks[1:] != ks[:-1]))
        starts = np.flatnonzero(new_key | np.concatenate(([True], ls[1:] != ls[:-1])))
        sizes = np.diff(np.append(starts, n))
        bucket = np.cumsum(new_key)[starts] - 1  # each run's bucket
        run_label = ls[starts]
        everywhere = np.zeros(int(bucket[-1]) + 1, dtype=np.int64)
        everywhere[bucket[run_label == -1]] = sizes[run_label == -1]
        # rows a run's rows may pair with: its own, and the bucket's "everywhere" rows
        reach = sizes + np.where(run_label == -1, 0, everywhere[bucket])
        over = reach > cap
        if over.any():
            rows = order[run_positions(starts[over], sizes[over])]
            keys[rows, col] = _OWN | rows.astype(np.uint64)
        found = []
        ok = ~over & (sizes > 1)
        for size in np.unique(sizes[ok]):
            members = order[starts[ok & (sizes == size)][:, None] + np.arange(size)]
            members.sort(axis=1)
            i, j = np.triu_indices(int(size), k=1)
            found.append(np.stack((members[:, i].ravel(), members[:, j].ravel()), axis=1))
        mixed = np.flatnonzero(~over & (run_label != -1) & (everywhere[bucket] > 0))
        for r in mixed:  # a block's run and the bucket's "everywhere" run just before it
            first = int(np.searchsorted(bucket, bucket[r]))
            own = order[starts[r] : starts[r] + sizes[r]]
            common = order[starts[first] : starts[first] + sizes[first]]
            a, b = np.meshgrid(own, common, indexing="ij")
            found.append(np.stack((np.minimum(a, b).ravel(), np.maximum(a, b).ravel()), axis=1))
        if not found:
            continue
        pairs = np.concatenate(found).astype(np.int64)
        if col:  # drop the pairs an earlier band gave
            seen = np.zeros(len(pairs), dtype=bool)
            for c in range(col):
                seen |= keys[pairs[:, 0], c] == keys[pairs[:, 1], c]
            pairs = pairs[~seen]
        if len(pairs):
            yield pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def run_positions(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions ``start .. start + size - 1`` of every run, one array."""
    total = int(sizes.sum())
    step = np.ones(total, dtype=np.int64)
    heads = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    step[heads[1:]] = starts[1:] - (starts[:-1] + sizes[:-1]) + 1
    step[0] = starts[0]
    return np.cumsum(step)


def lsh_batches(
    encoded: Sequence[str],
    docs: Sequence[str],
    *,
    threshold: float = _P.threshold,
    same_document: bool = False,
    num_perm: int = _P.num_perm,
    shingle: int = _P.shingle,
    min_recall: float = _P.min_recall,
    seed: int = 1,
    blocks: Sequence[int] | None = None,
    max_bucket: int | None = _P.max_bucket,
    known: Mapping[str, np.ndarray] | None = None,
) -> Iterator[np.ndarray]:
    """The candidates of :func:`lsh_candidates` in batches, ``(m, 2)`` arrays of index pairs:
    what :func:`similar_pairs` uses. With ``blocks`` (see :func:`band_pairs`) the texts are
    sketched block by block, each block's with those of block ``-1`` (sketched once), so that
    memory holds the sketches of one block and one band's candidates at a time."""
    options: dict[str, Any] = {
        "threshold": threshold,
        "num_perm": num_perm,
        "shingle": shingle,
        "min_recall": min_recall,
        "seed": seed,
        "known": known,
    }
    doc_ids = None
    if not same_document and len(encoded):
        _, doc_ids = np.unique(np.asarray(docs, dtype=object).astype(str), return_inverse=True)
    labels = np.zeros(len(encoded), np.int64) if blocks is None else np.asarray(blocks, np.int64)
    everywhere = np.flatnonzero(labels == -1)
    common = band_keys([encoded[i] for i in everywhere.tolist()], **options)
    for label in [*np.unique(labels[labels != -1]).tolist(), -1]:
        rows = everywhere
        keys = common.copy()
        if label != -1:
            own = np.flatnonzero(labels == label)
            rows = np.concatenate((everywhere, own))
            keys = np.concatenate((keys, band_keys([encoded[i] for i in own.tolist()], **options)))
        for pairs in band_pairs(keys, labels[rows], max_bucket):
            if label != -1:  # pairs of two "everywhere" texts: once, in their own pass
                pairs = pairs[pairs[:, 1] >= len(everywhere)]
            pairs = np.sort(rows[pairs], axis=1)
            if doc_ids is not None:
                pairs = pairs[doc_ids[pairs[:, 0]] != doc_ids[pairs[:, 1]]]
            if len(pairs):
                yield pairs


def lsh_candidates(
    encoded: Sequence[str],
    docs: Sequence[str],
    **options: Any,
) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, that MinHash LSH makes candidates (the options of
    :func:`lsh_batches`).

    ``encoded`` is :func:`encode_units`'s output, ``docs`` each unit's document key. The bands
    come from :func:`lsh_bands` at the Jaccard bound of ``threshold`` (:func:`min_jaccard`);
    the sketches and the buckets are :func:`band_keys` and :func:`band_pairs`.
    """
    return {(int(i), int(j)) for pairs in lsh_batches(encoded, docs, **options) for i, j in pairs}


def all_candidates(
    encoded: Sequence[str],
    docs: Sequence[str],
    *,
    same_document: bool = False,
    **_: object,
) -> set[tuple[int, int]]:
    """Every pair (of different documents unless ``same_document``): for small sets and tests,
    and for a scorer the LSH bands do not fit."""
    n = len(encoded)
    return {
        (i, j) for i in range(n) for j in range(i + 1, n) if same_document or docs[i] != docs[j]
    }


def exhaustive_scores(
    encoded: Sequence[str],
    docs: Sequence[str],
    *,
    threshold: float = _P.threshold,
    same_document: bool = False,
    workers: int = -1,
    block: int = 1000,
) -> dict[tuple[int, int], float]:
    """Every pair ``(i, j)``, ``i < j``, scoring at least ``threshold``, by rapidfuzz ``cdist``.

    Exact and quadratic: the reference the LSH candidates are measured against. Units are taken
    in order of length and each block is compared only with the units a ratio of ``threshold``
    allows (``fuzz.ratio`` cannot reach it when the shorter is below ``min_jaccard`` times the
    longer), which changes no result and saves most of the work.
    """
    order = np.argsort(
        np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded)), kind="stable"
    )
    lengths = np.fromiter((len(encoded[i]) for i in order), dtype=np.int64, count=len(order))
    ordered = [encoded[i] for i in order]
    w = min_jaccard(threshold)
    out: dict[tuple[int, int], float] = {}
    for s in range(0, len(ordered), block):
        e = min(s + block, len(ordered))
        hi = int(np.searchsorted(lengths, lengths[e - 1] / w, side="right"))
        scores = process.cdist(
            ordered[s:e],
            ordered[s:hi],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            workers=workers,
            dtype=np.float32,
        )
        for r, c in zip(*np.nonzero(scores), strict=True):
            if r >= c:  # each pair once: row before column in length order
                continue
            i, j = int(order[s + r]), int(order[s + c])
            if same_document or docs[i] != docs[j]:
                out[(min(i, j), max(i, j))] = float(scores[r, c])
    return out


# --- pairs ------------------------------------------------------------------------------------

Scorer = Callable[..., float]


def similar_pairs(
    units: Sequence[UnitText],
    *,
    threshold: float = _P.threshold,
    near_duplicate: float = _P.near_duplicate,
    same_document: bool = False,
    candidates: CandidateFinder = lsh_batches,
    scorer: Scorer = fuzz.ratio,
    num_perm: int = _P.num_perm,
    shingle: int = _P.shingle,
    min_recall: float = _P.min_recall,
    seed: int = 1,
    max_cluster: int | None = _P.max_cluster,
    max_bucket: int | None = _P.max_bucket,
    blocks: Sequence[Hashable | None] | None = None,
    known: Mapping[str, np.ndarray] | None = None,
) -> Iterator[Pair]:
    """The pairs of ``units`` that score at least ``threshold``, each unordered pair once.

    Pairs inside one document are skipped unless ``same_document``. ``candidates`` proposes
    index pairs (:func:`lsh_batches` by default, band by band; :func:`all_candidates` to
    compare every pair); ``scorer`` is called as ``scorer(a, b, score_cutoff=threshold)`` on
    the units' words encoded one character each (:func:`encode_units`) and returns 0-100. With
    a scorer other than ``fuzz.ratio`` the LSH bands no longer follow from the threshold: check
    the recall. Pairs come in input order of ``a``, then ``b``.

    ``blocks`` gives each unit's block: two units are compared only when their blocks are
    equal or one of them is ``None`` (a unit compared with every unit); the pair checks block
    by territory (:mod:`vbqppl.checks.territory`). Identical texts (of one block) are sketched
    and scored once, so a cluster of copies costs one text; a text held by more than
    ``max_cluster`` documents is a formula (the same sentence in every decision of a kind) and
    is not paired at all; an LSH band bucket of more than ``max_bucket`` texts is a drafting
    frame and gives no candidates (:func:`band_pairs`; ``None``: no limit, for either).
    ``known`` maps texts (:func:`stable_encode`) to band keys already computed with these
    options, for the default ``candidates``: the stored sketches of unchanged documents.
    """
    encoded = encode_units(units)
    docs = [u.ref.doc for u in units]
    label: dict[Hashable, int] = {}
    unit_block = [
        -1 if b is None else label.setdefault(b, len(label))
        for b in (blocks if blocks is not None else [0] * len(units))
    ]
    groups: dict[tuple[str, int], list[int]] = {}
    for i, e in enumerate(encoded):
        groups.setdefault((e, unit_block[i]), []).append(i)
    reps = [
        held
        for held in groups.values()
        if max_cluster is None or len({docs[i] for i in held}) <= max_cluster
    ]
    del groups
    rep_text = [encoded[held[0]] for held in reps]
    rep_block = np.fromiter((unit_block[h[0]] for h in reps), dtype=np.int64, count=len(reps))
    extra = {"known": known} if known else {}  # stored band keys (lsh_batches)
    found = candidates(
        [stable_encode(units[held[0]].norm) for held in reps],
        [docs[held[0]] for held in reps],
        threshold=threshold,
        same_document=True,
        num_perm=num_perm,
        shingle=shingle,
        min_recall=min_recall,
        seed=seed,
        blocks=rep_block,
        max_bucket=max_bucket,
        **extra,
    )
    batches = (
        [np.array(sorted(found), dtype=np.int64).reshape(-1, 2)]
        if isinstance(found, set)
        else found
    )
    scored: list[tuple[int, int, float]] = []

    def expand(xs: list[int], ys: list[int] | None, score: float) -> None:
        for n, i in enumerate(xs):
            for j in xs[n + 1 :] if ys is None else ys:
                if same_document or docs[i] != docs[j]:
                    scored.append((min(i, j), max(i, j), score))

    for held in reps:
        if len(held) > 1:
            score = scorer(encoded[held[0]], encoded[held[0]], score_cutoff=threshold)
            if score >= threshold:
                expand(held, None, score)
    for pairs in batches:
        a, b = rep_block[pairs[:, 0]], rep_block[pairs[:, 1]]
        pairs = pairs[(a == b) | (a == -1) | (b == -1)]
        for (g, h), score in zip(
            pairs.tolist(), _scores(pairs, rep_text, scorer, threshold), strict=True
        ):
            if score >= threshold:
                expand(reps[g], reps[h], score)
    for i, j, score in sorted(scored):
        kind = "near-duplicate" if score >= near_duplicate else "overlap"
        yield Pair(units[i].ref, units[j].ref, round(float(score), 2), kind)


def _scores(
    pairs: np.ndarray, texts: Sequence[str], scorer: Scorer, threshold: float
) -> Iterable[float]:
    """``scorer`` on each pair of ``texts`` (0 under ``threshold``): rapidfuzz's own loop for
    its scorers, a Python one for any other."""
    if not len(pairs):
        return []
    left = [texts[i] for i in pairs[:, 0].tolist()]
    right = [texts[j] for j in pairs[:, 1].tolist()]
    if scorer is fuzz.ratio:
        return process.cpdist(
            left, right, scorer=scorer, score_cutoff=threshold, dtype=np.float64
        ).tolist()
    return [scorer(x, y, score_cutoff=threshold) for x, y in zip(left, right, strict=True)]
