"""Checks that run before a parser sees untrusted bytes.

* a size cap on every input (``max_bytes``);
* zip containers (.docx) are inspected from their central directory *before* python-docx opens
  them: member count, total declared uncompressed size, compression ratio of large members, and
  no XML part may carry a DOCTYPE (the only way to declare entities: billion laughs, XXE);
* XML is parsed with an explicit hardened lxml parser (no entities, no DTD, no network, no huge
  trees); HTML with lxml's HTML parser under the same limits, after refusing entity declarations.

Measured on the real corpus (8 .docx): at most 4.8 MB uncompressed, 23 members, and a largest
compression ratio of 34:1 (a 2 MB document.xml), so the caps below leave a wide margin.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from vbqppl.errors import UnsafeInputError

MAX_BYTES = 50 * 2**20
ZIP_MAX_TOTAL = 200 * 2**20  # total declared uncompressed size of all members
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_RATIO = 100  # uncompressed : compressed, for members larger than ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 2**20
XML_MAX_PART = 100 * 2**20  # one XML part, uncompressed

_ENTITY_PATTERNS = tuple(
    p.encode(enc)
    for p in ("<!DOCTYPE", "<!doctype", "<!ENTITY", "<!entity")
    for enc in ("utf-8", "utf-16-le", "utf-16-be")
)
_HTML_DOCTYPE_SUBSET = re.compile(rb"<!doctype[^>\[]*\[", re.IGNORECASE)
_HTML_ENTITY = re.compile(rb"<!entity", re.IGNORECASE)


def mb(n: int) -> str:
    """A size in MB with one decimal, Vietnamese style (comma)."""
    return f"{n / 2**20:.1f}".replace(".", ",")


def check_size(size: int, name: str, max_bytes: int) -> None:
    if size > max_bytes:
        limit = mb(max_bytes)
        # just over the cap rounds to the cap itself: say "more than" rather than "50,0 > 50,0"
        shown = mb(size) if mb(size) != limit else f"hơn {limit}"
        raise UnsafeInputError(f"Tệp quá lớn ({shown} MB; giới hạn {limit} MB): {name}")


def _bomb(name: str, why: str) -> UnsafeInputError:
    return UnsafeInputError(f"Tệp .docx có dấu hiệu bom nén (zip bomb): {why}: {name}")


def check_zip(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip whose central directory promises too much; check XML parts for DTDs."""
    infos = zf.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise _bomb(name, f"{len(infos)} tệp thành phần (giới hạn {ZIP_MAX_MEMBERS})")
    total = 0
    for info in infos:
        total += info.file_size
        if total > ZIP_MAX_TOTAL:
            raise _bomb(name, f"tổng dung lượng giải nén vượt {mb(ZIP_MAX_TOTAL)} MB")
        if info.file_size > ZIP_RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > ZIP_MAX_RATIO:
                raise _bomb(
                    name,
                    f"{info.filename} nén với tỉ lệ {ratio:.0f}:1 (giới hạn {ZIP_MAX_RATIO}:1)",
                )
    for info in infos:
        if info.filename.endswith((".xml", ".rels")) and info.file_size <= XML_MAX_PART:
            with zf.open(info) as fh:
                head = fh.read(XML_MAX_PART)
            check_xml_bytes(head, f"{name} ({info.filename})")
        elif info.filename.endswith((".xml", ".rels")):
            raise _bomb(name, f"{info.filename} quá lớn ({mb(info.file_size)} MB)")


def check_xml_bytes(data: bytes, name: str) -> None:
    """Refuse XML that declares a DOCTYPE or entities (billion laughs, external entities)."""
    if any(p in data for p in _ENTITY_PATTERNS):
        raise UnsafeInputError(
            f"Tệp có khai báo DOCTYPE/ENTITY trong XML (nguy cơ XXE hoặc bom thực thể), "
            f"đã từ chối: {name}"
        )


def check_html_bytes(data: bytes, name: str) -> None:
    """Refuse HTML whose DOCTYPE has an internal subset declaring entities."""
    if _HTML_DOCTYPE_SUBSET.search(data) and _HTML_ENTITY.search(data):
        raise UnsafeInputError(
            f"Tệp HTML có khai báo ENTITY trong DOCTYPE (nguy cơ bom thực thể), đã từ chối: {name}"
        )


def xml_parser() -> etree.XMLParser:
    """The hardened parser every XML part vbqppl reads itself goes through."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse untrusted XML bytes safely (DOCTYPE refused first)."""
    check_xml_bytes(data, name)
    return etree.fromstring(data, xml_parser())


def html_parser(encoding: str | None) -> etree.HTMLParser:
    return etree.HTMLParser(
        encoding=encoding,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=True,
    )


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))
