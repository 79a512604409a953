"""A report for one real province (Thành phố Hà Nội's documents in ../shared/corpus-real):
every normative document of the province is listed once, in the sheet of its status, and the
figures add up. Skipped when the real corpus is absent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.evaluation import REAL, manifest
from vbqppl.checks import load_view, run_checks
from vbqppl.report import REPORT_FILES, Scope, collect, write_reports
from vbqppl.report.xlsx_report import EXPIRED, IN_FORCE, PARTLY
from vbqppl.store.db import opened
from vbqppl.store.findings import save_findings
from vbqppl.store.ingest import ingest

pytestmark = pytest.mark.realcorpus
PROVINCE = "Thành phố Hà Nội"


def test_report_for_one_real_province(tmp_path: Path) -> None:
    rows = [d for d in manifest().values() if d.get("issuing_body") == PROVINCE]
    paths = [REAL / (d["raw_paths"][0] if d.get("raw_paths") else d["text_path"]) for d in rows]
    normative = {d["doc_number"] for d in rows if re.search(r"/\d{4}/", d["doc_number"] or "")}
    with opened(str(tmp_path / "kho.db")) as store:
        ingest(store, paths, jobs=1, on_conflict="keep-both")
        with store.read() as conn:
            findings = run_checks(load_view(conn, "2026-01-01"))
        with store.begin() as conn:
            save_findings(conn, findings)
        with store.read() as conn:
            data = collect(conn, Scope(at="2026-01-01", issuer="Hà Nội"))
    files = write_reports(data, tmp_path / "out")
    assert {d.number for d in data.documents} == normative
    wb = load_workbook(files["xlsx"])
    listed = [
        r[2]
        for sheet in (EXPIRED[0], PARTLY[0], IN_FORCE[0])
        for r in wb[sheet].iter_rows(min_row=5, values_only=True)
        if r[2]
    ]
    assert sorted(listed) == sorted(normative)
    assert data.figures["findings"] == len(findings)
    html = files["html"].read_text(encoding="utf-8")
    assert html.count("<script") == 1 and "Hà Nội" in html
    assert files["docx"].name == REPORT_FILES["docx"]
