"""The store commands: output, exit codes, one-line Vietnamese errors (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from tests.store.corpus_docs import CORPUS, MANIFEST, load_linked
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl.store.db import open_store
from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

runner = CliRunner()
N_DEMO = len(MANIFEST["documents"])


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


def one_error_line(stderr: str) -> str:
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), stderr
    return lines[0]


@pytest.fixture
def linked_db(db_url: str) -> str:
    store = open_store(db_url)
    load_linked(store)
    store.close()
    return db_url


def test_ingest_twice(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "vb"
    shutil.copytree(CORPUS, folder)
    code, out, _ = run("ingest", str(folder), "--db", db_url, "-j", "1")
    assert code == 0
    assert f"{N_DEMO} văn bản mới, 0 không đổi" in out
    code, out, _ = run("ingest", str(folder), "--db", db_url, "-j", "1")
    assert code == 0
    assert f"0 văn bản mới, {N_DEMO} không đổi" in out and "0 tệp được xử lý" in out


def test_ingest_json_summary(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "vb"
    shutil.copytree(CORPUS, folder)
    (folder / "rong.txt").write_bytes(b"")
    code, out, _ = run("ingest", str(folder), "--db", db_url, "-j", "1", "--json")
    data = json.loads(out)
    assert code == 1
    assert data["counts"] == {"stored": N_DEMO, "unreadable": 1}
    assert len(data["results"]) == N_DEMO + 1
    bad = [r for r in data["results"] if r["outcome"] == "unreadable"]
    assert [Path(r["path"]).name for r in bad] == ["rong.txt"]
    # Every citation and relation is counted once, by how it resolved; every relation of the demo
    # corpus acts on a demo document, so none is left unresolved for want of its document.
    docs = [
        parse_document(read_file(p))
        for p in sorted(CORPUS.iterdir())
        if p.suffix in (".txt", ".md") and p.name != "README.md"
    ]
    assert sum(data["resolution"]["relations"].values()) == sum(len(d.relations) for d in docs)
    assert sum(data["resolution"]["citations"].values()) == sum(len(d.citations) for d in docs)
    assert "document" not in data["resolution"]["relations"]


def test_ingest_reports_bad_files_and_goes_on(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "vb"
    shutil.copytree(CORPUS, folder)
    (folder / "rong.txt").write_bytes(b"")
    code, out, err = run(
        "ingest", str(folder), str(tmp_path / "khong-co"), "--db", db_url, "-j", "1"
    )
    assert code == 1
    assert f"{N_DEMO} văn bản mới" in out and "1 lỗi" in out
    lines = err.strip().splitlines()
    assert any(x.startswith("Lỗi: Tệp rỗng") and "rong.txt" in x for x in lines)
    assert any(x.startswith("Lỗi: không tìm thấy tệp nào") for x in lines)


def test_ingest_conflict_needs_a_choice(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "vb"
    shutil.copytree(CORPUS, folder)
    run("ingest", str(folder), "--db", db_url, "-j", "1")
    target = folder / "qd-31-2024-ubnd.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n(bản mới)\n", encoding="utf-8")
    code, out, err = run("ingest", str(folder), "--db", db_url, "-j", "1")
    assert code == 1 and "trùng số ký hiệu chờ chọn" in out
    assert err.startswith("Trùng số ký hiệu: văn bản số 31/2024/QĐ-UBND")
    code, out, _ = run("ingest", str(folder), "--db", db_url, "-j", "1", "--replace")
    assert code == 0 and "1 thay thế văn bản cũ" in out
    code, _, err = run("ingest", str(folder), "--db", db_url, "--replace", "--keep-both")
    assert code != 0 and "--replace" in one_error_line(err)


def test_status(linked_db: str) -> None:
    code, out, _ = run("status", "08/2019/QD-UBND", "--at", "01/06/2025", "--db", linked_db)
    assert code == 0
    assert "Tình trạng ngày 01/06/2025: hết hiệu lực toàn bộ (từ 01/10/2024)" in out
    assert "Lý do: bị thay thế bởi Quyết định 27/2024/QĐ-UBND từ ngày 01/10/2024" in out
    code, out, _ = run(
        "status", "12/2024/QĐ-UBND", "--at", "2025-06-01", "--db", linked_db, "--json"
    )
    data = json.loads(out)
    assert data["status"] == "hết hiệu lực một phần" and data["since"] == "2025-05-20"
    assert data["units"]["att_1__art_10__para_1__point_c"]["status"] == "hết hiệu lực toàn bộ"
    assert "att_1__art_10__para_1" not in data["units"]  # only the units acted on, by default
    code, out, _ = run(
        "status", "12/2024/QĐ-UBND", "--at", "2025-06-01", "--db", linked_db, "--all-units"
    )
    assert "[att_1__art_10__para_1]: hết hiệu lực một phần" in out
    code, out, _ = run("status", "12/2024/QĐ-UBND", "--at", "2024-03-20", "--db", linked_db)
    assert "chưa có hiệu lực" in out and "có hiệu lực từ ngày 25/03/2024" in out


def test_list_filters(linked_db: str) -> None:
    code, out, _ = run(
        "list",
        "--status",
        "het hieu luc toan bo",
        "--at",
        "2025-10-01",
        "--db",
        linked_db,
        "--json",
    )
    assert code == 0
    assert {r["number"] for r in json.loads(out)} == {
        "08/2019/QĐ-UBND",
        "15/2020/QĐ-UBND",
        "17/2021/QĐ-UBND",
    }
    _, out, _ = run("list", "--issuer", "Bắc Lâm", "--db", linked_db, "--json")
    assert {r["number"] for r in json.loads(out)} == {"22/2022/QĐ-UBND", "17/2021/QĐ-UBND"}
    _, out, _ = run("list", "--type", "nghi quyet", "--db", linked_db)
    assert "05/2023/NQ-HĐND" in out and "1 văn bản" in out
    code, _, err = run("list", "--status", "đã sửa", "--db", linked_db)
    assert code != 0 and "còn hiệu lực" in one_error_line(err)


def test_unresolved(linked_db: str) -> None:
    code, out, _ = run("unresolved", "--db", linked_db, "--limit", "0")
    assert code == 0
    assert "- 63/2010/NĐ-CP — không có văn bản này trong kho — 3 lần" in out
    assert (
        "12/2024/QĐ-UBND Điều 25 văn bản kèm theo — văn bản có trong kho nhưng không có đơn vị này"
        in out
    )
    _, out, _ = run("unresolved", "--db", linked_db, "--kind", "relations", "--json")
    assert {r["target"]["unit"] for r in json.loads(out)} == {
        "att_1__art_7__para_1__point_đ",
        "att_1__art_9__para_8a",
    }


def test_search(linked_db: str) -> None:
    code, out, _ = run(
        "search", "thoi han giai quyet thu tuc", "--db", linked_db, "--at", "2025-06-01", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["match"] == "phrase" and data["hits"]
    first = data["hits"][0]
    assert {"number", "unit", "status", "snippet"} <= set(first)
    assert all("«thời hạn giải quyết thủ tục»" in h["snippet"].lower() for h in data["hits"])
    _, out, _ = run("search", "thu tuc ho tro", "--db", linked_db, "-n", "3")
    assert out.startswith("3 kết quả cho “thu tuc ho tro”")
    _, out, _ = run("search", "khong co gi zzqx", "--db", linked_db)
    assert out.strip() == "Không tìm thấy: khong co gi zzqx"


def test_graph(linked_db: str, tmp_path: Path) -> None:
    code, out, _ = run("graph", "export", "--format", "json", "--db", linked_db, "--no-units")
    assert code == 0
    g = nx.node_link_graph(json.loads(out), edges="links")
    assert sum(1 for _, d in g.nodes(data=True) if d["kind"] == "document") == N_DEMO
    target = tmp_path / "g.graphml"
    code, _, err = run("graph", "export", "-o", str(target), "--db", linked_db)
    assert code == 0 and target.exists() and err.startswith(f"Đã ghi {target}")
    code, out, _ = run("graph", "show", "12/2024/QĐ-UBND", "--db", linked_db)
    assert code == 0
    assert "Bị thay đổi bởi (" in out and "Quyết định 16/2025/QĐ-UBND" in out
    assert "điểm c khoản 1 Điều 10 văn bản kèm theo" in out
    assert "Thay đổi văn bản khác: không có" in out


def test_errors_are_one_line(tmp_path: Path, linked_db: str) -> None:
    _, _, err = run("status", "12/2024/QĐ-UBND", "--db", str(tmp_path / "chua-co.db"))
    assert "chưa có kho dữ liệu" in one_error_line(err)
    assert not (tmp_path / "chua-co.db").exists()
    _, _, err = run("status", "99/2099/QĐ-UBND", "--db", linked_db)
    assert "không có văn bản số 99/2099/QĐ-UBND" in one_error_line(err)
    _, _, err = run("status", "12/2024/QĐ-UBND", "--at", "31/02/2025", "--db", linked_db)
    assert "ngày không hợp lệ" in one_error_line(err)
    _, _, err = run("list", "--db", "mysql://u@h/db")
    assert "chỉ hỗ trợ SQLite và PostgreSQL" in one_error_line(err)
    _, _, err = run("graph", "export", "--format", "dot", "--db", linked_db)
    assert "dot" in one_error_line(err)
    _, _, err = run("search", "  ", "--db", linked_db)
    assert "không có từ nào" in one_error_line(err)


def test_unreachable_postgres_is_one_line() -> None:
    code, _, err = run("list", "--db", "postgresql://nobody@127.0.0.1:9/khong_co?connect_timeout=2")
    assert code == 3
    assert "lỗi cơ sở dữ liệu postgresql+psycopg://nobody@127.0.0.1:9/khong_co" in one_error_line(
        err
    )


def test_db_from_environment(linked_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VBQPPL_DB", linked_db)
    code, out, _ = run("list", "--type", "nghị quyết")
    assert code == 0 and "05/2023/NQ-HĐND" in out


def test_ingest_check_gives_the_new_documents_findings_as_check_document(
    db_url: str, tmp_path: Path
) -> None:
    """``ingest FILE --check``: the new document is checked against the store in the same
    command; its findings are those ``check --document`` gives, saved to the store."""
    folder = tmp_path / "vb"
    shutil.copytree(CORPUS, folder)
    new = folder / "qd-12-2024-ubnd.txt"  # repeats a higher text: a pair check finds it
    later = tmp_path / new.name
    new.rename(later)
    assert run("ingest", str(folder), "--db", db_url, "-j", "1")[0] == 0
    code, out, _ = run("ingest", str(later), "--db", db_url, "--check", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["counts"]["stored"] == 1 and data["findings"]
    assert all("12/2024/QĐ-UBND" in f["documents"] for f in data["findings"])
    code, out, _ = run("check", "--db", db_url, "--document", "12/2024/QĐ-UBND", "--format=json")
    assert code == 0
    assert sorted(f["id"] for f in json.loads(out)) == sorted(f["id"] for f in data["findings"])
    code, out, _ = run("findings", "--db", db_url, "--document", "12/2024/QĐ-UBND", "--format=json")
    assert sorted(f["id"] for f in json.loads(out)) == sorted(f["id"] for f in data["findings"])
    code, out, _ = run("ingest", str(later), "--db", db_url, "--check")
    assert code == 0 and "Rà soát 0 văn bản vừa nạp" in out  # unchanged: nothing new to check


def test_every_command_has_its_module_in_the_routes() -> None:
    """``vbqppl COMMAND`` imports only the module ``routes.COMMANDS`` names: every command and
    command group registered on the app must be there, under the module defining it."""
    from vbqppl_cli.routes import COMMANDS

    names = {c.name: c.callback.__module__ for c in app.registered_commands if c.callback}
    names.update(
        (g.name, g.typer_instance.registered_commands[0].callback.__module__)
        for g in app.registered_groups
        if g.typer_instance and g.name
    )
    assert set(names) == set(COMMANDS)
    for name, module in names.items():
        assert module == f"vbqppl_cli.{COMMANDS[name]}", name
