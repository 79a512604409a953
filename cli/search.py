"""``vbqppl search "..."``: full-text search over the units, without regard to diacritics."""

from __future__ import annotations

import json

import typer

from vbqppl.describe import describe_unit
from vbqppl.store.db import opened
from vbqppl.store.search import search
from vbqppl.store.validity import corpus_validity, document_report, vn_date
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import at_option, db_option, parse_date


@app.command("search")
@friendly
def search_cmd(
    query: str = typer.Argument(..., help='Từ cần tìm, có dấu hay không đều được ("thu tuc").'),
    limit: int = typer.Option(20, "--limit", "-n", help="Số kết quả tối đa."),
    at: str | None = at_option("Ngày xét tình trạng hiệu lực; mặc định hôm nay."),
    db: str | None = db_option(),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
) -> None:
    """Tìm toàn văn trong các điều khoản; kết quả kèm văn bản và tình trạng hiệu lực."""
    when = parse_date(at)
    with opened(db, create=False) as store, store.read() as conn:
        hits, mode = search(conn, query, limit=max(1, limit))
        ids = sorted({h.document_id for h in hits})
        docs, validity = corpus_validity(conn, when, ids)
        unit_status = {}
        for doc_id in ids:
            report = document_report(conn, doc_id, when)
            for h in hits:
                if h.document_id == doc_id and h.unit_id:
                    unit_status[(doc_id, h.unit_id)] = report.units.get(h.unit_id)
    rows = []
    for h in hits:
        d = docs[h.document_id]
        uv = unit_status.get((h.document_id, h.unit_id or ""))
        rows.append(
            {
                "document_id": d.id,
                "number": d.number,
                "type": d.type,
                "title": d.title,
                "unit": h.unit_id,
                "unit_label": describe_unit(h.unit_id) if h.unit_id else "ngoài các điều khoản",
                "status": str(validity[d.id].status),
                "unit_status": str(uv.status) if uv else None,
                "span": [h.start, h.end],
                "snippet": h.snippet,
            }
        )
    if as_json:
        typer.echo(
            json.dumps(
                {"query": query, "match": mode, "at": when, "hits": rows},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not rows:
        typer.echo(f"Không tìm thấy: {query}")
        return
    how = "cụm từ liền nhau" if mode == "phrase" else "đủ các từ (không liền nhau)"
    typer.echo(f"{len(rows)} kết quả cho “{query}” ({how}; tình trạng ngày {vn_date(when)}):")
    for i, r in enumerate(rows, 1):
        status = r["status"]
        if r["unit_status"] and r["unit_status"] != status:
            status = f"{status}; đơn vị: {r['unit_status']}"
        typer.echo(
            f"{i}. {r['type'] or 'Văn bản'} {r['number'] or '#' + str(r['document_id'])} · {r['unit_label']} · {status}"
        )
        typer.echo(f"   {r['snippet']}")
