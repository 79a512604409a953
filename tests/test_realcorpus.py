"""The parser on the real corpus (../shared/corpus-real): skipped cleanly when it is absent.

The thresholds are the targets of issue #2; bench/eval_parse.py prints the figures and the
exceptions behind them.
"""

from __future__ import annotations

import pytest

from bench.eval_read import REAL, _parse, compare, format_of
from tests.evaluation import (
    manifest,
    metadata_scores,
    numbering_report,
    parsed,
    real_text,
    structure_scores,
)
from vbqppl.errors import NeedsOcrError

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
    # Measured: number 98.4% (186/189), type 98.9% (183/185), issuer 98.4% (182/185), issued
    # 99.5% (184/185). The misses are the publisher's or not in the text: a text without any
    # header (congbao-12-2012-qh13, tvplmd-6316), the placeholder number "KHONGSO", the
    # category "Văn bản khác" for a KẾT LUẬN, an abbreviated body name, and a province named
    # before its 2025 merger where the document names the merged one.
    assert scores["type"].rate >= 0.98
    assert scores["issued"].rate >= 0.99
    assert scores["number"].rate >= 0.98
    assert scores["issuer"].rate >= 0.98


def test_article_numbering_is_continuous() -> None:
    with_articles, clean, _ = numbering_report()
    # Measured: 507 of 513 (98.8%). The six left break their numbering in the source itself:
    # consolidated texts that leave out the articles of repealed sections or chapters
    # (congbao-716, -1548, -5161 -vbhn-bldtbxh), that print a renumbered article next to the
    # repealed one (congbao-1607) or an inserted Điều 9a before Điều 9 (congbao-6660), and a
    # decision with two articles numbered 3 (tvplmd-2637).
    assert with_articles > 450
    assert clean / with_articles >= 0.98


def test_spans_nest_on_real_documents() -> None:
    for doc_id in list(manifest())[::7]:
        doc = parsed(doc_id)
        by_id = {u.id: u for u in doc.units}
        for u in doc.units:
            if u.parent:
                assert by_id[u.parent].span.contains(u.span), (doc_id, u.id)


def test_originals_parse_to_the_articles_of_their_texts() -> None:
    # bench/eval_read.py prints these figures and every difference behind them. Measured:
    # 100% in every format (pdf 1116, md 523, docx 404, html 268, json.gz 2703 articles).
    agree: dict[str, int] = {}
    total: dict[str, int] = {}
    for doc_id, row in manifest().items():
        if not row["raw_paths"]:
            continue
        text_doc, _ = _parse(REAL / row["text_path"], doc_id)
        for rel in row["raw_paths"]:
            try:
                orig_doc, _ = _parse(REAL / rel, doc_id)
            except NeedsOcrError:
                continue
            cmp = compare(text_doc, orig_doc)
            fmt = format_of(rel)
            agree[fmt] = agree.get(fmt, 0) + cmp.agree
            total[fmt] = total.get(fmt, 0) + cmp.text_articles
    assert set(total) == {"pdf", "md", "docx", "html", "json.gz"}
    assert {fmt: agree[fmt] / total[fmt] >= 0.98 for fmt in total} == dict.fromkeys(total, True)
