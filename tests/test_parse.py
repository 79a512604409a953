"""The structure parser and metadata, one trap per test, on small documents written here."""

from __future__ import annotations

import textwrap

import pytest

from vbqppl.clean import clean_text, normalize_source
from vbqppl.model import Document
from vbqppl.parse import parse_document

HEADER = """\
ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 12/2024/QĐ-UBND
Hòa Lâm, ngày 15 tháng 3 năm 2024

QUYẾT ĐỊNH
Ban hành Quy định về thời hạn giải quyết
thủ tục cấp phép xây dựng

ỦY BAN NHÂN DÂN TỈNH HÒA LÂM
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ;
QUYẾT ĐỊNH:
"""

SIGNATURE = """\
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""


def doc_of(body: str, *, header: str = HEADER, signature: str = SIGNATURE) -> Document:
    return parse_document(header + textwrap.dedent(body) + signature)


def ids(doc: Document, kind: str | None = None) -> list[str]:
    return [u.id for u in doc.units if kind is None or u.kind == kind]


def test_metadata() -> None:
    doc = doc_of(
        """\
        Điều 1. Phạm vi điều chỉnh
        Quy định này áp dụng trên địa bàn tỉnh.
        Điều 2. Hiệu lực thi hành
        Quyết định này có hiệu lực thi hành kể từ ngày 25 tháng 3 năm 2024.
        """
    )
    m = doc.metadata
    assert m.number == "12/2024/QĐ-UBND"
    assert m.type == "Quyết định"
    assert m.issuer == "Ủy ban nhân dân tỉnh Hòa Lâm"
    assert m.place == "Hòa Lâm"
    assert m.issued == "2024-03-15"
    assert m.effective == "2024-03-25"
    assert m.effective_rule is None
    assert m.title == "Ban hành Quy định về thời hạn giải quyết thủ tục cấp phép xây dựng"
    assert m.signer == "Nguyễn Văn An"
    assert m.normative is True


@pytest.mark.parametrize(
    ("effect_sentence", "effective", "rule"),
    [
        ("Quyết định này có hiệu lực thi hành kể từ ngày ký.", None, "kể từ ngày ký"),
        ("Quyết định này có hiệu lực từ ngày 01/7/2024.", "2024-07-01", None),
        # the date of another document's effect is not this document's
        (
            "Quyết định số 08/2019/QĐ-UBND có hiệu lực kể từ ngày 01 tháng 5 năm 2019 hết hiệu lực."
            " Quyết định này có hiệu lực kể từ ngày 10 tháng 4 năm 2024.",
            "2024-04-10",
            None,
        ),
        # a "valid until" date is not the effective date
        ("Quyết định này có hiệu lực đến hết ngày 31 tháng 12 năm 2025.", None, None),
    ],
)
def test_effective(effect_sentence: str, effective: str | None, rule: str | None) -> None:
    doc = doc_of(f"Điều 1. Hiệu lực thi hành\n{effect_sentence}\n")
    assert (doc.metadata.effective, doc.metadata.effective_rule) == (effective, rule)


@pytest.mark.parametrize(
    ("number_line", "normative"),
    [("Số: 4912/KH-UBND", False), ("Số: 12/2024/QĐ-UBND", True), ("Số: 12/2024/QD-UBND", True)],
)
def test_normative(number_line: str, normative: bool) -> None:
    doc = doc_of(
        "Điều 1. Nội dung\nNội dung.\n", header=HEADER.replace("Số: 12/2024/QĐ-UBND", number_line)
    )
    assert doc.metadata.normative is normative


def test_tree_ids_parents_and_headings() -> None:
    doc = doc_of(
        """\
        Chương I
        QUY ĐỊNH CHUNG
        Điều 1. Phạm vi điều chỉnh
        1. Quy định này quy định thời hạn.
        2. Đối tượng áp dụng gồm:
        a) Cơ quan nhà nước;
        b) Tổ chức;
        c) Cá nhân;
        d) Hộ kinh doanh;
        đ) Hợp tác xã.
        Chương II
        THỦ TỤC
        Mục 1. CẤP PHÉP
        Điều 2. Thời hạn giải quyết
        Thời hạn giải quyết là 15 ngày làm việc.
        """
    )
    assert ids(doc) == [
        "chp_1",
        "art_1",
        "art_1__para_1",
        "art_1__para_2",
        "art_1__para_2__point_a",
        "art_1__para_2__point_b",
        "art_1__para_2__point_c",
        "art_1__para_2__point_d",
        "art_1__para_2__point_đ",
        "chp_2",
        "chp_2__sec_1",
        "art_2",
    ]
    by_id = {u.id: u for u in doc.units}
    assert by_id["chp_1"].heading == "QUY ĐỊNH CHUNG"
    assert by_id["chp_1"].label == "Chương I"
    assert by_id["chp_2__sec_1"].heading == "CẤP PHÉP"
    assert by_id["art_2"].parent == "chp_2__sec_1"
    assert by_id["art_1"].heading == "Phạm vi điều chỉnh"
    assert by_id["art_1__para_2__point_đ"].parent == "art_1__para_2"
    assert not doc.diagnostics


def test_inserted_units() -> None:
    doc = doc_of(
        """\
        Điều 1. Nội dung
        1. Khoản một.
        1a. Khoản chèn thêm.
        2. Khoản hai:
        a) Điểm a;
        b) Điểm b;
        c) Điểm c;
        d) Điểm d;
        d1) Điểm chèn thêm.
        Điều 1a. Điều chèn thêm
        Nội dung.
        Điều 2. Hiệu lực
        Nội dung.
        """
    )
    assert "art_1__para_1a" in ids(doc)
    assert "art_1__para_2__point_d1" in ids(doc)
    assert ids(doc, "article") == ["art_1", "art_1a", "art_2"]


def test_quoted_amendment_is_not_structure() -> None:
    doc = doc_of(
        """\
        Điều 1. Sửa đổi, bổ sung một số điều của Quy định ban hành kèm theo Quyết định số 08/2019/QĐ-UBND
        1. Sửa đổi, bổ sung Điều 5 như sau:
        “Điều 5. Thời hạn giải quyết
        1. Thời hạn là 10 ngày làm việc.
        2. Trường hợp phức tạp:
        a) Gia hạn 05 ngày.”.
        2. Bổ sung khoản 8a vào sau khoản 8 Điều 7 như sau:
        “8a. Nội dung mới.”.
        Điều 2. Hiệu lực thi hành
        Quyết định này có hiệu lực kể từ ngày 01 tháng 5 năm 2024.
        """
    )
    assert ids(doc, "article") == ["art_1", "art_2"]
    assert ids(doc, "clause") == ["art_1__para_1", "art_1__para_2"]
    assert doc.quotes
    assert "Thời hạn là 10 ngày" in doc.text[doc.quotes[0].start : doc.quotes[0].end]


def test_amendment_without_quote_marks() -> None:
    doc = doc_of(
        """\
        Điều 1. Sửa đổi, bổ sung một số điều của Quyết định số 08/2019/QĐ-UBND
        1. Sửa đổi, bổ sung Điều 5 như sau:
        Điều 5. Thời hạn giải quyết
        1. Thời hạn là 10 ngày làm việc.
        2. Bãi bỏ điểm c khoản 2 Điều 9.
        Điều 2. Hiệu lực thi hành
        Quyết định này có hiệu lực kể từ ngày 01 tháng 5 năm 2024.
        """
    )
    assert ids(doc, "article") == ["art_1", "art_2"]
    assert ids(doc, "clause") == ["art_1__para_1", "art_1__para_2"]


def test_unclosed_quote_stops_at_the_next_instruction_and_own_article() -> None:
    doc = doc_of(
        """\
        Điều 1. Sửa đổi, bổ sung một số điều
        1. Sửa đổi, bổ sung khoản 2 Điều 3 như sau:
        “2. Mức hỗ trợ là 5.000.000 đồng.
        2. Bãi bỏ khoản 4 Điều 6.
        Điều 2. Hiệu lực thi hành
        Quyết định này có hiệu lực kể từ ngày 01 tháng 5 năm 2024.
        Điều 3. Trách nhiệm thi hành
        Các cơ quan chịu trách nhiệm thi hành.
        """
    )
    assert ids(doc, "article") == ["art_1", "art_2", "art_3"]
    assert ids(doc, "clause") == ["art_1__para_1", "art_1__para_2"]
    assert any(d.code == "quote-unclosed" for d in doc.diagnostics)


def test_wrapped_lines_are_not_labels() -> None:
    doc = doc_of(
        """\
        Điều 1. Trách nhiệm
        Sở Xây dựng thực hiện theo quy định tại
        Điều 6 của Luật Xây dựng và
        Chương IV của Nghị định số 15/2021/NĐ-CP, khoản 3
        Điều 19. Sở Tài chính phối hợp.
        Điều 2. Hiệu lực
        Nội dung.
        """
    )
    assert ids(doc, "article") == ["art_1", "art_2"]
    assert ids(doc, "chapter") == []


def test_label_split_over_two_lines() -> None:
    doc = doc_of("Điều\n1. Phạm vi điều chỉnh\nNội dung.\nĐiều\n2. Hiệu lực\nNội dung.\n")
    assert ids(doc, "article") == ["art_1", "art_2"]
    assert doc.unit("art_1").heading == "Phạm vi điều chỉnh"  # type: ignore[union-attr]


def test_untitled_article_has_no_heading() -> None:
    doc = doc_of(
        "Điều 1. Quyết định này có hiệu lực thi hành kể từ ngày ký.\nĐiều 2. Chánh Văn phòng thi hành.\n"
    )
    assert [u.heading for u in doc.articles()] == [None, None]


def test_wrapped_heading_is_joined() -> None:
    doc = doc_of("Điều 1. Công bố, phê\nduyệt kèm theo Quyết định này danh mục\nNội dung.\n")
    assert doc.unit("art_1").heading == "Công bố, phê duyệt kèm theo Quyết định này danh mục"  # type: ignore[union-attr]


def test_attachment_restarts_at_article_one() -> None:
    doc = doc_of(
        """\
        Điều 1. Ban hành kèm theo Quyết định này Quy định về thời hạn giải quyết.
        Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày 25 tháng 3 năm 2024.
        Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành./.
        """,
        signature=SIGNATURE
        + textwrap.dedent(
            """\

            QUY ĐỊNH
            VỀ THỜI HẠN GIẢI QUYẾT THỦ TỤC CẤP PHÉP XÂY DỰNG
            (Ban hành kèm theo Quyết định số 12/2024/QĐ-UBND ngày 15 tháng 3 năm 2024 của Ủy ban nhân dân tỉnh Hòa Lâm)
            Chương I
            QUY ĐỊNH CHUNG
            Điều 1. Phạm vi điều chỉnh
            1. Quy định này quy định thời hạn.
            Điều 2. Thời hạn
            Thời hạn là 15 ngày làm việc.
            """
        ),
    )
    assert ids(doc, "article") == ["art_1", "art_2", "art_3", "att_1__art_1", "att_1__art_2"]
    att = doc.unit("att_1")
    assert att is not None and att.kind == "attachment"
    assert doc.unit("att_1__chp_1").parent == "att_1"  # type: ignore[union-attr]
    assert doc.unit("att_1__art_1__para_1") is not None
    # the decision's last article stops before the signature
    art3 = doc.unit("art_3")
    assert art3 is not None and "Nơi nhận" not in doc.text[art3.span.start : art3.span.end]


def test_last_article_does_not_swallow_signature_or_appendix() -> None:
    doc = doc_of(
        "Điều 1. Nội dung\nNội dung.\nĐiều 2. Trách nhiệm thi hành\nCác sở thi hành./.\n",
        signature=SIGNATURE
        + "\nPHỤ LỤC\nMẪU QUYẾT ĐỊNH\nQUYẾT ĐỊNH\nĐiều 1. Cấp phép cho ông/bà ...\nĐiều 2. Quyết định này có hiệu lực.\n",
    )
    assert ids(doc, "article") == ["art_1", "art_2"]  # the template decision is not structure
    last = doc.unit("art_2")
    assert last is not None
    assert doc.text[last.span.start : last.span.end].endswith("Các sở thi hành./.")


def test_gazette_noise_does_not_break_structure() -> None:
    raw = (
        "CÔNG BÁO/Số 101 + 102/Ngày 15-01-2024\n3\n\n"
        + HEADER
        + "Điều 1. Phạm vi điều chỉnh\n1. Quy định này quy định thời hạn giải quyết\n"
        + "Ký bởi: Cổng Thông tin điện tử Chính phủ\nEmail: thongtinchinhphu@chinhphu.vn\n"
        + "Cơ quan: Văn phòng Chính phủ\nThời gian ký: 16.01.2024 10:00:00 +07:00\n\n\n"
        + "4\nCÔNG BÁO/Số 101 + 102/Ngày 15-01-2024\n\n"
        + "thủ tục hành chính trên địa bàn tỉnh.\n2. Khoản hai.\nĐiều 2. Hiệu lực\nNội dung.\n"
        + SIGNATURE
    )
    doc = parse_document(raw)
    assert "CÔNG BÁO" not in doc.text
    assert "Thời gian ký" not in doc.text
    assert ids(doc, "clause") == ["art_1__para_1", "art_1__para_2"]
    para1 = doc.unit("art_1__para_1")
    assert para1 is not None
    assert doc.text[para1.span.start : para1.span.end].endswith("trên địa bàn tỉnh.")


def test_numbering_diagnostics() -> None:
    doc = doc_of("Điều 1. Một\nNội dung.\nĐiều 3. Ba\nNội dung.\nĐiều 3. Ba nữa\nNội dung.\n")
    codes = [d.code for d in doc.diagnostics]
    assert "article-gap" in codes
    assert "article-duplicate" in codes
    assert ids(doc, "article") == ["art_1", "art_3", "art_3-2"]


def test_spans_quote_their_labels_and_nest() -> None:
    doc = doc_of(
        "Chương I\nCHUNG\nĐiều 1. Một\n1. Khoản:\na) Điểm a;\nb) Điểm b.\nĐiều 2. Hai\nNội dung.\n"
    )
    by_id = {u.id: u for u in doc.units}
    for u in doc.units:
        piece = doc.text[u.span.start : u.span.end]
        assert piece.startswith(u.label.split()[0]), (u.id, piece[:20])
        if u.parent:
            assert by_id[u.parent].span.contains(u.span)


# --- Gazette footnotes that run on over page breaks (consolidated texts) ---------------------
# Body lines are about 75 characters wide, footnote lines (a smaller type) about 95. Pages are
# written indented; "<header>" and "<signature>" stand for HEADER and SIGNATURE.


def gazette(*pages: str) -> str:
    """Pages of a Gazette issue, each with the page header and number the text layer keeps."""
    out = []
    for n, page in enumerate(pages, start=41):
        body = textwrap.dedent(page).replace("<header>\n", HEADER)
        body = body.replace("<signature>\n", SIGNATURE)
        out.append(f"CÔNG BÁO/Số 101 + 102/Ngày 15-01-2024\n{n}\n\n{body}\n\n")
    return "".join(out)


def test_footnote_quoting_articles_over_whole_pages_is_not_body() -> None:
    # The footnote of a chapter heading quotes the closing articles of the amending documents,
    # quoted or not, over a whole page and the foot of the next one; the body resumes with its
    # next article at the top of the third page.
    raw = gazette(
        """\
        <header>
        Điều 1. Phạm vi điều chỉnh
        Quy định này quy định thời hạn giải quyết thủ tục cấp phép xây dựng trên
        địa bàn tỉnh đối với các công trình không thuộc dự án đầu tư công.
        Điều 2. Đối tượng áp dụng
        Quy định này áp dụng đối với cơ quan, tổ chức, cá nhân có liên quan đến
        việc cấp phép xây dựng công trình trên địa bàn tỉnh Hòa Lâm.
        Chương II
        ĐIỀU KHOẢN THI HÀNH1

        1 Điều 3 của Quyết định số 05/2023/QĐ-UBND sửa đổi, bổ sung một số điều của Quyết định số
        12/2024/QĐ-UBND, có hiệu lực kể từ ngày 01 tháng 6 năm 2023, quy định như sau:
        “Điều 3. Hiệu lực thi hành
        Quyết định này có hiệu lực thi hành kể từ ngày 01 tháng 6 năm 2023 trên địa bàn toàn tỉnh./.”.
        """,
        """\
        Điều 2 của Quyết định số 08/2024/QĐ-UBND sửa đổi Quyết định số 12/2024/QĐ-UBND, có hiệu lực
        kể từ ngày 01 tháng 9 năm 2024, quy định như sau:
        Điều 2. Điều khoản chuyển tiếp
        1. Các hồ sơ đã nộp trước ngày Quyết định này có hiệu lực thi hành thì tiếp tục được giải
        quyết theo quy định tại Quyết định số 12/2024/QĐ-UBND cho đến khi có kết quả cuối cùng.
        2. Sở Xây dựng hướng dẫn các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh và Ủy ban nhân
        """,
        """\
        Điều 3. Hiệu lực thi hành
        Quyết định này có hiệu lực thi hành kể từ ngày 25 tháng 3 năm 2024 và thay
        thế các quy định trước đây của Ủy ban nhân dân tỉnh về cùng nội dung này.
        <signature>

        dân cấp xã thực hiện thống nhất trên địa bàn tỉnh Hòa Lâm, bảo đảm quyền lợi của người dân.
        """,
    )
    doc = parse_document(raw)
    assert ids(doc, "article") == ["art_1", "art_2", "art_3"]
    assert "Quyết định số 05/2023" not in doc.text
    assert "Điều khoản chuyển tiếp" not in doc.text
    assert "bảo đảm quyền lợi của người dân" not in doc.text


def test_footnote_continued_below_the_body_of_the_next_page() -> None:
    raw = gazette(
        """\
        <header>
        Điều 1. Phạm vi điều chỉnh
        1.1 Quy định này quy định thời hạn giải quyết thủ tục cấp phép xây dựng trên
        địa bàn tỉnh đối với các công trình không thuộc dự án đầu tư công.

        1 Khoản này được sửa đổi, bổ sung theo quy định tại khoản 2 Điều 1 của Quyết định số 05/2023/QĐ-UBND
        ngày 10 tháng 5 năm 2023 của Ủy ban nhân dân tỉnh sửa đổi, bổ sung một số điều của Quyết định số
        """,
        """\
        2. Thời hạn quy định tại khoản 1 Điều này được tính theo ngày làm việc kể
        từ ngày cơ quan có thẩm quyền nhận đủ hồ sơ hợp lệ của tổ chức, cá nhân.
        Điều 2. Hiệu lực thi hành2
        Quyết định này có hiệu lực thi hành kể từ ngày 25 tháng 3 năm 2024 và thay
        thế các quy định trước đây của Ủy ban nhân dân tỉnh về cùng nội dung này.

        12/2024/QĐ-UBND, có hiệu lực kể từ ngày 01 tháng 6 năm 2023 và áp dụng với hồ sơ nộp sau ngày đó.
        2 Điều này được sửa đổi theo quy định tại khoản 3 Điều 1 của Quyết định số 05/2023/QĐ-UBND.
        """,
        """\
        <signature>
        """,
    )
    doc = parse_document(raw)
    assert ids(doc, "article") == ["art_1", "art_2"]
    assert "áp dụng với hồ sơ nộp sau ngày đó" not in doc.text
    assert "Điều này được sửa đổi" not in doc.text
    notes = clean_text(normalize_source(raw)).footnotes
    assert [note.split()[0] for note in notes] == ["1", "2"]
    assert notes[0].endswith("áp dụng với hồ sơ nộp sau ngày đó.")


def test_body_cut_at_the_page_break_goes_on_at_the_next_page_top() -> None:
    raw = gazette(
        """\
        <header>
        Điều 1. Phạm vi điều chỉnh
        Quy định này quy định thời hạn giải quyết thủ tục cấp phép xây dựng trên
        địa bàn tỉnh đối với các công trình xây dựng theo quy định của pháp luật

        1 Điều này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 1 của Quyết định số 05/2023/QĐ-UBND
        ngày 10 tháng 5 năm 2023 của Ủy ban nhân dân tỉnh sửa đổi, bổ sung một số điều của Quyết định số
        """,
        """\
        về xây dựng và các quy định khác có liên quan của Ủy ban nhân dân tỉnh.
        Điều 2. Hiệu lực thi hành
        Quyết định này có hiệu lực thi hành kể từ ngày 25 tháng 3 năm 2024 và thay
        thế các quy định trước đây của Ủy ban nhân dân tỉnh về cùng nội dung này.

        12/2024/QĐ-UBND, có hiệu lực kể từ ngày 01 tháng 6 năm 2023 và áp dụng với hồ sơ nộp sau ngày đó.
        """,
        """\
        <signature>
        """,
    )
    doc = parse_document(raw)
    assert ids(doc, "article") == ["art_1", "art_2"]
    assert "về xây dựng và các quy định khác có liên quan" in doc.text
    assert "áp dụng với hồ sơ nộp sau ngày đó" not in doc.text


def test_footnote_number_stuck_to_the_end_of_an_article_heading() -> None:
    raw = gazette(
        """\
        <header>
        Điều 1. Phạm vi điều chỉnh1
        Quy định này quy định thời hạn giải quyết thủ tục cấp phép xây dựng trên
        địa bàn tỉnh đối với các công trình không thuộc dự án đầu tư công.
        Điều 2. Sửa đổi, bổ sung một số điều của Quyết định số 05/2020/QĐ-UBND về cấp
        phép xây dựng2
        Nội dung.
        Điều 3. Bãi bỏ khoản 2 Điều 5 của Luật số 10/2012/QH13
        Điều 4. Công trình có diện tích dưới 2 km2
        Nội dung.

        1 Điều này được sửa đổi theo quy định tại khoản 1 Điều 1 của Quyết định số 05/2023/QĐ-UBND.
        2 Điều này được bổ sung theo quy định tại khoản 2 Điều 1 của Quyết định số 05/2023/QĐ-UBND.
        """,
        """\
        <signature>
        """,
    )
    doc = parse_document(raw)
    assert [u.heading for u in doc.articles()] == [
        "Phạm vi điều chỉnh",
        "Sửa đổi, bổ sung một số điều của Quyết định số 05/2020/QĐ-UBND về cấp phép xây dựng",
        "Bãi bỏ khoản 2 Điều 5 của Luật số 10/2012/QH13",  # a number, and no footnote 13
        "Công trình có diện tích dưới 2 km2",  # an area: "km" is a unit
    ]


def test_footnote_going_on_as_a_paragraph_just_above_the_next_footnote() -> None:
    raw = gazette(
        """\
        <header>
        Điều 1. Phạm vi điều chỉnh
        1.1 Quy định này quy định thời hạn giải quyết thủ tục cấp phép xây dựng trên
        địa bàn tỉnh đối với các công trình không thuộc dự án đầu tư công.

        1 Khoản này được sửa đổi, bổ sung lần thứ nhất theo quy định tại khoản 1 Điều 1 của Quyết định
        số 05/2023/QĐ-UBND ngày 10 tháng 5 năm 2023 của Ủy ban nhân dân tỉnh Hòa Lâm.
        """,
        """\
        2.2 Thời hạn quy định tại khoản 1 Điều này được tính theo ngày làm việc kể
        từ ngày cơ quan có thẩm quyền nhận đủ hồ sơ hợp lệ của tổ chức, cá nhân.
        Điều 2. Hiệu lực thi hành
        Quyết định này có hiệu lực thi hành kể từ ngày 25 tháng 3 năm 2024 và thay
        thế các quy định trước đây của Ủy ban nhân dân tỉnh về cùng nội dung này.

        Khoản này được sửa đổi, bổ sung lần thứ hai theo quy định tại khoản 2 Điều 1 của Quyết định
        số 08/2024/QĐ-UBND ngày 12 tháng 8 năm 2024 của Ủy ban nhân dân tỉnh Hòa Lâm.
        2 Khoản này được bổ sung theo quy định tại khoản 3 Điều 1 của Quyết định số 05/2023/QĐ-UBND.
        """,
        """\
        <signature>
        """,
    )
    doc = parse_document(raw)
    assert "lần thứ hai" not in doc.text
    assert "Khoản này được bổ sung" not in doc.text
    notes = clean_text(normalize_source(raw)).footnotes
    assert [note.split()[0] for note in notes] == ["1", "2"]
    assert notes[0].endswith(
        "08/2024/QĐ-UBND ngày 12 tháng 8 năm 2024 của Ủy ban nhân dân tỉnh Hòa Lâm."
    )
    assert ids(doc, "clause") == ["art_1__para_1", "art_1__para_2"]


def test_eth_typed_for_d_with_stroke_still_makes_a_label() -> None:
    # U+00D0 (Icelandic eth) looks like Đ (U+0110); some sources type one for the other
    doc = doc_of("Điều 1. Một\nNội dung.\n\u00d0iều 2. Hai\nNội dung.\nĐiều 3. Ba\nNội dung.\n")
    assert ids(doc, "article") == ["art_1", "art_2", "art_3"]


def test_table_of_contents_is_not_structure() -> None:
    doc = doc_of(
        "MỤC LỤC\nChương I QUY ĐỊNH CHUNG\t1\n\tĐiều 1. Một\t1\n\tĐiều 2. Hai\t2\n"
        "Chương II THI HÀNH..........3\n"
        "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Một\nNội dung.\nChương II\nTHI HÀNH\nĐiều 2. Hai\nNội dung.\n"
    )
    assert ids(doc, "article") == ["art_1", "art_2"]
    assert ids(doc, "chapter") == ["chp_1", "chp_2"]
    art_1 = doc.unit("art_1")
    assert art_1 is not None and art_1.heading == "Một"


def test_table_of_contents_with_spaced_page_numbers_is_not_structure() -> None:
    # a reader that turns the tab before a page number into a space
    doc = doc_of(
        "Chương I QUY ĐỊNH CHUNG 1\nĐiều 1. Một 1\nĐiều 2. Hai 2\nChương II THI HÀNH 3\n"
        "Điều 3. Ba 3\n"
        "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Một\nNội dung.\nĐiều 2. Hai\nNội dung.\n"
        "Chương II\nTHI HÀNH\nĐiều 3. Ba\nNội dung.\n"
    )
    assert ids(doc, "article") == ["art_1", "art_2", "art_3"]
    assert [u.heading for u in doc.articles()] == ["Một", "Hai", "Ba"]
    assert ids(doc, "chapter") == ["chp_1", "chp_2"]


def test_articles_whose_headings_end_in_a_number_are_not_a_contents_list() -> None:
    doc = doc_of(
        "Điều 1. Bãi bỏ Điều 4\nĐiều 2. Bãi bỏ Điều 7\nĐiều 3. Bãi bỏ Điều 9\n"
        "Điều 4. Hiệu lực\nNội dung.\n"
    )
    assert ids(doc, "article") == ["art_1", "art_2", "art_3", "art_4"]


def test_bracketed_footnote_reference_in_an_article_label() -> None:
    doc = doc_of("Điều 1. Một\nNội dung.\nĐiều 2[3]. Hai\nNội dung.\nĐiều 3. Ba\nNội dung.\n")
    assert ids(doc, "article") == ["art_1", "art_2", "art_3"]


@pytest.mark.parametrize(
    "title",
    [
        "Phụ lục I\nMẪU NỘI QUY VÀ QUYẾT ĐỊNH CỦA TRUNG TÂM\n",  # the title says forms
        "Phụ lục I\n",  # the first line under the intro does
    ],
)
def test_forms_issued_with_the_document_are_not_an_attachment(title: str) -> None:
    forms = (
        title
        + "(Ban hành kèm theo Quyết định số 12/2024/QĐ-UBND ngày 15 tháng 3 năm 2024\n"
        + "của Ủy ban nhân dân tỉnh Hòa Lâm)\n\n"
        + "Mẫu số 01. Nội quy của trung tâm\nNỘI QUY\nĐiều 1. Giờ làm việc ...\n"
        + "Điều 2. Trang phục ...\n"
        + "Mẫu số 02. Quyết định khen thưởng\nQUYẾT ĐỊNH:\nĐiều 1. Khen thưởng ông/bà ...\n"
        + "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    )
    doc = doc_of("Điều 1. Một\nNội dung.\nĐiều 2. Hai\nNội dung.\n", signature=SIGNATURE + forms)
    assert ids(doc, "article") == ["art_1", "art_2"]
    assert ids(doc, "attachment") == []


def test_article_labels_printed_without_their_dot() -> None:
    doc = doc_of(
        "Điều 1 Phạm vi\nNội dung.\nĐiều 2\nĐối tượng\nNội dung.\nĐiều 3 Hiệu lực\nNội dung.\n"
    )
    assert ids(doc, "article") == ["art_1", "art_2", "art_3"]
    art_1 = doc.unit("art_1")
    assert art_1 is not None and art_1.heading == "Phạm vi"


def test_undotted_reference_at_a_line_start_is_not_a_label() -> None:
    doc = doc_of(
        "Điều 1. Phạm vi\nViệc cấp phép thực hiện theo quy định tại Luật Xây dựng.\n"
        "Điều 2 Nghị định số 15/2021/NĐ-CP quy định hồ sơ.\n"
        "Điều 2. Hiệu lực\nNội dung.\n"
    )
    assert ids(doc, "article") == ["art_1", "art_2"]
    art_2 = doc.unit("art_2")
    assert art_2 is not None and art_2.heading == "Hiệu lực"


def test_long_heading_wrapped_past_three_lines_up_to_a_label() -> None:
    doc = doc_of(
        "Điều 1. Sửa đổi, bổ sung một số điều của Quyết định số 05/2020/QĐ-UBND về\n"
        "thời hạn giải quyết thủ tục cấp phép xây dựng đối với các công trình trên\n"
        "địa bàn tỉnh và quản lý trật tự xây dựng đối với các công trình tại các\n"
        "xã, phường, thị trấn và các khu công nghiệp, khu kinh tế, khu công nghệ\n"
        "cao trên địa bàn\n"
        "tỉnh Hòa Lâm\n"
        "1. Sửa đổi khoản 2 Điều 3.\n"
        "Điều 2. Trách nhiệm của Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc\n"
        "các sở, Chủ tịch Ủy ban nhân dân các xã, phường và các cơ quan, tổ chức\n"
        "có liên quan trong việc tổ chức thực hiện Quy định về thời hạn giải quyết\n"
        "thủ tục cấp phép xây dựng trên địa bàn tỉnh\n"
        "thi hành Quyết định này kể từ ngày ký.\n"
        "Điều 3. Hiệu lực\nNội dung.\n"
    )
    art_1, art_2, _ = doc.articles()
    assert art_1.heading is not None and art_1.heading.endswith(
        "khu công nghệ cao trên địa bàn tỉnh Hòa Lâm"
    )
    assert ids(doc, "clause") == ["art_1__para_1"]
    # a fourth line that ends a sentence is body: the heading stays at three lines
    assert art_2.heading is not None and art_2.heading.endswith("xây dựng trên địa bàn tỉnh")


def test_wrapped_heading_joined_at_a_hyphen() -> None:
    doc = doc_of(
        "Điều 1. Sửa đổi một số điều của Thông tư số 05/2021/TT-\nBXD ngày 3 tháng 5 năm 2021\n"
        "Nội dung.\nĐiều 2. Trách nhiệm của Sở Kế hoạch -\nĐầu tư\nNội dung.\n"
    )
    assert [u.heading for u in doc.articles()] == [
        "Sửa đổi một số điều của Thông tư số 05/2021/TT-BXD ngày 3 tháng 5 năm 2021",
        "Trách nhiệm của Sở Kế hoạch - Đầu tư",  # a spaced dash keeps its spaces
    ]


# A saved web page keeps its source's line breaks inside a paragraph and sets paragraphs apart
# with blank lines: there a single line break is only a wrap.
BLANK_SET = """\
Điều 1. Trách nhiệm của Sở
Tài chính

1. Sở Tài chính chủ trì việc thẩm
định hồ sơ.

2. Sở Tài chính báo cáo Ủy ban
nhân dân tỉnh hằng quý.

Điều 2.
Nguyên tắc chung về hồ sơ

- Hồ sơ được lập thành
hai bộ.

- Hồ sơ được lưu tại Sở.

Điều 3. Giao Sở Xây dựng
chủ trì, phối hợp với Sở Tài chính.

Điều 4. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết
định số 5/2020/QĐ-UBND.

"""


def test_label_paragraph_of_a_text_set_apart_by_blank_lines() -> None:
    doc = doc_of(BLANK_SET, signature=SIGNATURE.replace("\n", "\n\n"))
    assert [u.heading for u in doc.articles()] == [
        "Trách nhiệm của Sở Tài chính",  # a heading cut before a capital
        "Nguyên tắc chung về hồ sơ",  # a heading under a bare label
        None,  # the body's first sentence, not a heading
        None,
    ]
    assert ids(doc, "clause") == ["art_1__para_1", "art_1__para_2"]


def test_label_paragraph_where_single_line_breaks_end_paragraphs() -> None:
    # a blank line (here where a page ended) after a heading and one sentence, in a text whose
    # paragraphs follow each other: the line break after the heading ends it
    doc = doc_of(
        "Điều 1. Phạm vi\n1. Quyết định này quy định\nthời hạn.\n2. Thời hạn tính theo\n"
        "ngày làm việc.\nĐiều 2. Hiệu lực thi hành\nQuyết định này có hiệu lực\nkể từ ngày ký.\n\n"
        "Điều 3. Trách nhiệm\n1. Sở Tài chính\nthực hiện.\n2. Sở Xây dựng phối hợp.\n"
    )
    assert [u.heading for u in doc.articles()] == ["Phạm vi", "Hiệu lực thi hành", "Trách nhiệm"]


# --- metadata from headers that are wrapped, unusual or missing -------------------------------

ANY = object()  # a field the case does not check


@pytest.mark.parametrize(
    ("text", "number", "dtype", "issuer", "issued"),
    [
        # "Luật số:" wrapped after "Luật"
        (
            "QUỐC\nHỘI\n--------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Luật\nsố: 41/2019/QH14\nHà\nNội, ngày 20 tháng 6 năm 2019\nLUẬT\nTHỦY LỢI\n"
            "Điều 1. Phạm vi\nNội dung.\n",
            "41/2019/QH14",
            "Luật",
            "Quốc hội",
            "2019-06-20",
        ),
        # a Party number goes on after its type code; KẾT LUẬN is a type of its own
        (
            "BAN CHẤP HÀNH TRUNG ƯƠNG\nĐẢNG CỘNG SẢN VIỆT NAM\n-----\nSố 305-KL/TW\n"
            "Hà Nội, ngày 02 tháng 3 năm 2025\nKẾT LUẬN\nCỦA BỘ CHÍNH TRỊ\nVỀ CÔNG TÁC CÁN BỘ\n"
            "1. Nội dung.\n",
            "305-KL/TW",
            "Kết luận",
            ANY,  # (the Party body is not in the issuer list)
            "2025-03-02",
        ),
        # the word that begins a body name stands alone on its line
        (
            "BỘ TÀI CHÍNH\nCỤC\nHẢI QUAN\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nSố: 515/TB-CHQ\nHà Nội, ngày 03 tháng 4 năm 2025\n"
            "THÔNG BÁO\nVỀ KẾT QUẢ XÁC ĐỊNH TRƯỚC MÃ SỐ\nNội dung.\n",
            "515/TB-CHQ",
            "Thông báo",
            "Cục Hải quan",
            "2025-04-03",
        ),
        # a portal page that holds only its title line
        (
            "Quyết định 15/QĐ-BXD ngày 02/01/2025 về việc công bố thủ tục hành chính do Bộ trưởng"
            " Bộ Xây dựng ban hành Văn bản này đang cập nhật Nội dung\n",
            "15/QĐ-BXD",
            "Quyết định",
            "Bộ Xây dựng",
            "2025-01-02",
        ),
        # a letter whose header was lost names itself in its appendix's caption
        (
            "Kính gửi: Sở Tài chính\nỦy ban nhân dân Tỉnh chỉ đạo như sau trên địa bàn Tỉnh Hòa"
            " Lâm:\n1. Nội dung.\nPhụ lục\n(Kèm theo Công văn số 88/UBND-KT ngày 05 tháng 3 năm"
            " 2025 của Ủy ban\nnhân dân Tỉnh)\n",
            "88/UBND-KT",
            "Công văn",
            "Ủy ban nhân dân Tỉnh Hòa Lâm",
            "2025-03-05",
        ),
        # the type caption of a header-less text is not its issuer
        (
            "THÔNG TƯ\nHướng dẫn kế toán\nCăn cứ Luật Kế toán;\nĐiều 1. Một\nNội dung.\n",
            None,
            "Thông tư",
            None,
            None,
        ),
    ],
)
def test_metadata_of_odd_headers(
    text: str, number: str | None, dtype: str, issuer: object, issued: str | None
) -> None:
    m = parse_document(text).metadata
    got = (m.number, m.type, m.issuer, m.issued)
    want = (number, dtype, issuer, issued)
    assert tuple(g if w is ANY else w for g, w in zip(got, want, strict=True)) == got


def test_consolidated_text_takes_its_own_number_and_date_from_the_certification() -> None:
    """A consolidated text that reproduces its base's header is numbered by its certification."""
    text = (
        "CHÍNH PHỦ\nSố: 49/2018/NĐ-CP\nHà Nội, ngày 30 tháng 3 năm 2018\n\nNGHỊ ĐỊNH\nQuy định về kiểm định\n\n"
        "Nghị định số 49/2018/NĐ-CP ngày 30 tháng 3 năm 2018 của Chính phủ, có hiệu lực kể từ ngày "
        "15 tháng 5 năm 2018, được sửa đổi, bổ sung bởi:\nNghị định số 04/2023/NĐ-CP ngày 13 tháng 2 năm 2023.\n\n"
        "Điều 1. Phạm vi điều chỉnh\nNghị định này quy định về kiểm định.\n\n"
        "Nghị định này có hiệu lực thi hành từ ngày 15 tháng 5 năm 2018.\n\n"
        "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 1798/VBHN-BLĐTBXH\nXÁC THỰC VĂN BẢN HỢP NHẤT\n"
        "Hà Nội, ngày 12 tháng 5 năm 2023\nBỘ TRƯỞNG\n"
    )
    m = parse_document(text).metadata
    assert (m.number, m.type, m.issued, m.place) == (
        "1798/VBHN-BLĐTBXH",
        "Văn bản hợp nhất",
        "2023-05-12",
        "Hà Nội",
    )


def test_bare_article_words_before_an_amendment_instruction_do_not_break_quote_spans() -> None:
    # Found by Hypothesis: two lines holding only "Điều" before a clause ending in "như sau:".
    doc = parse_document(
        "Điều 1. Phạm vi điều chỉnh\nĐiều\nĐiều\n1. Sửa đổi, bổ sung Điều 5 như sau:"
    )
    clause = next(u for u in doc.units if u.kind == "clause")
    assert doc.text[clause.span.start : clause.span.end].startswith("1. Sửa đổi")
    assert all(u.span.start <= u.span.end for u in doc.units)


def test_a_title_wrapped_in_capitals_naming_a_place_is_read_whole() -> None:
    # The second title line ends in "THÀNH PHỐ HÀ NỘI" like an issuer's caption, but it is
    # part of the title (real case: 80/2025/NQ-HĐND of Hà Nội was cut to "Quy định nội dung, mức").
    text = (
        "HỘI ĐỒNG NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n\nSố: 80/2025/NQ-HĐND\n\n"
        "Hà Nội, ngày 27 tháng 11 năm 2025\n\nNGHỊ QUYẾT\nQUY ĐỊNH NỘI DUNG, MỨC\n"
        "CHI HỖ TRỢ LỰC LƯỢNG CÔNG AN CẤP XÃ TRÊN ĐỊA BÀN THÀNH PHỐ HÀ NỘI\n"
        "VÀ BÃI BỎ NGHỊ QUYẾT SỐ 22/2024/NQ-HĐND\n"
        "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\n\nĐiều 1. Phạm vi điều chỉnh\nNội dung.\n"
    )
    title = parse_document(text).metadata.title
    assert title is not None
    assert title.startswith("Quy định nội dung, mức chi hỗ trợ lực lượng công an cấp xã")
    assert title.endswith("và bãi bỏ nghị quyết số 22/2024/NQ-HĐND")  # the caption line stops it
