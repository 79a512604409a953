"""``vbqppl demo [FOLDER]``: parse the demonstration corpus and print a short summary."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import typer

from vbqppl.checks import Finding, load_view, run_checks
from vbqppl.model import Document
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl.store.db import open_store
from vbqppl.store.ingest import ingest
from vbqppl.store.validity import vn_date
from vbqppl_cli.app import app, friendly
from vbqppl_cli.cite import RELATION_NAMES
from vbqppl_cli.review import demo_story

SUFFIXES = {".txt", ".md", ".docx", ".doc", ".html", ".htm", ".pdf"}


@app.command("demo")
@friendly
def demo_cmd(
    folder: Path = typer.Argument(Path("corpus"), help="Thư mục văn bản (mặc định: corpus/)."),
    checks: bool = typer.Option(
        True, "--checks/--no-checks", help="Nạp vào kho tạm và chạy các quy tắc rà soát."
    ),
) -> None:
    """Chạy thử trên bộ văn bản mẫu: tách cấu trúc và in tóm tắt bằng tiếng Việt."""
    files = sorted(
        p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.name != "README.md"
    )
    if not files:
        typer.echo(f"Lỗi: không có văn bản nào trong {folder}", err=True)
        raise typer.Exit(2)
    kinds: Counter[str] = Counter()
    diags = cites = 0
    relations: list[str] = []
    acting: list[Path] = []  # documents that amend, replace, repeal... others
    typer.echo(f"Bộ văn bản mẫu: {folder} ({len(files)} tệp)\n")
    for path in files:
        doc = parse_document(read_file(path), path=str(path))
        c = Counter(u.kind for u in doc.units)
        kinds.update(c)
        diags += len(doc.diagnostics)
        cites += len(doc.citations)
        m = doc.metadata
        relations += _relation_lines(doc)
        if doc.relations:
            acting.append(path)
        typer.echo(
            f"- {m.number or '(không số)':22} {m.type or '?':11} {m.issued or '?':10}  "
            f"{c['article']:3} điều, {c['clause']:3} khoản, {c['point']:3} điểm"
            + (f", {len(doc.diagnostics)} cảnh báo" if doc.diagnostics else "")
        )
    typer.echo(
        f"\nTổng cộng: {len(files)} văn bản, {kinds['chapter']} chương, {kinds['article']} điều, "
        f"{kinds['clause']} khoản, {kinds['point']} điểm, {kinds['attachment']} văn bản kèm theo; "
        f"{diags} cảnh báo cấu trúc; {cites} trích dẫn."
    )
    if relations:
        typer.echo("\nQuan hệ giữa các văn bản:")
        typer.echo("\n".join(relations))
    if checks:
        _check_lines(folder)
        quiet = [p for p in files if p not in acting]
        typer.echo("\n".join(demo_story(quiet, acting, date.today().isoformat())))


def _check_lines(folder: Path) -> None:
    """Ingest the folder into a temporary SQLite store, run the checks, print the findings."""
    today = date.today().isoformat()
    with tempfile.TemporaryDirectory(prefix="vbqppl-demo-") as tmp:
        store = open_store(str(Path(tmp) / "demo.db"))
        try:
            ingest(store, [folder], jobs=1, on_conflict="keep-both")
            with store.read() as conn:
                findings = run_checks(load_view(conn, today))
        finally:
            store.close()
    typer.echo(f"\nPhát hiện khi rà soát (ngày {vn_date(today)}): {len(findings)}")
    for f in findings:
        typer.echo(_finding_line(f))


def _finding_line(f: Finding) -> str:
    where = ", ".join(f.units) if f.units else ", ".join(f.documents)
    return f"- [{f.severity}] {f.rule}: {where}\n    {f.explanation}"


def _relation_lines(doc: Document) -> list[str]:
    """One line per (type, target) of a document's relations, with the units concerned."""
    units: dict[tuple[str, str], list[str]] = {}
    effective: dict[tuple[str, str], str | None] = {}
    for r in doc.relations:
        key = (r.type, r.target.number or r.target.name or "?")
        units.setdefault(key, [])
        effective[key] = r.effective
        if r.target.unit:
            units[key].append(r.target.unit)
    out = []
    for (kind, target), ids in units.items():
        what = f"{len(ids)} đơn vị" if ids else "toàn văn bản"
        when = f", từ {effective[(kind, target)]}" if effective[(kind, target)] else ""
        out.append(
            f"- {doc.metadata.number or '?'} {RELATION_NAMES.get(kind, kind)} {target} ({what}{when})"
        )
    return out
