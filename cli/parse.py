"""``vbqppl parse FILE... --format json|jsonl|tree|text|akn``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from vbqppl.akn import to_akn_bytes
from vbqppl.errors import VbqpplError
from vbqppl.model import Document
from vbqppl.outline import outline
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl_cli.app import app, friendly


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    tree = "tree"
    text = "text"
    akn = "akn"


@app.command("parse")
@friendly
def parse_cmd(
    files: list[Path] = typer.Argument(
        ...,
        help="Tệp văn bản (.txt .md .docx .doc .html .pdf).",
        readable=False,  # the reader says why in Vietnamese, not Click in English
    ),
    fmt: Format = typer.Option(
        Format.json, "--format", "-f", help="json | jsonl | tree | text | akn"
    ),
    jsonl: bool = typer.Option(False, "--jsonl", help="Mỗi văn bản một dòng JSON."),
    text: bool = typer.Option(
        False, "--text", help="In văn bản đã làm sạch (văn bản mà span trỏ vào)."
    ),
) -> None:
    """Tách một hoặc nhiều văn bản thành siêu dữ liệu và cây điều khoản."""
    if jsonl:
        fmt = Format.jsonl
    if text:
        fmt = Format.text
    if fmt is Format.akn and len(files) > 1:
        typer.echo(
            "Lỗi: --format akn in một văn bản mỗi lần (mỗi văn bản là một tệp XML)", err=True
        )
        raise typer.Exit(2)
    docs: list[Document] = []
    failed: list[VbqpplError] = []
    for path in files:
        try:
            docs.append(parse_document(read_file(path), path=str(path)))
        except VbqpplError as err:
            if len(files) == 1:
                raise
            typer.echo(f"Lỗi: {err}", err=True)  # the other files are still parsed
            failed.append(err)
    if not docs:
        raise typer.Exit(max(e.exit_code for e in failed))
    if fmt is Format.json:
        payload = docs[0].to_json() if len(docs) == 1 else [d.to_json() for d in docs]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif fmt is Format.jsonl:
        for d in docs:
            typer.echo(json.dumps(d.to_json(), ensure_ascii=False))
    elif fmt is Format.akn:
        typer.echo(to_akn_bytes(docs[0]).decode("utf-8"))
    elif fmt is Format.tree:
        typer.echo("\n\n".join(outline(d) for d in docs))
    else:
        typer.echo("\n".join(d.text for d in docs), nl=False)
    if failed:
        typer.echo(
            f"Đã tách {len(docs)}/{len(files)} tệp; {len(failed)} tệp không đọc được (xem trên).",
            err=True,
        )
        raise typer.Exit(max(e.exit_code for e in failed))
