"""Markdown -> the document's text: site chrome cut off, markdown syntax removed.

The Markdown files of the legal portal (thuvienphapluat.vn, saved by a crawler) carry the whole
page: a copyright banner, "Đang tải văn bản...", the attribute table ("Số hiệu | Loại văn bản |
... | Tình trạng"), then the document, then the page title, "Văn bản này chưa cập nhật nội dung
Tiếng Anh", "## Văn bản liên quan", a comparison-tool legend, the site footer. Table cells come
one per line with a lone ``|`` between them.

:func:`markdown_to_text` keeps the document part (from the line after the attribute table to
the page title before the English-version notice or the related-documents list) and strips the
syntax line by line: ``|`` lines become empty lines, ``**``/``*`` emphasis and ``#`` heading marks
go, ``[text](url)`` keeps its text, images go, GFM table rows become ``a | b``. The portal's
own summary ("## <headline>" + a few paragraphs) sits between the table and the document on
some pages and is kept, as in the corpus texts. Other Markdown gets the syntax stripping only.
"""

from __future__ import annotations

import re

NOTE_PORTAL = "đã bỏ phần giao diện trang thuvienphapluat.vn trước và sau văn bản"

_BANNER = "THƯ VIỆN PHÁP LUẬT"
_LOADING = "Đang tải văn bản"
_LAST_ATTRIBUTE = "Tình trạng:"
_END_MARKERS = ("Văn bản này chưa cập nhật nội dung Tiếng Anh", "## Văn bản liên quan")

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)")
_HEADING_CLOSE = re.compile(r"\s+#+\s*$")
_STARS = re.compile(r"(\\\*)|\(\*+\)|\*+")
_GFM_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def is_portal_page(text: str) -> bool:
    head = text[:6000]
    return _LOADING in head or (_BANNER in head and "Số hiệu:" in text[:20000])


def _plain(line: str) -> str:
    return line.replace("*", "").strip()


def cut_portal_chrome(lines: list[str]) -> list[str] | None:
    """The document lines of a portal page, or ``None`` when the page layout is not found."""
    start = None
    loading = next((i for i, x in enumerate(lines) if x.strip().startswith(_LOADING)), None)
    search_from = loading if loading is not None else 0
    for i in range(search_from, min(len(lines), search_from + 200)):
        if _plain(lines[i]) == _LAST_ATTRIBUTE:
            j = i + 1
            # "|", the value, then the cell separators.
            while j < len(lines) and lines[j].strip() == "|":
                j += 1
            j += 1  # the value of "Tình trạng"
            while j < len(lines) and lines[j].strip() in ("|", "", "#"):
                j += 1
            start = j
            break
    if start is None:
        if loading is None:
            return None
        start = loading + 1
    end = len(lines)
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith(_END_MARKERS):
            end = i
            # The page title stands right before the marker (sometimes twice, with the date).
            while (
                end > start
                and lines[end - 1].strip()
                and lines[end - 1].strip()
                not in (
                    "|",
                    "** **",
                )
                and _looks_like_page_title(lines[end - 1])
            ):
                end -= 1
            break
    return lines[start:end]


def _looks_like_page_title(line: str) -> bool:
    # "Quyết định 1486/QĐ-UBND năm 2025 công bố ...", "Circular No. 109/2025/TT-BTC dated ..."
    text = _plain(line)
    return len(text) > 30 and "/" in text and not text.endswith((".", ":", ";"))


def _strip_syntax(line: str) -> str | None:
    """One Markdown line to plain text; ``None`` drops the line."""
    stripped = line.strip()
    if stripped == "|":
        return ""
    if _GFM_SEPARATOR.match(line) or _FENCE.match(line):
        return None
    line = _HTML_BREAK.sub("\n", line)
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    if _HEADING.match(line):
        line = _HEADING_CLOSE.sub("", _HEADING.sub("", line))
    line = _STARS.sub(
        lambda m: "*" if m.group(1) else (m.group(0) if m.group(0)[0] == "(" else ""), line
    )
    if (
        "|" in stripped
        and stripped.startswith("|")
        and stripped.endswith("|")
        and len(stripped) > 1
    ):
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        line = " | ".join(c for c in cells if c)
        line = _STARS.sub("", line)
    line = _ESCAPE.sub(r"\1", line)
    return line.rstrip()


def markdown_to_text(text: str) -> tuple[str, list[str]]:
    """Return (plain text, notes) for Markdown ``text``."""
    notes: list[str] = []
    lines = text.split("\n")
    if is_portal_page(text):
        cut = cut_portal_chrome(lines)
        if cut is not None:
            lines = cut
            notes.append(NOTE_PORTAL)
    out: list[str] = []
    for line in lines:
        plain = _strip_syntax(line)
        if plain is not None:
            out.append(plain)
    return "\n".join(out), notes
