"""``vbqppl review ...``: the queue from the command line (SQLite; the store functions under it
run on both backends in test_store_review.py). Items are opened by ``vbqppl ingest`` and
``vbqppl check``; every command prints JSON with ``--json``; errors are one Vietnamese line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"

runner = CliRunner()


def _run(db: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == code, (args, result.output)
    if code:
        err = result.stderr.strip()
        assert err.startswith("Lỗi:") and "\n" not in err and "Traceback" not in result.output
        return err
    return result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review-cli") / "kho.db"
    first = [
        CORPUS / n for n in ("qd-08-2019-ubnd.txt", "qd-06-2025-ubnd.txt", "qd-33-2024-ubnd.txt")
    ]
    out = json.loads(_run(path, "ingest", *map(str, first), "-q", "--json", "-j", "1"))
    assert out["review"]["opened"] == {}
    _run(path, "check", "--at", "2025-04-01")
    out = json.loads(_run(path, "ingest", str(CORPUS / "qd-27-2024-ubnd.txt"), "-q", "--json"))
    assert out["review"]["opened"] == {"amended": 1, "basis": 1}
    return path


def _items(db: Path, *args: str) -> list[dict]:
    return json.loads(_run(db, "review", "list", "--json", *args))


def test_list_filters_and_table(db: Path) -> None:
    everything = _items(db, "--status", "tất cả")
    assert {i["cause"] for i in everything} == {"finding", "amended", "basis"}
    open_ = _items(db)
    assert all(i["status"] not in ("đã xử lý", "giữ nguyên") for i in open_)
    (closed,) = _items(db, "--status", "đóng")
    assert (closed["document"], closed["outcome"], closed["handled_by"]) == (
        "08/2019/QĐ-UBND",
        "thay thế",
        "27/2024/QĐ-UBND",
    )
    (basis,) = _items(db, "--cause", "basis")
    assert basis["document"] == "06/2025/QĐ-UBND" and basis["via"] == "08/2019/QĐ-UBND"
    assert _items(db, "--document", "06/2025/QD-UBND", "--cause", "basis") == [basis]
    table = _run(db, "review", "list")
    assert "06/2025/QĐ-UBND" in table and f"{len(open_)} mục." in table


def test_assign_decide_note_history_reopen_export(db: Path, tmp_path: Path) -> None:
    (item,) = _items(db, "--cause", "basis")
    n = str(item["id"])
    shown = json.loads(_run(db, "review", "show", n, "--json"))
    assert shown["version"] == 1 and shown["status"] == "mới"
    out = json.loads(
        _run(
            db,
            "review",
            "assign",
            n,
            "--to",
            "Lan",
            "--deadline",
            "31/12/2025",
            "-u",
            "lan",
            "--json",
        )
    )
    assert (out["assignee"], out["deadline"], out["status"], out["version"]) == (
        "Lan",
        "2025-12-31",
        "đang rà soát",
        2,
    )
    # a decision based on the version seen before the assignment is refused
    err = _run(
        db,
        "review",
        "decide",
        n,
        "--handling",
        "bãi bỏ toàn bộ",
        "--version",
        "1",
        "-u",
        "minh",
        code=3,
    )
    assert "đã được người khác thay đổi" in err
    out = json.loads(
        _run(
            db,
            "review",
            "decide",
            n,
            "--handling",
            "sua doi, bo sung",
            "--version",
            "2",
            "-u",
            "lan",
            "--json",
        )
    )
    assert (out["recommendation"], out["status"]) == ("sửa đổi, bổ sung", "đã kiến nghị")
    out = json.loads(_run(db, "review", "note", n, "Chờ ý kiến Sở Tư pháp", "-u", "minh", "--json"))
    assert (
        out["notes"][-1]["text"] == "Chờ ý kiến Sở Tư pháp" and out["notes"][-1]["user"] == "minh"
    )
    out = json.loads(
        _run(db, "review", "decide", n, "--handling", "giữ nguyên", "-u", "lan", "--json")
    )
    assert out["status"] == "giữ nguyên"
    out = json.loads(_run(db, "review", "reopen", n, "-u", "lan", "--json"))
    assert out["status"] == "đang rà soát"
    log = json.loads(_run(db, "review", "history", n, "--json"))
    refused = [e for e in log if e["outcome"] == "refused"]
    assert [(e["user"], e["field"], e["new_value"]) for e in refused] == [
        ("minh", "recommendation", "bãi bỏ toàn bộ"),
        ("minh", "status", "đã kiến nghị"),
    ]
    assert next(e["action"] for e in log if e["outcome"] == "ok") == "open"
    assert "BỊ TỪ CHỐI" in _run(db, "review", "history", n)
    target = tmp_path / "hang-doi.csv"
    _run(db, "review", "export", "--format", "csv", "-o", str(target))
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,status,priority,document") and len(rows) == 1 + len(
        _items(db, "--status", "tất cả")
    )


def test_bad_input_is_one_line(db: Path) -> None:
    assert "không có mục rà soát #999" in _run(db, "review", "show", "999", code=1)
    assert "hình thức xử lý không hợp lệ" in _run(
        db, "review", "decide", "1", "--handling", "xoá", "-u", "a", code=1
    )
    assert "trạng thái" in _run(db, "review", "list", "--status", "lạ", code=1)
    assert "ngày không hợp lệ" in _run(
        db, "review", "assign", "1", "--deadline", "31/13/2025", "-u", "a", code=1
    )
