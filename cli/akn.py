"""``vbqppl import akn FILE...``: Akoma Ntoso 3.0 files (from vbqppl or another tool) in.

A Typer group named ``import`` (the Python names avoid the keyword), so that ``vbqppl export akn``
can join it when the store is there.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from vbqppl.akn import from_akn, validate
from vbqppl.akn.safe import MAX_BYTES, parse_xml
from vbqppl.errors import ReadError, UnsafeInputError
from vbqppl.model import Document
from vbqppl_cli.app import app, friendly

import_app = typer.Typer(
    name="import",
    help="Nhập văn bản từ định dạng trao đổi (Akoma Ntoso 3.0).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnsafeInputError(f"{path}: tệp quá lớn (tối đa {MAX_BYTES} byte)")
        return path.read_bytes()
    except OSError as err:
        raise ReadError(f"không đọc được tệp {path}: {err.strerror or err}") from None


@import_app.command("akn")
@friendly
def import_akn_cmd(
    files: list[Path] = typer.Argument(..., help="Tệp Akoma Ntoso (.xml, .akn)."),
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json | jsonl"),
    check: bool = typer.Option(
        True, "--validate/--no-validate", help="Kiểm tra theo lược đồ Akoma Ntoso 3.0 (OASIS)."
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
    if fmt is Format.jsonl:
        for d in docs:
            typer.echo(json.dumps(d.to_json(), ensure_ascii=False))
        return
    payload = docs[0].to_json() if len(docs) == 1 else [d.to_json() for d in docs]
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
