"""The draft publication list of administrative procedures for a document that creates, amends,
replaces or abolishes them, in the official shape: Phần I, A. mới ban hành, B. sửa đổi, bổ sung
/ thay thế, C. bãi bỏ, each by level (cấp thực hiện).

A registered procedure is affected when the document acts (amends, replaces, repeals, ends) on
a provision named in its legal basis, or on a unit inside or around it; it is new when its basis
names the document itself. The document's own articles headed "Thủ tục ..." that no registered
procedure cites are listed as new too, marked as not yet in the register (no code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, select

from vbqppl.describe import describe_unit
from vbqppl.errors import VbqpplError
from vbqppl.procedures.register import BasisRef, Procedure, load_register
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links
from vbqppl.store.documents import find_documents
from vbqppl.store.fold import name_key

NEW, CHANGED, ABOLISHED = "A", "B", "C"
SECTIONS = {
    NEW: "Danh mục thủ tục hành chính mới ban hành",
    CHANGED: "Danh mục thủ tục hành chính được sửa đổi, bổ sung hoặc thay thế",
    ABOLISHED: "Danh mục thủ tục hành chính bị bãi bỏ",
}
CHANGE_NAMES = {
    "new": "mới ban hành",
    "amends": "sửa đổi, bổ sung",
    "replaces": "thay thế",
    "repeals": "bãi bỏ",
    "expires": "bãi bỏ",
}
UNKNOWN_LEVEL = "Chưa xác định cấp thực hiện"
ACTS = ("amends", "replaces", "repeals", "expires")


@dataclass(frozen=True, slots=True)
class PublicationRow:
    section: str  # A, B or C
    change: str  # "mới ban hành", "sửa đổi, bổ sung", "thay thế", "bãi bỏ"
    procedure: Procedure
    provisions: str  # the provisions of the document that create, change or abolish it
    registered: bool = True  # False: found in the document's text, not in the register

    @property
    def level(self) -> str:
        return self.procedure.level or UNKNOWN_LEVEL


@dataclass(frozen=True, slots=True)
class Publication:
    document: DocRecord
    rows: tuple[PublicationRow, ...]
    place: str = ""  # the document's place ("Hòa Lâm"), for the header's date line

    def section(self, key: str) -> list[PublicationRow]:
        return [r for r in self.rows if r.section == key]

    def by_level(self, key: str) -> dict[str, list[PublicationRow]]:
        out: dict[str, list[PublicationRow]] = {}
        for r in self.section(key):
            out.setdefault(r.level, []).append(r)
        return dict(sorted(out.items(), key=lambda kv: _level_order(kv[0])))


def _level_order(level: str) -> tuple[int, str]:
    k = name_key(level) or ""
    for i, word in enumerate(("trung uong", "tinh", "huyen", "xa")):
        if word in k:
            return (i, k)
    return (9, k)


def _covers(outer: str | None, inner: str | None) -> bool:
    """``outer`` is ``inner`` or contains it (None is the whole document)."""
    if outer is None:
        return True
    if inner is None:
        return False
    return inner == outer or inner.startswith(outer + "__")


def _touches(a: str | None, b: str | None) -> bool:
    return _covers(a, b) or _covers(b, a)


def _keys_to_ids(conn: Connection, keys: Iterable[str]) -> dict[str, list[int]]:
    t = schema.documents
    wanted = sorted(set(keys))
    out: dict[str, list[int]] = {}
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk : chunk + 500]
        for key, doc_id in conn.execute(
            select(t.c.number_key, t.c.id).where(t.c.number_key.in_(part)).order_by(t.c.id)
        ):
            out.setdefault(key, []).append(doc_id)
    return out


def basis_targets(conn: Connection, procs: Iterable[Procedure]) -> dict[BasisRef, list[int]]:
    """Each basis reference of ``procs`` with the stored documents it names."""
    from vbqppl.store.documents import number_key

    refs = {b for p in procs for b in p.bases if b.number}
    ids = _keys_to_ids(conn, [k for b in refs if (k := number_key(b.number))])
    return {b: ids.get(number_key(b.number) or "", []) for b in refs}


def _affect(
    p: Procedure,
    acts: list[LinkRecord],
    targets: Mapping[BasisRef, list[int]],
    doc: DocRecord,
) -> PublicationRow | None:
    """How the document's relations ``acts`` change procedure ``p``, if they do."""
    best: tuple[int, str, list[str]] | None = None  # (strength, change, provisions)
    # "sửa đổi một số điều" names the whole document in the title: when the document names
    # units of that target too, the units say what changes.
    by_unit = {r.resolved_document_id for r in acts if (r.resolved_unit or r.target_unit)}
    for basis in p.bases:
        for target in targets.get(basis, ()):
            for r in acts:
                if r.resolved_document_id != target:
                    continue
                unit = r.resolved_unit or r.target_unit
                whole = unit is None and not r.part
                if whole and r.type == "amends" and target in by_unit:
                    continue
                if not whole and not _touches(unit, basis.unit):
                    continue
                ends = r.type in ("repeals", "expires") and (whole or _covers(unit, basis.unit))
                change = "repeals" if ends else ("replaces" if r.type == "replaces" else "amends")
                strength = {"repeals": 3, "replaces": 2, "amends": 1}[change]
                what = f"{describe_unit(unit)} {basis.number}" if unit else basis.number or ""
                if best is None or strength > best[0]:
                    best = (strength, change, [what])
                elif strength == best[0] and what not in best[2]:
                    best[2].append(what)
    if best is None:
        return None
    _, change, acted = best
    section = ABOLISHED if change == "repeals" else CHANGED
    verb = CHANGE_NAMES[change]
    provisions = f"{doc.label} ({verb} {'; '.join(acted)})"
    return PublicationRow(section, verb, p, provisions)


_PROCEDURE_HEADING = re.compile(r"^(?:trinh tu,? )?thu tuc\b")


def _own_procedures(conn: Connection, doc: DocRecord, cited: set[str]) -> list[PublicationRow]:
    """Articles of the document headed "Thủ tục ..." that no registered procedure cites."""
    t = schema.units
    rows = conn.execute(
        select(t.c.unit_id, t.c.heading)
        .where(t.c.document_id == doc.id, t.c.kind == "article")
        .order_by(t.c.seq)
    )
    out = []
    for unit_id, heading in rows:
        key = name_key(heading) or ""
        if not _PROCEDURE_HEADING.match(key) or unit_id in cited:
            continue
        name = " ".join(heading.split()).rstrip(".")
        out.append(
            PublicationRow(
                NEW,
                CHANGE_NAMES["new"],
                Procedure(name=name),
                f"{describe_unit(unit_id)} {doc.label}",
                registered=False,
            )
        )
    return out


def publication(conn: Connection, number: str) -> Publication:
    """The draft publication list for the stored document ``number`` (the latest stored when
    several have it)."""
    docs = load_documents(conn, find_documents(conn, number))
    if not docs:
        raise VbqpplError(f"không có văn bản số {number} trong kho")
    doc = docs[max(docs)]
    return publication_for(conn, doc, load_register(conn))


def publication_for(conn: Connection, doc: DocRecord, register: list[Procedure]) -> Publication:
    """The draft publication list for ``doc`` against the procedures of ``register``."""
    acts = [
        r
        for r in load_links(conn, "relation", touching=[doc.id], types=ACTS)
        if r.document_id == doc.id and r.resolved_document_id not in (None, doc.id)
    ]
    targets = basis_targets(conn, register)
    rows: list[PublicationRow] = []
    cited: set[str] = set()
    for p in register:
        own = [b for b in p.bases if doc.id in targets.get(b, ())]
        row = _affect(p, acts, targets, doc)
        if row is None and own:
            units = [b.unit for b in own]
            cited.update(u for u in units if u)
            what = "; ".join(describe_unit(u) for u in units if u) or "toàn văn"
            row = PublicationRow(NEW, CHANGE_NAMES["new"], p, f"{what} {doc.label}")
            acted_on = {r.resolved_document_id for r in acts}
            if any(set(targets.get(b, ())) & acted_on for b in p.bases if b not in own):
                row = PublicationRow(CHANGED, CHANGE_NAMES["amends"], p, row.provisions)
        if row is not None:
            rows.append(row)
    rows += _own_procedures(conn, doc, cited)
    order = {NEW: 0, CHANGED: 1, ABOLISHED: 2}
    rows.sort(
        key=lambda r: (
            order[r.section],
            _level_order(r.level),
            r.procedure.code or "~",
            r.procedure.name,
        )
    )
    place = conn.execute(
        select(schema.documents.c.place).where(schema.documents.c.id == doc.id)
    ).scalar()
    return Publication(doc, tuple(rows), place or "")


def changing_documents(conn: Connection) -> list[DocRecord]:
    """Stored documents that act on a provision some registered procedure is based on, or that
    registered procedures name as their new basis while acting on another basis: the documents
    `vbqppl run` drafts a publication list for."""
    register = load_register(conn)
    targets = basis_targets(conn, register)
    basis_docs = {d for ids in targets.values() for d in ids}
    if not basis_docs:
        return []
    acting = {
        r.document_id
        for r in load_links(conn, "relation", touching=sorted(basis_docs), types=ACTS)
        if r.resolved_document_id in basis_docs and r.document_id != r.resolved_document_id
    }
    docs = load_documents(conn, acting)
    out = []
    for d in docs.values():
        if publication_for(conn, d, register).rows:
            out.append(d)
    return sorted(out, key=lambda d: (d.issued or "", d.id))
