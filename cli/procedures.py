"""``vbqppl procedures ...``: the register of administrative procedures (thủ tục hành chính):
import it, list it, check its legal bases, and draft the publication list for a document."""

from __future__ import annotations

from pathlib import Path

import typer

from vbqppl.procedures import (
    basis_findings,
    load_register,
    read_register,
    save_basis_findings,
    save_register,
)
from vbqppl.procedures.publish import ABOLISHED, CHANGED, NEW, publication_for
from vbqppl.procedures.writers import write_publication
from vbqppl.store.db import opened
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import at_option, db_option, documents_named, parse_date

procedures_app = typer.Typer(
    help="Thủ tục hành chính: nhập danh mục, kiểm tra căn cứ pháp lý, lập danh mục công bố.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(procedures_app, name="procedures")


@procedures_app.command("import")
@friendly
def import_cmd(
    path: Path = typer.Argument(..., help="Tệp .csv hoặc .xlsx xuất từ CSDL quốc gia về TTHC."),
    db: str | None = db_option(),
) -> None:
    """Nhập danh mục thủ tục hành chính (mã, tên, lĩnh vực, cấp, cơ quan, căn cứ pháp lý)."""
    procs = read_register(path)
    with opened(db) as store, store.begin() as conn:
        report = save_register(conn, procs, source=str(path))
    linked = sum(1 for p in procs if p.bases)
    typer.echo(
        f"Đã nhập {len(procs)} thủ tục từ {path.name}: {report.new} mới, {report.updated} cập nhật; "
        f"{linked} thủ tục có căn cứ pháp lý nêu được số văn bản."
    )


@procedures_app.command("list")
@friendly
def list_cmd(db: str | None = db_option()) -> None:
    """Liệt kê các thủ tục đã nhập và căn cứ pháp lý của từng thủ tục."""
    with opened(db, create=False) as store, store.read() as conn:
        procs = load_register(conn)
    for p in procs:
        typer.echo(f"- {p.code or '(chưa có mã)'} {p.name} [{p.level or '?'}; {p.field or '?'}]")
        for b in p.bases:
            typer.echo(f"    căn cứ: {b.text}" + (f" ({b.unit})" if b.unit else ""))
    typer.echo(f"Tổng cộng {len(procs)} thủ tục.")


@procedures_app.command("check")
@friendly
def check_cmd(at: str | None = at_option(), db: str | None = db_option()) -> None:
    """Cảnh báo thủ tục có căn cứ pháp lý đã hết hiệu lực, bị thay thế, bãi bỏ hoặc sửa đổi."""
    when = parse_date(at)
    with opened(db, create=False) as store:
        with store.read() as conn:
            found = basis_findings(conn, when)
        with store.begin() as conn:
            save_basis_findings(conn, found)
    for f in found:
        typer.echo(f"- [{f.severity}] {f.explanation}")
    typer.echo(f"Tổng cộng {len(found)} cảnh báo về căn cứ pháp lý của thủ tục hành chính.")


@procedures_app.command("publish")
@friendly
def publish_cmd(
    number: str = typer.Argument(..., help="Số ký hiệu văn bản (hoặc #id trong kho)."),
    out: Path = typer.Option(Path("."), "--out", "-o", help="Thư mục ghi tệp DOCX và XLSX."),
    db: str | None = db_option(),
) -> None:
    """Lập dự thảo danh mục TTHC công bố (A. mới, B. sửa đổi/thay thế, C. bãi bỏ) cho văn bản."""
    with opened(db, create=False) as store:
        doc = documents_named(store, number)[-1]
        with store.read() as conn:
            pub = publication_for(conn, doc, load_register(conn))
    paths = write_publication(pub, out)
    counts = {k: len(pub.section(k)) for k in (NEW, CHANGED, ABOLISHED)}
    typer.echo(
        f"Danh mục TTHC theo {pub.document.label}: {counts[NEW]} mới ban hành, "
        f"{counts[CHANGED]} sửa đổi, bổ sung hoặc thay thế, {counts[ABOLISHED]} bãi bỏ."
    )
    for kind, path in paths.items():
        typer.echo(f"- {kind.upper()}: {path}")
