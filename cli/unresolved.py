"""``vbqppl unresolved``: citations and relations the corpus could not resolve."""

from __future__ import annotations

import json
from collections import defaultdict

import typer

from vbqppl.describe import describe_unit
from vbqppl.store.catalog import LinkRecord, load_documents, load_links
from vbqppl.store.db import opened
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import db_option

WHY = {
    "document": "không có văn bản này trong kho",
    "unit": "văn bản có trong kho nhưng không có đơn vị này",
}


@app.command("unresolved")
@friendly
def unresolved_cmd(
    db: str | None = db_option(),
    kind: str = typer.Option("all", "--kind", help="all | citations | relations"),
    limit: int = typer.Option(50, "--limit", "-n", help="Số đích in ra (0: tất cả)."),
    as_json: bool = typer.Option(False, "--json", help="In từng trích dẫn, quan hệ dạng JSON."),
) -> None:
    """Các trích dẫn và quan hệ chưa liên kết được với văn bản, điều khoản trong kho."""
    kinds = {
        "all": ("citation", "relation"),
        "citations": ("citation",),
        "relations": ("relation",),
    }
    if kind not in kinds:
        raise typer.BadParameter("chọn all, citations hoặc relations", param_hint="--kind")
    with opened(db, create=False) as store, store.read() as conn:
        docs = load_documents(conn)
        links = [link for k in kinds[kind] for link in load_links(conn, k) if link.unresolved]
    if as_json:
        payload = [
            {
                "kind": link.kind,
                "type": link.type,
                "from_document": docs[link.document_id].number,
                "from_document_id": link.document_id,
                "from_unit": link.from_unit,
                "target": {
                    "number": link.target_number,
                    "name": link.target_name,
                    "date": link.target_date,
                    "unit": link.target_unit,
                },
                "resolved_document_id": link.resolved_document_id,
                "unresolved": link.unresolved,
                "text": link.text,
            }
            for link in links
        ]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    groups: dict[tuple[str, str, str | None], list[LinkRecord]] = defaultdict(list)
    for link in links:
        unit = link.target_unit if link.unresolved == "unit" else None
        groups[(link.unresolved or "document", link.target_label, unit)].append(link)
    n_cit = sum(1 for link in links if link.kind == "citation")
    typer.echo(
        f"Chưa liên kết được: {n_cit} trích dẫn, {len(links) - n_cit} quan hệ, {len(groups)} đích khác nhau."
    )
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0][1]))
    for (why, target, unit), items in ordered[: limit or None]:
        citing = list(dict.fromkeys(docs[i.document_id].label for i in items))
        where = f" {describe_unit(unit)}" if unit else ""
        more = f" và {len(citing) - 3} văn bản khác" if len(citing) > 3 else ""
        typer.echo(
            f"- {target}{where} — {WHY[why]} — {len(items)} lần ({', '.join(citing[:3])}{more})"
        )
    if limit and len(ordered) > limit:
        typer.echo(f"... còn {len(ordered) - limit} đích nữa (--limit 0 để in tất cả).")
