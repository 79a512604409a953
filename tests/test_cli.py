"""The command line: contract JSON, formats, one-line Vietnamese errors, help in the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

DOC = """\
ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM
Số: 12/2024/QĐ-UBND
Hòa Lâm, ngày 15 tháng 3 năm 2024
QUYẾT ĐỊNH
Về thời hạn giải quyết
QUYẾT ĐỊNH:
Điều 1. Phạm vi điều chỉnh
1. Quy định thời hạn.
a) Điểm a.
Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực thi hành kể từ ngày ký.
"""


@pytest.fixture
def doc_file(tmp_path: Path) -> Path:
    p = tmp_path / "qd.txt"
    p.write_text(DOC, encoding="utf-8")
    return p


def test_parse_json_follows_the_contract(doc_file: Path) -> None:
    result = runner.invoke(app, ["parse", str(doc_file)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "vbqppl/document@1"
    assert set(data) == {
        "schema",
        "source",
        "metadata",
        "units",
        "citations",
        "relations",
        "diagnostics",
    }
    assert data["metadata"]["number"] == "12/2024/QĐ-UBND"
    assert data["metadata"]["effective_rule"] == "kể từ ngày ký"
    assert [u["id"] for u in data["units"]] == [
        "art_1",
        "art_1__para_1",
        "art_1__para_1__point_a",
        "art_2",
    ]
    # spans index the text that --text prints
    text = runner.invoke(app, ["parse", str(doc_file), "--format", "text"]).stdout
    for u in data["units"]:
        start, end = u["span"]
        assert text[start:end].startswith(u["label"].split()[0])


def test_parse_jsonl_and_array(doc_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "b.txt"
    other.write_text(DOC.replace("12/2024", "13/2024"), encoding="utf-8")
    lines = runner.invoke(
        app, ["parse", str(doc_file), str(other), "--format", "jsonl"]
    ).stdout.splitlines()
    assert [json.loads(x)["metadata"]["number"] for x in lines] == [
        "12/2024/QĐ-UBND",
        "13/2024/QĐ-UBND",
    ]
    arr = json.loads(runner.invoke(app, ["parse", str(doc_file), str(other)]).stdout)
    assert isinstance(arr, list) and len(arr) == 2


def test_parse_goes_on_past_an_unreadable_file(doc_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "b.txt"
    other.write_text(DOC.replace("12/2024", "13/2024"), encoding="utf-8")
    missing = tmp_path / "khong-co.txt"
    result = runner.invoke(
        app, ["parse", str(doc_file), str(missing), str(other), "--format", "jsonl"]
    )
    assert result.exit_code != 0
    numbers = [json.loads(x)["metadata"]["number"] for x in result.stdout.splitlines()]
    assert numbers == ["12/2024/QĐ-UBND", "13/2024/QĐ-UBND"]
    assert "khong-co.txt" in result.stderr and "Đã tách 2/3 tệp" in result.stderr
    assert "Traceback" not in result.stderr


def test_parse_tree_is_readable(doc_file: Path) -> None:
    out = runner.invoke(app, ["parse", str(doc_file), "--format", "tree"]).stdout
    assert "Quyết định 12/2024/QĐ-UBND" in out
    assert "Điều 1 Phạm vi điều chỉnh  [art_1]" in out


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"", "empty.txt"), (b"\x00\x01\x02\xff" * 200, "binary.txt")],
)
def test_unreadable_file_is_one_vietnamese_line(tmp_path: Path, content: bytes, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    result = runner.invoke(app, ["parse", str(p)])
    assert result.exit_code != 0
    err = result.stderr.strip()
    assert err.startswith("Lỗi:") and "\n" not in err
    assert "Traceback" not in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "khong-co.txt")])
    assert result.exit_code != 0
    assert result.stderr.startswith("Lỗi:") and "Traceback" not in result.output


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = get_command(app)
    names = sorted(group.commands)  # type: ignore[attr-defined]
    assert "parse" in names
    for name in names:
        cmd = group.commands[name]  # type: ignore[attr-defined]
        assert cmd.help and cmd.help.strip(), name
        assert re.search(rf"vbqppl {name}\b", readme), f"README does not show `vbqppl {name}`"


def test_cite_prints_citations_and_relations(tmp_path: Path) -> None:
    p = tmp_path / "bb.txt"
    p.write_text(
        DOC.replace(
            "1. Quy định thời hạn.",
            "1. Bãi bỏ khoản 2 Điều 3 Quyết định số 08/2019/QĐ-UBND ngày 20 tháng 3 năm 2019.",
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["cite", str(p), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["number"] == "12/2024/QĐ-UBND"
    (rel,) = data["relations"]
    assert rel["type"] == "repeals" and rel["target"]["number"] == "08/2019/QĐ-UBND"
    assert rel["target"]["unit"] == "art_3__para_2" and rel["scope"] == "part"
    assert any(c["target"]["number"] == "08/2019/QĐ-UBND" for c in data["citations"])
    table = runner.invoke(app, ["cite", str(p)])
    assert table.exit_code == 0
    assert "bãi bỏ" in table.stdout and "08/2019/QĐ-UBND" in table.stdout


def test_spacy_finds_the_component_by_name_alone() -> None:
    """A spaCy user who never imports vbqppl gets the component through the entry point."""
    import subprocess
    import sys

    code = (
        "import spacy\n"
        "nlp = spacy.blank('vi', config={'nlp': {'tokenizer': {'use_pyvi': False}}})\n"
        "nlp.add_pipe('vbqppl_citations')\n"
        "doc = nlp('theo khoản 2 Điều 5 Nghị định số 45/2020/NĐ-CP.')\n"
        "(s,) = doc.spans['vbqppl_citations']\n"
        "print(s._.vbqppl['text'], '|', s._.vbqppl['number'], s._.vbqppl['articles'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "khoản 2 Điều 5 Nghị định số 45/2020/NĐ-CP | 45/2020/NĐ-CP ['5']"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_output_that_cannot_be_written_is_one_line_and_a_failure(doc_file: Path) -> None:
    """A full disk under the output (/dev/full) gives one Vietnamese line and a non-zero exit,
    not a traceback, and not a success with the result cut short."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "VBQPPL_NO_SERVER": "1"}
    with open("/dev/full", "wb") as full:
        out = subprocess.run(
            [sys.executable, "-m", "vbqppl_cli.launch", "parse", str(doc_file)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    assert out.returncode == 1
    assert out.stderr.strip() == "Lỗi: không ghi được kết quả: đĩa đã đầy."


def test_output_cut_by_a_file_size_limit_is_a_failure(doc_file: Path, tmp_path: Path) -> None:
    """``ulimit -f``: Python's own standard output kept a write cut short to itself (the JSON
    cut at the limit, exit 0); the command says so and fails."""
    import os
    import resource
    import subprocess
    import sys

    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    out_file = tmp_path / "out.json"
    with out_file.open("wb") as sink:
        out = subprocess.run(
            [sys.executable, "-m", "vbqppl_cli.launch", "parse", str(doc_file)],
            stdout=sink,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "VBQPPL_NO_SERVER": "1"},
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1024, hard)),
            timeout=120,
        )
    assert out_file.stat().st_size <= 1024
    assert out.returncode == 1
    assert (
        out.stderr.strip()
        == "Lỗi: không ghi được kết quả: tệp vượt giới hạn kích thước (ulimit -f)."
    )
