"""Similarity on the real corpus: recall of the LSH candidates against an exhaustive comparison,
and how the time of ``similar_pairs`` grows with the number of units. Prints figures; not a test.

(a) Recall. A fixed random sample of 20,000 units (articles and clauses from ``unit_texts``) is
compared exhaustively with rapidfuzz ``cdist`` (``fuzz.ratio`` on the same one-character-per-word
encoding ``similar_pairs`` scores, so the threshold means the same thing; see
``vbqppl.similar.exhaustive_scores``), once at the lowest threshold; the LSH candidates made for
each threshold are checked against the pairs at or above it. Pairs inside one file are left out
on both sides, as ``similar_pairs`` does by default.

(b) Scaling. ``similar_pairs`` end to end (encoding, MinHash, LSH, scoring) on nested random
samples of growing size, best of N rounds in wall time and in CPU time (one thread: CPU time is
what other jobs on a shared machine do not disturb); the growth exponent is the slope of
log(CPU time) on log(size). Peak memory is traced (tracemalloc, numpy included) in a separate
run. The exhaustive comparison is timed once per size up to 20,000 units, for contrast.

Documents are keyed by file name, not number: the corpus holds some laws twice (two sources)
and some numbers clash, and those are different files here.

Run: ``.venv/bin/python bench/bench_similar.py [--rounds 3] [--sample 20000]``
(needs ../shared/corpus-real; about five minutes on two busy cores).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.parse import parse_document  # noqa: E402
from vbqppl.similar import (  # noqa: E402
    UnitText,
    encode_units,
    exhaustive_scores,
    lsh_bands,
    lsh_candidates,
    min_jaccard,
    similar_pairs,
    similarity_params,
    unit_texts,
)

TEXTS = ROOT.parent / "shared" / "corpus-real" / "texts"


def _units_of(path: Path) -> list[UnitText]:
    doc = parse_document(path.read_text(encoding="utf-8"), path=path.name)
    return unit_texts(doc, doc_key=path.stem)


def load_units(workers: int = 2) -> list[UnitText]:
    paths = sorted(TEXTS.glob("*.txt"))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [u for units in pool.map(_units_of, paths, chunksize=8) for u in units]


def recall(sample: list[UnitText], thresholds: list[float]) -> None:
    p = similarity_params()
    encoded = encode_units(sample)
    docs = [u.ref.doc for u in sample]
    low = min(thresholds)
    t0 = time.perf_counter()
    exact = exhaustive_scores(encoded, docs, threshold=low)
    t_exact = time.perf_counter() - t0
    print(
        f"exhaustive cdist (fuzz.ratio, workers=-1, length windows) at >= {low:g}: "
        f"{t_exact:.1f} s, {len(exact):,} cross-file pairs"
    )
    print(
        f"{'threshold':>9} {'J bound':>7} {'bands':>9} {'candidates':>10} {'LSH s':>6}"
        f" {'pairs':>7} {'found':>7} {'recall':>7} {'not 100':>7} {'found':>7} {'recall':>7}"
    )
    for th in sorted(thresholds):
        bands, rows = lsh_bands(min_jaccard(th), p.num_perm, p.min_recall)
        t0 = time.perf_counter()
        cands = lsh_candidates(encoded, docs, threshold=th)
        t_lsh = time.perf_counter() - t0
        truth = {k for k, v in exact.items() if v >= th}
        near = {k for k, v in exact.items() if th <= v < 100}
        hit, hit_near = len(truth & cands), len(near & cands)
        print(
            f"{th:9g} {min_jaccard(th):7.3f} {bands:>4}x{rows:<4} {len(cands):10,} {t_lsh:6.1f}"
            f" {len(truth):7,} {hit:7,} {hit / max(len(truth), 1):7.2%}"
            f" {len(near):7,} {hit_near:7,} {hit_near / max(len(near), 1):7.2%}"
        )
    print("('not 100': the pairs that are not exact copies once normalised, the harder part)")


def _exponent(rows: list[tuple[int, float]]) -> float:
    return float(np.polyfit(np.log([r[0] for r in rows]), np.log([r[1] for r in rows]), 1)[0])


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, all threads) of one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def scaling(shuffled: list[UnitText], sizes: list[int], rounds: int, exact_upto: int) -> None:
    rows: list[tuple[int, float]] = []
    exact_rows: list[tuple[int, float]] = []
    print(
        f"{'units':>7} {'wall s':>7} {'CPU s':>7} {'units/CPU s':>11} {'candidates':>10}"
        f" {'pairs':>7} {'peak MB':>8} {'exhaustive CPU s':>16}"
    )
    for n in sizes:
        units = shuffled[:n]
        runs = [_timed(lambda units=units: list(similar_pairs(units))) for _ in range(rounds)]
        wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
        tracemalloc.start()
        pairs = list(similar_pairs(units))
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        encoded = encode_units(units)
        docs = [u.ref.doc for u in units]
        candidates = len(lsh_candidates(encoded, docs))
        ex = ""
        if n <= exact_upto:
            exact_rows.append((n, _timed(lambda e=encoded, d=docs: exhaustive_scores(e, d))[1]))
            ex = f"{exact_rows[-1][1]:16.1f}"
        rows.append((n, cpu))
        print(
            f"{n:7,} {wall:7.2f} {cpu:7.2f} {n / cpu:11,.0f} {candidates:10,} {len(pairs):7,}"
            f" {peak:8.0f} {ex}",
            flush=True,
        )
    if len(rows) >= 2:
        print(
            f"growth exponent of similar_pairs (log CPU time on log units): {_exponent(rows):.2f}"
        )
    if len(exact_rows) >= 2:
        print(f"growth exponent of the exhaustive comparison: {_exponent(exact_rows):.2f}")
    print("(1 = linear, 2 = quadratic. CPU time: the machine is shared and wall time is noisy.)")
    print(
        "(Samples of one corpus keep its share of similar pairs, so candidates and pairs grow"
        " with the square of the sample; the per-unit work, linear, dominates at these sizes.)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", type=int, default=20_000, help="units in the recall sample")
    ap.add_argument("--thresholds", default="70,80,90", help="thresholds for recall")
    ap.add_argument("--sizes", default="5000,10000,20000,40000", help="sizes for scaling")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per size (best kept)")
    ap.add_argument("--exact-upto", type=int, default=20_000, help="time exhaustive up to")
    ap.add_argument("--seed", type=int, default=20251128)
    args = ap.parse_args()
    if not TEXTS.is_dir():
        print("../shared/corpus-real không có: bỏ qua.")
        return 0
    p = similarity_params()
    t0 = time.perf_counter()
    units = load_units()
    print(
        f"{len(units):,} units (articles and clauses, >= {p.min_tokens} words, formulas skipped)"
        f" from {len({u.ref.doc for u in units})} files; parsed in {time.perf_counter() - t0:.0f} s"
        f" (2 processes)"
    )
    print(
        f"threshold {p.threshold:g}, near-duplicate {p.near_duplicate:g}, shingle {p.shingle},"
        f" num_perm {p.num_perm}, min_recall {p.min_recall}"
    )
    shuffled = units[:]
    random.Random(args.seed).shuffle(shuffled)
    n = min(args.sample, len(units))
    print(f"\n(a) recall on {n:,} units")
    recall(shuffled[:n], [float(x) for x in args.thresholds.split(",")])
    sizes = [min(int(s), len(units)) for s in args.sizes.split(",")]
    print(f"\n(b) similar_pairs time by size, best of {args.rounds}")
    scaling(shuffled, sorted(set(sizes)), args.rounds, args.exact_upto)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
