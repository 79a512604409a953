"""Bad and hostile files through ``vbqppl parse`` and ``vbqppl ingest``: one Vietnamese line
each, a non-zero exit, and in a batch the good files are all stored and nothing else."""

from __future__ import annotations

import importlib
import json
import os
import random
import shutil
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from tests.reliability.badfiles import BAD, good_text, write_good
from vbqppl.errors import ReadError
from vbqppl.read import read_bytes
from vbqppl.store import schema
from vbqppl.store.db import open_store
from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

runner = CliRunner()
ingest_module = importlib.import_module("vbqppl.store.ingest")  # the package re-exports ingest()
GOOD = 3


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def error_lines(stderr: str) -> list[str]:
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert all(x.startswith("Lỗi: ") for x in lines), stderr
    return lines


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("xau")
    return {case: bad.make(folder) for case, bad in BAD.items()}


@pytest.mark.parametrize("case", list(BAD))
def test_parse_refuses_in_one_line(case: str, bad_folder: dict[str, Path]) -> None:
    path = bad_folder[case]
    code, out, err = run("parse", str(path))
    assert code == 2 and out == ""
    [line] = error_lines(err)
    assert BAD[case].says in line and str(path) in line


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "lo"
    folder.mkdir()
    for n in range(1, GOOD + 1):
        write_good(folder, n)
    for bad in BAD.values():
        bad.make(folder)
    return folder


def _stored_numbers(db_url: str) -> list[str]:
    store = open_store(db_url, create=False)
    try:
        with store.read() as conn:
            if store.dialect == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            numbers = conn.execute(select(schema.documents.c.number)).scalars().all()
            ok_files = conn.execute(
                select(func.count()).select_from(schema.files).where(schema.files.c.outcome == "ok")
            ).scalar_one()
        assert ok_files == len(numbers)
        return sorted(numbers)
    finally:
        store.close()


def test_a_batch_of_bad_files_stores_exactly_the_good_ones(db_url: str, mixed_folder: Path) -> None:
    code, out, err = run("ingest", str(mixed_folder), "--db", db_url, "-j", "2", "--quiet")
    assert code == 1
    lines = error_lines(err)
    # every bad file (the two looping links of the symlink case count twice) in exactly one line
    names = [p.name for p in mixed_folder.iterdir() if not p.name.startswith("tot-")]
    names = [n for n in names if n != "con"]  # the folder looping back to its parent: not entered
    for name in names:
        assert sum(f"/{name}" in line for line in lines) == 1, (name, lines)
    assert len(lines) == len(names)
    assert f"{GOOD} văn bản mới" in out and f"{len(names)} lỗi" in out
    assert _stored_numbers(db_url) == [f"{n}/2024/QĐ-UBND" for n in range(1, GOOD + 1)]


@pytest.mark.parametrize("when", ["after-listing", "after-hashing"])
def test_a_file_deleted_during_ingest(
    when: str, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file vanishes after the folder was listed (before the parent reads and hashes it),
    or after the parent hashed it (before the worker reads it to parse)."""
    for n in (1, 2):
        write_good(tmp_path, n)
    victim = write_good(tmp_path, 3)
    if when == "after-listing":
        listing = ingest_module.expand_paths

        def list_then_delete(args: list[str]) -> tuple[list[Path], list[str]]:
            found = listing(args)
            victim.unlink()
            return found

        monkeypatch.setattr(ingest_module, "expand_paths", list_then_delete)
    else:
        read = ingest_module.read_capped

        def read_then_delete(path: Path) -> bytes:
            data = read(path)
            if path.name == victim.name:
                path.unlink()
            return data

        monkeypatch.setattr(ingest_module, "read_capped", read_then_delete)
    code, _, err = run("ingest", str(tmp_path), "--db", db_url, "-j", "1", "--quiet")
    assert code == 1
    [line] = error_lines(err)
    assert "Không tìm thấy tệp (đã bị xoá hoặc di chuyển?)" in line and victim.name in line
    assert _stored_numbers(db_url) == ["1/2024/QĐ-UBND", "2/2024/QĐ-UBND"]


def test_parse_a_file_deleted_between_stat_and_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = write_good(tmp_path, 1)
    opener = Path.open

    def delete_then_open(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == victim.name:
            self.unlink(missing_ok=True)
        return opener(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", delete_then_open)
    code, _, err = run("parse", str(victim))
    assert code == 2
    [line] = error_lines(err)
    assert line == f"Lỗi: Không tìm thấy tệp (đã bị xoá hoặc di chuyển?): {victim}"


NOBODY = 65534


def _as_nobody(work: Path, argvs: list[list[str]]) -> list[tuple[int, str]]:
    """Run the CLI commands in a forked child that has dropped root for ``nobody`` (root reads
    a chmod 000 file anyway); not root, the child just runs them. Exit code and stderr each."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            os.environ["HOME"] = str(work)
            results = []
            for command in argvs:
                code, _, err = run(*command)
                results.append((code, err))
            with os.fdopen(write_end, "w", encoding="utf-8") as out:
                json.dump(results, out)
            status = 0
        except BaseException:
            traceback.print_exc()  # shown by pytest as the child's stderr
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        answer = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0 and answer, "the unprivileged child failed"
    return [(code, err) for code, err in json.loads(answer)]


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder ``nobody`` can reach (pytest's own tmp folders are root's alone)."""
    work = Path(tempfile.mkdtemp(prefix="vbqppl-quyen-"))
    work.chmod(0o777)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_unreadable_permissions(tmp_path: Path, open_dir: Path) -> None:
    """chmod 000 on a file: parse and ingest say so in one line; the other files are stored."""
    work = open_dir
    for n in (1, 2):
        write_good(work, n)
    locked = work / "khoa.txt"
    locked.write_text(good_text(3), encoding="utf-8")
    locked.chmod(0)
    db = work / "kho.db"
    # everything the commands import is imported here first, while the interpreter's own
    # files are still readable (as nobody, /root/... may not be)
    run("ingest", str(write_good(tmp_path, 9)), "--db", str(tmp_path / "nap-truoc.db"), "-j", "1")
    results = _as_nobody(
        work, [["parse", str(locked)], ["ingest", str(work), "--db", str(db), "-j", "1"]]
    )
    for code, err in results:
        assert code != 0
        assert error_lines(err) == [f"Lỗi: Không có quyền đọc tệp: {locked}"], err
    assert _stored_numbers(str(db)) == ["1/2024/QĐ-UBND", "2/2024/QĐ-UBND"]


def test_a_few_broken_bytes_do_not_turn_utf8_into_mojibake() -> None:
    """Found by the corpus fuzz: one bad byte in a UTF-8 file used to send the whole file to the
    Windows-1252/1258 decoder, every Vietnamese letter turned into mojibake."""
    data = bytearray(good_text(7).encode("utf-8") * 3)
    data[data.index(b"2024")], data[data.index(b"Hi")] = 0xFF, 0x80  # over ASCII letters
    raw = read_bytes(bytes(data), name="hong-2-byte.txt")
    assert raw.encoding == "utf-8"
    assert "tệp UTF-8 có 2 chỗ byte hỏng: đã thay bằng ký tự \ufffd" in raw.notes
    assert raw.text.count("\ufffd") == 2 and "Quyết định này quy định việc thử nghiệm" in raw.text
    legacy = good_text(7).encode("cp1258", errors="replace")  # a real single-byte file
    assert read_bytes(legacy, name="cu.txt").encoding != "utf-8"


@pytest.mark.parametrize("start", ["BM.TBYT.03.02", "BM 01", "MZ-02", "RIFF", "ID3 Biểu mẫu"])
def test_text_that_opens_like_a_binary_signature_is_text(start: str) -> None:
    """Found by the corpus fuzz: a form opening "BM.TBYT..." was refused as a BMP picture."""
    raw = read_bytes(f"{start}\n{good_text(8)}".encode(), name="bieu-mau.txt")
    assert raw.format == "txt" and raw.text.startswith(start)
    with pytest.raises(ReadError, match="dữ liệu nhị phân"):
        read_bytes(b"BM" + bytes(64) + random.Random(3).randbytes(512), name="anh.txt")
