"""Documents sharing a number (local numbers repeat: every province has a 01/2010/QĐ-UBND) are
told apart wherever the tool names a document: in findings and their ids, in review items, in a
user's ``--document`` and in the findings a number lists. The first stored keeps the bare
number, so a name never changes when another document with that number arrives."""

from __future__ import annotations

from pathlib import Path

from vbqppl.checks import load_view, run_checks
from vbqppl.review.queue import load_items, open_for_findings, sync
from vbqppl.store.catalog import NAME_MAX, alias_for, load_documents
from vbqppl.store.db import Store
from vbqppl.store.documents import find_documents, named_documents
from vbqppl.store.findings import load_findings, save_findings
from vbqppl.store.ingest import ingest
from vbqppl_cli.checks import document_findings

ROOT = Path(__file__).resolve().parents[2]
AT = "2026-01-01"
NUMBER = "41/2025/QĐ-UBND"
HOA_LAM = "Ủy ban nhân dân tỉnh Hòa Lâm"
BINH_SON = "Ủy ban nhân dân tỉnh Bình Sơn"


def _copy(
    folder: Path, name: str, province: str, end: str = "", source: str = "qd-41-2025-ubnd.txt"
) -> Path:
    """A demo document (41/2025/QĐ-UBND), as issued by another province (same number, same
    words; ``end`` makes another file of it)."""
    text = (ROOT / "corpus" / source).read_text(encoding="utf-8")
    text = text.replace("TỈNH HÒA LÂM", f"TỈNH {province.upper()}", 1) + end
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _check(store: Store) -> list:
    with store.begin() as conn:
        findings = run_checks(load_view(conn, AT))
        save_findings(conn, findings)
        open_for_findings(conn, findings)
    return findings


def test_documents_sharing_a_number_are_named_apart(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "a"
    first.mkdir()
    _copy(first, "hoa-lam.txt", "Hòa Lâm")
    ingest(store, [first], jobs=1)
    before = {f.id: f for f in _check(store)}
    assert before, "the demo's 41/2025/QĐ-UBND has a finding of its own (abolished-body)"

    later = tmp_path / "b"
    later.mkdir()
    _copy(later, "binh-son.txt", "Bình Sơn")
    _copy(later, "binh-son-ban-sao.txt", "Bình Sơn", "\n")  # a second copy, kept with --keep-both
    ingest(store, [later], jobs=1, on_conflict="keep-both")

    with store.read() as conn:
        docs = sorted(load_documents(conn).values(), key=lambda d: d.id)
    assert [d.issuer for d in docs] == [HOA_LAM, BINH_SON, BINH_SON]
    names = [d.name for d in docs]
    assert names == [NUMBER, f"{NUMBER} ({BINH_SON})", f"{NUMBER} (#{docs[2].id})"]
    with store.read() as conn:  # a document read alone is named as among all of them
        assert [load_documents(conn, [d.id])[d.id].name for d in docs] == names

    after = _check(store)
    # the first document's findings keep their ids: its name did not change
    assert set(before) <= {f.id for f in after}
    # the same words in three documents are three findings, one naming each document
    own = [f for f in after if f.rule == "abolished-body"]
    assert sorted(f.documents for f in own) == sorted((n,) for n in names)
    assert len({f.id for f in own}) == 3
    assert all(e.document == f.documents[0] for f in own for e in f.evidence)

    # check --document (and ingest --check): a bare number is every document with it
    abolished = [f.documents for f in document_findings(store, AT, NUMBER)]
    assert sorted(d for d in abolished if d[0].startswith(NUMBER)) == sorted((n,) for n in names)
    later = [f.documents for f in document_findings(store, AT, names[2], [docs[2].id])]
    assert (names[2],) in later and (NUMBER,) not in later

    with store.read() as conn:
        # each name means one document; a bare number means the first stored
        assert {n: d.id for n, d in named_documents(conn, names).items()} == {
            n: d.id for n, d in zip(names, docs, strict=True)
        }
        assert find_documents(conn, NUMBER) == [d.id for d in docs]  # a user's bare number
        assert find_documents(conn, names[1]) == [docs[1].id]
        assert find_documents(conn, names[2]) == [docs[2].id]
        # each document's review item is on that document, not on the first stored
        items = load_items(conn, rule="abolished-body")
        assert sorted((i.document, i.document_id) for i in items) == sorted(
            (d.name, d.id) for d in docs
        )
        # a bare number lists the findings of every document with it; a full name, its own
        assert len(load_findings(conn, rules=["abolished-body"], document=NUMBER)) == 3
        mine = load_findings(conn, rules=["abolished-body"], document=names[1])
        assert [sf.finding.documents for sf in mine] == [(names[1],)]
        assert len(load_items(conn, rule="abolished-body", document=NUMBER)) == 3
        assert len(load_items(conn, rule="abolished-body", document=names[2])) == 1
        held = {i.document_id: i.id for i in items}

    # a new version of the first replaces it: it keeps the bare number, the others their names
    again = tmp_path / "c"
    again.mkdir()
    _copy(again, "hoa-lam.txt", "Hòa Lâm", "\nSửa lỗi chính tả.\n")
    assert ingest(store, [again], jobs=1, on_conflict="replace").counts["replaced"] == 1
    with store.begin() as conn:
        sync(conn)  # review items of the replaced document follow its name to the new one
    with store.read() as conn:
        now = sorted(load_documents(conn).values(), key=lambda d: d.id)
        assert [d.name for d in now] == [*names[1:], NUMBER]
        items = {i.id: i for i in load_items(conn, rule="abolished-body")}
    assert items[held[docs[0].id]].document_id == now[-1].id
    assert items[held[docs[1].id]].document_id == docs[1].id
    assert {f.id for f in _check(store)} >= {f.id for f in own if f.documents != (NUMBER,)}


def test_a_name_too_long_for_the_review_queue_or_taken_names_the_id() -> None:
    issuer = "Ủy ban nhân dân thành phố " + "Hồ Chí Minh " * 6
    assert alias_for(NUMBER, issuer, 7, set()) == f"{NUMBER} (#7)"
    assert alias_for(NUMBER, None, 7, set()) == f"{NUMBER} (#7)"
    named = alias_for(NUMBER, BINH_SON, 7, {NUMBER})
    assert named == f"{NUMBER} ({BINH_SON})" and len(named) <= NAME_MAX
    assert alias_for(NUMBER, BINH_SON, 8, {NUMBER, named}) == f"{NUMBER} (#8)"


def test_a_store_made_before_aliases_gets_the_names_ingest_gives(
    store: Store, tmp_path: Path
) -> None:
    """Migration 0008 names the documents of a store made before it as ingest names them."""
    from alembic import command

    from vbqppl.store.db import _alembic_config, upgrade

    for n, province in enumerate(["Hòa Lâm", "Bình Sơn", "Bình Sơn", "Cao Bằng"]):
        _copy(tmp_path, f"{n}.txt", province, "\n" * n)
    ingest(store, [tmp_path], jobs=1, on_conflict="keep-both")
    with store.read() as conn:
        given = {i: d.name for i, d in load_documents(conn).items()}
    assert len(set(given.values())) == 4
    with store.begin() as conn:
        command.downgrade(_alembic_config(conn), "0007_resolve_in_province")
    upgrade(store)
    with store.read() as conn:
        assert {i: d.name for i, d in load_documents(conn).items()} == given


def test_review_items_of_a_store_made_before_aliases_are_named_as_the_queue_names_them(
    store: Store, tmp_path: Path
) -> None:
    """Migration 0008 renames the review items on a document it gives an alias, and makes the
    Điều 39 items' keys again: the next sync finds them and opens nothing twice."""
    from alembic import command
    from sqlalchemy import update

    from vbqppl.store import schema
    from vbqppl.store.db import _alembic_config, upgrade
    from vbqppl.store.documents import number_key

    _copy(tmp_path, "cao-bang.txt", "Cao Bằng", source="qd-12-2024-ubnd.txt")
    ingest(store, [tmp_path / "cao-bang.txt"], jobs=1)  # first: keeps the bare number
    later = [ROOT / "corpus" / f for f in ("qd-12-2024-ubnd.txt", "qd-52-2025-ubnd.txt")]
    ingest(store, later, jobs=1)  # 52/2025 amends Hòa Lâm's 12/2024, named apart
    with store.begin() as conn:
        sync(conn)
        (item,) = [i for i in load_items(conn) if i.cause == "amended"]
        target = load_documents(conn, [item.document_id])[item.document_id]
    assert target.alias == "12/2024/QĐ-UBND (Ủy ban nhân dân tỉnh Hòa Lâm)"
    assert item.document == target.alias and item.key.startswith(f"amended:{target.alias}:")
    with store.begin() as conn:  # the store as the version before 0008 left it
        command.downgrade(_alembic_config(conn), "0007_resolve_in_province")
        old_key = f"amended:{number_key(target.number)}:{number_key('52/2025/QĐ-UBND')}"
        t = schema.review_items
        conn.execute(update(t).where(t.c.id == item.id).values(key=old_key, document=target.number))
    upgrade(store)
    with store.begin() as conn:
        (again,) = [i for i in load_items(conn) if i.cause == "amended"]
        assert (again.id, again.key, again.document) == (item.id, item.key, item.document)
        assert sync(conn).total_opened == 0
