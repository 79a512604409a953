"""Resolution: by number (however it is spelled), by name at the citing document's date,
``self``; what does not resolve is kept and said why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from tests.store.corpus_docs import load_linked
from vbqppl.store import schema
from vbqppl.store.catalog import DocRecord, load_links
from vbqppl.store.db import Store
from vbqppl.store.documents import number_key
from vbqppl.store.fold import document_name_key
from vbqppl.store.resolve import Index, Resolution, resolution_counts, resolve_target

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _doc(
    i: int, number: str | None, type_: str, title: str, issued: str, effective: str | None = None
) -> DocRecord:
    return DocRecord(
        id=i,
        number=number,
        number_key=number_key(number),
        type=type_,
        issuer=None,
        issued=issued,
        effective=effective,
        effective_rule=None,
        title=title,
        name_key=document_name_key(type_, title),
    )


DOCS = [
    _doc(1, "10/2012/QH13", "Bộ luật", "Lao động", "2012-06-18", "2013-05-01"),
    _doc(2, "45/2019/QH14", "Bộ luật", "Lao động", "2019-11-20", "2021-01-01"),
    _doc(3, "77/2015/QH13", "Luật", "Tổ chức chính quyền địa phương", "2015-06-19", "2016-01-01"),
    _doc(4, "72/2025/QH15", "Luật", "Tổ chức chính quyền địa phương", "2025-06-16", "2025-07-01"),
    _doc(
        5, "12/2024/QĐ-UBND", "Quyết định", "Ban hành Quy định thủ tục", "2024-03-15", "2024-03-25"
    ),
    _doc(6, "126/VBHN-VPQH", "Văn bản hợp nhất", "Đấu thầu", "2025-07-10"),
    _doc(7, "22/2023/QH15", "Luật", "Đấu thầu", "2023-06-23", "2024-01-01"),
    _doc(8, "01/2016/TTLT-BTC-BTP", "Thông tư liên tịch", "Hướng dẫn", "2016-01-05"),
    _doc(20, "5/2016/QĐ-UBND", "Quyết định", "Văn bản viện dẫn năm 2016", "2016-03-01"),
    _doc(21, "5/2021/QĐ-UBND", "Quyết định", "Văn bản viện dẫn năm 2021", "2021-03-01"),
    _doc(22, "5/2025/QĐ-UBND", "Quyết định", "Văn bản viện dẫn năm 2025", "2025-09-01"),
    _doc(23, "5/2010/QĐ-UBND", "Quyết định", "Văn bản viện dẫn năm 2010", "2010-03-01"),
]
INDEX = Index.build(
    {d.id: d for d in DOCS},
    {5: {"att_1": None, "att_1__art_6": "att_1", "att_1__art_6__para_1": "att_1__art_6"}},
)


def R(
    citing: int,
    number: str | None = None,
    name: str | None = None,
    date: str | None = None,
    unit: str | None = None,
    self_ref: bool = False,
) -> Resolution:
    return resolve_target(
        number=number, name=name, date=date, unit=unit, self_ref=self_ref,
        citing=INDEX.docs[citing], index=INDEX,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("resolution", "expected"),
    [
        # by number, however it is printed
        (R(21, "12/2024/QĐ-UBND"), Resolution(5, None, "number")),
        (R(21, "12/2024/QD-UBND"), Resolution(5, None, "number")),
        (R(21, "12 / 2024 / QĐ-UBND"), Resolution(5, None, "number")),
        (R(21, "1/2016/TTLT-BTC-BTP"), Resolution(8, None, "number")),
        (R(21, "45/2020/NĐ-CP"), Resolution(unresolved="document")),
        # with a unit: there, or not
        (
            R(21, "12/2024/QĐ-UBND", unit="att_1__art_6__para_1"),
            Resolution(5, "att_1__art_6__para_1", "number"),
        ),
        (R(21, "12/2024/QĐ-UBND", unit="att_1__art_25"), Resolution(5, None, "number", "unit")),
        # by name, at the citing document's date
        (R(20, name="Bộ luật Lao động"), Resolution(1, None, "name")),
        (R(21, name="Bộ luật Lao động"), Resolution(2, None, "name")),
        (R(21, name="BỘ LUẬT LAO ĐỘNG"), Resolution(2, None, "name")),
        (R(20, name="Bo luat Lao dong"), Resolution(1, None, "name")),
        (R(23, name="Bộ luật Lao động"), Resolution(unresolved="document")),  # none in force yet
        (R(22, name="Luật Tổ chức chính quyền địa phương"), Resolution(4, None, "name")),
        (R(21, name="Luật Tổ chức chính quyền địa phương"), Resolution(3, None, "name")),
        # the date or year the text gives wins over the citing date
        (
            R(22, name="Luật Tổ chức chính quyền địa phương", date="2015-06-19"),
            Resolution(3, None, "name"),
        ),
        (R(22, name="Luật Tổ chức chính quyền địa phương năm 2015"), Resolution(3, None, "name")),
        (R(21, name="Luật Đất đai"), Resolution(unresolved="document")),
        # a law, not its consolidated text, by name
        (R(22, name="Luật Đấu thầu"), Resolution(7, None, "name")),
        # self
        (R(5, self_ref=True, unit="att_1__art_6"), Resolution(5, "att_1__art_6", "self")),
        (R(21), Resolution(unresolved="document")),
    ],
)
def test_resolve_target(resolution: Resolution, expected: Resolution) -> None:
    assert resolution == expected


def test_demo_corpus_links_resolve_in_the_store(store: Store) -> None:
    ids = load_linked(store)
    with store.read() as conn:
        citations = load_links(conn, "citation")
        relations = load_links(conn, "relation")
        counts = resolution_counts(conn)
    # every relation of the manifest lands on its document
    assert all(r.resolved_document_id == ids[r.target_number or ""] for r in relations)
    # units inserted by the amendment do not exist in the amended text: kept, marked "unit"
    inserted = {r.target_unit for r in relations if r.unresolved == "unit"}
    assert inserted == {"att_1__art_7__para_1__point_đ", "att_1__art_9__para_8a"}
    # citations of corpus documents by number resolve; central laws (not in the corpus) do not
    by_number = [c for c in citations if c.target_number in ids]
    assert by_number and all(
        c.resolved_document_id == ids[c.target_number or ""] for c in by_number
    )
    dead = [c for c in citations if c.target_unit == "att_1__art_25"]
    assert [(c.resolved_document_id, c.unresolved) for c in dead] == [
        (ids["12/2024/QĐ-UBND"], "unit")
    ]
    assert counts.citations["document"] == sum(1 for c in citations if c.target_number not in ids)
    assert counts.relations == {"number": 14, "unit": 2}


def test_a_new_document_resolves_old_citations(store: Store, tmp_path: object) -> None:
    """Citations waiting for a document resolve when it is ingested (and un-resolve when it
    is deleted)."""
    from vbqppl.model import Document, Metadata, Source
    from vbqppl.store.documents import delete_documents, save_document
    from vbqppl.store.resolve import resolve_store

    load_linked(store)
    with store.read() as conn:
        before = [c for c in load_links(conn, "citation") if c.target_number == "61/2018/NĐ-CP"]
    assert before and all(c.unresolved == "document" for c in before)
    decree = Document(
        text="NGHỊ ĐỊNH\nVề thực hiện cơ chế một cửa",
        source=Source("nd-61.txt", "txt", "f" * 64),
        metadata=Metadata(
            number="61/2018/NĐ-CP", type="Nghị định", issued="2018-04-23", normative=True
        ),
    )
    with store.begin() as conn:
        new_id = save_document(conn, decree)
    resolve_store(store)
    with store.read() as conn:
        after = [c for c in load_links(conn, "citation") if c.target_number == "61/2018/NĐ-CP"]
    assert {c.resolved_document_id for c in after} == {new_id}
    with store.begin() as conn:
        delete_documents(conn, [new_id])
    with store.read() as conn:
        gone = [c for c in load_links(conn, "citation") if c.target_number == "61/2018/NĐ-CP"]
    assert {(c.resolved_document_id, c.unresolved) for c in gone} == {(None, "document")}


def _resolutions(store: Store) -> dict[tuple[str, int], tuple[object, ...]]:
    with store.read() as conn:
        return {
            (kind, link.id): (
                link.resolved_document_id,
                link.resolved_unit,
                link.resolution,
                link.unresolved,
            )
            for kind in ("citation", "relation")
            for link in load_links(conn, kind)
        }


def test_incremental_resolution_after_each_ingest_equals_resolving_everything(
    store: Store, tmp_path: Path
) -> None:
    """Ingest resolves only the links the new documents can change: the demo corpus ingested
    in three batches, then a law its resolutions cite by name, then a new version of a decision
    under another number (the links to the old one lose their target) end exactly where a full
    resolution ends."""
    from vbqppl.store.ingest import ingest
    from vbqppl.store.resolve import resolve_store

    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in CORPUS.iterdir():
        if p.suffix in (".txt", ".md"):
            (folder / p.name).write_bytes(p.read_bytes())
    files = sorted(folder.iterdir())
    for batch in (files[::3], files[1::3], files[2::3]):
        assert ingest(store, batch, jobs=1).stored == len(batch)
    law = tmp_path / "luat-viec-lam.txt"
    law.write_text(_LAW, encoding="utf-8")
    ingest(store, [law], jobs=1)
    with store.read() as conn:
        by_name = [c for c in load_links(conn, "citation") if c.target_name == "Luật Việc làm"]
    assert by_name and all(c.resolution == "name" for c in by_name)
    qd12 = folder / "qd-12-2024-ubnd.txt"
    text = qd12.read_text(encoding="utf-8")
    copy = tmp_path / "qd-12-2024-ubnd-ban-sao.txt"  # a second copy, kept beside the first
    copy.write_text(text + "\n", encoding="utf-8")
    assert ingest(store, [copy], jobs=1, on_conflict="keep-both").stored == 1
    qd12.write_text(text.replace("12/2024/QĐ-UBND", "13/2024/QĐ-UBND", 1), encoding="utf-8")
    assert ingest(store, [qd12], jobs=1, on_conflict="replace").counts["replaced"] == 1
    # the report of an ingest of a few documents counts the links of those documents
    from collections import Counter

    report = ingest(store, [qd12], jobs=1, on_conflict="replace", force=True).resolution
    assert report is not None and report.scope == "new"
    with store.read() as conn:
        doc_id = _stored_id(conn, qd12)
        own = {
            kind: Counter(
                x.unresolved or x.resolution or "document"
                for x in load_links(conn, kind)
                if x.document_id == doc_id
            )
            for kind in ("citation", "relation")
        }
    assert report.citations == own["citation"] and sum(report.citations.values()) > 0
    assert report.relations == own["relation"]
    # read after the last ingest: the forced one gave the document's links new ids (PostgreSQL
    # never reuses them, SQLite may)
    incremental = _resolutions(store)
    assert sum(1 for r in incremental.values() if r[0] is not None) > 50  # many links resolved
    full = resolve_store(store)
    assert full.changed == 0
    assert _resolutions(store) == incremental


def _stored_id(conn: Connection, path: Path) -> int:
    t = schema.files
    found = conn.execute(select(t.c.document_id).where(t.c.path == str(path))).scalar()
    assert isinstance(found, int)
    return found


def test_distinct_names_reads_each_name_cited_without_a_number_once(store: Store) -> None:
    """The loose index scan gives what SELECT DISTINCT gives, in both databases."""
    from vbqppl.store.resolve import distinct_names

    load_linked(store)
    with store.read() as conn:
        for t in (schema.citations, schema.relations):
            where = t.c.target_key.is_(None) & t.c.target_name.is_not(None)
            expected = set(conn.execute(select(t.c.target_name).where(where).distinct()).scalars())
            names = list(distinct_names(conn, t))
            assert len(names) == len(set(names)) and set(names) == expected
        assert list(distinct_names(conn, schema.citations))  # the demo cites laws by name


_LAW = """QUỐC HỘI

Luật số: 38/2013/QH13

Hà Nội, ngày 16 tháng 11 năm 2013

LUẬT
VIỆC LÀM

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;

Quốc hội ban hành Luật việc làm.

Điều 1. Phạm vi điều chỉnh
Luật này quy định chính sách hỗ trợ tạo việc làm.

Điều 2. Hiệu lực thi hành
Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2015.
"""


def _local(i: int, number: str, issuer: str, issued: str) -> DocRecord:
    return replace(_doc(i, number, "Quyết định", f"Quy định số {i}", issued), issuer=issuer)


def test_a_local_number_resolves_in_the_citing_documents_province() -> None:
    """Every province has a 01/2010/QĐ-UBND: a province's document means its own (or one of
    a province merged into its own), never another province's, even when that is the only
    one stored; an issuer naming no province (a district, a provincial city, a ministry) is
    not told apart."""
    docs = [
        _local(1, "01/2010/QĐ-UBND", "Ủy ban nhân dân tỉnh Lâm Đồng", "2010-01-05"),
        _local(2, "01/2010/QĐ-UBND", "Ủy ban nhân dân tỉnh Cao Bằng", "2010-02-01"),
        _local(3, "07/2015/QĐ-UBND", "Ủy ban nhân dân tỉnh Cao Bằng", "2015-01-01"),
        _local(4, "30/2025/QĐ-UBND", "Ủy ban nhân dân tỉnh Lâm Đồng", "2025-09-01"),
        _local(5, "31/2025/QĐ-UBND", "Ủy ban nhân dân tỉnh Bình Thuận", "2025-03-01"),
        _local(6, "12/2024/QĐ-UBND", "Ủy ban nhân dân huyện Đức Trọng", "2024-01-01"),
        _local(7, "13/2024/QĐ-UBND", "Ủy ban nhân dân thành phố Đà Lạt", "2024-01-01"),
        _local(8, "07/2015/QĐ-UBND", "Ủy ban nhân dân huyện Bảo Lâm", "2015-06-01"),
    ]
    index = Index.build({d.id: d for d in docs}, {})

    def to(citing: int, number: str) -> int | None:
        r = resolve_target(
            number=number, name=None, date=None, unit=None, self_ref=False,
            citing=index.docs[citing], index=index,
        )  # fmt: skip
        return r.document_id

    assert to(4, "01/2010/QĐ-UBND") == 1  # its own province's, though Cao Bằng's is later
    assert to(4, "07/2015/QĐ-UBND") == 8  # Cao Bằng's is never meant; the district's may be
    assert to(5, "01/2010/QĐ-UBND") == 1  # Bình Thuận was merged into Lâm Đồng
    assert to(3, "01/2010/QĐ-UBND") == 2
    assert to(6, "01/2010/QĐ-UBND") == 2  # a district's issuer names no province: as before
    assert to(7, "01/2010/QĐ-UBND") == 2  # nor does a provincial city's
    index.docs.pop(1)
    index.by_number[number_key("01/2010/QĐ-UBND") or ""].remove(1)
    assert to(4, "01/2010/QĐ-UBND") is None  # the only one stored is another province's
