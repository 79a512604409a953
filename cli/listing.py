"""``vbqppl list --status ... --issuer ... --type ...``: the stored documents and their status."""

from __future__ import annotations

import json

import typer

from vbqppl.errors import VbqpplError
from vbqppl.store.db import opened
from vbqppl.store.fold import name_key
from vbqppl.store.validity import Status, corpus_validity, vn_date
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import at_option, db_option, parse_date

_STATUS_HELP = (
    "Lọc theo tình trạng: " + "; ".join(s.value for s in Status) + " (có dấu hay không đều được)."
)


def match_status(value: str) -> Status:
    """ "het hieu luc mot phan", "hết-hiệu-lực-một-phần" or the label itself."""
    key = name_key(value)
    for s in Status:
        if name_key(s.value) == key:
            return s
    raise VbqpplError(
        f"không có tình trạng {value!r}; chọn một trong: " + ", ".join(s.value for s in Status)
    )


@app.command("list")
@friendly
def list_cmd(
    status: str | None = typer.Option(None, "--status", "-s", help=_STATUS_HELP),
    issuer: str | None = typer.Option(
        None, "--issuer", help="Lọc theo cơ quan ban hành (một phần tên)."
    ),
    doc_type: str | None = typer.Option(
        None, "--type", "-t", help="Lọc theo loại văn bản (Luật, Nghị định, Quyết định...)."
    ),
    at: str | None = at_option(),
    db: str | None = db_option(),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
) -> None:
    """Danh mục văn bản trong kho với tình trạng hiệu lực, lọc theo tình trạng, cơ quan, loại."""
    when = parse_date(at)
    wanted = match_status(status) if status else None
    issuer_key = name_key(issuer)
    type_key = name_key(doc_type)
    with opened(db, create=False) as store, store.read() as conn:
        docs, validity = corpus_validity(conn, when)
    rows = []
    for doc_id, d in docs.items():
        v = validity[doc_id]
        if wanted is not None and v.status is not wanted:
            continue
        if issuer_key and issuer_key not in (name_key(d.issuer) or ""):
            continue
        if type_key and name_key(d.type) != type_key:
            continue
        rows.append((d, v))
    rows.sort(key=lambda x: (x[0].issued or "", x[0].number or ""))
    if as_json:
        payload = [
            {
                "id": d.id,
                "number": d.number,
                "type": d.type,
                "issuer": d.issuer,
                "issued": d.issued,
                "title": d.title,
                "status": str(v.status),
                "since": v.since,
                "reason": v.reason(),
            }
            for d, v in rows
        ]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for d, v in rows:
        title = (d.title or "")[:70] + ("…" if d.title and len(d.title) > 70 else "")
        typer.echo(
            f"{d.number or f'#{d.id}':24} {d.type or '?':15} {vn_date(d.issued) if d.issued else '?':10}  "
            f"{v.status.value:22} {title}"
        )
    typer.echo(f"\n{len(rows)} văn bản (tình trạng ngày {vn_date(when)}).")
