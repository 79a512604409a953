"""``vbqppl ingest PATH...``: parse files, folders and globs into the store."""

from __future__ import annotations

import json
import os
from collections import Counter

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from vbqppl.checks.finding import Finding
from vbqppl.checks.registry import sort_findings
from vbqppl.errors import VbqpplError
from vbqppl.review.queue import after_ingest
from vbqppl.store.db import Store, opened
from vbqppl.store.ingest import FileResult, IngestReport, ingest
from vbqppl.store.resolve import ResolutionReport
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import db_option
from vbqppl_cli.review import sync_json, sync_line


@app.command("ingest")
@friendly
def ingest_cmd(
    paths: list[str] = typer.Argument(..., help='Tệp, thư mục hoặc mẫu glob ("vb/*.docx").'),
    db: str | None = db_option(),
    jobs: int = typer.Option(
        os.cpu_count() or 1, "--jobs", "-j", help="Số tiến trình phân tích song song."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Văn bản trùng số ký hiệu (cùng cơ quan) thay thế văn bản cũ."
    ),
    keep_both: bool = typer.Option(
        False, "--keep-both", help="Văn bản trùng số ký hiệu được giữ cả hai."
    ),
    force: bool = typer.Option(
        False, "--force", help="Phân tích lại cả những tệp không đổi (sau khi nâng cấp vbqppl)."
    ),
    no_bytes: bool = typer.Option(
        False, "--no-bytes", help="Không lưu nội dung gốc của tệp, chỉ lưu đường dẫn và mã băm."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Không hiện thanh tiến độ."),
    as_json: bool = typer.Option(False, "--json", help="In tóm tắt dạng JSON."),
    check: bool = typer.Option(
        False,
        "--check",
        help="Rà soát ngay các văn bản vừa nạp với toàn bộ kho (như check --document), "
        "lưu và in các phát hiện.",
    ),
) -> None:
    """Nạp văn bản vào kho: phân tích song song, bỏ qua tệp không đổi, báo lỗi từng tệp."""
    if replace and keep_both:
        raise VbqpplError("chỉ chọn một trong --replace và --keep-both")
    policy = "replace" if replace else "keep-both" if keep_both else "ask"
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    bar = Progress(
        TextColumn("Đang nạp"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("tệp"),
        TimeElapsedColumn(),
        TextColumn("còn"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    task = bar.add_task("nạp", total=None)

    def progress(_path: str, done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    def on_result(result: FileResult) -> None:
        if result.outcome in ("unreadable", "failed"):
            bar.console.print(f"Lỗi: {result.message}", markup=False)
        elif result.outcome == "conflict":
            bar.console.print(f"Trùng số ký hiệu: {result.message}", markup=False)

    with opened(db) as store, bar:
        report = ingest(
            store,
            paths,
            jobs=max(1, jobs),
            on_conflict=policy,
            keep_bytes=not no_bytes,
            force=force,
            progress=progress,
            on_result=on_result,
        )
        queue = after_ingest(store, report)  # the review queue: open and close items
        for arg in report.missing:
            err.print(f"Lỗi: không tìm thấy tệp nào: {arg}", markup=False)
        if as_json:
            data = report_json(report, store.name)
            data["review"] = None if queue is None else sync_json(queue)
            if check:
                data["findings"] = [f.to_json() for f in _check_new(store, report, "json")]
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            typer.echo(summary(report, store.name))
            if queue is not None:
                typer.echo("- " + sync_line(queue))
            if check:
                _check_new(store, report, "table")
    if report.problems or report.missing:
        raise typer.Exit(1)


def _check_new(store: Store, report: IngestReport, fmt: str) -> list[Finding]:
    """``--check``: the findings naming each document this ingest stored, checked against the
    store today; saved, their review items opened, printed as a table unless ``fmt`` is json."""
    from vbqppl_cli.checks import document_findings, save_and_print  # only when asked
    from vbqppl_cli.options import parse_date

    today = parse_date(None)
    found: dict[str, Finding] = {}
    new = [
        (r.number or f"#{r.document_id}", r.document_id)
        for r in report.results
        if r.outcome in ("stored", "replaced") and r.document_id is not None
    ]
    for number, doc_id in new:
        found.update((f.id, f) for f in document_findings(store, today, number, [doc_id]))
    findings = sort_findings(found.values())
    if fmt == "table":
        typer.echo(f"\nRà soát {len(new)} văn bản vừa nạp với toàn bộ kho (ngày {today}):")
    save_and_print(store, findings, None, fmt if fmt == "table" else "quiet")
    return findings


def summary(report: IngestReport, name: str) -> str:
    c = report.counts
    lines = [f"Kho {name}: {report.files} tệp"]
    parts = [f"{c['stored']} văn bản mới"]
    if c["replaced"]:
        parts.append(f"{c['replaced']} thay thế văn bản cũ")
    parts.append(f"{c['unchanged']} không đổi (bỏ qua)")
    if c["duplicate"]:
        parts.append(f"{c['duplicate']} trùng nội dung")
    if c["unreadable"] or c["failed"]:
        parts.append(f"{c['unreadable'] + c['failed']} lỗi")
    if c["conflict"] or c["waiting"]:
        parts.append(
            f"{c['conflict'] + c['waiting']} trùng số ký hiệu chờ chọn --replace/--keep-both"
        )
    lines.append("- " + ", ".join(parts) + ".")
    worked = sum(
        c[k] for k in ("stored", "replaced", "duplicate", "unreadable", "failed", "conflict")
    )
    rate = f", {report.stored / report.seconds:.1f} văn bản/giây" if report.stored else ""
    lines.append(f"- {worked} tệp được xử lý trong {report.seconds:.1f} giây{rate}.")
    if report.resolution is not None:
        lines.append("- " + resolution_line(report.resolution))
    return "\n".join(lines)


def report_json(report: IngestReport, name: str) -> dict[str, object]:
    r = report.resolution
    return {
        "store": name,
        "files": report.files,
        "counts": dict(report.counts),
        "seconds": round(report.seconds, 3),
        "missing": report.missing,
        "results": [
            {
                "path": x.path,
                "outcome": x.outcome,
                "message": x.message,
                "document_id": x.document_id,
                "number": x.number,
            }
            for x in report.results
        ],
        "resolution": None
        if r is None
        else {"scope": r.scope, "citations": dict(r.citations), "relations": dict(r.relations)},
    }


def resolution_line(r: ResolutionReport) -> str:
    def one(name: str, counts: Counter[str]) -> str:
        resolved, total = ResolutionReport.share(counts)
        if not total:
            return f"chưa có {name}"
        return f"{name}: {resolved}/{total} liên kết được với văn bản trong kho ({resolved / total:.0%})"

    if r.scope == "new":  # an incremental resolution counts the new documents' links
        return (
            one("trích dẫn của văn bản vừa nạp", r.citations)
            + "; "
            + one("quan hệ", r.relations)
            + " (cả kho: vbqppl unresolved)."
        )
    return one("trích dẫn", r.citations) + "; " + one("quan hệ", r.relations) + "."
