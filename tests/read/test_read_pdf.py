"""PDF: text layer read with pypdfium2, scans and encrypted files refused clearly."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable

import pytest

from vbqppl.errors import NeedsOcrError, ReadError
from vbqppl.read import read_bytes

Segment = tuple[float, float, float, str]  # x, y (baseline), font size, ASCII text; ^3^ raised


def make_pdf(pages: list[tuple[list[str], bool]]) -> bytes:
    """A small PDF: each page has lines of (ASCII) text and/or a full-page image."""
    return make_layout_pdf(
        ([(50, 800 - 16 * i, 12, line) for i, line in enumerate(lines)], scanned)
        for lines, scanned in pages
    )


def make_layout_pdf(pages: Iterable[tuple[list[Segment], bool]]) -> bytes:
    """A small PDF whose pages hold text segments placed and sized at will (and/or an image)."""
    pages = list(pages)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pixels = zlib.compress(bytes(range(256)) * 64)
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 128 /Height 128 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(pixels)
        + pixels
        + b"\nendstream"
    )
    page_ids = []
    pages_id = len(objects) + 1 + 2 * len(pages)
    for segments, scanned in pages:
        ops = []
        if scanned:
            ops.append(b"q 595 0 0 842 0 0 cm /Im1 Do Q")
        for x, y, size, text in segments:
            runs = []
            for i, run in enumerate(text.split("^")):
                sup = i % 2 == 1  # a superscript: smaller and raised with Ts, as Word does
                runs.append(
                    b"/F1 %g Tf %g Ts (%s) Tj"
                    % (size * 0.6 if sup else size, size * 0.4 if sup else 0, run.encode("latin-1"))
                )
            ops.append(b"BT %g %g Td %s ET" % (x, y, b" ".join(runs)))
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_id, content, font, image)
            )
        )
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


LINES_1 = ["CONG BAO/So 1", "Dieu 1. Pham vi dieu chinh", "Nghi dinh nay quy dinh chi tiet."]
LINES_2 = ["Dieu 2. Doi tuong ap dung", "TT-BTC"]


def test_text_layer_pages_joined() -> None:
    raw = read_bytes(make_pdf([(LINES_1, False), (LINES_2, False)]), name="cb.pdf")
    assert raw.format == "pdf"
    assert raw.text.split("\n") == LINES_1 + LINES_2
    assert any("2 trang" in n for n in raw.notes)


def test_scan_needs_ocr() -> None:
    data = make_pdf([(["CONG BAO/So 1"], True), ([], True), ([], True)])
    with pytest.raises(NeedsOcrError) as info:
        read_bytes(data, name="quet.pdf")
    message = str(info.value)
    assert message.startswith("Tệp PDF không có lớp văn bản (bản quét): cần OCR trước khi đọc.")
    assert "quet.pdf" in message and "\n" not in message


def test_a_pdf_with_no_text_at_all_needs_ocr() -> None:
    with pytest.raises(NeedsOcrError):
        read_bytes(make_pdf([([], False)]), name="trang.pdf")


def test_one_scanned_page_among_text_pages_is_noted() -> None:
    long_lines = [
        f"Dieu {i}. Noi dung dai cua dieu nay co nhieu chu de vuot nguong." for i in range(6)
    ]
    raw = read_bytes(make_pdf([(long_lines, False), (long_lines, False), ([], True)]), name="a.pdf")
    assert any("ảnh quét" in n and "trang 3" in n for n in raw.notes)


def encrypted_pdf() -> bytes:
    """A one-page PDF that needs the user password "bimat" (RC4-128)."""
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(make_pdf([(LINES_1, False)])))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="bimat", owner_password="chu", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_encrypted_pdf() -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(encrypted_pdf(), name="khoa.pdf")
    assert "mật khẩu" in str(info.value) and "khoa.pdf" in str(info.value)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n1 0 obj garbage", b"%PDF-1.7\n" + bytes(range(256)) * 4],
    ids=["garbage", "binary"],
)
def test_corrupt_pdf(data: bytes) -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(data, name="hong.pdf")
    assert "hong.pdf" in str(info.value) and "\n" not in str(info.value)


BODY = [
    (50, 800 - 18 * i, 12, f"Dong {i} cua van ban, du dai de giong mot dong chu.") for i in range(8)
]


def test_a_row_split_at_a_superscript_is_joined_back() -> None:
    # pdfium starts a new line after the raised "3" (checked: "vien3\r\n cong ty ...")
    segments = [*BODY, (50, 640, 12, "Kiem soat vien^3^ cong ty trach nhiem"), (50, 622, 12, "Sau")]
    raw = read_bytes(make_layout_pdf([(segments, False)]), name="a.pdf")
    assert raw.text.split("\n")[-2:] == ["Kiem soat vien3 cong ty trach nhiem", "Sau"]


def test_footnotes_in_a_smaller_font_below_a_gap_get_a_blank_line_before_them() -> None:
    notes = [(50, 200, 9, "1 Chu thich mot."), (50, 189, 9, "tiep theo."), (50, 178, 9, "2 Hai.")]
    raw = read_bytes(make_layout_pdf([([*BODY, *notes], False)]), name="a.pdf")
    lines = raw.text.split("\n")
    assert lines[-4:] == ["", "1 Chu thich mot.", "tiep theo.", "2 Hai."]
    assert lines.count("") == 1


@pytest.mark.parametrize(
    "tail",
    [
        [(50, 200, 12, "Noi nhan:"), (50, 182, 12, "- Nhu tren.")],  # a gap, the body's font
        [(50, 656, 9, "1 Ghi chu sat than van ban."), (50, 645, 9, "2 Hai.")],  # small, no gap
    ],
    ids=["same-font", "no-gap"],
)
def test_no_blank_line_without_both_a_gap_and_a_smaller_font(tail: list[Segment]) -> None:
    raw = read_bytes(make_layout_pdf([([*BODY, *tail], False)]), name="a.pdf")
    assert "" not in raw.text.split("\n")
