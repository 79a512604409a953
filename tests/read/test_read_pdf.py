"""PDF: text layer read with pypdfium2, scans and encrypted files refused clearly."""

from __future__ import annotations

import io
import zlib

import pytest

from vbqppl.errors import NeedsOcrError, ReadError
from vbqppl.read import read_bytes


def make_pdf(pages: list[tuple[list[str], bool]]) -> bytes:
    """A small PDF: each page has lines of (ASCII) text and/or a full-page image."""
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
    for lines, scanned in pages:
        ops = []
        if scanned:
            ops.append(b"q 595 0 0 842 0 0 cm /Im1 Do Q")
        y = 800
        for line in lines:
            ops.append(b"BT /F1 12 Tf 50 %d Td (%s) Tj ET" % (y, line.encode("latin-1")))
            y -= 16
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


def test_encrypted_pdf() -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(make_pdf([(LINES_1, False)])))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="bimat", owner_password="chu", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(ReadError) as info:
        read_bytes(buf.getvalue(), name="khoa.pdf")
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
