"""``vbqppl cite FILE... --format table|json``: citations and relations alone."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from vbqppl.model import Document
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl_cli.app import app, friendly

RELATION_NAMES = {
    "amends": "sửa đổi, bổ sung",
    "replaces": "thay thế",
    "repeals": "bãi bỏ",
    "suspends": "đình chỉ / ngưng hiệu lực",
    "expires": "tuyên bố hết hiệu lực",
    "corrects": "đính chính",
    "guides": "quy định chi tiết / hướng dẫn",
    "consolidates": "hợp nhất",
}
ROLE_NAMES = {"basis": "căn cứ", "reference": "dẫn chiếu"}


class Format(StrEnum):
    table = "table"
    json = "json"


def _cited(number: str | None, name: str | None, self_ref: bool = False) -> str:
    if self_ref or not (number or name):
        return "(văn bản này)"  # "Điều này", "Quy định này", or a bare "Điều 5"
    return number or name or ""


def _one_line(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _tables(doc: Document, console: Console) -> None:
    title = doc.metadata.number or doc.source.path or ""
    rels = Table(title=f"Quan hệ của {title} với văn bản khác ({len(doc.relations)})")
    for col in ("Loại", "Văn bản", "Đơn vị", "Hiệu lực", "Tại", "Câu chữ"):
        rels.add_column(col)
    for r in doc.relations:
        rels.add_row(
            RELATION_NAMES.get(r.type, r.type),
            _cited(r.target.number, r.target.name),
            r.target.unit or "",
            r.effective or "",
            r.from_unit or "",
            _one_line(doc.text[r.span.start : r.span.end]),
        )
    cites = Table(title=f"Trích dẫn trong {title} ({len(doc.citations)})")
    for col in ("Vai trò", "Văn bản", "Đơn vị", "Tại", "Câu chữ"):
        cites.add_column(col)
    for c in doc.citations:
        cites.add_row(
            ROLE_NAMES.get(c.role, c.role),
            _cited(c.target.number, c.target.name, c.target.self_ref and not c.target.number),
            c.target.unit or "",
            c.from_unit or "",
            _one_line(c.text),
        )
    console.print(rels)
    console.print(cites)


@app.command("cite")
@friendly
def cite_cmd(
    files: list[Path] = typer.Argument(
        ...,
        help="Tệp văn bản (.txt .md .docx .doc .html .pdf).",
        readable=False,  # the reader says why in Vietnamese, not Click in English
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table | json"),
) -> None:
    """In các trích dẫn và các quan hệ (sửa đổi, thay thế, bãi bỏ, ...) của văn bản."""
    docs = [parse_document(read_file(path), path=str(path)) for path in files]
    if fmt is Format.json:
        payload = [
            {
                "source": d.source.path,
                "number": d.metadata.number,
                "citations": [c.to_json() for c in d.citations],
                "relations": [r.to_json() for r in d.relations],
            }
            for d in docs
        ]
        out = payload[0] if len(payload) == 1 else payload
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console = Console(width=160)
    for d in docs:
        _tables(d, console)
