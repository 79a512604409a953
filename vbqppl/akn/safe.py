"""Parse untrusted Akoma Ntoso safely.

lxml's parser with ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``;
a cap on bytes and on elements (the default limits do not bound the element count); and any
DOCTYPE refused (Akoma Ntoso needs none, and entity declarations are how XML attacks start).
"""

from __future__ import annotations

from lxml import etree

from vbqppl.akn.body import A
from vbqppl.errors import ReadError, UnsafeInputError

MAX_BYTES = 64 * 1024 * 1024
MAX_ELEMENTS = 4_000_000


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_xml(data: bytes, *, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The root of an Akoma Ntoso document, parsed safely; :class:`ReadError` when it is not
    one, :class:`UnsafeInputError` when it is refused for safety."""
    if len(data) > max_bytes:
        raise UnsafeInputError(f"tệp XML quá lớn ({len(data)} byte, tối đa {max_bytes})")
    if b"<!DOCTYPE" in data:  # before libxml2 sees its entities; checked again after parsing
        raise UnsafeInputError("tệp XML có khai báo DTD (DOCTYPE): bị từ chối vì lý do an toàn")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        raise ReadError(f"tệp không phải XML hợp lệ: {err}") from None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise UnsafeInputError("tệp XML có khai báo DTD (DOCTYPE): bị từ chối vì lý do an toàn")
    for count, _ in enumerate(root.iter(), 1):
        if count > MAX_ELEMENTS:
            raise UnsafeInputError(f"tệp XML có quá nhiều phần tử (tối đa {MAX_ELEMENTS})")
    if root.tag != A + "akomaNtoso":
        raise ReadError("tệp không phải tài liệu Akoma Ntoso 3.0 (thiếu phần tử gốc akomaNtoso)")
    return root
