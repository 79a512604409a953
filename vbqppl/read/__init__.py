"""The read stage: any supported file -> :class:`~vbqppl.model.RawText` (Unicode NFC, ``\\n``).

``read_file(path)`` and ``read_bytes(data, name=...)`` are the whole surface. The format is
chosen from the content first (:mod:`vbqppl.read.detect`); each format has its module
(:mod:`.text`, :mod:`.markdown`, :mod:`.docx`, :mod:`.doc`, :mod:`.html`, :mod:`.pdf`,
:mod:`.jsontext`), the legacy encodings live in :mod:`.legacy` and the guards against hostile
files in :mod:`.safety`. Every failure is a :class:`~vbqppl.errors.ReadError` (or one of its
subclasses) with a one-line Vietnamese message naming the file; no library exception escapes.

After the format reader, every text gets the same finishing: line ends to ``\\n``; other
line-separator characters (U+2028/2029, VT, FF, NEL) handled; U+FFFE, which pdfium puts for a
hyphen, back to ``-``; zero-width characters and BOMs removed; no-break and other fixed-width
spaces to a plain space; trailing spaces stripped; runs of blank lines capped at two; NFC.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import unicodedata
from pathlib import Path

from vbqppl.errors import ReadError, VbqpplError
from vbqppl.model import RawText
from vbqppl.read import jsontext as _json
from vbqppl.read import markdown as _markdown
from vbqppl.read import text as _text
from vbqppl.read.detect import FORMATS, detect_format
from vbqppl.read.legacy import detect_legacy, tcvn3_to_unicode, vni_to_unicode
from vbqppl.read.safety import MAX_BYTES, check_size

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "detect_format",
    "detect_legacy",
    "os_error_message",
    "read_bytes",
    "read_file",
    "tcvn3_to_unicode",
    "vni_to_unicode",
]

_LINE_SEPARATORS = str.maketrans(
    {
        "\r": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
        "\x0b": "\n",
        "\x0c": "\n",
        "\ufffe": "-",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\x1c": None,
        "\x1d": None,
        "\x1e": None,
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        **{chr(c): " " for c in range(0x2000, 0x200B)},
        # C1 controls (NEL among them splits lines in str.splitlines): their cp1252 meaning.
        **{
            chr(c): (bytes([c]).decode("cp1252", errors="ignore") or None)
            for c in range(0x80, 0xA0)
        },
    }
)
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANKS = re.compile(r"\n{4,}")


_SEPARATOR_CHARS = re.compile("[" + re.escape("".join(map(chr, _LINE_SEPARATORS))) + "]")
# No replacement holds a character the table replaces, so replacing the characters one after
# another gives what ``str.translate`` gives.
assert not any(set(map(ord, v or "")) & _LINE_SEPARATORS.keys() for v in _LINE_SEPARATORS.values())


def _separators_replaced(text: str) -> str:
    """``text.translate(_LINE_SEPARATORS)``, by a ``str.replace`` for each character of the
    table the text holds (a scan in C for them first): ``translate`` looks every character
    up in the table, some ten times slower on Vietnamese text."""
    for char in set(_SEPARATOR_CHARS.findall(text)):
        text = text.replace(char, _LINE_SEPARATORS[ord(char)] or "")
    return text


def finish_text(text: str) -> str:
    """The normalisation every reader's output goes through (see the module docstring)."""
    text = _separators_replaced(text.replace("\r\n", "\n"))
    text = unicodedata.normalize("NFC", text)
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        text = _TRAILING.sub("", text)
    if "\n\n\n\n" in text:
        text = _BLANKS.sub("\n\n\n", text)
    return text.strip("\n")


def _display(name: str) -> str:
    return name or "(dữ liệu không tên)"


_OS_REASONS = {
    errno.ENOENT: "Không tìm thấy tệp (đã bị xoá hoặc di chuyển?): {}",
    errno.EACCES: "Không có quyền đọc tệp: {}",
    errno.EPERM: "Không có quyền đọc tệp: {}",
    errno.ELOOP: "Liên kết vòng (symlink trỏ vòng về chính nó), không đọc được: {}",
    errno.EISDIR: "Đây là thư mục, không phải tệp: {}",
    errno.EIO: "Lỗi đọc đĩa (lỗi vào/ra), không đọc được tệp: {}",
    errno.ENAMETOOLONG: "Tên hoặc đường dẫn tệp quá dài: {}",
}


def os_error_message(err: OSError, shown: str) -> str:
    """One Vietnamese line for a file the operating system would not let us read."""
    reason = _OS_REASONS.get(err.errno or 0)
    if reason:
        return reason.format(shown)
    return f"Không đọc được tệp ({err.strerror or err}): {shown}"


def read_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> RawText:
    """Read the file at ``path`` (see :func:`read_bytes`)."""
    p = Path(path)
    shown = str(p)
    try:
        size = p.stat().st_size
    except FileNotFoundError as err:
        if p.is_symlink():
            raise ReadError(f"Liên kết tới tệp không còn tồn tại: {shown}") from err
        raise ReadError(f"Không tìm thấy tệp: {shown}") from err
    except OSError as err:
        raise ReadError(os_error_message(err, shown)) from err
    if p.is_dir():
        raise ReadError(f"Đây là thư mục, không phải tệp: {shown}")
    check_size(size, shown, max_bytes)
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        raise ReadError(os_error_message(err, shown)) from err
    return read_bytes(data, name=shown, max_bytes=max_bytes)


def read_bytes(data: bytes, *, name: str = "", max_bytes: int = MAX_BYTES) -> RawText:
    """Turn the bytes of a supported file into :class:`RawText`.

    ``name`` (a path or file name) is used in messages, as ``RawText.path`` and to break ties
    in format detection.
    """
    shown = _display(name)
    check_size(len(data), shown, max_bytes)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ReadError(f"Tệp rỗng: {shown}")
    try:
        return _read(data, name, shown, max_bytes)
    except VbqpplError:
        raise
    except RecursionError as err:
        raise ReadError(f"Tệp lồng nhau quá sâu, không đọc được: {shown}") from err
    except MemoryError as err:
        raise ReadError(f"Không đủ bộ nhớ để đọc tệp: {shown}") from err
    except Exception as err:  # the promise: no library exception escapes the read stage
        raise ReadError(
            f"Không đọc được tệp ({type(err).__name__}: {_one_line(str(err))}): {shown}"
        ) from err


def _one_line(message: str) -> str:
    return " ".join(message.split())[:200]


def _read(data: bytes, name: str, shown: str, max_bytes: int) -> RawText:
    digest = hashlib.sha256(data).hexdigest()
    fmt = detect_format(data, name)
    encoding: str | None = None
    notes: list[str] = []
    footnotes: list[str] = []
    if fmt in ("txt", "md"):
        text, encoding, notes = _text.decode_bytes(data, shown)
        if fmt == "md" or (_markdown.is_portal_page(text) and "|\n" in text[:20000]):
            fmt = "md"
            text, md_notes = _markdown.markdown_to_text(text)
            notes += md_notes
    elif fmt in ("docx", "doc", "rtf", "odt"):
        from vbqppl.read import doc as _doc  # python-docx, lxml: only for these formats
        from vbqppl.read import docx as _docx

        if fmt != "docx":
            data_docx = _doc.convert_to_docx(data, shown, fmt)
            check_size(len(data_docx), shown, max_bytes * 4)
            notes.append(f"đã chuyển tệp .{fmt} sang .docx bằng LibreOffice")
        else:
            data_docx = data
        text, docx_notes, footnotes = _docx.read_docx(data_docx, shown)
        notes += docx_notes
        if not any("TCVN3" in n or "VNI" in n for n in notes):
            text, _ = _text.fix_legacy(text, notes)
    elif fmt == "html":
        from vbqppl.read import html as _html

        text, encoding, notes = _html.read_html(data, shown)
        text = _text.fix_unicode_text(text, notes)
    elif fmt == "pdf":
        from vbqppl.read import pdf as _pdf

        text, notes, _pages = _pdf.read_pdf(data, shown)
    elif fmt == "json":
        raw = data
        if data.startswith(b"\x1f\x8b"):
            raw = _json.gunzip(data, shown, max_bytes * 4)
            notes.append("đã giải nén gzip")
        text, key = _json.read_json(raw, shown)
        notes.append(f"đã lấy văn bản từ trường JSON '{key}'")
        encoding = "utf-8"
    else:  # pragma: no cover - detect_format only returns FORMATS
        raise ReadError(f"Định dạng tệp không được hỗ trợ: {shown}")
    text = finish_text(text)
    if not text.strip():
        raise ReadError(f"Tệp không có nội dung văn bản: {shown}")
    return RawText(
        text=text,
        path=name or None,
        format=fmt,
        sha256=digest,
        encoding=encoding,
        notes=tuple(dict.fromkeys(notes)),
        footnotes=tuple(finish_text(f) for f in footnotes),
    )
