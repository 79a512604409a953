"""Ingest: files, folders and globs; skip unchanged files by hash; report and go on; new
versions of a number only by an explicit choice; each document whole or absent."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from tests.store.corpus_docs import CORPUS, MANIFEST
from vbqppl.store import schema
from vbqppl.store.db import Store
from vbqppl.store.documents import DocumentRows, find_documents, load_document
from vbqppl.store.ingest import expand_paths, ingest
from vbqppl.store.search import Passage

N_DEMO = len(MANIFEST["documents"])


def _count(store: Store, table: object) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _copy_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "vb"
    shutil.copytree(CORPUS, folder)
    return folder


def test_expand_paths_takes_files_folders_and_globs(tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "x.txt").write_text("Điều 1. Ẩn", encoding="utf-8")
    files, missing = expand_paths([folder])
    names = {f.name for f in files}
    assert len(files) == N_DEMO  # README.md, manifest.yaml and hidden folders are left out
    assert "README.md" not in names and "manifest.yaml" not in names
    files, missing = expand_paths([str(folder / "qd-1*"), folder / "kh-1735-ubnd.md", folder])
    assert len(files) == N_DEMO  # each once
    files, missing = expand_paths([str(folder / "*.docx"), tmp_path / "khong-co"])
    assert files == [] and missing == [str(folder / "*.docx"), str(tmp_path / "khong-co")]


def test_ingest_demo_corpus_then_second_run_does_no_work(store: Store, tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    report = ingest(store, [folder], jobs=1)
    assert report.counts["stored"] == N_DEMO and not report.problems
    assert _count(store, schema.documents) == N_DEMO
    with store.read() as conn:
        stamps = conn.execute(select(schema.files.c.path, schema.files.c.updated_at)).all()
        doc = load_document(conn, find_documents(conn, "12/2024/QĐ-UBND")[0])
    assert doc is not None and len(doc.articles()) == 18
    assert doc.source.sha256 is not None
    runs = _count(store, schema.ingest_runs)

    again = ingest(store, [folder], jobs=1)
    assert again.counts == {"unchanged": N_DEMO}
    assert again.results == [] and again.resolution is None
    assert _count(store, schema.ingest_runs) == runs  # not even a log entry
    with store.read() as conn:
        assert conn.execute(select(schema.files.c.path, schema.files.c.updated_at)).all() == stamps


def test_original_bytes_are_kept_unless_told_not_to(store: Store, tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    ingest(store, [folder / "qd-12-2024-ubnd.txt"], jobs=1)
    ingest(store, [folder / "qd-16-2025-ubnd.txt"], jobs=1, keep_bytes=False)
    with store.read() as conn:
        rows = dict(
            conn.execute(select(schema.sources.c.first_path, schema.sources.c.content)).all()
        )
    assert (
        rows[str((folder / "qd-12-2024-ubnd.txt").resolve())]
        == (folder / "qd-12-2024-ubnd.txt").read_bytes()
    )
    assert rows[str((folder / "qd-16-2025-ubnd.txt").resolve())] is None


def test_parallel_workers_give_the_same_store(store: Store, tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    report = ingest(store, [folder], jobs=2)
    assert report.counts["stored"] == N_DEMO
    with store.read() as conn:
        numbers = sorted(conn.execute(select(schema.documents.c.number)).scalars(), key=str)
    assert numbers == sorted((d["number"] for d in MANIFEST["documents"]), key=str)
    # written in the order given, whatever order the workers finished in
    assert [r.path for r in report.results] == [str(p) for p in expand_paths([folder])[0]]


def test_unreadable_files_are_reported_and_the_run_goes_on(store: Store, tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    (folder / "rong.txt").write_bytes(b"")
    (folder / "nhi-phan.pdf").write_bytes(b"%PDF-1.4 garbage \x00\x01\x02")
    report = ingest(store, [folder], jobs=1)
    assert report.counts["stored"] == N_DEMO
    bad = {Path(r.path).name: r for r in report.problems}
    assert set(bad) == {"rong.txt", "nhi-phan.pdf"}
    assert all(r.outcome == "unreadable" for r in bad.values())
    assert "rỗng" in (bad["rong.txt"].message or "")
    # the unreadable files are remembered by hash: the next run skips them too
    again = ingest(store, [folder], jobs=1)
    assert again.counts == {"unchanged": N_DEMO + 2}


def test_same_content_under_another_name_is_not_a_second_document(
    store: Store, tmp_path: Path
) -> None:
    folder = _copy_corpus(tmp_path)
    shutil.copy(folder / "qd-12-2024-ubnd.txt", folder / "ban-sao.txt")
    report = ingest(store, [folder], jobs=1)
    assert report.counts["duplicate"] == 1 and report.counts["stored"] == N_DEMO
    assert _count(store, schema.documents) == N_DEMO


def _new_version(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("15 ngày làm việc", "12 ngày làm việc"), encoding="utf-8")


def test_a_new_version_needs_an_explicit_choice(store: Store, tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    ingest(store, [folder], jobs=1)
    with store.read() as conn:
        (old_id,) = find_documents(conn, "12/2024/QĐ-UBND")
    _new_version(folder / "qd-12-2024-ubnd.txt")

    waiting = ingest(store, [folder], jobs=1)
    assert waiting.counts["conflict"] == 1 and waiting.counts["unchanged"] == N_DEMO - 1
    (conflict,) = waiting.problems
    assert "--replace" in (conflict.message or "") and "--keep-both" in (conflict.message or "")
    with store.read() as conn:
        assert find_documents(conn, "12/2024/QĐ-UBND") == [old_id]  # nothing overwritten
        doc = load_document(conn, old_id)
    assert doc is not None and "15 ngày làm việc" in doc.text
    # asked again without a choice: still waiting, no work
    assert ingest(store, [folder], jobs=1).counts == {"unchanged": N_DEMO - 1, "waiting": 1}

    replaced = ingest(store, [folder], jobs=1, on_conflict="replace")
    assert replaced.counts["replaced"] == 1
    with store.read() as conn:
        (new_id,) = find_documents(conn, "12/2024/QĐ-UBND")
        doc = load_document(conn, new_id)
        assert load_document(conn, old_id) is None
    assert new_id != old_id and doc is not None and "12 ngày làm việc" in doc.text
    assert _count(store, schema.documents) == N_DEMO


def test_keep_both_keeps_both_versions(store: Store, tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    ingest(store, [folder], jobs=1)
    other = tmp_path / "khac"
    other.mkdir()
    shutil.copy(folder / "qd-12-2024-ubnd.txt", other / "qd-12-2024-ubnd-moi.txt")
    _new_version(other / "qd-12-2024-ubnd-moi.txt")
    report = ingest(store, [other], jobs=1, on_conflict="keep-both")
    assert report.counts["stored"] == 1
    with store.read() as conn:
        assert len(find_documents(conn, "12/2024/QĐ-UBND")) == 2


def test_same_number_from_another_issuer_is_another_document(store: Store, tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    ingest(store, [folder], jobs=1)
    text = (folder / "qd-12-2024-ubnd.txt").read_text(encoding="utf-8")
    other = tmp_path / "tinh-khac.txt"
    other.write_text(
        text.replace("TỈNH HÒA LÂM", "TỈNH BẮC LÂM").replace("tỉnh Hòa Lâm", "tỉnh Bắc Lâm"),
        encoding="utf-8",
    )
    report = ingest(store, [other], jobs=1)
    assert report.counts["stored"] == 1, report.problems
    with store.read() as conn:
        assert len(find_documents(conn, "12/2024/QĐ-UBND")) == 2


def test_force_reparses_in_place(store: Store, tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    ingest(store, [folder], jobs=1)
    report = ingest(store, [folder / "qd-16-2025-ubnd.txt"], jobs=1, force=True)
    assert report.counts["stored"] == 1 and not report.problems
    assert _count(store, schema.documents) == N_DEMO


def test_bad_policy_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        ingest(store, [], on_conflict="overwrite")


def test_a_file_the_database_refuses_fails_alone_and_its_batch_is_kept(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are written several per transaction; one that the database refuses (here a
    constraint error raised for one document) is rolled back alone and recorded as failed,
    the other files of its transaction are stored whole, and the next run stores it."""
    folder = _copy_corpus(tmp_path)
    bad = folder / "qd-12-2024-ubnd.txt"
    ingest_module = sys.modules["vbqppl.store.ingest"]  # the package re-exports ingest()
    real = ingest_module.save_rows

    def refuse(conn: Connection, rows: DocumentRows, cut: Sequence[Passage], **kw: Any) -> int:
        doc_id = real(conn, rows, cut, **kw)
        if rows.document["source_path"] == str(bad.resolve()):  # written, then refused
            raise IntegrityError("INSERT ...", {}, Exception("constraint failed"))
        return doc_id

    monkeypatch.setattr(ingest_module, "save_rows", refuse)
    report = ingest(store, [folder], jobs=1)
    assert [r.path for r in report.problems] == [str(bad.resolve())]
    assert report.problems[0].outcome == "failed"
    assert "không ghi được vào kho" in (report.problems[0].message or "")
    assert report.counts["stored"] == N_DEMO - 1
    with store.read() as conn:
        assert find_documents(conn, "12/2024/QĐ-UBND") == []
        state = conn.execute(
            select(schema.files.c.outcome).where(schema.files.c.path == str(bad.resolve()))
        ).scalar_one()
        assert state == "failed"
        orphans = conn.execute(
            select(func.count())
            .select_from(schema.units)
            .where(schema.units.c.document_id.not_in(select(schema.documents.c.id)))
        ).scalar_one()
        assert orphans == 0
    assert _count(store, schema.documents) == N_DEMO - 1

    monkeypatch.setattr(ingest_module, "save_rows", real)
    again = ingest(store, [folder], jobs=1)
    assert again.counts["stored"] == 1 and again.counts["unchanged"] == N_DEMO - 1
    assert _count(store, schema.documents) == N_DEMO
