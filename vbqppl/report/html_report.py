"""The review report as one self-contained HTML page: no network to open it (a Content Security
Policy forbids it), the graph around each flagged document as inline SVG, filters in a few lines
of inline script. Jinja2 with autoescape: every piece of document text is escaped."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from vbqppl.checks.finding import SEVERITIES
from vbqppl.report import svg
from vbqppl.report.data import ReportData
from vbqppl.report.docx_base import vn_long_date
from vbqppl.report.docx_report import summary_rows
from vbqppl.report.xlsx_report import SHEETS, list_rows
from vbqppl.store.fold import fold


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("vbqppl.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
    )


def render_html(data: ReportData) -> str:
    graphs = [{"document": g.document, "svg": Markup(svg.draw(g))} for g in data.graphs]
    rules = sorted({(f.rule, f.rule_name) for f in data.findings})
    flagged = sorted({d for f in data.findings for d in f.documents})
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            data=data,
            summary=summary_rows(data),
            long_date=vn_long_date(data.scope.at),
            severities=SEVERITIES,
            rules=rules,
            flagged=flagged,
            graphs=graphs,
            legend=svg.legend(),
            sheets=SHEETS,
            lists=list_rows(data),
            sev_class=lambda s: fold(s).replace(" ", "-"),
        )
    )


def write_html(data: ReportData, path: Path) -> Path:
    path.write_text(render_html(data), encoding="utf-8")
    return path
