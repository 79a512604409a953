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

Two repairs of pdfium's lines, from the characters' boxes (:func:`_page_text`), so that a page
reads like the text layers in ``corpus-real/texts`` that the cleaning stage was built on:

- pdfium starts a new line at a superscript footnote mark ("khoản" / "5", "Kiểm soát viên3" /
  "công ty ..."): a line that continues the same row to the right is joined back to it
  (without a space when the two touch): the mark stays glued on as in the text layers
  ("khoản5", "viên3 công ty") and the body gets no stray one-character line.
- a Gazette page ends with its footnotes, in a smaller font below a gap; pdfium runs them on
  straight after the body. A blank line now goes before such a foot zone, which is what the
  cleaning stage looks for to lift footnotes out of the articles.

Measured on the 112 PDFs with a text layer with ``bench/eval_read.py``:
footnotes lifted out 280, against 13 before; the text layers give 321, of which 14 are table
rows the cleaning stage takes for footnotes (congbao-116-2025-tt-btc) and 21 sit under tables
on landscape pages, which this does not catch (congbao-148-2025-tt-btc). Every unit id the
texts give is then found in the originals (6,742 of 6,742, against 6,707). Reading the
character boxes costs about 13% of the speed: ``read_pdf`` on the 119 PDFs does about 580
pages per CPU-second, against about 675 without them.

Leading spaces of PDF lines are dropped (pdfium puts one before a footnote or a page header).

A scan is recognised page by page: a page with fewer than 200 non-space characters and an
image covering at least 15% of it is "scanned". When at least half of the pages are, the
file raises :class:`~vbqppl.errors.NeedsOcrError`; when some are, a note says which. A file
with no text at all raises it too. Encrypted files that need a password raise ``ReadError``.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from itertools import pairwise

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from vbqppl.errors import NeedsOcrError, ReadError

SCAN_MAX_CHARS = 200
SCAN_MIN_IMAGE_AREA = 0.15
# Same row: the boxes overlap by this share of the smaller one's height.
ROW_OVERLAP = 0.5
# Foot zone: after a gap of this many median line pitches, every row to the page end is in a
# font smaller than this share of the rows above it, and at least this many rows are above.
FOOT_GAP = 1.3
FOOT_SMALL = 0.92
FOOT_MIN_ABOVE = 3
_BREAK = re.compile(r"\r\n|\r|\n")


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
                    text = _page_text(textpage)
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


@dataclass(slots=True)
class _Row:
    """One printed line: pdfium's lines joined back when they share a row."""

    text: str
    bottom: float  # loose box of the first character
    top: float
    right: float  # loose box of the last character
    height: float  # the font's height: median of three characters' loose boxes
    base: float  # their median bottom, which a superscript at either end does not move


def _page_text(textpage: pdfium.PdfTextPage) -> str:
    """The page's text, with rows split at superscripts joined and a blank line before the
    foot zone (see the module docstring). Falls back to pdfium's text as it is when the
    characters cannot be mapped to the text."""
    text: str = textpage.get_text_range()
    if len(text) != textpage.count_chars():
        return text
    try:
        rows = _rows(textpage, text)
    except pdfium.PdfiumError:
        return text
    foot = _foot_start([r for r in rows if r is not None])
    out: list[str] = []
    for row in rows:
        if row is None:
            out.append("")
            continue
        if row is foot and out and out[-1]:
            out.append("")
        out.append(row.text)
    return "\n".join(out)


def _rows(textpage: pdfium.PdfTextPage, text: str) -> list[_Row | None]:
    """pdfium's lines as rows (``None`` for an empty line); indices into ``text`` are
    character indices because pdfium's text has one character per index."""
    rows: list[_Row | None] = []
    pos = 0
    ends = [(m.start(), m.end()) for m in _BREAK.finditer(text)] + [(len(text), len(text))]
    for end, after in ends:
        line = text[pos:end]
        stripped = line.strip()
        if not stripped:
            rows.append(None)
            pos = after
            continue
        first = pos + len(line) - len(line.lstrip())
        last = pos + len(line.rstrip()) - 1
        left, bottom, _, top = textpage.get_charbox(first, loose=True)
        right = textpage.get_charbox(last, loose=True)[2]
        prev = rows[-1] if rows else None
        if prev is not None:
            height = prev.top - prev.bottom
            overlap = min(prev.top, top) - max(prev.bottom, bottom)
            gap = left - prev.right
            same_row = height > 0 and overlap > ROW_OVERLAP * min(height, top - bottom)
            if same_row and -1.0 <= gap < height:  # continued to the right
                prev.text += ("" if gap < 0.2 * height else " ") + stripped
                prev.right = right
                pos = after
                continue
        heights, bottoms = [], []
        for q in (1, 2, 3):
            k = first + (last - first) * q // 4
            if not text[k].isspace():
                _, b, _, t = textpage.get_charbox(k, loose=True)
                heights.append(t - b)
                bottoms.append(b)
        rows.append(
            _Row(
                stripped,
                bottom,
                top,
                right,
                statistics.median(heights) if heights else top - bottom,
                statistics.median(bottoms) if bottoms else bottom,
            )
        )
        pos = after
    return rows


def _foot_start(rows: list[_Row]) -> _Row | None:
    """The first row of the page's foot zone (its footnotes), if it has one."""
    if len(rows) <= FOOT_MIN_ABOVE:
        return None
    pitch = statistics.median(max(a.base - b.base, 0.0) for a, b in pairwise(rows))
    tallest = max(r.height for r in rows)
    foot = None
    tail = 0.0  # the largest font from row k to the page end (page numbers aside)
    for k in range(len(rows) - 1, FOOT_MIN_ABOVE - 1, -1):
        row = rows[k]
        if not row.text.isdigit():
            tail = max(tail, row.height)
        if tail >= FOOT_SMALL * tallest:
            break  # a row in the body's font: no foot zone can start above it
        above = statistics.median(r.height for r in rows[:k])
        if rows[k - 1].base - row.base > FOOT_GAP * pitch and tail < FOOT_SMALL * above:
            foot = row
    return foot
