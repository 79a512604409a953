"""``vbqppl import akn FILE... [--db]`` and ``vbqppl export akn NUMBER... --out DIR``: Akoma
Ntoso 3.0 in (from vbqppl or another tool; printed, or saved into the store) and out of the store
(with what other stored documents did to each one, as passive modifications, and its status).

Typer groups named ``import`` and ``export`` (the Python names avoid the keyword).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from vbqppl.akn import from_akn, validate
from vbqppl.akn.export import passive_relations, to_akn_bytes
from vbqppl.akn.safe import MAX_BYTES, parse_xml
from vbqppl.errors import ReadError, UnsafeInputError, VbqpplError
from vbqppl.model import Document
from vbqppl.read import os_error_message
from vbqppl.store.catalog import load_links
from vbqppl.store.db import opened
from vbqppl.store.documents import delete_documents, find_documents, load_document, save_document
from vbqppl.store.validity import document_report
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import at_option, db_option, documents_named, parse_date

import_app = typer.Typer(
    name="import",
    help="Nhập văn bản từ định dạng trao đổi (Akoma Ntoso 3.0).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")
export_app = typer.Typer(
    name="export",
    help="Xuất văn bản trong kho ra định dạng trao đổi (Akoma Ntoso 3.0).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnsafeInputError(f"{path}: tệp quá lớn (tối đa {MAX_BYTES} byte)")
        return path.read_bytes()
    except OSError as err:
        raise ReadError(os_error_message(err, str(path))) from None


@import_app.command("akn")
@friendly
def import_akn_cmd(
    files: list[Path] = typer.Argument(..., help="Tệp Akoma Ntoso (.xml, .akn).", readable=False),
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json | jsonl"),
    check: bool = typer.Option(
        True, "--validate/--no-validate", help="Kiểm tra theo lược đồ Akoma Ntoso 3.0 (OASIS)."
    ),
    db: str | None = typer.Option(
        None, "--db", help="Lưu vào kho này (mỗi văn bản một giao dịch) thay vì in JSON."
    ),
    replace_existing: bool = typer.Option(
        False, "--replace", help="Thay văn bản cùng số ký hiệu đã có trong kho (mặc định: từ chối)."
    ),
) -> None:
    """Đọc tệp Akoma Ntoso 3.0 thành văn bản (JSON như vbqppl parse); cảnh báo nếu sai lược đồ."""
    docs: list[Document] = []
    for path in files:
        data = _read(path)
        try:
            doc = from_akn(data)
        except ReadError as err:
            raise type(err)(f"{path}: {err}") from None
        docs.append(doc)
        if check:
            errors = validate(parse_xml(data))
            if errors:
                typer.echo(
                    f"Cảnh báo: {path} không đúng lược đồ Akoma Ntoso 3.0 "
                    f"({len(errors)} lỗi; đầu tiên: {errors[0]})",
                    err=True,
                )
    if db is not None:
        with opened(db) as store:
            for d in docs:
                with store.begin() as conn:  # one transaction per document
                    same = find_documents(conn, d.metadata.number) if d.metadata.number else []
                    if same and not replace_existing:
                        raise VbqpplError(
                            f"kho đã có văn bản số {d.metadata.number}: dùng --replace để thay "
                            "(không ghi đè ngầm)"
                        )
                    delete_documents(conn, same)
                    save_document(conn, d)
        typer.echo(f"Đã lưu {len(docs)} văn bản vào kho {store.name}.")
        return
    if fmt is Format.jsonl:
        for d in docs:
            typer.echo(json.dumps(d.to_json(), ensure_ascii=False))
        return
    payload = docs[0].to_json() if len(docs) == 1 else [d.to_json() for d in docs]
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@export_app.command("akn")
@friendly
def export_akn_cmd(
    numbers: list[str] = typer.Argument(..., help="Số ký hiệu (hoặc #id) của văn bản trong kho."),
    out: Path = typer.Option(..., "--out", "-o", help="Thư mục ghi các tệp .xml."),
    at: str | None = at_option(),
    db: str | None = db_option(),
) -> None:
    """Xuất văn bản trong kho ra Akoma Ntoso 3.0, kèm các sửa đổi mà văn bản khác đã thực hiện."""
    when = parse_date(at)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with opened(db, create=False) as store:
        for number in numbers:
            for record in documents_named(store, number):
                with store.read() as conn:
                    doc = load_document(conn, record.id)
                    if doc is None:
                        continue
                    acting = {
                        link.document_id
                        for link in load_links(conn, "relation", touching=[record.id])
                        if link.resolved_document_id == record.id
                    }
                    others = [o for i in sorted(acting) if (o := load_document(conn, i))]
                    status = document_report(conn, record.id, when).validity.status.value
                data = to_akn_bytes(doc, passive=passive_relations(doc, others), status=status)
                name = (doc.metadata.number or f"van-ban-{record.id}").replace("/", "-")
                if record.alias is not None:  # another stored document has its number
                    name += f"-{record.id}"
                path = out / f"{name}.xml"
                path.write_bytes(data)
                written.append(path)
    typer.echo(f"Đã ghi {len(written)} tệp Akoma Ntoso vào {out}.")
