"""Point-in-time consolidation (issue 12): the demo corpus, then small texts written for the tests."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vbqppl.amend import unit_phrase
from vbqppl.consolidate import REPEALED, Consolidated, consolidate
from vbqppl.model import Document, Relation, Span, Target
from vbqppl.parse import parse_document
from vbqppl.quoted import parse_fragments
from vbqppl.vbhn import render_docx, render_text
from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

ROOT = Path(__file__).resolve().parents[1]
BEFORE = date(2025, 5, 19)
AFTER = date(2025, 5, 20)  # 16/2025/QĐ-UBND takes effect


@pytest.fixture(scope="module")
def demo() -> tuple[Document, Document]:
    base = parse_document((ROOT / "corpus" / "qd-12-2024-ubnd.txt").read_text(encoding="utf-8"))
    amending = parse_document((ROOT / "corpus" / "qd-16-2025-ubnd.txt").read_text(encoding="utf-8"))
    return base, amending


def _at(demo: tuple[Document, Document], when: date | None) -> Consolidated:
    base, amending = demo
    return consolidate(base, [amending], when)


def _text(c: Consolidated, uid: str) -> str:
    text = c.unit_text(uid)
    assert text is not None, uid
    return " ".join(text.split())


# --- the demo corpus: 16/2025/QĐ-UBND amends the regulation attached to 12/2024/QĐ-UBND ---------


def test_amend_clause_before_and_after(demo: tuple[Document, Document]) -> None:
    uid = "att_1__art_8__para_2"
    assert "bằng tiền mặt hoặc" in _text(_at(demo, BEFORE), uid)
    after = _at(demo, AFTER)
    assert _text(after, uid).startswith("2. Hình thức chi trả: Kinh phí hỗ trợ được chuyển khoản")
    assert "không chi trả bằng tiền mặt" in _text(after, uid)
    (change,) = after.changes_of(uid)
    assert (change.action, change.document, change.source_unit, change.effective) == (
        "amended",
        "16/2025/QĐ-UBND",
        "art_1__para_2",
        "2025-05-20",
    )
    assert _at(demo, BEFORE).changes_of(uid) == ()


def test_amend_whole_article(demo: tuple[Document, Document]) -> None:
    before, after = _at(demo, BEFORE), _at(demo, AFTER)
    assert "Hệ thống thông tin báo cáo của tỉnh" not in _text(before, "att_1__art_14")
    assert _text(after, "att_1__art_14").endswith("Hệ thống thông tin báo cáo của tỉnh.")
    assert after.document.unit("att_1__art_14__para_4") is not None
    assert after.document.unit("att_1__art_14__para_4").parent == "att_1__art_14"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("uid", "starts"),
    [
        ("att_1__art_9__para_8a", "8a. Cập nhật thông tin người lao động"),
        ("att_1__art_7__para_1__point_đ", "đ) Bản sao giấy tờ chứng minh"),
    ],
)
def test_insert_before_and_after(demo: tuple[Document, Document], uid: str, starts: str) -> None:
    assert _at(demo, BEFORE).document.unit(uid) is None
    after = _at(demo, AFTER)
    assert _text(after, uid).startswith(starts)
    assert after.changes_of(uid)[0].action == "inserted"
    # in place: the new unit follows its elder sibling in the text and in the unit list
    ids = [u.id for u in after.document.units]
    parent = uid.rpartition("__")[0]
    siblings = [
        i for i in ids if i.rpartition("__")[0] == parent and i.count("__") == uid.count("__")
    ]
    assert siblings[-1] == uid


def test_repeal_before_and_after(demo: tuple[Document, Document]) -> None:
    uid = "att_1__art_10__para_1__point_c"
    assert _text(_at(demo, BEFORE), uid).startswith("c) Định kỳ 06 tháng")
    after = _at(demo, AFTER)
    assert _text(after, uid) == f"c) {REPEALED}"
    assert after.changes_of(uid)[0].action == "repealed"


def test_word_substitution_before_and_after(demo: tuple[Document, Document]) -> None:
    before, after = _at(demo, BEFORE), _at(demo, AFTER)
    assert "Sở Lao động - Thương binh và Xã hội" in _text(before, "att_1__art_7__para_3")
    assert "Bộ phận Một cửa của Sở Nội vụ" in _text(after, "att_1__art_7__para_3")
    # "tên Điều 9": the heading only
    heading = after.document.unit("att_1__art_9")
    assert heading is not None and heading.heading == "Trách nhiệm của Sở Nội vụ"
    assert before.document.unit("att_1__art_9").heading.endswith("Xã hội")  # type: ignore[union-attr]
    changes = after.changes_of("att_1__art_10__para_2")
    assert changes[0].action == "words"
    assert "“Sở Kế hoạch và Đầu tư”" in (changes[0].detail or "")
    assert "Sở Tài chính tổng hợp" in _text(after, "att_1__art_10__para_2")


def test_pending_and_nothing_failed(demo: tuple[Document, Document]) -> None:
    before, after = _at(demo, BEFORE), _at(demo, AFTER)
    assert len(before.pending) == 10 and before.amending == ()
    assert after.pending == () and after.not_applied == ()
    assert [a.number for a in after.amending] == ["16/2025/QĐ-UBND"]
    assert _at(demo, None).document.text == after.document.text


def test_no_amendment_gives_the_base_back(demo: tuple[Document, Document]) -> None:
    base, _ = demo
    c = consolidate(base, [], None)
    assert c.document.text == base.text
    assert [(u.id, u.span) for u in c.document.units] == [(u.id, u.span) for u in base.units]


def test_units_index_the_consolidated_text(demo: tuple[Document, Document]) -> None:
    c = _at(demo, AFTER)
    text = c.document.text
    by_id = {u.id: u for u in c.document.units}
    for u in c.document.units:
        if u.kind in ("article", "clause", "point"):
            assert text[u.span.start : u.span.end].startswith(u.label)
        if u.parent:
            assert by_id[u.parent].span.contains(u.span)


def test_renderings_read_like_a_vbhn(demo: tuple[Document, Document]) -> None:
    c = _at(demo, AFTER)
    text = render_text(c)
    assert (
        "được sửa đổi, bổ sung bởi:\n1. Quyết định số 16/2025/QĐ-UBND ngày 05 tháng 5 năm 2025"
        in text
    )
    assert "8a.[" in text and "c)[" in text
    assert (
        "Khoản này được bổ sung theo quy định tại khoản 3 Điều 1 của Quyết định số "
        "16/2025/QĐ-UBND ngày 05 tháng 5 năm 2025 của Ủy ban nhân dân tỉnh Hòa Lâm, có hiệu "
        "lực kể từ ngày 20 tháng 5 năm 2025."
    ) in text
    data = render_docx(c)
    assert data[:2] == b"PK"
    js = c.to_json()
    unit = next(u for u in js["units"] if u["id"] == "att_1__art_10__para_1__point_c")
    assert unit["provenance"][0]["document"] == "16/2025/QĐ-UBND"
    assert js["consolidation"]["at"] is None or js["consolidation"]["at"] == "2025-05-20"


# --- small texts written for the tests -------------------------------------------------------

BASE = """ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM
Số: 10/2020/QĐ-UBND
Hòa Lâm, ngày 10 tháng 3 năm 2020
QUYẾT ĐỊNH
Về quản lý chợ
QUYẾT ĐỊNH:
Điều 1. Phạm vi điều chỉnh
1. Quyết định này quy định việc quản lý chợ trên địa bàn tỉnh.
2. Chợ đầu mối do Sở Công Thương quản lý.
Điều 2. Trách nhiệm của Sở Công Thương
1. Sở Công Thương chủ trì quản lý chợ, gồm:
a) Lập quy hoạch chợ;
b) Kiểm tra hoạt động chợ;
c) Báo cáo Ủy ban nhân dân tỉnh.
2. Phối hợp với Sở Tài chính về giá thuê điểm kinh doanh.
Điều 3. Hiệu lực thi hành
Quyết định này có hiệu lực thi hành kể từ ngày 20 tháng 3 năm 2020.
"""

AMENDING = """ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM
Số: {number}
Hòa Lâm, ngày 01 tháng 6 năm 2025
QUYẾT ĐỊNH
Sửa đổi, bổ sung một số điều của Quyết định số 10/2020/QĐ-UBND
QUYẾT ĐỊNH:
Điều 1. Sửa đổi, bổ sung một số điều của Quyết định số 10/2020/QĐ-UBND ngày 10 tháng 3 năm 2020
{items}
Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực thi hành kể từ ngày {effective}.
"""


def _amend(items: str, number: str = "20/2025/QĐ-UBND", effective: str = "01 tháng 7 năm 2025"):
    return parse_document(AMENDING.format(items=items, number=number, effective=effective))


def _run(*amending: Document, at: date | None = None) -> Consolidated:
    return consolidate(parse_document(BASE), list(amending), at)


# items of Điều 1, unit, expected text of the unit after (None: the unit is gone)
CASES = [
    (
        "1. Sửa đổi, bổ sung khoản 2 Điều 1 như sau:\n“2. Chợ đầu mối do Sở Công Thương và Ủy ban nhân dân cấp xã quản lý.”",
        "art_1__para_2",
        "2. Chợ đầu mối do Sở Công Thương và Ủy ban nhân dân cấp xã quản lý.",
    ),
    (
        "1. Sửa đổi, bổ sung Điều 3 như sau:\n“Điều 3. Hiệu lực và tổ chức thực hiện\n1. Quyết "
        "định này được\nthực hiện trên địa bàn tỉnh.\n2. Sở Công Thương hướng dẫn.”",
        "art_3",
        "Điều 3. Hiệu lực và tổ chức thực hiện 1. Quyết định này được thực hiện trên địa bàn "
        "tỉnh. 2. Sở Công Thương hướng dẫn.",
    ),
    (
        "1. Bổ sung khoản 3 vào sau khoản 2 Điều 1 như sau:\n“3. Chợ dân sinh do Ủy ban nhân dân cấp xã quản lý.”",
        "art_1__para_3",
        "3. Chợ dân sinh do Ủy ban nhân dân cấp xã quản lý.",
    ),
    (
        "1. Bổ sung điểm d vào sau điểm c khoản 1 Điều 2 như sau:\n“d) Cấp phép xây dựng chợ.”",
        "art_2__para_1__point_d",
        "d) Cấp phép xây dựng chợ.",
    ),
    (
        "1. Bổ sung khoản 1a vào trước khoản 2 Điều 1 như sau:\n“1a. Chợ tạm không thuộc phạm vi Quyết định này.”",
        "art_1__para_1a",
        "1a. Chợ tạm không thuộc phạm vi Quyết định này.",
    ),
    (
        "1. Sửa đổi, bổ sung khoản 3 Điều 1 như sau:\n“3. Khoản chưa có: được bổ sung.”",
        "art_1__para_3",
        "3. Khoản chưa có: được bổ sung.",
    ),
    (
        "1. Bổ sung khoản 3 vào Điều 1 như sau:\n“3. Khoản cuối.”",
        "art_1__para_3",
        "3. Khoản cuối.",
    ),
    (
        "1. Bãi bỏ điểm b khoản 1 Điều 2.",
        "art_2__para_1__point_b",
        f"b) {REPEALED}",
    ),
    (
        "1. Bãi bỏ Điều 3.",
        "art_3",
        f"Điều 3. {REPEALED}",
    ),
    (
        "1. Thay thế cụm từ “Sở Tài chính” bằng cụm từ “Sở Tài chính và Thuế tỉnh” tại khoản 2 Điều 2.",
        "art_2__para_2",
        "2. Phối hợp với Sở Tài chính và Thuế tỉnh về giá thuê điểm kinh doanh.",
    ),
    (
        "1. Bãi bỏ cụm từ “đầu mối” tại khoản 2 Điều 1.",
        "art_1__para_2",
        "2. Chợ do Sở Công Thương quản lý.",
    ),
    (
        "1. Sửa đổi cụm từ “Lập quy hoạch chợ” tại điểm a khoản 1 Điều 2 thành cụm từ “Lập kế hoạch phát triển chợ”.",
        "art_2__para_1__point_a",
        "a) Lập kế hoạch phát triển chợ;",
    ),
    (
        "1. Bổ sung cụm từ “, siêu thị” vào sau cụm từ “quản lý chợ” tại khoản 1 Điều 1.",
        "art_1__para_1",
        "1. Quyết định này quy định việc quản lý chợ, siêu thị trên địa bàn tỉnh.",
    ),
    (
        "1. Sửa đổi tên Điều 2 như sau:\n“Điều 2. Trách nhiệm của Sở Công Thương và Sở Tài chính”",
        "art_2",
        None,  # heading checked below
    ),
    (
        "1. Sửa đổi, bổ sung đoạn đầu khoản 1 Điều 2 như sau:\n“1. Sở Công Thương chủ trì quản lý chợ và siêu thị, gồm:”",
        "art_2__para_1",
        "1. Sở Công Thương chủ trì quản lý chợ và siêu thị, gồm: a) Lập quy hoạch chợ; "
        "b) Kiểm tra hoạt động chợ; c) Báo cáo Ủy ban nhân dân tỉnh.",
    ),
]


@pytest.mark.parametrize(("items", "uid", "expected"), CASES)
def test_operations_on_small_texts(items: str, uid: str, expected: str | None) -> None:
    before = _run(_amend(items), at=date(2025, 6, 30))
    after = _run(_amend(items), at=date(2025, 7, 1))
    assert after.not_applied == (), [n.message for n in after.not_applied]
    assert after.changes_of(uid), uid
    assert before.changes_of(uid) == () and len(before.pending) >= 1
    if expected is not None:
        assert _text(after, uid) == expected
    else:
        unit = after.document.unit(uid)
        assert unit is not None and unit.heading == "Trách nhiệm của Sở Công Thương và Sở Tài chính"
        assert "1. Sở Công Thương chủ trì" in _text(after, uid)


def test_umbrella_items_resolve_under_their_unit() -> None:
    items = (
        "1. Sửa đổi, bổ sung một số điểm của khoản 1 Điều 2 như sau:\n"
        "a) Sửa đổi điểm a như sau:\n“a) Lập quy hoạch, kế hoạch phát triển chợ;”\n"
        "b) Bổ sung điểm d vào sau điểm c như sau:\n“d) Tổng hợp tình hình chợ.”"
    )
    c = _run(_amend(items))
    assert c.not_applied == (), [n.message for n in c.not_applied]
    assert _text(c, "art_2__para_1__point_a") == "a) Lập quy hoạch, kế hoạch phát triển chợ;"
    assert _text(c, "art_2__para_1__point_d") == "d) Tổng hợp tình hình chợ."


def test_several_insertions_keep_their_order() -> None:
    items = (
        "1. Bổ sung khoản 3 và khoản 4 vào sau khoản 2 Điều 1 như sau:\n"
        "“3. Chợ dân sinh do cấp xã quản lý.\n4. Chợ đêm do cấp xã quản lý.”"
    )
    c = _run(_amend(items))
    ids = [u.id for u in c.document.units if u.parent == "art_1"]
    assert ids == ["art_1__para_1", "art_1__para_2", "art_1__para_3", "art_1__para_4"]


# --- what cannot be applied is said, never skipped --------------------------------------------

FAILURES = [
    ("1. Sửa đổi khoản 5 Điều 1 như sau:\n“5. Nội dung mới.”", "không có khoản 5 Điều 1"),
    ("1. Bãi bỏ điểm g khoản 1 Điều 2.", "không có điểm g khoản 1 Điều 2"),
    (
        "1. Thay thế cụm từ “Sở Xây dựng” bằng cụm từ “Sở Tài chính” tại khoản 2 Điều 2.",
        "không tìm thấy cụm từ “Sở Xây dựng”",
    ),
    ("1. Bổ sung khoản 2 vào Điều 1 như sau:\n“2. Trùng khoản đã có.”", "đã có trong văn bản"),
    ("1. Sửa đổi, bổ sung khoản 2 Điều 1 như sau:", "không tìm thấy nội dung mới"),
]


@pytest.mark.parametrize(("items", "reason"), FAILURES)
def test_not_applied_is_reported(items: str, reason: str) -> None:
    c = _run(_amend(items))
    assert len(c.not_applied) == 1
    message = c.not_applied[0].message
    assert message.startswith("Không áp dụng được nội dung sửa đổi tại khoản 1 Điều 1")
    assert reason in message
    assert any(d.code == "not-applied" for d in c.document.diagnostics)


def test_two_documents_colliding_on_one_unit() -> None:
    first = _amend("1. Sửa đổi khoản 2 Điều 1 như sau:\n“2. Phiên bản A.”", "20/2025/QĐ-UBND")
    second = _amend("1. Sửa đổi khoản 2 Điều 1 như sau:\n“2. Phiên bản B.”", "21/2025/QĐ-UBND")
    c = _run(first, second)
    assert len(c.not_applied) == 1 and "xung đột" in c.not_applied[0].reason
    assert _text(c, "art_1__para_2") == "2. Phiên bản B."  # the later in the order prevails
    assert [ch.document for ch in c.changes_of("art_1__para_2")] == [
        "20/2025/QĐ-UBND",
        "21/2025/QĐ-UBND",
    ]


def test_later_effective_date_applies_last() -> None:
    late = _amend(
        "1. Sửa đổi khoản 2 Điều 1 như sau:\n“2. Bản sau.”",
        "22/2025/QĐ-UBND",
        "01 tháng 9 năm 2025",
    )
    early = _amend("1. Sửa đổi khoản 2 Điều 1 như sau:\n“2. Bản trước.”", "21/2025/QĐ-UBND")
    assert _text(_run(late, early), "art_1__para_2") == "2. Bản sau."
    assert _text(_run(late, early, at=date(2025, 8, 1)), "art_1__para_2") == "2. Bản trước."


SIGNED = "\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn A\n\n"


def test_annex_replaced_by_the_amending_documents_own() -> None:
    base = parse_document(
        BASE
        + SIGNED
        + "PHỤ LỤC I\nMẪU ĐƠN CŨ\nNội dung cũ.\n\nPHỤ LỤC II\nMẪU BÁO CÁO\nGiữ nguyên.\n"
    )
    items = (
        "1. Thay thế Phụ lục I ban hành kèm theo Quyết định số 10/2020/QĐ-UBND bằng "
        "Phụ lục I ban hành kèm theo Quyết định này."
    )
    amending = parse_document(
        AMENDING.format(number="20/2025/QĐ-UBND", effective="01 tháng 7 năm 2025", items=items)
        + SIGNED
        + "PHỤ LỤC I\nMẪU ĐƠN MỚI\nNội dung mới.\n"
    )
    c = consolidate(base, [amending], None)
    assert c.not_applied == ()
    assert "MẪU ĐƠN MỚI\nNội dung mới.\n\nPHỤ LỤC II\nMẪU BÁO CÁO\nGiữ nguyên." in c.document.text
    assert "Nội dung cũ" not in c.document.text
    (change,) = c.document_changes
    assert change.action == "annex" and change.detail == "Phụ lục I được thay thế"
    assert "Phụ lục I được thay thế theo quy định tại khoản 1 Điều 1" in render_text(c)


def test_whole_document_repeal_is_a_note() -> None:
    amending = parse_document(
        AMENDING.format(
            number="21/2025/QĐ-UBND",
            effective="01 tháng 7 năm 2025",
            items="1. Bãi bỏ toàn bộ Quyết định số 10/2020/QĐ-UBND ngày 10 tháng 3 năm 2020.",
        )
    )
    c = _run(amending)
    assert [(ch.action, ch.effective) for ch in c.document_changes] == [("repeals", "2025-07-01")]
    assert _run(amending, at=date(2025, 6, 1)).document_changes == ()


# --- pieces ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "numbers"),
    [
        ("2. Một.\n3. Hai.", "clause", ["2", "3"]),
        ("8a. Một câu\ntiếp tục trên dòng sau.", "clause", ["8a"]),
        (
            "Điều 5a. Tên\n1. Khoản.\na) Điểm;\nb) Điểm.\nĐiều 5b. Khác\nNội dung.",
            "article",
            ["5a", "5b"],
        ),
        ("d) Một;\nd1) Hai.", "point", ["d", "d1"]),
        ("Điều 4. Tên\n1. Theo quy định tại khoản\n2. Điều 5 thì ...", "article", ["4"]),
        ("1. Mã số giảng viên\na) Hạng I;\nb) Hạng II.\n2. Mã số giáo viên", "clause", ["1", "2"]),
    ],
)
def test_parse_fragments(text: str, kind: str, numbers: list[str]) -> None:
    lead, frags = parse_fragments(text, kind)
    assert lead == "" and [f.number for f in frags] == numbers
    if kind == "article" and numbers == ["4"]:  # "2. Điều 5" wraps a line of clause 1
        assert [p.number for p in frags[0].parts if not isinstance(p, str)] == ["1"]
    assert "".join(f.text for f in frags).replace("\n", "") in text.replace("\n", "")


@pytest.mark.parametrize(
    ("uid", "phrase"),
    [
        ("art_5__para_2__point_đ", "điểm đ khoản 2 Điều 5"),
        ("att_1__art_9__para_8a", "khoản 8a Điều 9 của văn bản kèm theo"),
        ("art_1", "Điều 1"),
    ],
)
def test_unit_phrase(uid: str, phrase: str) -> None:
    assert unit_phrase(uid) == phrase


def test_a_date_inside_the_quoted_text_is_not_the_effective_date() -> None:
    items = (
        "1. Sửa đổi, bổ sung Điều 3 như sau:\n“Điều 3. Hiệu lực thi hành\nQuyết định này có "
        "hiệu lực thi hành kể từ ngày 20 tháng 3 năm 2020.”"
    )
    c = _run(_amend(items))
    (change,) = c.changes_of("art_3")
    assert change.effective is not None and change.effective >= "2025-06-01"


# --- the command line --------------------------------------------------------------------------

runner = CliRunner()
DEMO_BASE = str(ROOT / "corpus" / "qd-12-2024-ubnd.txt")
DEMO_AMENDING = str(ROOT / "corpus" / "qd-16-2025-ubnd.txt")


def test_cli_text_json_docx(tmp_path: Path) -> None:
    result = runner.invoke(app, ["consolidate", DEMO_BASE, "--with", DEMO_AMENDING])
    assert result.exit_code == 0, result.output
    assert "VĂN BẢN HỢP NHẤT" in result.stdout and "Chú thích:" in result.stdout
    result = runner.invoke(
        app, ["consolidate", DEMO_BASE, "--with", DEMO_AMENDING, "--at", "19/5/2025", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "vbqppl/document@1"
    assert data["consolidation"]["at"] == "2025-05-19"
    assert len(data["consolidation"]["pending"]) == 10
    assert all(u["provenance"] == [] for u in data["units"])
    out = tmp_path / "hop-nhat.docx"
    result = runner.invoke(
        app, ["consolidate", DEMO_BASE, "-w", DEMO_AMENDING, "-f", "docx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "31/02/2025"], "ngày không hợp lệ"),
        (["--at", "hôm qua"], "ngày không hợp lệ"),
    ],
)
def test_cli_errors_are_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["consolidate", DEMO_BASE, "--with", DEMO_AMENDING, *args])
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_number_with_files_is_refused() -> None:
    """A number is looked up in the store, whose relations name the amending documents: mixing it
    with --with files is a one-line error that says how to do either."""
    result = runner.invoke(app, ["consolidate", "12/2024/QĐ-UBND", "--with", DEMO_AMENDING])
    assert result.exit_code == 1
    assert "--db" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_an_article_heading_naming_the_unit_is_not_an_instruction() -> None:
    """The title and the article heading "Sửa đổi, bổ sung Điều 2 của Quyết định ..." name what
    the clauses under it amend; only those clauses are instructions."""
    text = AMENDING.format(
        items="1. Sửa đổi, bổ sung khoản 2 Điều 2 như sau:\n“2. Phối hợp với Sở Tài chính.”",
        number="24/2025/QĐ-UBND",
        effective="01 tháng 7 năm 2025",
    ).replace("một số điều của Quyết định", "Điều 2 của Quyết định")
    amending = parse_document(text)
    assert sum(r.target.unit == "art_2" for r in amending.relations) >= 1
    c = _run(amending)
    assert c.not_applied == (), [n.message for n in c.not_applied]
    assert _text(c, "art_2__para_2") == "2. Phối hợp với Sở Tài chính."


def test_a_relation_without_words_is_reported_not_applied() -> None:
    """A relation that points at no words of the amending document (one added by hand, say)
    cannot be read as an edit: said, not guessed."""
    amending = _amend("1. Bãi bỏ điểm b khoản 1 Điều 2.")
    bare = Relation("amends", None, Span(0, 0), Target(number="10/2020/QĐ-UBND", unit="art_3"))
    c = _run(replace(amending, relations=(*amending.relations, bare)))
    (n,) = c.not_applied
    assert n.target == "art_3" and "không gắn với lời văn" in n.reason
    assert n.instruction == "sửa đổi, bổ sung Điều 3 10/2020/QĐ-UBND"
    assert _text(c, "art_2__para_1__point_b") == f"b) {REPEALED}"
