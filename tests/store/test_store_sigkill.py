"""Killing ``vbqppl ingest`` with SIGKILL half-way leaves the store consistent (each document
whole or absent), its workers go away by themselves, and the next run finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select, text

from vbqppl.store import schema
from vbqppl.store.db import open_store
from vbqppl.store.ingest import ingest

pytestmark = pytest.mark.slow

N_DOCS = 240
ARTICLES = 12
PARAGRAPH = (
    "Cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh có trách nhiệm hướng dẫn, kiểm tra việc thực "
    "hiện thủ tục hành chính về đất đai, xây dựng và môi trường trên địa bàn; báo cáo kết quả "
    "định kỳ sáu tháng, hằng năm hoặc đột xuất theo yêu cầu của cơ quan có thẩm quyền.\n"
)


def _document(i: int) -> str:
    articles = []
    for a in range(1, ARTICLES + 1):
        clauses = "".join(f"{k}. {PARAGRAPH * 3}" for k in range(1, 5))
        articles.append(f"Điều {a}. Nội dung thứ {a} của văn bản số {i}\n{clauses}")
    return (
        "ỦY BAN NHÂN DÂN\nTỈNH HÒA LÂM\n"
        f"Số: {i}/2023/QĐ-UBND\n"
        "Hòa Lâm, ngày 15 tháng 3 năm 2023\n\nQUYẾT ĐỊNH\n"
        f"Quy định thử nghiệm số {i} trên địa bàn tỉnh Hòa Lâm\n\n"
        "ỦY BAN NHÂN DÂN TỈNH HÒA LÂM\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n\n"
        "QUYẾT ĐỊNH:\n" + "".join(articles)
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "vb"
    out.mkdir()
    for i in range(1, N_DOCS + 1):
        (out / f"qd-{i:04d}.txt").write_text(_document(i), encoding="utf-8")
    return out


def _command() -> list[str]:
    script = Path(sys.executable).with_name("vbqppl")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from vbqppl_cli.app import main; main()"]


def _alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigkill_mid_ingest_then_rerun_finishes(db_url: str, folder: Path) -> None:
    store = open_store(db_url)  # made and migrated up front: the kill lands in the ingest proper
    cmd = [*_command(), "ingest", str(folder), "--db", db_url, "-j", "2", "--quiet"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            with store.read() as conn:
                stored = conn.execute(
                    select(func.count()).select_from(schema.documents)
                ).scalar_one()
            if stored >= 20:
                break
            time.sleep(0.05)
        assert proc.poll() is None, (
            f"ingest ended before it could be killed: {proc.stderr.read()!r}"
        )  # type: ignore[union-attr]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        # the workers notice their parent is gone and leave on their own
        deadline = time.monotonic() + 15
        while _alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(proc.pid), "worker processes outlived the killed ingest"
    finally:
        if _alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)

    with store.read() as conn:
        if store.dialect == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        docs = conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()
        assert 20 <= docs < N_DOCS, "the kill should land half-way"
        _check_whole(conn, docs)

    report = ingest(store, [folder], jobs=2)
    assert not report.problems
    assert report.counts["stored"] == N_DOCS - docs
    assert report.counts["unchanged"] == docs
    with store.read() as conn:
        _check_whole(conn, N_DOCS)
        numbers = conn.execute(
            select(func.count(func.distinct(schema.documents.c.number)))
        ).scalar_one()
        assert numbers == N_DOCS
    assert ingest(store, [folder], jobs=2).counts == {"unchanged": N_DOCS}
    store.close()


def _check_whole(c: Connection, n_docs: int) -> None:
    """Every stored document has all its parts; nothing hangs without its document."""
    files_ok = c.execute(
        select(func.count()).select_from(schema.files).where(schema.files.c.outcome == "ok")
    ).scalar_one()
    assert files_ok == n_docs
    per_doc = dict(
        c.execute(
            select(schema.units.c.document_id, func.count())
            .where(schema.units.c.kind == "article")
            .group_by(schema.units.c.document_id)
        ).all()
    )
    assert len(per_doc) == n_docs and set(per_doc.values()) == {ARTICLES}
    passages = c.execute(select(func.count()).select_from(schema.passages)).scalar_one()
    indexed = c.execute(text("SELECT count(*) FROM passage_fts")).scalar_one()
    assert passages == indexed >= n_docs * ARTICLES
    orphans = c.execute(
        text("SELECT count(*) FROM units WHERE document_id NOT IN (SELECT id FROM documents)")
    ).scalar_one()
    assert orphans == 0


def test_parsing_workers_yield_the_processor_to_the_writer() -> None:
    """A parsing worker runs WORKER_NICE steps below its parent, so the writer (and on
    PostgreSQL the server it waits on) runs as soon as it is ready."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from vbqppl.store.workers import WORKER_NICE, _worker_init

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
    ) as pool:
        worker = pool.submit(os.nice, 0).result()
    assert worker == min(19, os.nice(0) + WORKER_NICE)


@pytest.mark.parametrize(("ahead", "budget"), [(None, None), (70, None), (70, 1)])
def test_parsed_stream_yields_every_file_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: int | None, budget: int | None
) -> None:
    """However far ahead the workers run (a writer's batch ahead, or one file each once the
    files in hand pass the byte budget), every file comes back once, in the order given."""
    from vbqppl.store import workers

    if budget is not None:
        monkeypatch.setattr(workers, "AHEAD_BYTES", budget)
    todo = []
    for k in range(12):
        path = tmp_path / f"{k:02d}.txt"
        path.write_text(f"QUYẾT ĐỊNH\nĐiều 1. Văn bản số {k}.\n", encoding="utf-8")
        todo.append(workers.Todo(path, "", path.stat().st_size))
    got = [
        (item.path.name, parsed.rows is not None)
        for item, parsed in workers.parsed_stream(todo, 2, ahead=ahead)
    ]
    assert got == [(f"{k:02d}.txt", True) for k in range(12)]
