"""The checks and the validity answers read the text in force: the demo corpus ingested, its
amended regulation (12/2024, amended by 16/2025 from 20/05/2025) consolidated at the date asked;
then two amending decisions written for these tests (tests/fixtures/inforce/) re-word the clause
of the planted numeric conflict (19/2025 from 01/09/2025: 18 days, with two instructions that
cannot be applied; 23/2025 from 01/10/2025: 20 days, the conflict gone). The demo's own later
amendment of the regulation (52/2025, from 01/11/2025, which repeals Điều 7-8) is left out so
that the dates asked here see only these amendments."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from vbqppl.checks import Finding, load_view, run_checks
from vbqppl.checks.view import CorpusView, evidence
from vbqppl.store.db import Store, open_store
from vbqppl.store.ingest import ingest
from vbqppl.store.validity import Status, document_report

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "inforce"
BASE = "12/2024/QĐ-UBND"
LATER_AMENDMENT = "qd-52-2025-ubnd.txt"
CONFLICT = ("12/2024/QĐ-UBND#att_1__art_6__para_1", "31/2024/QĐ-UBND#art_4__para_2")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = open_store(str(tmp_path_factory.mktemp("inforce") / "kho.db"))
    texts = [p for p in sorted((ROOT / "corpus").iterdir()) if p.suffix in (".txt", ".md")]
    ingest(s, [p for p in texts if p.name != LATER_AMENDMENT], jobs=1)
    yield s
    s.close()


def _view(store: Store, at: str) -> CorpusView:
    with store.read() as conn:
        return load_view(conn, at)


def _id(view: CorpusView, number: str) -> int:
    return next(i for i, d in view.documents.items() if d.number == number)


def _conflict(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule == "numeric-conflict" and f.units == CONFLICT]


def _assert_exact(view: CorpusView, findings: list[Finding]) -> None:
    by_name = {view.name(i): i for i in view.documents}
    for f in findings:
        for e in f.evidence:
            assert view.stored_text(by_name[e.document])[e.start : e.end] == e.quote


def test_validity_of_units_before_and_after_the_amendment(store: Store) -> None:
    with store.read() as conn:
        base = _id(load_view(conn, "2025-01-01", in_force=False), BASE)
        before = document_report(conn, base, "2025-05-19")
        after = document_report(conn, base, "2025-06-01")
    # replaced article: the old wording before, the new one after, with its source
    assert before.units["att_1__art_14"].status is Status.IN_FORCE
    assert before.units["att_1__art_14"].effects == () and before.wording == {}
    art14 = after.units["att_1__art_14"]
    assert art14.status is Status.IN_FORCE and art14.by is not None
    assert art14.by.by_label == "Quyết định 16/2025/QĐ-UBND" and art14.since == "2025-05-20"
    assert "trước ngày 15 tháng 12 hằng năm" in after.wording["att_1__art_14"]
    assert after.units["att_1__art_14__para_4"].status is Status.IN_FORCE  # a clause it adds
    # inserted clause: absent before, in force after
    assert "att_1__art_9__para_8a" not in before.units
    assert after.units["att_1__art_9__para_8a"].status is Status.IN_FORCE
    # repealed point
    assert before.units["att_1__art_10__para_1__point_c"].status is Status.IN_FORCE
    assert after.units["att_1__art_10__para_1__point_c"].status is Status.EXPIRED
    # substituted words: the unit in force, in its new words
    assert after.units["att_1__art_7__para_3"].status is Status.IN_FORCE
    assert "Sở Nội vụ" in after.wording["att_1__art_7__para_3"]
    assert "Sở Lao động" not in after.wording["att_1__art_7__para_3"]
    # a new heading of Điều 9 (words substituted in it) leaves its clauses as they were
    assert after.units["att_1__art_9"].effects != ()
    assert after.units["att_1__art_9__para_1"].effects == ()
    assert after.not_applied == ()
    assert list(after.units).index("att_1__art_9__para_8a") < list(after.units).index(
        "att_1__art_10"
    )  # units in the order of the text in force


def test_the_view_reads_the_text_in_force_and_quotes_where_it_is_written(store: Store) -> None:
    before, after = _view(store, "2025-05-19"), _view(store, "2025-12-01")
    base = _id(after, BASE)
    assert base not in before.in_force_texts and base in after.in_force_texts
    assert "att_1__art_9__para_8a" not in before.units[base]
    assert "att_1__art_9__para_8a" in after.units[base]
    # unchanged words: quoted from the base's stored text, spans there, no note
    row = after.units[base]["att_1__art_6__para_1"]
    ev = evidence(after, base, row.start, row.end, row.unit_id)
    assert ev.document == BASE and ev.note is None
    assert (
        after.stored_text(base)[ev.start : ev.end]
        == ev.quote
        == after.texts[base][row.start : row.end]
    )
    # re-worded clause: quoted from the amending decision, which the note names with the date
    row = after.units[base]["att_1__art_8__para_2"]
    ev = evidence(after, base, row.start, row.end, row.unit_id)
    amending = _id(after, "16/2025/QĐ-UBND")
    assert ev.document == "16/2025/QĐ-UBND" and ev.unit == "art_1__para_2"
    assert after.texts[amending][ev.start : ev.end] == ev.quote
    assert ev.quote.startswith("2. Hình thức chi trả") and "không chi trả bằng tiền mặt" in ev.quote
    assert ev.note is not None and "16/2025/QĐ-UBND" in ev.note and "01/12/2025" in ev.note
    # substituted words (mixed from two documents): the stored wording, the note the new one
    row = after.units[base]["att_1__art_7__para_3"]
    ev = evidence(after, base, row.start, row.end, row.unit_id)
    assert ev.document == BASE and after.stored_text(base)[ev.start : ev.end] == ev.quote
    assert ev.note is not None and "Nội dung đang có hiệu lực" in ev.note
    assert "Sở Nội vụ" in ev.note
    # the instructions of 16/2025 are read as the regulation's words, not as provisions of
    # their own; a citation in the new text they wrote is a citation of the regulation there
    assert not after.in_force(amending, "art_1__para_2") and after.in_force(amending, "art_3")
    assert before.absorbed == frozenset()  # nothing applied before 20/05/2025
    (moved,) = [c for c in after.citations if c.document_id == base and c.id < 0]
    assert moved.from_unit == "att_1__art_7__para_1__point_đ"
    assert moved.target_number == "05/2023/NQ-HĐND"
    s, e = after.citation_spans[moved.id]
    assert after.texts[base][s:e] == "khoản 2 Điều 5 Nghị quyết số 05/2023/NQ-HĐND"
    ev = evidence(after, base, s, e, moved.from_unit)
    assert (ev.document, ev.unit) == ("16/2025/QĐ-UBND", "art_1__para_1")
    # the demo corpus' findings (none on a changed unit) are those of the texts as stored
    with store.read() as conn:
        as_stored = load_view(conn, "2025-12-01", in_force=False)
    found = run_checks(after)
    assert sorted(f.id for f in found) == sorted(f.id for f in run_checks(as_stored))
    _assert_exact(after, found)


def test_findings_follow_the_amendments_of_a_provision(store: Store) -> None:
    assert len(_conflict(run_checks(_view(store, "2025-12-01")))) == 1  # 15 vs 20 days
    ingest(store, [FIXTURES / "qd-19-2025-ubnd.txt"], jobs=1)
    # before 19/2025 takes effect: the old wording, and nothing it says is applied yet
    view = _view(store, "2025-08-20")
    found = run_checks(view)
    (old,) = _conflict(found)
    assert old.evidence[0].document == BASE and old.evidence[0].quote == "15 ngày làm việc"
    assert not [f for f in found if f.rule == "amendment-not-applied"]
    # in force: the conflict quotes the new wording, from 19/2025, and says so
    view = _view(store, "2025-09-15")
    found = run_checks(view)
    (new,) = _conflict(found)
    quoted = {e.document: e for e in new.evidence}
    assert quoted["19/2025/QĐ-UBND"].quote == "18 ngày làm việc"
    assert "19/2025/QĐ-UBND" in (quoted["19/2025/QĐ-UBND"].note or "")
    assert "18 ngày làm việc" in new.explanation
    # the two instructions 19/2025 cannot apply are findings, quoting the instructions
    bad = sorted((f for f in found if f.rule == "amendment-not-applied"), key=lambda f: f.units)
    assert [f.units for f in bad] == [
        ("19/2025/QĐ-UBND#art_1__para_2",),
        ("19/2025/QĐ-UBND#art_1__para_3",),
    ]
    assert "không tìm thấy cụm từ “Sở Xây dựng”" in bad[0].explanation
    assert "không có khoản 5 Điều 6" in bad[1].explanation
    assert bad[1].evidence[0].quote == "3. Bãi bỏ khoản 5 Điều 6."
    assert all(f.documents == ("19/2025/QĐ-UBND", BASE) for f in bad)
    _assert_exact(view, found)
    # 23/2025 sets the same 20 days from 01/10/2025: the conflict is gone after that day only
    ingest(store, [FIXTURES / "qd-23-2025-ubnd.txt"], jobs=1)
    assert len(_conflict(run_checks(_view(store, "2025-09-15")))) == 1
    assert _conflict(run_checks(_view(store, "2025-12-01"))) == []


def test_cli_status_shows_the_wording_in_force(store: Store) -> None:
    from typer.testing import CliRunner

    from vbqppl_cli import commands  # noqa: F401  (registers the commands)
    from vbqppl_cli.app import app

    args = ["status", BASE, "--at", "2025-06-01", "--db", store.name]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "[att_1__art_8__para_2]: còn hiệu lực — khoản 2 Điều 8" in result.output
    assert "Nội dung đang có hiệu lực: “2. Hình thức chi trả:" in result.output
    result = CliRunner().invoke(app, [*args, "--json"])
    unit = json.loads(result.output)["units"]["att_1__art_9__para_8a"]
    assert unit["status"] == "còn hiệu lực" and unit["wording"].startswith("8a. Cập nhật")


def test_an_amending_text_stored_twice_is_applied_once(store: Store, tmp_path: Path) -> None:
    copy = tmp_path / "ban-sao-qd-16-2025.txt"
    text = (ROOT / "corpus" / "qd-16-2025-ubnd.txt").read_text(encoding="utf-8")
    copy.write_text(text.replace("- Lưu: VT, KGVX.", "- Lưu: VT, KGVX (bản sao)."))
    ingest(store, [copy], jobs=1, on_conflict="keep-both")
    view = _view(store, "2025-12-01")
    assert sum(d.number == "16/2025/QĐ-UBND" for d in view.documents.values()) == 2
    inf = view.in_force_texts[_id(view, BASE)]
    assert [a.number for a in inf.result.amending].count("16/2025/QĐ-UBND") == 1
    assert not [n for n in inf.result.not_applied if n.document == "16/2025/QĐ-UBND"]


def test_one_copy_keeps_one_number_of_two_issuers() -> None:
    """A copy is the same number from the same issuer; another province's document of that
    number (local numbers repeat) is another document, and both are applied."""
    from vbqppl.inforce import one_copy
    from vbqppl.parse import parse_document

    text = (ROOT / "corpus" / "qd-16-2025-ubnd.txt").read_text(encoding="utf-8")
    first, copy = parse_document(text), parse_document(text + "\n")
    other = parse_document(text.replace("TỈNH HÒA LÂM", "TỈNH BÌNH SƠN"))
    assert first.metadata.number == other.metadata.number
    assert first.metadata.issuer != other.metadata.issuer
    assert sorted(one_copy({1: first, 2: copy, 3: other})) == [1, 3]
    assert sorted(one_copy({5: other, 7: first})) == [5, 7]


def test_finding_line_names_the_amendment() -> None:
    from vbqppl.checks import MEDIUM, Evidence
    from vbqppl_cli.checks import finding_line

    ev = Evidence("19/2025/QĐ-UBND", "art_1__para_1", 10, 26, "18 ngày làm việc", "Khoản này …")
    f = Finding("numeric-conflict", MEDIUM, ("12/2024/QĐ-UBND",), (), (ev,), "Mâu thuẫn.", "Sửa.")
    assert "Nguồn (19/2025/QĐ-UBND): Khoản này …" in finding_line(f)
    assert Evidence.from_json(ev.to_json()) == ev


def test_cli_check_by_rule_in_a_fresh_process(store: Store) -> None:
    """`vbqppl check --rule R` knows the built-in rules before any check has run."""
    import subprocess
    import sys

    code = (
        "import sys; from vbqppl_cli import commands; from vbqppl_cli.app import app; "
        "sys.argv = ['vbqppl'] + sys.argv[1:]; app()"
    )
    args = ["check", "--rule", "amendment-not-applied", "--at", "2025-12-01", "--db", store.name]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Tổng cộng" in done.stdout
