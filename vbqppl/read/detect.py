"""Which reader a file needs, decided by its content first and its name second.

Content signatures win over the extension (a .doc that is really a .docx, a .pdf that is an
HTML error page): zip with ``word/document.xml`` -> docx, zip with an OpenDocument mimetype ->
odt, ``%PDF-`` -> pdf, the OLE2 header ``D0 CF 11 E0`` -> doc, ``{\\rtf`` -> rtf, gzip -> json.gz,
``<html``/``<!DOCTYPE html`` -> html. Without a signature the extension chooses between Markdown,
JSON and plain text. Known binary formats (images, executables, archives) are refused early.
"""

from __future__ import annotations

import re
import zipfile

from vbqppl.errors import ReadError
from vbqppl.read.safety import open_zip
from vbqppl.read.text import binary_error, looks_binary

FORMATS = ("txt", "md", "docx", "doc", "rtf", "odt", "html", "pdf", "json")

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"MZ", b"7z\xbc\xaf", b"Rar!",
    b"II*\x00", b"MM\x00*", b"BM", b"\x00\x00\x01\x00", b"ID3", b"OggS", b"fLaC",
    b"RIFF", b"\x1a\x45\xdf\xa3", b"BZh", b"\xfd7zXZ",
)  # fmt: skip
# Signatures that are also plain words ("BM.01" opens many forms, "MZ", "RIFF", "ID3"): binary
# only when the bytes look binary too.
_WORDLIKE_MAGIC = tuple(m for m in _BINARY_MAGIC if m.isascii() and m.decode().isprintable())
_HTML = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.I | re.S)
_MD_EXT = (".md", ".markdown", ".mdown")
_TEXT_EXT = (".txt", ".text", ".csv", ".tsv", "")


def _suffix(name: str) -> str:
    lower = name.lower().rsplit("/", 1)[-1]
    if lower.endswith(".json.gz"):
        return ".json.gz"
    dot = lower.rfind(".")
    return lower[dot:] if dot > 0 else ""


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with open_zip(data) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names or any(n.endswith("/document.xml") for n in names):
                return "docx"
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200 and zf.read(info).startswith(
                    b"application/vnd.oasis.opendocument.text"
                ):
                    return "odt"
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError):
        return "docx"  # a damaged zip: the .docx reader reports it as such
    raise ReadError(f"Tệp nén .zip không phải tài liệu Word (.docx): {name}")


def detect_format(data: bytes, name: str = "") -> str:
    """Return one of :data:`FORMATS` for ``data`` (``name`` only breaks ties)."""
    head = data[:4096]
    ext = _suffix(name)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, name)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE2):
        return "doc"
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\x1f\x8b"):
        return "json"
    sample = head.lstrip(b"\xef\xbb\xbf")
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        sample = sample.decode("utf-16", errors="ignore").encode("utf-8")
    if _HTML.match(sample):
        return "html"
    if head.startswith(_BINARY_MAGIC) and (
        not head.startswith(_WORDLIKE_MAGIC) or looks_binary(data)
    ):
        raise binary_error(name)
    if ext in (".htm", ".html", ".xhtml") and b"<" in sample:
        return "html"
    if ext in _MD_EXT:
        return "md"
    if ext in (".json", ".json.gz"):
        return "json"
    return "txt"
