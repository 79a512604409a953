"""Crashes and a sick database: ``vbqppl check`` killed with SIGKILL at moments spread over its
run (SQLite and PostgreSQL), a SQLite store locked by another writer, a PostgreSQL server that is
not there, and a full disk. Each time: one Vietnamese line, a non-zero exit, the store
consistent, and the next run completes. (SIGKILL during ingest: ``tests/store/test_store_sigkill.py``.)
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text

from tests.reliability.badfiles import good_text, write_good
from tests.store.corpus_docs import load_linked
from vbqppl.store import schema
from vbqppl.store.db import BUSY_ENV, Store, open_store

AT = "2026-01-01"


def vbqppl(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("vbqppl")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "vbqppl_cli"]
    return [*base, *args]


def run_cli(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(extra_env or {})}
    return subprocess.run(vbqppl(*args), capture_output=True, text=True, env=env, timeout=300)


def one_line(stderr: str) -> str:
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def consistent(store: Store) -> None:
    """SQLite's own checks, and no row hanging without its document."""
    with store.read() as conn:
        if store.dialect == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        for table in ("units", "citations", "relations", "passages"):
            orphans = conn.execute(
                text(
                    f"SELECT count(*) FROM {table} "
                    "WHERE document_id NOT IN (SELECT id FROM documents)"
                )
            ).scalar_one()
            assert orphans == 0, table


def stored_documents(db: Path) -> int:
    """How many documents a SQLite store holds, after checking it is consistent and that each
    has its file marked ``ok``."""
    store = open_store(str(db), create=False)
    try:
        consistent(store)
        with store.read() as conn:
            docs = conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()
            ok = conn.execute(
                select(func.count()).select_from(schema.files).where(schema.files.c.outcome == "ok")
            ).scalar_one()
        assert ok == docs
        return int(docs)
    finally:
        store.close()


def findings_state(store: Store) -> set[tuple[str, str]]:
    with store.read() as conn:
        return {
            (r.id, r.status)
            for r in conn.execute(select(schema.findings.c.id, schema.findings.c.status))
        }


@pytest.mark.slow
def test_sigkill_during_check_leaves_all_or_nothing(db_url: str) -> None:
    """A clean run gives the findings F; then, from an empty findings table each time, the check
    is killed at 30 %...97 % of a warm clean run's duration: afterwards the table holds nothing or
    exactly F (one transaction), the store passes its checks, and a last run completes."""
    store = open_store(db_url)
    try:
        load_linked(store)
        for _ in range(2):  # the second, warm run is the one timed
            started = time.monotonic()
            done = run_cli("check", "--db", db_url, "--at", AT, "--format", "json")
            duration = time.monotonic() - started
            assert done.returncode == 0, done.stderr
        complete = findings_state(store)
        assert complete and {s for _, s in complete} == {"open"}
        outcomes = []
        for share in (0.3, 0.6, 0.8, 0.9, 0.97):
            with store.begin() as conn:
                conn.execute(delete(schema.findings))
            proc = subprocess.Popen(
                vbqppl("check", "--db", db_url, "--at", AT),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(duration * share)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            state = findings_state(store)
            assert state in (set(), complete), f"half-written findings after a kill at {share}"
            consistent(store)
            outcomes.append((proc.returncode, bool(state)))
        print(json.dumps({"clean_run_s": round(duration, 1), "kills": outcomes}))
        killed = [saved for code, saved in outcomes if code == -signal.SIGKILL]
        assert killed, outcomes  # at least one kill landed while the check was running
        assert not all(killed), "no kill landed before the findings were committed"
        again = run_cli("check", "--db", db_url, "--at", AT)
        assert again.returncode == 0, again.stderr
        assert findings_state(store) == complete
        consistent(store)
    finally:
        store.close()


@pytest.fixture
def locked_sqlite(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen]]:
    """A store with one document, and another process holding its write lock."""
    db = tmp_path / "kho.db"
    assert run_cli("ingest", str(write_good(tmp_path, 1)), "--db", str(db), "-q").returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield db, holder
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait(timeout=30)


def test_sqlite_locked_by_another_writer(
    locked_sqlite: tuple[Path, subprocess.Popen], tmp_path: Path
) -> None:
    db, holder = locked_sqlite
    folder = tmp_path / "moi"
    folder.mkdir()
    for n in (2, 3):
        write_good(folder, n)
    started = time.monotonic()
    done = run_cli("ingest", str(folder), "--db", str(db), "-q", extra_env={BUSY_ENV: "1"})
    waited = time.monotonic() - started
    assert done.returncode == 3
    assert one_line(done.stderr) == (
        f"Lỗi: lỗi cơ sở dữ liệu {db}: kho đang bị một tiến trình khác khoá ghi "
        "(đã chờ 1 giây); hãy chờ tiến trình đó xong rồi chạy lại"
    )
    assert waited < 60, "the busy timeout from the environment was not used"
    holder.communicate("")  # the other writer ends its transaction and goes
    done = run_cli("ingest", str(folder), "--db", str(db), "-q")
    assert done.returncode == 0, done.stderr
    assert stored_documents(db) == 3


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("command", [["ingest", "."], ["check"], ["list"]])
def test_unreachable_postgres(command: list[str], tmp_path: Path) -> None:
    port = _closed_port()
    url = f"postgresql://vbqppl@127.0.0.1:{port}/kho?connect_timeout=3"
    write_good(tmp_path, 1)
    args = [a if a != "." else str(tmp_path) for a in command]
    done = run_cli(*args, "--db", url)
    assert done.returncode == 3
    assert one_line(done.stderr) == (
        f"Lỗi: lỗi cơ sở dữ liệu postgresql+psycopg://vbqppl@127.0.0.1:{port}/kho"
        "?connect_timeout=3: không kết nối được tới máy chủ PostgreSQL (máy chủ chưa chạy, "
        "sai địa chỉ hoặc cổng)"
    )


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (needs root and the right to mount; skipped otherwise)."""
    mount = tmp_path / "dia"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("cần quyền root để gắn tmpfs 2 MiB (mô phỏng đĩa đầy)")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"không gắn được tmpfs: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full(small_disk: Path, tmp_path: Path) -> None:
    db = small_disk / "kho.db"
    folder = tmp_path / "vb"
    folder.mkdir()
    for n in range(1, 13):
        (folder / f"tot-{n:02d}.txt").write_text(good_text(n) * 8, encoding="utf-8")
    assert run_cli("ingest", str(folder / "tot-01.txt"), "--db", str(db), "-q").returncode == 0
    free = os.statvfs(small_disk)
    room = free.f_bavail * free.f_frsize - 64 * 1024  # leave 64 KiB: a document or two
    filler = small_disk / "day"
    filler.write_bytes(bytes(max(0, room)))
    full = run_cli("ingest", str(folder), "--db", str(db), "-q", "-j", "1")
    assert full.returncode == 3
    assert one_line(full.stderr) == (
        f"Lỗi: lỗi cơ sở dữ liệu {db}: hết chỗ trên đĩa chứa kho; các văn bản đã ghi vẫn "
        "nguyên vẹn, hãy giải phóng dung lượng rồi chạy lại"
    )
    assert 1 <= stored_documents(db) < 12
    filler.unlink()
    again = run_cli("ingest", str(folder), "--db", str(db), "-q", "-j", "1")
    assert again.returncode == 0, again.stderr
    assert stored_documents(db) == 12


def test_a_sqlite_write_transaction_takes_the_write_lock_at_once(tmp_path: Path) -> None:
    """``store.begin()`` is ``BEGIN IMMEDIATE``: a block that reads first cannot later be
    refused at once (SQLITE_BUSY_SNAPSHOT) because another writer committed in between."""
    import sqlite3

    db = tmp_path / "kho.db"
    store = open_store(str(db))
    try:
        with store.begin() as conn:
            conn.execute(text("SELECT 1"))
            other = sqlite3.connect(db, timeout=0, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()
        with store.read() as conn:  # a reader takes no write lock
            conn.execute(text("SELECT 1"))
            other = sqlite3.connect(db, timeout=0, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            other.close()
    finally:
        store.close()
