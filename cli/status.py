"""``vbqppl status NUMBER [--at DATE]``: is a document (and each unit) in force, and why."""

from __future__ import annotations

import json
from typing import Any

import typer

from vbqppl.describe import describe_unit
from vbqppl.store.db import opened
from vbqppl.store.validity import DocumentReport, Status, Validity, document_report, vn_date
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import at_option, db_option, documents_named, parse_date

_WORDING = 300  # characters of an amended unit's wording in force shown in the text report


@app.command("status")
@friendly
def status_cmd(
    number: str = typer.Argument(..., help="Số ký hiệu, ví dụ 12/2024/QĐ-UBND (hoặc #id)."),
    at: str | None = at_option(),
    db: str | None = db_option(),
    all_units: bool = typer.Option(
        False, "--all-units", help="In tình trạng của mọi đơn vị, không chỉ đơn vị bị tác động."
    ),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
) -> None:
    """Tình trạng hiệu lực của văn bản và từng điều khoản tại một ngày, kèm lý do."""
    when = parse_date(at)
    with opened(db, create=False) as store:
        records = documents_named(store, number)
        with store.read() as conn:
            reports = [document_report(conn, d.id, when) for d in records]
    if as_json:
        payload = [report_json(r, when, all_units) for r in reports]
        typer.echo(
            json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2)
        )
        return
    typer.echo("\n\n".join(report_text(r, when, all_units) for r in reports))


def _effects_json(v: Validity) -> list[dict[str, Any]]:
    return [
        {
            "relation": e.type,
            "by": e.by_label,
            "by_id": e.by_document,
            "unit": e.unit,
            "date": e.date,
        }
        for e in v.effects
    ]


def _shown_units(r: DocumentReport, all_units: bool) -> dict[str, Validity]:
    if all_units:
        return r.units
    return {
        u: v
        for u, v in r.units.items()
        if not v.inherited
        and (
            v.status in (Status.EXPIRED, Status.SUSPENDED)
            or (v.status is Status.IN_FORCE and v.effects)  # in force in an amended wording
        )
    }


def report_json(r: DocumentReport, at: str, all_units: bool) -> dict[str, Any]:
    d = r.document
    return {
        "id": d.id,
        "number": d.number,
        "type": d.type,
        "title": d.title,
        "issuer": d.issuer,
        "issued": d.issued,
        "effective": r.validity.start,
        "at": at,
        "status": str(r.validity.status),
        "since": r.validity.since,
        "reason": r.validity.reason(limit=10**6),
        "effects": _effects_json(r.validity),
        "units": {
            u: {
                "status": str(v.status),
                "since": v.since,
                "reason": v.reason(),
                "effects": _effects_json(v),
                **({"wording": r.wording[u]} if u in r.wording else {}),
            }
            for u, v in _shown_units(r, all_units).items()
        },
        "not_applied": list(r.not_applied),
    }


def report_text(r: DocumentReport, at: str, all_units: bool) -> str:
    d, v = r.document, r.validity
    lines = [f"{d.label}" + (f" — {d.title}" if d.title else "")]
    facts = []
    if d.issuer:
        facts.append(f"cơ quan ban hành: {d.issuer}")
    if d.issued:
        facts.append(f"ngày ban hành {vn_date(d.issued)}")
    facts.append(f"có hiệu lực từ {vn_date(v.start)}" if v.start else "không rõ ngày có hiệu lực")
    lines.append("  " + "; ".join(facts))
    since = f" (từ {vn_date(v.since)})" if v.since and v.effects else ""
    lines.append(f"  Tình trạng ngày {vn_date(at)}: {v.status}{since}")
    lines.append(f"  Lý do: {v.reason()}")
    acting = list(dict.fromkeys(e.by_label for e in v.effects))
    if acting:
        lines.append("  Văn bản tác động: " + ", ".join(acting))
    shown = _shown_units(r, all_units)
    if shown:
        title = "Tình trạng các đơn vị" if all_units else "Đơn vị bị tác động"
        lines.append(f"  {title} ({len(shown)}):")
        for uid, uv in shown.items():
            lines.append(f"    - {describe_unit(uid)} [{uid}]: {uv.status} — {uv.reason()}")
            if uid in r.wording and uv.status is Status.IN_FORCE:
                words = " ".join(r.wording[uid].split())
                cut = words if len(words) <= _WORDING else words[: _WORDING - 1] + "…"
                lines.append(f"      Nội dung đang có hiệu lực: “{cut}”")
    if r.not_applied:
        lines.append(f"  Nội dung sửa đổi không áp dụng được ({len(r.not_applied)}):")
        lines += [f"    - {m}" for m in r.not_applied]
    return "\n".join(lines)
