"""Reports (issue 8): the review report for the justice department (DOCX), the mandated lists
(XLSX), a self-contained HTML page and JSON, all from one :class:`ReportData` collected from the
store by :func:`collect`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from vbqppl.report.data import ReportData, Scope, collect

__all__ = ["REPORT_FILES", "ReportData", "Scope", "collect", "report_json", "write_reports"]

REPORT_FILES = {
    "docx": "bao-cao-ra-soat.docx",
    "xlsx": "danh-muc-van-ban.xlsx",
    "html": "bao-cao-ra-soat.html",
    "json": "bao-cao-ra-soat.json",
}
JSON_VERSION = 1


def report_json(data: ReportData) -> dict[str, Any]:
    out = dataclasses.asdict(data)
    out["version"] = JSON_VERSION
    out["lists"] = {
        "expired": [d.number for d in data.expired],
        "partly_expired": [d.number for d in data.partly_expired],
        "in_force": [d.number for d in data.in_force],
        "to_handle": [a.finding for a in data.actions],
    }
    return out


def write_reports(data: ReportData, out: Path) -> dict[str, Path]:
    """Write the four files into ``out`` (made if needed); their paths by format."""
    from vbqppl.report.docx_report import write_docx
    from vbqppl.report.html_report import write_html
    from vbqppl.report.xlsx_report import write_xlsx

    out.mkdir(parents=True, exist_ok=True)
    paths = {k: out / name for k, name in REPORT_FILES.items()}
    write_docx(data, paths["docx"])
    write_xlsx(data, paths["xlsx"])
    write_html(data, paths["html"])
    paths["json"].write_text(
        json.dumps(report_json(data), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return paths
