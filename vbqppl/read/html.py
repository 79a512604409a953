"""Read .html: the document body only, block elements as lines.

The bytes go through :func:`vbqppl.read.safety.check_html_bytes` (entity declarations refused)
and lxml's HTML parser with network access off and the huge-tree limits on; named HTML
entities (``&nbsp;``) are built into the parser, no DTD is read.

The content container is searched in this order: the legal portal's Vietnamese text
(``div#divContentDoc div.content1``; thuvienphapluat.vn pages also hold an English tab, left
out), then an element whose class or id names the content (``content1``, ``noidung``,
``fulltext``, ``toanvan``, ``vbContent``...), then ``<article>``/``<main>``, then ``<body>``.
Scripts, styles, forms, navigation, page header and footer are dropped. Inline text is
joined with HTML whitespace rules (runs of white space become one space, ``<pre>`` kept);
each block element (p, div, h1-h6, li, ...) and ``<br>`` ends a line; a table row is one line
with cells joined by ``" | "``, as for .docx.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from vbqppl.errors import ReadError
from vbqppl.read import safety

_DROP = {
    "script", "style", "noscript", "nav", "header", "footer", "form", "button", "iframe",
    "svg", "template", "head", "select", "input", "textarea", "object", "embed", "canvas",
    "map", "audio", "video",
}  # fmt: skip
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "pre", "section", "article", "main", "aside", "center", "address",
    "figure", "figcaption", "caption", "hr", "body", "html", "fieldset", "legend",
    "details", "summary", "tbody", "thead", "tfoot",
}  # fmt: skip
_CONTENT_HINTS = ("content1", "noidung", "noi-dung", "fulltext", "toanvan", "vbcontent",
                  "contentdoc", "doc-content", "document-content", "entry-content")  # fmt: skip
_WS = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def sniff_encoding(data: bytes) -> str:
    """BOM, then ``<meta charset>``, then UTF-8 if it decodes, else Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("utf8", "utf-8"):
            return "utf-8"
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1258"


def _classes(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def find_content(root: etree._Element) -> etree._Element:
    """The element that holds the document's own text."""
    portal = root.xpath(
        "//div[@id='divContentDoc']//div[contains(concat(' ', normalize-space(@class), ' '), ' content1 ')]"
    )
    if portal:
        return portal[0]
    for hint in _CONTENT_HINTS:
        best = None
        for el in root.iter("div", "section", "td", "article"):
            if hint in _classes(el):
                length = len("".join(el.itertext()))
                if best is None or length > best[0]:
                    best = (length, el)
        if best is not None and best[0] > 200:
            return best[1]
    for tag in ("article", "main", "body"):
        found = root.find(f".//{tag}")
        if found is not None:
            return found
    return root


class _Lines:
    """Collect text into lines: inline pieces build the current line, blocks end it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def add(self, text: str) -> None:
        self.current.append(text)

    def end(self) -> None:
        line = "".join(self.current)
        self.current = []
        line = line.strip(" ")
        if line:
            self.lines.append(line)


def _walk(el: etree._Element, out: _Lines, pre: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower()
    if tag in _DROP:
        _tail(el, out, pre)
        return
    if tag == "br":
        out.end()
        _tail(el, out, pre)
        return
    if tag == "table":
        out.end()
        for line in _table(el):
            out.lines.append(line)
        _tail(el, out, pre)
        return
    block = tag in _BLOCK or tag in ("tr", "td", "th")
    if block:
        out.end()
    in_pre = pre or tag == "pre"
    if el.text:
        out.add(_text(el.text, in_pre, out))
    for child in el:
        _walk(child, out, in_pre)
    if block:
        out.end()
    _tail(el, out, pre)


def _tail(el: etree._Element, out: _Lines, pre: bool) -> None:
    if el.tail:
        out.add(_text(el.tail, pre, out))


def _text(text: str, pre: bool, out: _Lines) -> str:
    if pre:
        parts = text.replace("\r\n", "\n").split("\n")
        for part in parts[:-1]:
            out.add(part)
            out.end()
        return parts[-1]
    return _WS.sub(" ", text)


def _table(table: etree._Element) -> Iterator[str]:
    for row in table.iter("tr"):
        # Skip rows of nested tables here: they are rendered inside their cell.
        if _nearest_table(row) is not table:
            continue
        cells = []
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            sub = _Lines()
            _walk_children(cell, sub)
            sub.end()
            text = "\n".join(sub.lines).strip()
            if text:
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def _walk_children(cell: etree._Element, out: _Lines) -> None:
    if cell.text:
        out.add(_text(cell.text, False, out))
    for child in cell:
        _walk(child, out)


def _nearest_table(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def read_html(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Return (text, encoding, notes) of an HTML page given as bytes."""
    safety.check_html_bytes(data, name)
    encoding = sniff_encoding(data)
    try:
        root = etree.fromstring(data, safety.html_parser(encoding))
    except (etree.LxmlError, ValueError, LookupError) as err:
        raise ReadError(f"Tệp HTML không đọc được: {name}") from err
    if root is None:
        raise ReadError(f"Tệp HTML không có nội dung: {name}")
    content = find_content(root)
    notes = []
    if content.tag not in ("body", "html"):
        notes.append("đã lấy phần nội dung văn bản của trang HTML, bỏ phần giao diện")
    out = _Lines()
    _walk(content, out)
    out.end()
    return "\n".join(out.lines), encoding, notes
