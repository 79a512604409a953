"""Every original in ../shared/corpus-real/raw reads; the results are close to texts/.

Skipped cleanly when the corpus is absent. Run with ``-s`` to see the per-format counts.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from vbqppl.errors import NeedsOcrError
from vbqppl.read import read_file

REAL = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus-real").resolve()

pytestmark = pytest.mark.realcorpus


def _manifest() -> list[dict]:
    path = REAL / "manifest.jsonl"
    if not path.is_file():
        pytest.skip("../shared/corpus-real không có (real corpus absent)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _format_of(path: str) -> str:
    return "json.gz" if path.endswith(".json.gz") else path.rsplit(".", 1)[-1]


def test_every_original_reads() -> None:
    rows = _manifest()
    no_text_layer = {p for r in rows if r["quality"] == "no_text_layer" for p in r["raw_paths"]}
    counts: Counter[tuple[str, str]] = Counter()
    unexpected = []
    for path in sorted((REAL / "raw").iterdir()):
        rel = f"raw/{path.name}"
        try:
            raw = read_file(path)
        except NeedsOcrError:
            counts[(_format_of(rel), "cần OCR")] += 1
            if rel not in no_text_layer:
                unexpected.append(f"{rel}: NeedsOcrError but the manifest says it has text")
            continue
        except Exception as err:  # any other error is a failure of this test
            unexpected.append(f"{rel}: {type(err).__name__}: {err}")
            continue
        counts[(_format_of(rel), "đọc được")] += 1
        assert raw.text.strip()
        assert raw.sha256 and len(raw.sha256) == 64
    print("\nread counts:", dict(sorted(counts.items())))
    assert unexpected == []
    assert sum(counts.values()) == len(list((REAL / "raw").iterdir()))
    assert counts[("pdf", "cần OCR")] <= len(no_text_layer)


@cache
def _text_of(rel: str) -> str | None:
    try:
        return read_file(REAL / rel).text
    except NeedsOcrError:
        return None


def _mean_similarity(suffix: str) -> tuple[float, int]:
    scores = []
    for row in _manifest():
        raws = [p for p in row["raw_paths"] if p.endswith(suffix)]
        if not raws:
            continue
        text = _text_of(raws[0])
        if text is None:
            continue
        ref = (REAL / row["text_path"]).read_text(encoding="utf-8")
        scores.append(fuzz.ratio(" ".join(text.split()), " ".join(ref.split())))
    return sum(scores) / len(scores), len(scores)


@pytest.mark.parametrize(
    ("suffix", "threshold"),
    [(".md", 99.5), (".docx", 99.5), (".html", 97.0), (".json.gz", 99.9), (".pdf", 99.0)],
)
def test_text_is_close_to_the_corpus_text(suffix: str, threshold: float) -> None:
    mean, n = _mean_similarity(suffix)
    print(f"\n{suffix}: {n} documents, mean similarity to texts/ {mean:.2f}")
    assert n > 0
    assert mean >= threshold
