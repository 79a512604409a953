"""Mutation fuzz over the real corpus, bounded in time: no crash, no hang.

A fixed sample of documents (every size, the largest included), each mutated every way; each
parse runs in a worker with a 20 s bound (a hang bound, far above the slowest real parse), and
the whole test stops taking new documents after about 30 s. ``bench/fuzz_corpus.py`` runs the
whole corpus and prints figures.
"""

from __future__ import annotations

import random
import time

import pytest

from tests.evaluation import REAL
from tests.reliability.fuzz import KINDS, fuzz, mutate

pytestmark = pytest.mark.realcorpus

PER_DOCUMENT = 20.0
BUDGET = 30.0


def sample() -> list:
    texts = sorted((REAL / "texts").glob("*.txt"))
    by_size = sorted(texts, key=lambda p: p.stat().st_size)
    rng = random.Random(2026)
    picked = [by_size[-1], by_size[0], *rng.sample(texts, min(60, len(texts)))]
    return list(dict.fromkeys(picked))


def test_mutations_change_the_text() -> None:
    text = "Điều 1. Phạm vi\n1. Khoản một\n2. Khoản hai\na) Điểm a\nb) Điểm b\n" * 20
    for kind in KINDS:
        changed = {mutate(text, kind, seed) for seed in range(5)}
        assert text.encode() not in changed or len(changed) > 1, kind
    assert mutate(text, "truncate", 1) == text.encode()[: len(mutate(text, "truncate", 1))]


def test_mutated_real_documents_parse_without_crash_or_hang() -> None:
    started = time.monotonic()
    outcomes = list(fuzz(sample(), seeds=(1,), per_document=PER_DOCUMENT, budget=BUDGET))
    elapsed = time.monotonic() - started
    bad = [o for o in outcomes if o.status in ("crashed", "hung")]
    assert not bad, bad[:5]
    assert len({o.document for o in outcomes}) >= 5, "the budget let too few documents through"
    assert {o.kind for o in outcomes} == set(KINDS)
    assert all(o.seconds < PER_DOCUMENT for o in outcomes)
    assert elapsed < BUDGET + PER_DOCUMENT * len(KINDS)
    # the reader refuses some byte-mangled files (a NUL byte reads as binary); a line mutation
    # is refused only when it left nothing but blank lines
    for o in outcomes:
        if o.status == "refused" and o.kind in ("delete", "duplicate", "shuffle"):
            assert o.detail.startswith("Tệp rỗng"), o
