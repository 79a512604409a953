"""``vbqppl check`` runs the review checks over the stored corpus and stores the findings;
``vbqppl findings`` lists the stored findings."""

from __future__ import annotations

import json
import os
from collections.abc import Collection

import typer

from vbqppl.checks import (
    Finding,
    builtin,  # noqa: F401  (registers the built-in rules --rule is checked against)
    run_checks,
)
from vbqppl.checks.focus import focused_view
from vbqppl.checks.partition import PART_SIZE, check_store
from vbqppl.checks.registry import REGISTRY
from vbqppl.errors import VbqpplError
from vbqppl.review.queue import open_for_findings
from vbqppl.store.db import Store, opened
from vbqppl.store.findings import load_findings, save_findings
from vbqppl.store.sketches import backfill
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import at_option, db_option, parse_date
from vbqppl_cli.review import sync_line

FORMATS = ("table", "json")


def _format(value: str) -> str:
    if value not in FORMATS:
        raise VbqpplError(f"định dạng không hợp lệ: {value} (chọn table hoặc json)")
    return value


def finding_line(f: Finding, width: int = 100) -> str:
    """One finding as a few short Vietnamese lines."""
    where = ", ".join(f.units) if f.units else ", ".join(f.documents)
    quote = " | ".join(" ".join(e.quote.split())[:width] for e in f.evidence)
    notes = "".join(f"\n    Nguồn ({e.document}): {e.note}" for e in f.evidence if e.note)
    return (
        f"[{f.severity}] {f.rule} {f.id}  {where}\n"
        f"    {f.explanation}\n"
        f"    Trích: “{quote}”{notes}\n"
        f"    Đề xuất: {f.handling}"
    )


def _print(findings: list[Finding], fmt: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
        return
    for f in findings:
        typer.echo(finding_line(f))
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    summary = ", ".join(f"{r}: {n}" for r, n in sorted(counts.items())) or "không có"
    typer.echo(f"\nTổng cộng {len(findings)} phát hiện ({summary}).")


def document_findings(
    store: Store,
    when: str,
    number: str,
    ids: Collection[int] | None = None,
    rules: Collection[str] | None = None,
) -> list[Finding]:
    """The findings naming document ``number`` (its stored documents, or those of ``ids``),
    from a view of what can name it (:func:`vbqppl.checks.focus.focused_view`)."""
    with store.read() as conn:
        view, focus = focused_view(conn, when, number, ids)
    if focus.stale:
        typer.echo(
            "Lưu ý: dấu vân tay đơn vị trong kho được tạo theo cách khác với bản này "
            "(rules/similarity.yaml đã đổi, hoặc kho được tạo bằng phiên bản vbqppl khác), "
            "đã tính lại khi kiểm tra nên chậm hơn; "
            "chạy 'vbqppl sketch --rebuild' một lần để lưu lại.",
            err=True,
        )
    if focus.unsketched:
        typer.echo(
            f"Lưu ý: {focus.unsketched} văn bản cùng địa bàn chưa có dấu vân tay đơn vị "
            "(kho nạp trước phiên bản này), đã tính lại khi kiểm tra nên chậm hơn; "
            "chạy 'vbqppl sketch' một lần để lưu sẵn.",
            err=True,
        )
    # by the names findings give them: a document whose number another has is named apart
    names = [view.name(i) for i in focus.documents if i in view.documents]
    return run_checks(view, rules=rules, documents=names)


def save_and_print(
    store: Store, findings: list[Finding], covered: list[str] | None, fmt: str
) -> None:
    """Store ``findings`` (those of ``covered`` rules not found again are marked gone; None:
    none are), open their review items, and print them (``fmt`` "quiet": do not)."""
    with store.begin() as conn:
        report = save_findings(conn, findings, covered_rules=covered)
        queue = open_for_findings(conn, findings)  # the review queue
    if fmt == "quiet":
        return
    _print(findings, fmt)
    if fmt == "table":
        typer.echo(
            f"Đã lưu: {report.new} phát hiện mới, {report.seen_again} đã có từ trước"
            + (f", {report.gone} không còn phát hiện lại." if report.gone else ".")
        )
        typer.echo(sync_line(queue))


@app.command("check")
@friendly
def check_cmd(
    rule: list[str] = typer.Option(
        None, "--rule", help="Chỉ chạy quy tắc này (lặp lại được); mặc định: mọi quy tắc."
    ),
    document: str | None = typer.Option(
        None, "--document", help="Chỉ giữ phát hiện liên quan đến văn bản số này."
    ),
    at: str | None = at_option("Ngày xét (YYYY-MM-DD hoặc DD/MM/YYYY); mặc định hôm nay."),
    db: str | None = db_option(),
    fmt: str = typer.Option("table", "--format", help="table hoặc json."),
    jobs: int = typer.Option(
        os.cpu_count() or 1,
        "--jobs",
        "-j",
        help="Số tiến trình kiểm tra song song (kho lớn được kiểm tra theo từng phần địa bàn).",
    ),
    part_size: int = typer.Option(
        PART_SIZE,
        "--part-size",
        min=1,
        help="Số văn bản địa phương tối đa của mỗi phần khi kiểm tra kho lớn theo địa bàn "
        "(trừ khi một địa bàn có nhiều hơn; nhỏ hơn: ít bộ nhớ hơn).",
    ),
) -> None:
    """Chạy các quy tắc rà soát trên kho văn bản và lưu các phát hiện."""
    fmt = _format(fmt)
    rules = list(rule) if rule else None
    if rules:
        unknown = [r for r in rules if r not in REGISTRY]
        if unknown:
            raise VbqpplError(
                f"không có quy tắc: {', '.join(unknown)} (có: {', '.join(sorted(REGISTRY))})"
            )
    when = parse_date(at)
    with opened(db, create=False) as store:
        if document:
            findings = document_findings(store, when, document.strip(), rules=rules)
        else:

            def progress(done: int, total: int) -> None:
                end = "\n" if done == total else ""
                typer.echo(
                    f"\rĐã kiểm tra {done}/{total} phần (theo địa bàn){end}", nl=False, err=True
                )

            findings = check_store(
                store, when, rules, jobs=max(1, jobs), part_size=part_size, progress=progress
            )
        save_and_print(store, findings, None if document else (rules or sorted(REGISTRY)), fmt)


@app.command("sketch")
@friendly
def sketch_cmd(
    db: str | None = db_option(),
    rebuild: bool = typer.Option(
        False,
        "--rebuild",
        help="Tính lại cho mọi văn bản (sau khi đổi tham số trong rules/similarity.yaml).",
    ),
) -> None:
    """Bổ sung dấu vân tay đơn vị (khóa LSH) cho các văn bản đã nạp trước khi kho có chúng, để
    'vbqppl check --document' chỉ đọc các văn bản liên quan; chạy lại được nếu bị dừng."""

    def progress(done: int, total: int) -> None:
        typer.echo(f"\r{done}/{total} văn bản", nl=False, err=True)

    with opened(db, create=False) as store:
        done = backfill(store, progress=progress, rebuild=rebuild)
    verb = "tính lại" if rebuild else "bổ sung"
    typer.echo(("\n" if done else "") + f"Đã {verb} dấu vân tay cho {done} văn bản.")


@app.command("findings")
@friendly
def findings_cmd(
    rule: list[str] = typer.Option(None, "--rule", help="Chỉ liệt kê quy tắc này (lặp lại được)."),
    document: str | None = typer.Option(
        None, "--document", help="Chỉ liệt kê phát hiện liên quan đến văn bản số này."
    ),
    db: str | None = db_option(),
    fmt: str = typer.Option("table", "--format", help="table hoặc json."),
) -> None:
    """Liệt kê các phát hiện đã lưu trong kho (lần chạy vbqppl check gần nhất)."""
    fmt = _format(fmt)
    with opened(db, create=False) as store, store.read() as conn:
        stored = load_findings(conn, rules=rule or None, document=document)
    _print([s.finding for s in stored], fmt)
