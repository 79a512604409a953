"""Akoma Ntoso out of and into the store: passive modifications from the stored relations."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree
from typer.testing import CliRunner

from vbqppl.akn import from_akn
from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


def test_export_from_the_store_names_what_others_did(tmp_path: Path) -> None:
    db = str(tmp_path / "kho.db")
    assert runner.invoke(app, ["ingest", str(ROOT / "corpus"), "--db", db]).exit_code == 0
    out = tmp_path / "akn"
    result = runner.invoke(app, ["export", "akn", "12/2024/QĐ-UBND", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    (path,) = out.glob("*.xml")
    root = etree.fromstring(path.read_bytes())
    passive = root.find(f".//{AKN}passiveModifications")
    assert passive is not None
    destinations = {d.get("href") for d in passive.iter(f"{AKN}destination")}
    assert "#att_1__art_7__para_1__point_đ" in destinations  # a unit of this document
    assert from_akn(path.read_bytes()).metadata.number == "12/2024/QĐ-UBND"

    other = str(tmp_path / "khac.db")
    first = runner.invoke(app, ["import", "akn", str(path), "--db", other])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["import", "akn", str(path), "--db", other])
    assert again.exit_code == 1 and "--replace" in again.output
    status = runner.invoke(app, ["status", "12/2024/QĐ-UBND", "--db", other])
    assert status.exit_code == 0 and "12/2024/QĐ-UBND" in status.output


def test_consolidate_a_stored_document_by_its_number(tmp_path: Path) -> None:
    """The amending documents come from the store: the relations that act on the number."""
    db = str(tmp_path / "kho.db")
    assert runner.invoke(app, ["ingest", str(ROOT / "corpus"), "--db", db]).exit_code == 0
    args = ["consolidate", "12/2024/QĐ-UBND", "--db", db, "--format", "json"]
    before = runner.invoke(app, [*args, "--at", "2025-05-19"])
    after = runner.invoke(app, [*args, "--at", "2025-05-20"])
    assert before.exit_code == 0 and after.exit_code == 0, after.output

    def unit_ids(output: str) -> set[str]:
        return {u["id"] for u in json.loads(output)["units"]}

    inserted = "att_1__art_9__para_8a"  # "Bổ sung khoản 8a vào sau khoản 8 Điều 9", from 20/5/2025
    assert inserted not in unit_ids(before.stdout) and inserted in unit_ids(after.stdout)
    missing = runner.invoke(app, ["consolidate", "99/2099/QĐ-UBND", "--db", db])
    assert missing.exit_code != 0 and "99/2099/QĐ-UBND" in missing.output


def test_documents_sharing_a_number_export_to_two_files(tmp_path: Path) -> None:
    """Every province has a 12/2024/QĐ-UBND: exported by that number, each gets its own file
    (the one stored later, named apart, adds its id), none written over another."""
    text = (ROOT / "corpus" / "qd-12-2024-ubnd.txt").read_text(encoding="utf-8")
    other = tmp_path / "cao-bang.txt"
    other.write_text(text.replace("TỈNH HÒA LÂM", "TỈNH CAO BẰNG", 1), encoding="utf-8")
    db = str(tmp_path / "kho.db")
    for path in (ROOT / "corpus" / "qd-12-2024-ubnd.txt", other):
        assert runner.invoke(app, ["ingest", str(path), "--db", db]).exit_code == 0
    out = tmp_path / "akn"
    result = runner.invoke(app, ["export", "akn", "12/2024/QĐ-UBND", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.xml"))
    assert files == ["12-2024-QĐ-UBND-2.xml", "12-2024-QĐ-UBND.xml"]
    issuers = {from_akn(p.read_bytes()).metadata.issuer for p in out.glob("*.xml")}
    assert issuers == {"Ủy ban nhân dân tỉnh Hòa Lâm", "Ủy ban nhân dân tỉnh Cao Bằng"}
