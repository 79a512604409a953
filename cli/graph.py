"""``vbqppl graph export|show``: the citation and amendment graph of the store."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from vbqppl.describe import describe_unit
from vbqppl.errors import VbqpplError
from vbqppl.store.db import opened
from vbqppl.store.graph import FORMATS, Neighbour, document_graph, export, load_graph, neighbourhood
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import db_option, documents_named

graph_app = typer.Typer(
    help="Đồ thị trích dẫn và sửa đổi, thay thế, bãi bỏ giữa các văn bản, điều khoản.",
    no_args_is_help=True,
)
app.add_typer(graph_app, name="graph")

_VERBS = {
    "cites": "viện dẫn",
    "bases-on": "căn cứ",
    "amends": "sửa đổi, bổ sung",
    "replaces": "thay thế",
    "repeals": "bãi bỏ",
    "suspends": "ngưng hiệu lực",
    "expires": "chấm dứt hiệu lực",
    "corrects": "đính chính",
    "guides": "hướng dẫn",
    "consolidates": "hợp nhất",
}


@graph_app.command("export")
@friendly
def export_cmd(
    fmt: str = typer.Option("graphml", "--format", "-f", help="graphml | gexf | json"),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Tệp ghi ra (mặc định: in ra màn hình)."
    ),
    no_units: bool = typer.Option(
        False, "--no-units", help="Chỉ văn bản, không có nút điều khoản."
    ),
    db: str | None = db_option(),
) -> None:
    """Xuất đồ thị của cả kho ra GraphML, GEXF hoặc JSON."""
    if fmt not in FORMATS:
        raise VbqpplError(f"định dạng {fmt!r} không hỗ trợ; chọn graphml, gexf hoặc json")
    with opened(db, create=False) as store, store.read() as conn:
        g = load_graph(conn, with_units=not no_units)
    data = export(g, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            output.write_bytes(data)
        except OSError as err:
            raise VbqpplError(f"không ghi được tệp {output}: {err.strerror or err}") from err
        typer.echo(
            f"Đã ghi {output}: {g.number_of_nodes()} nút, {g.number_of_edges()} cạnh.", err=True
        )


def _line(n: Neighbour, outgoing: bool) -> str:
    verb = _VERBS.get(n.type, n.type)
    here = f"{describe_unit(n.here_unit)}: " if n.here_unit else ""
    there = f" {describe_unit(n.there_unit)}" if n.there_unit else ""
    when = f" (từ {n.effective})" if n.effective else ""
    if outgoing:
        return f"  - {here}{verb}{there} {n.other_label}{when}"
    return f"  - {n.other_label}{there and ' (' + there.strip() + ')'} {verb} {here.rstrip(': ') or 'văn bản này'}{when}"


@graph_app.command("show")
@friendly
def show_cmd(
    number: str = typer.Argument(..., help="Số ký hiệu (hoặc #id)."),
    db: str | None = db_option(),
) -> None:
    """Văn bản viện dẫn gì, được gì viện dẫn, bị văn bản nào thay đổi, đã thay đổi văn bản nào."""
    with opened(db, create=False) as store:
        records = documents_named(store, number)
        with store.read() as conn:
            g = document_graph(conn, [d.id for d in records])
    blocks = []
    for d in records:
        hood = neighbourhood(g, d.id)
        lines = [f"{d.label}" + (f" — {d.title}" if d.title else "")]
        for title, items, outgoing in (
            ("Viện dẫn, căn cứ", hood.cites, True),
            ("Được viện dẫn bởi", hood.cited_by, False),
            ("Bị thay đổi bởi", hood.changed_by, False),
            ("Thay đổi văn bản khác", hood.changes, True),
        ):
            lines.append(f"{title} ({len(items)}):" if items else f"{title}: không có")
            lines.extend(_line(n, outgoing) for n in items)
        blocks.append("\n".join(lines))
    typer.echo("\n\n".join(blocks))
