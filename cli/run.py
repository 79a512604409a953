"""``vbqppl run FOLDER --out DIR``: the whole job in one command. Ingest the folder, import the
procedure register found in it, run the checks, check the procedures' legal bases, update the
review queue, write every report and the TTHC publication lists, and say what came of it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vbqppl.checks.partition import check_store
from vbqppl.checks.registry import REGISTRY
from vbqppl.errors import ReadError, VbqpplError
from vbqppl.procedures import (
    basis_findings,
    changing_documents,
    load_register,
    read_register,
    save_basis_findings,
    save_register,
)
from vbqppl.procedures.publish import ABOLISHED, CHANGED, NEW, publication_for
from vbqppl.procedures.writers import write_publication
from vbqppl.report import Scope, write_reports
from vbqppl.report.data import ReviewState
from vbqppl.report.review import collect_review
from vbqppl.review.queue import SyncReport, after_ingest, open_for_findings
from vbqppl.store.db import Store, opened
from vbqppl.store.findings import save_findings
from vbqppl.store.ingest import IngestReport, ingest
from vbqppl.store.validity import vn_date
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import at_option, parse_date
from vbqppl_cli.report import NAMES, build

REGISTER_SUFFIXES = (".csv", ".xlsx")
STAGES = 5  # after the files: register, checks, procedures, review queue, reports


def find_registers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in REGISTER_SUFFIXES)


@app.command("run")
@friendly
def run_cmd(
    folder: Path = typer.Argument(
        ..., help="Thư mục văn bản (và danh mục TTHC .csv/.xlsx nếu có)."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Thư mục ghi báo cáo."),
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="VBQPPL_DB",
        help="Kho dữ liệu (mặc định: OUT/vbqppl.db; hoặc postgresql://...).",
        show_default=False,
    ),
    procedures: Path | None = typer.Option(
        None, "--procedures", help="Danh mục TTHC; mặc định: tệp .csv/.xlsx trong thư mục."
    ),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="Văn bản trùng số ký hiệu thay thế văn bản cũ (mặc định: giữ cả hai).",
    ),
    at: str | None = at_option(),
    jobs: int = typer.Option(
        os.cpu_count() or 1, "--jobs", "-j", help="Số tiến trình song song khi nạp và khi kiểm tra."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Không hiện thanh tiến độ."),
) -> None:
    """Làm trọn một lượt: nạp văn bản, rà soát, cập nhật hàng đợi, lập mọi báo cáo."""
    if not folder.is_dir():
        raise ReadError(f"không có thư mục {folder}")
    when = parse_date(at)
    out.mkdir(parents=True, exist_ok=True)
    registers = [procedures] if procedures else find_registers(folder)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    bar = Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    task = bar.add_task("Nạp văn bản", total=None)
    lines: list[str] = []
    offset = 0

    def step(name: str) -> Callable[[], None]:
        bar.update(task, description=name)
        return lambda: bar.advance(task)

    def progress(_path: str, done: int, total: int) -> None:
        nonlocal offset
        offset = total
        bar.update(task, completed=done, total=total + STAGES)

    with opened(db or str(out / "vbqppl.db")) as store, bar:
        report = ingest(
            store,
            [folder],
            jobs=max(1, jobs),
            on_conflict="replace" if replace else "keep-both",
            progress=progress,
        )
        lines.append(_ingest_line(report))
        queue = after_ingest(store, report)  # Điều 39: documents acted on, and their bases
        done = step("Nhập danh mục TTHC")
        lines += _import_registers(store, registers)
        done()
        done = step("Rà soát (các quy tắc)")
        findings = check_store(store, when, jobs=max(1, jobs))
        with store.begin() as conn:
            saved = save_findings(conn, findings, covered_rules=sorted(REGISTRY))
            from_checks = open_for_findings(conn, findings)
        lines.append(
            f"Rà soát ngày {vn_date(when)}: {len(findings)} vấn đề ({saved.new} mới, "
            f"{saved.seen_again} đã có, {saved.gone} không còn)."
        )
        done()
        done = step("Căn cứ pháp lý của TTHC")
        with store.read() as conn:
            alerts = basis_findings(conn, when)
        with store.begin() as conn:
            save_basis_findings(conn, alerts)
            from_alerts = open_for_findings(conn, alerts)
        lines.append(f"Thủ tục hành chính có căn cứ pháp lý đã thay đổi: {len(alerts)}.")
        done()
        done = step("Hàng đợi rà soát")
        with store.read() as conn:
            state = collect_review(conn)
        lines.append(_queue_line(queue, from_checks, from_alerts, state))
        done()
        done = step("Lập báo cáo")
        data = build(store, Scope(at=when))
        paths = write_reports(data, out)
        pubs = _publications(store, out / "cong-bo-tthc")
        done()
    f = data.figures
    typer.echo("Kết quả:")
    for line in lines:
        typer.echo(f"- {line}")
    typer.echo(
        f"- Văn bản QPPL: {f['documents']} ({f['in_force']} còn hiệu lực, {f['partly_expired']} "
        f"hết hiệu lực một phần, {f['expired']} hết hiệu lực toàn bộ); cần xử lý: {f['to_handle']}."
    )
    typer.echo(f"\nBáo cáo đã ghi vào {out}:")
    for kind, path in paths.items():
        typer.echo(f"- {NAMES.get(kind, kind)}: {path}")
    for line in pubs:
        typer.echo(f"- {line}")
    if report.problems:
        raise typer.Exit(1)


def _queue_line(
    queue: SyncReport | None, checks: SyncReport, alerts: SyncReport, state: ReviewState
) -> str:
    opened = (queue.total_opened if queue else 0) + checks.total_opened + alerts.total_opened
    closed = len(queue.closed) if queue else 0
    counts = ", ".join(f"{n} {s}" for s, n in state.counts if n) or "trống"
    return f"Hàng đợi rà soát: mở {opened} mục, đóng {closed} mục; hiện có {counts}."


def _ingest_line(report: IngestReport) -> str:
    c = report.counts
    bad = c["unreadable"] + c["failed"]
    return (
        f"Nạp {report.files} tệp: {c['stored'] + c['replaced']} văn bản mới, {c['unchanged']} không đổi"
        + (f", {bad} lỗi" if bad else "")
        + "."
    )


def _import_registers(store: Store, registers: list[Path]) -> list[str]:
    lines = []
    for path in registers:
        try:
            procs = read_register(path)
        except ReadError as e:
            if registers == [path] and path.suffix.lower() not in REGISTER_SUFFIXES:
                raise
            lines.append(f"Bỏ qua {path.name}: {e}")
            continue
        with store.begin() as conn:
            r = save_register(conn, procs, source=str(path))
        lines.append(
            f"Danh mục TTHC {path.name}: {len(procs)} thủ tục ({r.new} mới, {r.updated} cập nhật)."
        )
    return lines


def _publications(store: Store, out: Path) -> list[str]:
    lines = []
    with store.read() as conn:
        register = load_register(conn)
        pubs = [publication_for(conn, d, register) for d in changing_documents(conn)]
    for pub in pubs:
        paths = write_publication(pub, out)
        n = {k: len(pub.section(k)) for k in (NEW, CHANGED, ABOLISHED)}
        lines.append(
            f"danh mục TTHC công bố theo {pub.document.label} (A: {n[NEW]}, B: {n[CHANGED]}, "
            f"C: {n[ABOLISHED]}): {paths['docx']}, {paths['xlsx']}"
        )
    if not pubs:
        lines.append("không có văn bản nào làm thay đổi thủ tục hành chính đã nhập.")
    return lines


__all__ = ["VbqpplError", "find_registers", "run_cmd"]
