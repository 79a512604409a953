"""The cite stage on the real corpus (../shared/corpus-real): skipped cleanly when it is absent.

Targets of issue #4; bench/eval_cite.py prints every figure and every miss.
"""

from __future__ import annotations

import pytest

from tests.evaluation_cite import citation_scores, gold_documents, relation_scores

pytestmark = pytest.mark.realcorpus


def test_cited_numbers_against_hand_annotations() -> None:
    scores = citation_scores()
    assert len(scores) >= 20
    tp = sum(len(s.true_pos) for s in scores)
    fp = sum(len(s.false_pos) for s in scores)
    fn = sum(len(s.missed) for s in scores)
    assert tp + fn > 250
    assert tp / (tp + fn) >= 0.97
    assert tp / (tp + fp) >= 0.98


def test_hand_annotated_documents_are_of_different_kinds() -> None:
    kinds = {g["kind"].split()[0] for g in gold_documents()}
    assert {"Luật", "Nghị", "Thông", "Quyết", "Văn"} <= kinds


def test_relations_against_official_rows() -> None:
    r = relation_scores()
    assert len(r.gold) > 100
    assert r.recall >= 0.9
    # Extras the official rows do not cover count only where a reader judged them right.
    assert r.judged_precision >= 0.95
