"""The register of administrative procedures: read from a CSV or XLSX export with the national
database's columns (mã TTHC, tên, lĩnh vực, cấp thực hiện, cơ quan thực hiện, thời hạn giải
quyết, phí/lệ phí, căn cứ pháp lý), stored, and read back.

Each procedure's "căn cứ pháp lý" is read with the citation finder into the provisions it names
(:func:`parse_basis`): "Điều 6 Quy định ban hành kèm theo Quyết định số 12/2024/QĐ-UBND" is
``12/2024/QĐ-UBND`` unit ``att_1__art_6``.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Connection, delete, select

from vbqppl.citations import scan_citations
from vbqppl.errors import ReadError
from vbqppl.store import schema
from vbqppl.store.db import now
from vbqppl.store.documents import number_key
from vbqppl.store.fold import name_key


@dataclass(frozen=True, slots=True)
class BasisRef:
    """A provision named as a procedure's legal basis (``unit`` None: the whole document)."""

    text: str
    number: str | None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Procedure:
    name: str
    code: str | None = None
    field: str | None = None
    level: str | None = None
    agency: str | None = None
    time_limit: str | None = None
    fees: str | None = None
    legal_basis: str | None = None
    bases: tuple[BasisRef, ...] = ()
    id: int | None = dataclasses.field(default=None, compare=False)

    @property
    def code_or_blank(self) -> str:
        return self.code or ""


# Column headers accepted for each field, as name keys (marks off, words only); the national
# database's export names come first.
HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("ma tthc", "ma thu tuc hanh chinh", "ma thu tuc", "ma so tthc", "ma so", "ma"),
    "name": ("ten tthc", "ten thu tuc hanh chinh", "ten thu tuc", "ten"),
    "field": ("linh vuc",),
    "level": ("cap thuc hien", "cap"),
    "agency": ("co quan thuc hien", "co quan giai quyet"),
    "time_limit": ("thoi han giai quyet", "thoi han"),
    "fees": ("phi le phi", "phi va le phi", "le phi", "phi"),
    "legal_basis": ("can cu phap ly", "can cu"),
}
REQUIRED = ("name",)
MAX_ROWS = 100_000


def _columns(header: Sequence[object]) -> dict[str, int]:
    keys = [name_key(str(h)) if h is not None else None for h in header]
    out: dict[str, int] = {}
    for fld, names in HEADERS.items():
        for wanted in names:
            hit = next(
                (i for i, k in enumerate(keys) if k == wanted and i not in out.values()), None
            )
            if hit is not None:
                out[fld] = hit
                break
    return out


def _rows_of(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                ws = wb.worksheets[0]
                return [
                    list(r)
                    for r, _ in zip(ws.iter_rows(values_only=True), range(MAX_ROWS), strict=False)
                ]
            finally:
                wb.close()
        if suffix in (".csv", ".txt"):
            text = path.read_bytes().decode("utf-8-sig")
            dialect: type[csv.Dialect] | csv.Dialect = csv.excel
            with contextlib.suppress(csv.Error):
                dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            return [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    except FileNotFoundError:
        raise ReadError(f"không tìm thấy tệp danh mục thủ tục: {path}") from None
    except UnicodeDecodeError:
        raise ReadError(
            f"tệp {path.name} không phải văn bản UTF-8 (lưu lại CSV dạng UTF-8)"
        ) from None
    except Exception as err:  # openpyxl raises several kinds on a broken workbook
        raise ReadError(f"không đọc được tệp danh mục thủ tục {path.name}: {err}") from None
    raise ReadError(f"danh mục thủ tục phải là tệp .csv hoặc .xlsx: {path.name}")


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def read_register(path: str | Path) -> list[Procedure]:
    """The procedures in a CSV or XLSX export; the header row is found among the first ten."""
    p = Path(path)
    rows = _rows_of(p)
    head_at, cols = -1, {}
    for i, header in enumerate(rows[:10]):
        cols = _columns(header)
        if all(k in cols for k in REQUIRED) and len(cols) >= 3:
            head_at = i
            break
    if head_at < 0:
        raise ReadError(
            f"tệp {p.name} không có dòng tiêu đề với các cột của Cơ sở dữ liệu quốc gia về thủ tục "
            "hành chính (Mã TTHC, Tên TTHC, Lĩnh vực, Cấp thực hiện, Cơ quan thực hiện, ...)"
        )
    out = []
    for row in rows[head_at + 1 :]:
        values = {k: _text(row[i]) if i < len(row) else None for k, i in cols.items()}
        if not values.get("name"):
            continue
        basis = values.get("legal_basis")
        out.append(
            Procedure(
                name=values["name"] or "",
                code=values.get("code"),
                field=values.get("field"),
                level=values.get("level"),
                agency=values.get("agency"),
                time_limit=values.get("time_limit"),
                fees=values.get("fees"),
                legal_basis=basis,
                bases=parse_basis(basis or ""),
            )
        )
    return out


_PIECES = re.compile(r"[;\n]+")


def parse_basis(text: str) -> tuple[BasisRef, ...]:
    """The provisions a "căn cứ pháp lý" cell names, each with its document's number."""
    out: list[BasisRef] = []
    for piece in _PIECES.split(text):
        piece = piece.strip(" -–+•.")
        if not piece:
            continue
        for m in scan_citations(piece):
            if not m.number:
                continue
            words = piece[m.start : m.end]
            units = _unit_ids(m.attached, m.articles, m.clauses, m.points)
            if not units:
                out.append(BasisRef(words, m.number, None))
            out += [BasisRef(words, m.number, u) for u in units]
    return tuple(dict.fromkeys(out))


def _unit_ids(
    attached: bool, articles: Iterable[str], clauses: Iterable[str], points: Iterable[str]
) -> list[str]:
    prefix = "att_1__" if attached else ""
    ids = []
    for a in articles:
        base = f"{prefix}art_{a}"
        cl = [c for c in clauses if c != "này"]
        if not cl:
            ids.append(base)
            continue
        for c in cl:
            para = f"{base}__para_{c}"
            pts = [p for p in points if p != "này"]
            ids += [f"{para}__point_{p}" for p in pts] or [para]
    return ids


# --- the store -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaveReport:
    new: int
    updated: int


def _same(conn: Connection, p: Procedure) -> list[int]:
    t = schema.procedures
    if p.code:
        stmt = select(t.c.id).where(t.c.code == p.code)
    else:
        stmt = select(t.c.id).where(t.c.code.is_(None), t.c.name == p.name)
    return list(conn.execute(stmt).scalars())


def save_register(
    conn: Connection, procedures: Sequence[Procedure], source: str | None = None
) -> SaveReport:
    """Store the procedures; one already stored (same code, or same name without a code) is
    replaced by the new row."""
    t, b = schema.procedures, schema.procedure_bases
    stamp = now()
    new = updated = 0
    for p in procedures:
        old = _same(conn, p)
        if old:
            conn.execute(delete(b).where(b.c.procedure_id.in_(old)))
            conn.execute(delete(t).where(t.c.id.in_(old)))
            updated += 1
        else:
            new += 1
        key = conn.execute(
            t.insert().values(
                code=p.code,
                name=p.name,
                field=p.field,
                level=p.level,
                agency=p.agency,
                time_limit=p.time_limit,
                fees=p.fees,
                legal_basis=p.legal_basis,
                source=source,
                imported_at=stamp,
            )
        ).inserted_primary_key
        assert key is not None
        pid = key[0]
        if p.bases:
            conn.execute(
                b.insert(),
                [
                    {
                        "procedure_id": pid,
                        "seq": i,
                        "text": r.text,
                        "target_number": r.number,
                        "target_key": number_key(r.number),
                        "target_unit": r.unit,
                    }
                    for i, r in enumerate(p.bases)
                ],
            )
    return SaveReport(new, updated)


def load_register(conn: Connection) -> list[Procedure]:
    """Every stored procedure with its bases, by level, field and code."""
    t, b = schema.procedures, schema.procedure_bases
    bases: dict[int, list[BasisRef]] = {}
    for r in conn.execute(select(b).order_by(b.c.procedure_id, b.c.seq)).mappings():
        bases.setdefault(r["procedure_id"], []).append(
            BasisRef(r["text"], r["target_number"], r["target_unit"])
        )
    out = []
    for r in conn.execute(select(t).order_by(t.c.id)).mappings():
        out.append(
            Procedure(
                name=r["name"],
                code=r["code"],
                field=r["field"],
                level=r["level"],
                agency=r["agency"],
                time_limit=r["time_limit"],
                fees=r["fees"],
                legal_basis=r["legal_basis"],
                bases=tuple(bases.get(r["id"], ())),
                id=r["id"],
            )
        )
    return out


def with_bases(p: Procedure, bases: Iterable[BasisRef]) -> Procedure:
    return replace(p, bases=tuple(bases))
