"""Read a PDF's text layer with pypdfium2.

Library choice, measured on the 111 PDFs with a text layer in ``corpus-real/raw`` (1,501 pages,
2-core machine; text compared with ``texts/<id>.txt`` after collapsing white space):

==================  ============  ================  ===============  =====================
library             pages/second  word-bag F1 mean  char ratio mean  documents with F1<0.85
==================  ============  ================  ===============  =====================
pypdfium2 5.15      632-673       0.988             99.35            2
pypdf 7.1           52-53         0.898             98.70            33
==================  ============  ================  ===============  =====================

pypdfium2 is about 12x faster and closer to the reference: pypdf splits Vietnamese words around
precomposed letters on many Công báo pages and warns about fonts it cannot decode without
fontTools. Both licences are permissive (pdfium: BSD-3/Apache-2.0; pypdf: BSD-3). The two
documents where pypdfium2 scores low (congbao-19-2023-tt-bldtbxh 0.57, congbao-29-2021-tt-bldtbxh
0.81; pypdf 0.84 and 0.90 there) have a damaged text layer that puts a line break before many
precomposed letters ("NGH\nỀ"); mending such lines is left to the cleaning stage.
``bench/bench_read.py --compare-pdf`` reproduces the table.

pdfium reports some hyphens as U+FFFE ("TT\ufffeBLĐTBXH"); the common finishing step in
:mod:`vbqppl.read` turns them back into "-".

Pages are joined with ``"\\n"``; page headers ("CÔNG BÁO/Số ...") stay for the cleaning stage.

A scan is recognised page by page: a page with fewer than 200 non-space characters and an
image covering at least 15% of it is "scanned". When at least half of the pages are, the
file raises :class:`~vbqppl.errors.NeedsOcrError`; when some are, a note says which. A file
with no text at all raises it too. Encrypted files that need a password raise ``ReadError``.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from vbqppl.errors import NeedsOcrError, ReadError

SCAN_MAX_CHARS = 200
SCAN_MIN_IMAGE_AREA = 0.15


def needs_ocr(name: str) -> NeedsOcrError:
    return NeedsOcrError(
        f"Tệp PDF không có lớp văn bản (bản quét): cần OCR trước khi đọc. Tệp: {name}"
    )


def _image_share(page: pdfium.PdfPage) -> float:
    width, height = page.get_size()
    area = max(width * height, 1.0)
    best = 0.0
    for obj in page.get_objects(max_depth=3):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        try:
            left, bottom, right, top = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        best = max(best, (right - left) * (top - bottom) / area)
    return best


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError(
                f"Tệp PDF được bảo vệ bằng mật khẩu (mã hoá), không đọc được: {name}"
            ) from err
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(f"Tệp PDF dùng cơ chế mã hoá không được hỗ trợ: {name}") from err
        raise ReadError(f"Tệp PDF bị hỏng hoặc không đầy đủ: {name}") from err


def read_pdf(data: bytes, name: str) -> tuple[str, list[str], int]:
    """Return (text, notes, page count) of a PDF given as bytes."""
    pdf = _open(data, name)
    try:
        pages: list[str] = []
        scanned: list[int] = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                chars = len("".join(text.split()))
                if chars < SCAN_MAX_CHARS and _image_share(page) >= SCAN_MIN_IMAGE_AREA:
                    scanned.append(index + 1)
            finally:
                page.close()
            pages.append(text)
        count = len(pages)
    except pdfium.PdfiumError as err:
        raise ReadError(f"Tệp PDF bị hỏng hoặc không đầy đủ: {name}") from err
    finally:
        pdf.close()
    if count == 0:
        raise ReadError(f"Tệp PDF không có trang nào: {name}")
    total = sum(len("".join(p.split())) for p in pages)
    if total == 0 or len(scanned) * 2 >= count:
        raise needs_ocr(name)
    text = "\n".join(p.replace("\r\n", "\n").replace("\r", "\n") for p in pages)
    notes = [f"đã đọc lớp văn bản của {count} trang PDF"]
    if scanned:
        shown = ", ".join(map(str, scanned[:10])) + (" ..." if len(scanned) > 10 else "")
        notes.append(f"{len(scanned)} trang là ảnh quét, có thể thiếu chữ (trang {shown})")
    return text, notes, count
