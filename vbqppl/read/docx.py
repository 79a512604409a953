"""Read .docx: the body in order, Word numbering rendered, tables, notes apart, legacy fonts.

python-docx opens the package (after :func:`vbqppl.read.safety.check_zip` has inspected it) and
gives the parts; the body is walked with lxml so nothing is missed: paragraphs, tables (also
nested), content controls, text boxes, insertions (deletions are dropped), hidden text skipped.
Page headers and footers are parts of their own and are never visited.

Output conventions:

* one line per paragraph, the numbering label in front ("Điều 1. ...", "a) ...");
* a table row is one line with its cells joined by ``" | "``; a cell with several paragraphs
  keeps them on their own lines (so such a row spans lines), empty and vertically merged
  continuation cells are left out. This is the layout of the corpus texts made from .docx, and
  it keeps the header table ("QUỐC HỘI | CỘNG HÒA XÃ HỘI ...") and "Số: ... | Hà Nội, ngày ..."
  readable;
* footnotes and endnotes are numbered together in the order they are referenced; the text gets
  ``[n]`` where the reference was and ``RawText.footnotes[n - 1]`` holds the note;
* runs in a ``.Vn*`` font are TCVN3 (all caps when the font name ends in ``H``), runs in a
  ``VNI-*`` font are VNI; both are converted to Unicode.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from vbqppl.errors import ReadError, UnsafeInputError
from vbqppl.read import legacy, safety
from vbqppl.read.numbering import Numbering, StyleSheet, on, run_font, w, wval

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_DESCEND = {
    w("hyperlink"), w("ins"), w("smartTag"), w("customXml"), w("sdt"), w("sdtContent"),
    w("fldSimple"), w("moveTo"), w("dir"), w("bdo"),
}  # fmt: skip
_LEGACY_NOTE = {
    "tcvn3": "đã chuyển mã TCVN3 sang Unicode (chữ phông .Vn)",
    "tcvn3-upper": "đã chuyển mã TCVN3 sang Unicode (chữ phông .Vn)",
    "vni": "đã chuyển mã VNI sang Unicode (chữ phông VNI)",
}


def corrupt(name: str) -> ReadError:
    return ReadError(f"Tệp .docx bị hỏng hoặc không đầy đủ: {name}")


@dataclass(slots=True)
class _Ctx:
    styles: StyleSheet
    numbering: Numbering
    legacy_fonts: bool
    notes_xml: dict[str, dict[str, etree._Element]]  # "footnote"/"endnote" -> id -> element
    # None: first pass, legacy-font text is only recorded; else whether to convert each kind.
    convert: dict[str, bool] | None = None
    recorded: dict[str, list[str]] = field(default_factory=dict)
    note_refs: list[tuple[str, str]] = field(default_factory=list)
    legacy_used: set[str] = field(default_factory=set)

    def legacy_text(self, text: str, kind: str) -> str:
        group = "vni" if kind == "vni" else "tcvn3"
        if self.convert is None:
            self.recorded.setdefault(group, []).append(text)
            return text
        if not self.convert.get(group, True):
            return text
        self.legacy_used.add(kind)
        return legacy.convert_legacy(text, kind)


Piece = tuple[str, str | None]  # text, legacy kind of its font (None: Unicode)


def _part_element(document: DocxDocument, reltype: str, name: str) -> etree._Element | None:
    try:
        part = document.part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element  # already parsed by python-docx
    return safety.parse_xml(part.blob, name)


def _notes(document: DocxDocument, reltype: str, tag: str, name: str) -> dict[str, etree._Element]:
    root = _part_element(document, reltype, name)
    if root is None:
        return {}
    return {
        str(el.get(w("id"))): el
        for el in root.iter(w(tag))
        if el.get(w("type")) in (None, "normal")
    }


def _uses_legacy_fonts(*roots: etree._Element | None) -> bool:
    for root in roots:
        if root is None:
            continue
        for fonts in root.iter(w("rFonts")):
            for value in fonts.attrib.values():
                if legacy.font_legacy_kind(str(value)):
                    return True
    return False


class _Walker:
    def __init__(self, ctx: _Ctx) -> None:
        self.ctx = ctx

    # -- blocks -----------------------------------------------------------------------------
    def blocks(self, parent: etree._Element) -> Iterator[str]:
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                yield from self.paragraph(child)
            elif tag == w("tbl"):
                yield from self.table(child)
            elif tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if tag == w("sdt") else child
                if content is not None:
                    yield from self.blocks(content)

    def table(self, tbl: etree._Element) -> Iterator[str]:
        for row in self._rows(tbl):
            cells = []
            for tc in self._cells(row):
                merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
                if merge is not None and wval(merge) != "restart":
                    continue
                text = "\n".join(line for line in self.blocks(tc) if line.strip())
                if text.strip():
                    cells.append(text.strip())
            if cells:
                yield " | ".join(cells)

    def _rows(self, tbl: etree._Element) -> Iterator[etree._Element]:
        for child in tbl:
            if child.tag == w("tr"):
                yield child
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if content is not None:
                    yield from self._rows(content)

    def _cells(self, row: etree._Element) -> Iterator[etree._Element]:
        for child in row:
            if child.tag == w("tc"):
                yield child
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if content is not None:
                    yield from self._cells(content)

    # -- paragraphs -------------------------------------------------------------------------
    def paragraph(self, p: etree._Element) -> list[str]:
        ppr = p.find(w("pPr"))
        style = wval(ppr.find(w("pStyle"))) if ppr is not None else None
        style = style or self.ctx.styles.default_paragraph
        pieces: list[Piece] = []
        extra: list[str] = []
        label = self._label(ppr, style)
        if label:
            pieces.append(label)
        self._inline(p, style, pieces, extra)
        text = self._join(pieces)
        return [text, *extra]

    def _label(self, ppr: etree._Element | None, style: str | None) -> Piece | None:
        num_pr = ppr.find(w("numPr")) if ppr is not None else None
        num_id: str | None = None
        ilvl: int | None = None
        if num_pr is not None:
            num_id = wval(num_pr.find(w("numId")))
            lvl = wval(num_pr.find(w("ilvl")))
            ilvl = int(lvl) if lvl and lvl.isdigit() else None
        if num_id is None:
            from_style = self.ctx.styles.numbering(style)
            if from_style is None:
                return None
            num_id = from_style[0]
            ilvl = ilvl if ilvl is not None else from_style[1]
        if ilvl is None:
            ilvl = self.ctx.numbering.level_for_style(num_id, style)
        rendered = self.ctx.numbering.label(num_id, ilvl)
        if rendered is None:
            return None
        text, level = rendered
        if not text:
            return None
        kind = legacy.font_legacy_kind(level.font) if self.ctx.legacy_fonts else None
        suffix = "" if level.suffix == "nothing" else " "
        if kind:
            text = self.ctx.legacy_text(text, kind)
        return text + suffix, None

    def _inline(
        self, el: etree._Element, style: str | None, pieces: list[Piece], extra: list[str]
    ) -> None:
        for child in el:
            tag = child.tag
            if tag == w("r"):
                self._run(child, style, pieces, extra)
            elif tag in _DESCEND:
                self._inline(child, style, pieces, extra)
            elif tag == f"{{{MC_NS}}}AlternateContent":
                choice = child.find(f"{{{MC_NS}}}Choice")
                if choice is not None:
                    self._inline(choice, style, pieces, extra)

    def _font_kind(self, rpr: etree._Element | None, style: str | None) -> str | None:
        if not self.ctx.legacy_fonts:
            return None
        styles = self.ctx.styles
        font = run_font(rpr)
        if font is None and rpr is not None:
            font = styles.font(wval(rpr.find(w("rStyle"))))
        font = font or styles.font(style) or styles.default_font
        return legacy.font_legacy_kind(font)

    def _run(
        self, r: etree._Element, style: str | None, pieces: list[Piece], extra: list[str]
    ) -> None:
        rpr = r.find(w("rPr"))
        if rpr is not None and on(rpr.find(w("vanish"))):
            return
        kind = self._font_kind(rpr, style)
        for child in r:
            tag = child.tag
            if tag == w("t"):
                pieces.append((child.text or "", kind))
            elif tag == w("tab"):
                pieces.append((" ", None))
            elif tag in (w("br"), w("cr")):
                pieces.append(("\n", None))
            elif tag == w("noBreakHyphen"):
                pieces.append(("-", None))
            elif tag == w("sym"):
                code = str(child.get(w("char")) or "")
                if code and all(c in "0123456789abcdefABCDEF" for c in code) and len(code) <= 6:
                    pieces.append((chr(int(code, 16)), kind))
            elif tag in (w("footnoteReference"), w("endnoteReference")):
                note_kind = "footnote" if tag == w("footnoteReference") else "endnote"
                self.ctx.note_refs.append((note_kind, str(child.get(w("id")))))
                pieces.append((f"[{len(self.ctx.note_refs)}]", None))
            elif tag in (w("drawing"), w("pict"), w("object"), f"{{{MC_NS}}}AlternateContent"):
                extra.extend(self._text_boxes(child))

    def _text_boxes(self, el: etree._Element) -> list[str]:
        lines: list[str] = []
        for box in _iter_skipping_fallback(el, w("txbxContent")):
            lines.extend(line for line in self.blocks(box) if line.strip())
        return lines

    def _join(self, pieces: list[Piece]) -> str:
        out: list[str] = []
        i = 0
        while i < len(pieces):
            kind = pieces[i][1]
            j = i
            while j < len(pieces) and pieces[j][1] == kind:
                j += 1
            chunk = "".join(text for text, _ in pieces[i:j])
            if kind:
                chunk = self.ctx.legacy_text(chunk, kind)
            out.append(chunk)
            i = j
        return "".join(out)


def _iter_skipping_fallback(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    for child in el:
        if child.tag == f"{{{MC_NS}}}Fallback":
            continue
        if child.tag == tag:
            yield child
        else:
            yield from _iter_skipping_fallback(child, tag)


def _open(data: bytes, name: str) -> DocxDocument:
    try:
        zf = safety.open_zip(data)
    except (zipfile.BadZipFile, ValueError, EOFError) as err:
        raise corrupt(name) from err
    with zf:
        try:
            names = set(zf.namelist())
            safety.check_zip(zf, name)
        except UnsafeInputError:
            raise
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError) as err:
            raise corrupt(name) from err
    if "word/document.xml" not in names and not any(n.endswith("document.xml") for n in names):
        raise ReadError(f"Tệp nén không phải tài liệu Word (.docx): {name}")
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as err:
        if "not a Word file" in str(err):
            raise ReadError(
                f"Tệp không phải tài liệu Word .docx được hỗ trợ (có thể là .docm/.dotx): {name}"
            ) from err
        raise corrupt(name) from err
    except Exception as err:  # python-docx/lxml/zipfile raise many kinds on damaged packages
        raise corrupt(name) from err


def _decide(recorded: dict[str, list[str]]) -> dict[str, bool]:
    """Convert a legacy font's text unless it is Unicode already (fonts kept after conversion)."""
    decision = {}
    for group, texts in recorded.items():
        uni, tcvn, vni, _ = legacy.legacy_scores("\n".join(texts))
        evidence = vni if group == "vni" else tcvn
        decision[group] = not (uni > 0 and uni * 4 >= evidence)
    return decision


def _walk(
    document: DocxDocument,
    name: str,
    parts: tuple[etree._Element | None, etree._Element | None],
    convert: dict[str, bool] | None,
) -> tuple[list[str], list[str], _Ctx]:
    styles_el, numbering_el = parts
    body = document.element.body
    styles = StyleSheet(styles_el)
    ctx = _Ctx(
        styles=styles,
        numbering=Numbering(numbering_el, styles),
        legacy_fonts=convert is None or any(convert.values()),
        notes_xml={
            "footnote": _notes(document, RT.FOOTNOTES, "footnote", name),
            "endnote": _notes(document, RT.ENDNOTES, "endnote", name),
        },
        convert=convert,
    )
    walker = _Walker(ctx)
    lines = list(walker.blocks(body))
    footnotes = []
    for kind, note_id in ctx.note_refs:
        el = ctx.notes_xml[kind].get(note_id)
        text = "" if el is None else "\n".join(x for x in walker.blocks(el) if x.strip())
        footnotes.append(text.strip())
    return lines, footnotes, ctx


def read_docx(data: bytes, name: str) -> tuple[str, list[str], list[str]]:
    """Return (text, notes, footnotes) of a .docx given as bytes.

    When the document uses legacy fonts it is walked twice: first to collect the text in those
    fonts and check that it is not Unicode already, then to convert it.
    """
    document = _open(data, name)
    notes: list[str] = []
    try:
        styles_el = _part_element(document, RT.STYLES, name)
        numbering_el = _part_element(document, RT.NUMBERING, name)
        parts = (styles_el, numbering_el)
        convert: dict[str, bool] = {}
        if _uses_legacy_fonts(document.element.body, styles_el, numbering_el):
            _, _, first = _walk(document, name, parts, None)
            convert = _decide(first.recorded)
            if not all(convert.values()):
                notes.append("có chữ phông .Vn/VNI nhưng đã là Unicode: giữ nguyên")
        lines, footnotes, ctx = _walk(document, name, parts, convert)
    except (UnsafeInputError, ReadError):
        raise
    except (etree.LxmlError, ValueError, KeyError, AttributeError) as err:
        raise corrupt(name) from err
    notes += sorted({_LEGACY_NOTE[k] for k in ctx.legacy_used})
    if footnotes:
        notes.append(f"đã tách {len(footnotes)} chú thích (footnote/endnote) ra khỏi văn bản")
    return "\n".join(lines), notes, footnotes
