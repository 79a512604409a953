"""The review checks on the demo corpus (every planted problem found by its rule, no unplanted
high-severity finding), stable ids, the registry, storing findings, and the CLI commands."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from vbqppl.checks import HIGH, LOW, Evidence, Finding, check, load_view, run_checks
from vbqppl.checks.finding import MEDIUM
from vbqppl.checks.references import _missing_unit
from vbqppl.checks.registry import REGISTRY, unregister
from vbqppl.checks.view import CorpusView, UnitRow, document_rank
from vbqppl.errors import VbqpplError
from vbqppl.store.db import Store
from vbqppl.store.findings import load_findings, save_findings
from vbqppl.store.ingest import ingest
from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
AT = "2025-12-01"  # after every demo document took effect
SEVERITY = {"high": HIGH, "medium": MEDIUM, "low": LOW}
PLANTED = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["planted"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, CorpusView]]:
    from vbqppl.store.db import open_store

    path = tmp_path_factory.mktemp("checks") / "demo.db"
    store = open_store(str(path))
    ingest(store, [CORPUS], jobs=1)
    with store.read() as conn:
        view = load_view(conn, AT)
    yield store, view
    store.close()


@pytest.fixture(scope="module")
def findings(demo: tuple[Store, CorpusView]) -> list[Finding]:
    return run_checks(demo[1])


def _matches(f: Finding, planted: Mapping[str, Any]) -> bool:
    if f.rule != planted["rule"]:
        return False
    if planted["units"]:
        return set(f.units) == set(planted["units"])
    return set(f.documents) <= set(planted["documents"]) and len(f.documents) >= 2


@pytest.mark.parametrize("planted", PLANTED, ids=[p["id"] for p in PLANTED])
def test_planted_problem_is_found_by_its_rule(
    findings: list[Finding], planted: Mapping[str, Any]
) -> None:
    hits = [f for f in findings if _matches(f, planted)]
    assert len(hits) == 1, f"{planted['id']}: {[(f.rule, f.units) for f in findings]}"
    assert hits[0].severity == SEVERITY[planted["severity"]]


def test_no_unplanted_high_finding(findings: list[Finding]) -> None:
    high = [f for f in findings if f.severity == HIGH]
    assert high, "the planted high-severity problems must be there"
    for f in high:
        assert any(_matches(f, p) for p in PLANTED), f"unplanted: {f.rule} {f.units}"


def test_evidence_quotes_the_stored_text(
    demo: tuple[Store, CorpusView], findings: list[Finding]
) -> None:
    view = demo[1]
    by_name = {view.name(i): i for i in view.documents}
    for f in findings:
        assert f.evidence and f.explanation and f.handling
        for e in f.evidence:
            assert e.quote.strip()
            assert view.stored_text(by_name[e.document])[e.start : e.end] == e.quote


def test_ids_are_stable_and_depend_on_evidence(
    demo: tuple[Store, CorpusView], findings: list[Finding]
) -> None:
    again = run_checks(demo[1])
    assert [f.id for f in again] == [f.id for f in findings]
    assert len({f.id for f in findings}) == len(findings)
    f = findings[0]
    moved = Evidence(f.evidence[0].document, f.evidence[0].unit, 0, 1, "x")
    other = Finding(f.rule, f.severity, f.documents, f.units, (moved,), f.explanation, f.handling)
    same = Finding(f.rule, f.severity, f.documents, f.units, f.evidence, "khác", f.handling)
    assert other.id != f.id
    assert same.id == f.id  # the wording of the explanation is not part of the identity


def test_rules_and_documents_filters(demo: tuple[Store, CorpusView]) -> None:
    only = run_checks(demo[1], rules=["dead-basis"])
    assert {f.rule for f in only} == {"dead-basis"}
    for_doc = run_checks(demo[1], documents=["33/2024/QĐ-UBND"])
    assert for_doc and all("33/2024/QĐ-UBND" in f.documents for f in for_doc)
    with pytest.raises(VbqpplError):
        run_checks(demo[1], rules=["no-such-rule"])


def test_an_outside_check_registers_like_a_builtin(demo: tuple[Store, CorpusView]) -> None:
    @check("every-document", severity=LOW)
    def every_document(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
        """Một phát hiện cho mỗi văn bản."""
        for doc_id in view.documents:
            text = view.texts[doc_id]
            yield Finding(
                "every-document",
                LOW,
                (view.name(doc_id),),
                (),
                (Evidence(view.name(doc_id), None, 0, 5, text[:5]),),
                "thử",
                "giữ nguyên",
            )

    try:
        got = run_checks(demo[1], rules=["every-document"])
        assert len(got) == len(demo[1].documents)
        assert "every-document" in REGISTRY
    finally:
        unregister("every-document")
    assert "every-document" not in REGISTRY


def test_store_upsert_keeps_ids_and_first_seen(
    demo: tuple[Store, CorpusView], findings: list[Finding]
) -> None:
    store = demo[0]
    with store.begin() as conn:
        first = save_findings(conn, findings, covered_rules=sorted(REGISTRY))
    with store.read() as conn:
        before = {s.finding.id: s.first_seen for s in load_findings(conn)}
    with store.begin() as conn:
        second = save_findings(conn, findings[1:], covered_rules=sorted(REGISTRY))
    with store.read() as conn:
        after = load_findings(conn)
        gone = load_findings(conn, status="gone")
    assert (first.new, second.new, second.seen_again, second.gone) == (
        len(findings),
        0,
        len(findings) - 1,
        1,
    )
    assert {s.finding.id for s in after} == {f.id for f in findings[1:]}
    assert all(before[s.finding.id] == s.first_seen for s in after)
    assert [s.finding.id for s in gone] == [findings[0].id]
    assert {s.finding.id: s.finding for s in after} == {f.id: f for f in findings[1:]}


@pytest.mark.parametrize(
    ("number", "issuer", "rank"),
    [
        ("64/2025/QH15", None, 2),
        ("79/2025/NĐ-CP", None, 5),
        ("02/2017/TT-VPCP", None, 7),
        ("05/2023/NQ-HĐND", "Hội đồng nhân dân tỉnh Hòa Lâm", 10),
        ("12/2024/QĐ-UBND", "Ủy ban nhân dân tỉnh Hòa Lâm", 11),
        ("03/2024/QĐ-UBND", "Ủy ban nhân dân huyện Lâm Hà", 13),
        ("126/VBHN-VPQH", None, None),
        (None, None, None),
    ],
)
def test_document_rank(number: str | None, issuer: str | None, rank: int | None) -> None:
    got = document_rank(number, issuer)
    assert (got.rank if got else None) == rank


def _view_with_units(unit_ids: list[str]) -> CorpusView:
    rows = {u: UnitRow(u, "article", u.rsplit("_", 1)[1], u, None, 0, 1) for u in unit_ids}
    return CorpusView(AT, {}, {}, {1: rows}, [], [], {})


@pytest.mark.parametrize(
    ("units", "target", "why"),
    [
        (
            ["att_1", "att_1__art_1", "att_1__art_15"],
            "att_1__art_25",
            "văn bản kèm theo chỉ có 15 điều",
        ),
        (["att_1", "att_1__art_1", "att_1__art_15"], "att_1__art_15", None),
        (["att_1", "att_1__art_1", "att_1__art_15"], "att_1__art_9", None),
        (["art_1", "art_2"], "art_3", "văn bản chỉ có 2 điều"),
    ],
)
def test_missing_unit(units: list[str], target: str, why: str | None) -> None:
    assert _missing_unit(_view_with_units(units), 1, target) == why


def test_cli_check_and_findings(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(CORPUS), "--db", db]).exit_code == 0
    res = runner.invoke(app, ["check", "--db", db, "--at", AT, "--format", "json"])
    assert res.exit_code == 0, res.output
    checked = json.loads(res.output)
    assert len(checked) == len(PLANTED)
    res = runner.invoke(app, ["findings", "--db", db, "--rule", "overlap"])
    assert res.exit_code == 0
    assert res.output.count("[trung bình] overlap") == 2
    listed = runner.invoke(app, ["findings", "--db", db, "--format", "json"])
    assert {f["id"] for f in json.loads(listed.output)} == {f["id"] for f in checked}
    bad = runner.invoke(app, ["check", "--db", db, "--rule", "nope"])
    assert bad.exit_code != 0 and "không có quy tắc" in bad.output
