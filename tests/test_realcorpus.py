"""The parser on the real corpus (../shared/corpus-real): skipped cleanly when it is absent.

The thresholds are the targets of issue #2; bench/eval_parse.py prints the figures and the
exceptions behind them.
"""

from __future__ import annotations

import pytest

from tests.evaluation import (
    manifest,
    metadata_scores,
    numbering_report,
    parsed,
    real_text,
    structure_scores,
)

pytestmark = pytest.mark.realcorpus


def test_every_real_text_parses_and_ok_documents_with_articles_yield_them() -> None:
    missing = []
    for doc_id, row in manifest().items():
        doc = parsed(doc_id)  # must not raise
        has_article_lines = "\nĐiều 1" in real_text(doc_id) or real_text(doc_id).startswith("Điều")
        if row["quality"] == "ok" and has_article_lines and not doc.articles():
            missing.append(doc_id)
    assert missing == []


def test_structure_against_annotations() -> None:
    scores = structure_scores()
    total = sum(s.articles for s in scores)
    found = sum(s.found for s in scores)
    counts = sum(s.counts_right for s in scores)
    assert total > 2000
    assert found / total >= 0.995
    assert counts / found >= 0.99


def test_metadata_against_publisher() -> None:
    scores = metadata_scores()
    # Measured: number 95.8%, type 98.9%, issuer 95.7%, issued 98.4% (see the closing notes of
    # issue #2 for the misses: texts without any header, publisher's locality names).
    assert scores["type"].rate >= 0.98
    assert scores["issued"].rate >= 0.98
    assert scores["number"].rate >= 0.95
    assert scores["issuer"].rate >= 0.95


def test_article_numbering_is_continuous() -> None:
    with_articles, clean, _ = numbering_report()
    assert with_articles > 450
    assert clean / with_articles >= 0.95


def test_spans_nest_on_real_documents() -> None:
    for doc_id in list(manifest())[::7]:
        doc = parsed(doc_id)
        by_id = {u.id: u for u in doc.units}
        for u in doc.units:
            if u.parent:
                assert by_id[u.parent].span.contains(u.span), (doc_id, u.id)
