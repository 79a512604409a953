"""``vbqppl report --out DIR``: the review report (DOCX), the mandated lists (XLSX), the HTML
page and JSON, from the stored corpus and findings."""

from __future__ import annotations

from pathlib import Path

import typer

from vbqppl.report import Scope, collect, write_reports
from vbqppl.report.data import ReportData
from vbqppl.report.review import collect_review
from vbqppl.store.db import Store, opened
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import at_option, db_option, parse_date

NAMES = {
    "docx": "báo cáo (Word)",
    "xlsx": "danh mục văn bản (Excel)",
    "html": "báo cáo (HTML, mở bằng trình duyệt)",
    "json": "dữ liệu (JSON)",
}


def build(store: Store, scope: Scope) -> ReportData:
    """The report's data with the review queue's state, in one read."""
    with store.read() as conn:
        return collect(conn, scope, review=collect_review(conn))


def print_paths(paths: dict[str, Path]) -> None:
    for kind, path in paths.items():
        typer.echo(f"- {NAMES.get(kind, kind)}: {path}")


@app.command("report")
@friendly
def report_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="Thư mục ghi các tệp báo cáo."),
    date_from: str | None = typer.Option(
        None, "--from", help="Chỉ văn bản ban hành từ ngày này (YYYY-MM-DD hoặc DD/MM/YYYY)."
    ),
    date_to: str | None = typer.Option(None, "--to", help="... đến ngày này."),
    issuer: str | None = typer.Option(
        None, "--issuer", help='Chỉ văn bản của cơ quan có tên chứa cụm này ("Bắc Ninh").'
    ),
    at: str | None = at_option(),
    db: str | None = db_option(),
) -> None:
    """Lập báo cáo rà soát (DOCX), danh mục văn bản (XLSX), trang HTML và dữ liệu JSON."""
    scope = Scope(
        at=parse_date(at),
        date_from=parse_date(date_from) if date_from else None,
        date_to=parse_date(date_to) if date_to else None,
        issuer=issuer,
    )
    with opened(db, create=False) as store:
        data = build(store, scope)
    paths = write_reports(data, out)
    f = data.figures
    typer.echo(
        f"Báo cáo rà soát: {f['documents']} văn bản, {f['findings']} vấn đề phát hiện "
        f"({f['expired']} hết hiệu lực toàn bộ, {f['partly_expired']} hết hiệu lực một phần, "
        f"{f['in_force']} còn hiệu lực)."
    )
    print_paths(paths)
