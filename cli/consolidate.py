"""``vbqppl consolidate FILE --with AMENDING... [--at DATE] [--format text|json|docx]``.

Two steps: get the documents (:func:`documents_from_files`), then consolidate and print
(:func:`emit`). The store version (``vbqppl consolidate NUMBER [--db]``) swaps the first step for
one that loads the base document by its number and the documents whose relations amend it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from vbqppl.amend import same_number
from vbqppl.consolidate import Consolidated, consolidate
from vbqppl.errors import VbqpplError
from vbqppl.ids import DocNumber
from vbqppl.model import Document
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl.vbhn import render_docx, render_text
from vbqppl_cli.app import app, friendly


class Format(StrEnum):
    text = "text"
    json = "json"
    docx = "docx"


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_date(value: str) -> date:
    """ "2025-05-20" or "20/5/2025"."""
    try:
        m = _DMY.fullmatch(value.strip())
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date.fromisoformat(value.strip())
    except ValueError:
        raise VbqpplError(
            f"ngày không hợp lệ: {value!r} (dùng dạng 2025-05-20 hoặc 20/5/2025)"
        ) from None


def documents_from_store(number: str, db: str | None) -> tuple[Document, list[Document]]:
    """The base document by its number, and the stored documents whose relations act on it."""
    from vbqppl.inforce import one_copy
    from vbqppl.store.catalog import load_links
    from vbqppl.store.db import opened
    from vbqppl.store.documents import load_document
    from vbqppl_cli.options import documents_named

    with opened(db, create=False) as store:
        records = documents_named(store, number)
        if len(records) > 1:
            raise VbqpplError(
                f"kho có {len(records)} văn bản số {number}: chọn một bằng #id "
                f"({', '.join('#' + str(r.id) for r in records)})"
            )
        with store.read() as conn:
            base = load_document(conn, records[0].id)
            acting = sorted(
                {
                    link.document_id
                    for link in load_links(conn, "relation", touching=[records[0].id])
                    if link.resolved_document_id == records[0].id
                }
            )
            loaded = {i: d for i in acting if (d := load_document(conn, i)) is not None}
            amending = list(one_copy(loaded).values())  # one copy of a text stored twice
    if base is None:
        raise VbqpplError(f"không đọc được văn bản số {number} trong kho")
    return base, amending


def documents_from_files(source: str, amending: list[Path]) -> tuple[Document, list[Document]]:
    """The base document and the amending ones, read from files."""
    path = Path(source)
    if not path.exists() and DocNumber.try_parse(source) is not None:
        raise VbqpplError(
            f"không có tệp {source}: để tra theo số ký hiệu trong kho, không dùng --with "
            "(vbqppl consolidate SỐ --db KHO)"
        )
    base = parse_document(read_file(path), path=str(path))
    docs = [parse_document(read_file(p), path=str(p)) for p in amending]
    number = base.metadata.number
    for d in docs:
        if not any(same_number(r.target.number, number) for r in d.relations):
            typer.echo(
                f"Cảnh báo: {d.metadata.number or d.source.path} không nêu sửa đổi "
                f"văn bản {number or base.source.path}.",
                err=True,
            )
    return base, docs


def emit(result: Consolidated, fmt: Format, output: Path | None, default_name: str) -> None:
    if fmt is Format.docx:
        target = output or Path(default_name)
        target.write_bytes(render_docx(result))
        typer.echo(f"Đã ghi văn bản hợp nhất: {target}", err=True)
        return
    if fmt is Format.json:
        payload = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        payload = render_text(result)
    if output is not None:
        output.write_text(payload, encoding="utf-8")
        typer.echo(f"Đã ghi văn bản hợp nhất: {output}", err=True)
    else:
        typer.echo(payload, nl=False)


@app.command("consolidate")
@friendly
def consolidate_cmd(
    source: str = typer.Argument(
        ..., help="Tệp văn bản gốc (.txt .md .docx .doc .html .pdf), hoặc số ký hiệu trong kho."
    ),
    more: list[Path] = typer.Argument(None, help="Thêm tệp văn bản sửa đổi (sau --with)."),
    with_: list[Path] = typer.Option(
        [], "--with", "-w", help="Tệp văn bản sửa đổi, bổ sung văn bản gốc (lặp lại được)."
    ),
    at: str | None = typer.Option(
        None, "--at", help="Hợp nhất tại ngày (2025-05-20 hoặc 20/5/2025); mặc định: mọi sửa đổi."
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text | json | docx"),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Ghi ra tệp (docx: mặc định <tên tệp gốc>-hop-nhat.docx)."
    ),
    db: str | None = typer.Option(
        None, "--db", help="Kho văn bản (khi SOURCE là số ký hiệu; mặc định VBQPPL_DB, vbqppl.db)."
    ),
) -> None:
    """Hợp nhất văn bản gốc với các văn bản sửa đổi, bổ sung, tại một ngày, có chú thích nguồn."""
    when = parse_date(at) if at else None
    files = [*with_, *(more or [])]
    if not files and not Path(source).exists() and DocNumber.try_parse(source) is not None:
        base, amending = documents_from_store(source, db)  # the amending documents it stores
        stem = source.replace("/", "-")
    else:
        base, amending = documents_from_files(source, files)
        stem = Path(source).stem
    result = consolidate(base, amending, when)
    emit(result, fmt, output, f"{stem}-hop-nhat.docx")
