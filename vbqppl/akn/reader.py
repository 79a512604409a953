"""Read Akoma Ntoso back into :class:`~vbqppl.model.Document` values, safely.

The XML comes from the hardened parser of :mod:`vbqppl.akn.safe` (no entities, no network, no
DTD, no huge trees, caps on bytes and elements).

The text is rebuilt from the XML itself (:mod:`vbqppl.akn.body` says how vbqppl lays it out):

- a vbqppl export (it carries ``vbq:document`` in ``meta/proprietary``) is read *exactly*: every
  text node and tail outside ``meta``, in document order, is the text, so each unit's span is
  where its element starts and ends, each citation's where its ``ref`` pieces start and end;
- any other Akoma Ntoso is read *by lines*: each ``p``, ``heading``, ``num`` ... gives one line
  (a ``num`` and what follows share it), white space collapsed as a browser would.

What the XML cannot say by itself (a label the ``num`` does not spell the same way, a citation's
name or date, a relation's span) an export carries in ``vbq:`` attributes, each a JSON value, read
last: they override what the XML says. An export writes one only where the XML alone would read
back something else (see :func:`derive_units` and :mod:`vbqppl.akn.export`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from vbqppl.akn.body import AKN_NS, BAD_XML, KIND, A, V
from vbqppl.akn.uri import FrbrUri, number_from_slug
from vbqppl.errors import ReadError
from vbqppl.ids import KIND_PREFIX
from vbqppl.model import (
    Citation,
    Diagnostic,
    Document,
    Metadata,
    Relation,
    Source,
    Span,
    Target,
    Unit,
)

_LINE = {"p", "heading", "subheading", "num", "li", "td", "th", "tocItem", "longTitle"}
_STRIP_LABEL = {"part", "chapter", "section", "subsection", "article"}


def local(el: etree._Element) -> str:
    tag = el.tag
    return tag.split("}", 1)[1] if isinstance(tag, str) and tag.startswith("{") else str(tag)


# --- overrides -------------------------------------------------------------------------------


def overrides(el: etree._Element) -> dict[str, Any]:
    """The ``vbq:`` attributes of ``el``, JSON-decoded, by local name."""
    out = {}
    for key, value in el.attrib.items():
        if key.startswith(V):
            out[key[len(V) :]] = json.loads(value)
    return out


def merged(derived: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``derived`` with the overrides applied (a target's fields one by one)."""
    out = {**derived, **over}
    if isinstance(over.get("target"), dict):
        out["target"] = {**derived.get("target", {}), **over["target"]}
    return out


def to_attribute(value: Any) -> str:
    """JSON for an attribute: readable Vietnamese, and what XML cannot hold as ``\\uXXXX``."""
    text = json.dumps(value, ensure_ascii=False)
    return BAD_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def set_overrides(el: etree._Element, derived: dict[str, Any], actual: dict[str, Any]) -> int:
    """Write a ``vbq:`` attribute for each field whose derived value is not the actual one."""
    n = 0
    for key, value in actual.items():
        if derived.get(key) != value:
            el.set(V + key, to_attribute(value))
            n += 1
    return n


# --- the walk --------------------------------------------------------------------------------


@dataclass
class Placed:
    """An element of the body and the text range it holds."""

    el: etree._Element
    start: int = 0
    end: int = 0
    owner: str | None = None  # the nearest enclosing unit of the document (not a quoted one)


@dataclass
class Walked:
    text: str
    units: list[Placed] = field(default_factory=list)
    refs: list[Placed] = field(default_factory=list)


class _Walker:
    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.parts: list[str] = []
        self.pos = 0
        self.line_open = False  # (by lines) text written on the current line
        self.space = False  # (by lines) a space is due before the next word
        self.units: list[Placed] = []
        self.refs: list[Placed] = []
        self.owners: list[str] = []

    def add(self, s: str | None, *, in_line: bool) -> None:
        if not s:
            return
        if self.exact:
            self.parts.append(s)
            self.pos += len(s)
            return
        if not in_line:
            return
        for m in re.finditer(r"\s+|\S+", s):
            if m.group().isspace():
                self.space = self.line_open
                continue
            if self.space:
                self._put(" ")
                self.space = False
            self._put(m.group())
            self.line_open = True

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def end_line(self, sep: str) -> None:
        if not self.exact and self.line_open:
            self._put(sep)
            self.line_open = False
            self.space = False

    def walk(self, el: etree._Element, *, quoted: bool, in_line: bool) -> None:
        if not isinstance(el.tag, str):  # comment or processing instruction
            self.add(el.tail, in_line=in_line)
            return
        name = local(el)
        if name == "meta":
            self.add(el.tail, in_line=in_line)
            return
        unit = name in KIND and not quoted and el.tag.startswith(A)
        placed = Placed(el, self.pos, owner=self.owners[-1] if self.owners else None)
        if unit:
            self.units.append(placed)
            self.owners.append(_unit_id(el, placed.owner))
        elif name == "ref":
            self.refs.append(placed)
        line = name in _LINE
        if line and not in_line:
            self.end_line("\n")
        inner_line = in_line or line
        self.add(el.text, in_line=inner_line)
        for child in el:
            self.walk(child, quoted=quoted or name == "mod", in_line=inner_line)
        if line and not in_line:
            self.end_line(" " if name == "num" else "\n")
        placed.end = self.pos
        if unit:
            self.owners.pop()
        self.add(el.tail, in_line=in_line)


def _unit_id(el: etree._Element, parent: str | None) -> str:
    eid = el.get("eId")
    if eid:
        return eid
    kind = KIND[local(el)]
    num = el.find(A + "num")
    digits = re.findall(
        r"[0-9]+[a-zđ]?|[a-zđ]\b", "".join(num.itertext()) if num is not None else ""
    )
    step = f"{KIND_PREFIX[kind]}_{digits[0] if digits else 'x'}"
    return f"{parent}__{step}" if parent else step


def walk(act: etree._Element, *, exact: bool) -> Walked:
    w = _Walker(exact)
    for child in act:
        w.walk(child, quoted=False, in_line=False)
    text = "".join(w.parts)
    if not exact:  # the space due before an element's first word is written inside it
        for p in (*w.units, *w.refs):
            while p.start < p.end and text[p.start].isspace():
                p.start += 1
    return Walked(text, w.units, w.refs)


# --- units -----------------------------------------------------------------------------------


def derive_unit(p: Placed) -> dict[str, Any]:
    """A unit as the XML alone says it: id, kind, number, label, heading, parent, span."""
    el = p.el
    kind = KIND[local(el)]
    uid = _unit_id(el, p.owner)
    num = el.find(A + "num")
    label = "".join(num.itertext()).strip() if num is not None else ""
    if kind in _STRIP_LABEL:
        label = label.rstrip(".:")
    heading_el = el.find(A + "heading")
    heading = " ".join("".join(heading_el.itertext()).split()) if heading_el is not None else None
    last = uid.rsplit("__", 1)[-1]
    return {
        "id": uid,
        "kind": kind,
        "number": last.split("_", 1)[1] if "_" in last else last,
        "label": label,
        "heading": heading or None,
        "parent": p.owner,
        "span": [p.start, p.end],
    }


def _unit(values: dict[str, Any]) -> Unit:
    s, e = values["span"]
    return Unit(
        id=values["id"],
        kind=values["kind"],
        number=values["number"],
        label=values["label"],
        heading=values["heading"],
        parent=values["parent"],
        span=Span(s, e),
    )


# --- citations and relations -----------------------------------------------------------------


def target_from_href(href: str | None) -> dict[str, Any]:
    """``#unit`` this document; ``~unit`` a unit of a document not named; an FRBR URI of this
    scheme a document (``/~unit`` a unit of it); anything else is kept as the target's name."""
    t: dict[str, Any] = {"number": None, "name": None, "date": None, "unit": None, "self": False}
    if not href:
        return t
    if href.startswith("#"):
        t.update(self=True, unit=href[1:] or None)
    elif href.startswith("~"):
        t["unit"] = href[1:] or None
    else:
        uri = FrbrUri.try_parse(href)
        if uri is None:
            t["name"] = href
        else:
            t.update(number=number_from_slug(uri.number), unit=uri.portion)
    return t


def citation_groups(walked: Walked) -> list[list[Placed]]:
    """The ``ref`` elements of each citation, in document order of their first piece."""
    groups: dict[str, list[Placed]] = {}
    order: list[list[Placed]] = []
    for p in walked.refs:
        key = p.el.get(V + "c")
        if key is None:
            order.append([p])
        elif key in groups:
            groups[key].append(p)
        else:
            groups[key] = [p]
            order.append(groups[key])
    return order


def derive_citation(group: list[Placed], text: str) -> dict[str, Any]:
    first = group[0]
    start, end = min(p.start for p in group), max(p.end for p in group)
    classes = (first.el.get("class") or "").split()
    return {
        "from": first.owner,
        "span": [start, end],
        "text": text[start:end],
        "role": "basis" if "basis" in classes else "reference",
        "target": target_from_href(first.el.get("href")),
    }


def _citation(values: dict[str, Any]) -> Citation:
    t = values["target"]
    return Citation(
        from_unit=values["from"],
        span=Span(*values["span"]),
        text=values["text"],
        role=values["role"],
        target=Target(t["number"], t["name"], t["date"], t["unit"], t["self"]),
    )


# Akoma Ntoso modification → vbqppl relation type, for what carries no vbq:type.
_REL_TYPE = {
    ("textualMod", "repeal"): "repeals",
    ("textualMod", "substitution"): "amends",
    ("textualMod", "insertion"): "amends",
    ("textualMod", "replacement"): "replaces",
    ("forceMod", "endOfEnactment"): "expires",
    ("efficacyMod", "inapplication"): "suspends",
    ("legalSystemMod", "implementation"): "guides",
    ("legalSystemMod", "coordination"): "consolidates",
    ("legalSystemMod", "expiration"): "expires",
}


def derive_relation(el: etree._Element, dates: dict[str, str]) -> dict[str, Any]:
    """A relation as the modification element says it (``dates``: period eId → start date)."""
    source = el.find(A + "source")
    dest = el.find(A + "destination")
    src = source.get("href", "") if source is not None else ""
    target = target_from_href(dest.get("href") if dest is not None else None)
    force = el.find(A + "force")
    period = (force.get("period") or "").lstrip("#") if force is not None else ""
    return {
        "type": _REL_TYPE.get((local(el), el.get("type", "")), "amends"),
        "from": src[1:] or None if src.startswith("#") else None,
        "span": [0, 0],
        "target": {k: target[k] for k in ("number", "name", "unit")},
        "effective": dates.get(period),
        "extra": {},
    }


def derive_passive(
    el: etree._Element, dates: dict[str, str], own_number: str | None
) -> dict[str, Any]:
    """A passive modification: ``source`` is the other document's URI with its unit as the
    portion, ``destination`` a unit of this one (``#`` the whole)."""
    values = derive_relation(el, dates)
    source = el.find(A + "source")
    dest = el.find(A + "destination")
    src = target_from_href(source.get("href") if source is not None else None)
    ours = target_from_href(dest.get("href") if dest is not None else None)
    values.update(
        {
            "from": src["unit"],
            "by": src["number"],
            "target": {"number": own_number, "name": None, "unit": ours["unit"]},
        }
    )
    return values


@dataclass(frozen=True, slots=True)
class Passive:
    """A relation another document states about this one: ``relation`` as that document's parse
    found it, ``by`` that document's metadata (for its URI), ``words`` the text at the relation's
    span when known (it tells an insertion from a substitution)."""

    by: Metadata
    relation: Relation
    words: str = ""


def _relation(values: dict[str, Any]) -> Relation:
    t = values["target"]
    extra = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in values["extra"].items())
    return Relation(
        type=values["type"],
        from_unit=values["from"],
        span=Span(*values["span"]),
        target=Target(number=t["number"], name=t["name"], unit=t["unit"]),
        effective=values["effective"],
        extra=extra,
    )


def period_dates(meta: etree._Element) -> dict[str, str]:
    """eId of each temporal group → the date of the event its interval starts with."""
    events = {e.get("eId"): e.get("date") for e in meta.iter(A + "eventRef")}
    out = {}
    for group in meta.iter(A + "temporalGroup"):
        interval = group.find(A + "timeInterval")
        start = (interval.get("start") or "").lstrip("#") if interval is not None else ""
        if group.get("eId") and events.get(start):
            out[group.get("eId", "")] = events[start] or ""
    return out


# --- metadata --------------------------------------------------------------------------------


def _first(meta: etree._Element, path: str, attr: str) -> str | None:
    el = meta.find(path, {"a": AKN_NS})
    return el.get(attr) if el is not None else None


def derive_metadata(meta: etree._Element) -> dict[str, Any]:
    work = "a:identification/a:FRBRWork/"
    dates = meta.findall(work.rstrip("/") + "/a:FRBRdate", {"a": AKN_NS})
    issued = next((d.get("date") for d in dates if d.get("name") == "banHanh"), None)
    author = (_first(meta, work + "a:FRBRauthor", "href") or "").lstrip("#")
    issuer = signer = None
    for tlc in meta.iterfind("a:references/*", {"a": AKN_NS}):
        if tlc.get("eId") == author and local(tlc) == "TLCOrganization":
            issuer = tlc.get("showAs")
        if tlc.get("eId") == "nguoiKy" and local(tlc) == "TLCPerson":
            signer = tlc.get("showAs")
    effective = None
    for ev in meta.iter(A + "eventRef"):
        if ev.get("refersTo") == "#coHieuLuc":
            effective = ev.get("date")
    aliases = meta.findall(work + "a:FRBRalias", {"a": AKN_NS})
    return {
        "number": _first(meta, work + "a:FRBRnumber", "value"),
        "type": None,
        "issuer": issuer,
        "place": None,
        "issued": issued,
        "effective": effective,
        "effective_rule": None,
        "title": next((a.get("value") for a in aliases if a.get("name") == "title"), None),
        "signer": signer,
        "normative": False,
    }


def vbq_record(meta: etree._Element) -> etree._Element | None:
    """The ``vbq:document`` element of a vbqppl export, else ``None``."""
    return meta.find(f"{A}proprietary/{V}document")


def read_passive(root: etree._Element) -> list[Passive]:
    """The passive modifications of an Akoma Ntoso tree: what other documents did to it."""
    act = _act(root)
    meta = act.find(A + "meta")
    if meta is None:
        return []
    number = merged(derive_metadata(meta), _record_fields(meta).get("metadata", {}))["number"]
    dates = period_dates(meta)
    box = meta.find(f"{A}analysis/{A}passiveModifications")
    out = []
    for el in box if box is not None else []:
        if isinstance(el.tag, str):
            values = merged(derive_passive(el, dates, number), overrides(el))
            out.append(Passive(Metadata(number=values.pop("by")), _relation(values)))
    return out


def _record_fields(meta: etree._Element) -> dict[str, Any]:
    record = vbq_record(meta)
    return overrides(record) if record is not None else {}


def _act(root: etree._Element) -> etree._Element:
    act = next((c for c in root if isinstance(c.tag, str) and c.tag.startswith(A)), None)
    if act is None:
        raise ReadError("tài liệu Akoma Ntoso không có văn bản nào")
    return act


# --- the document ----------------------------------------------------------------------------


def read_document(root: etree._Element) -> Document:
    """The Document an Akoma Ntoso tree holds (see the module docstring)."""
    act = _act(root)
    meta = act.find(A + "meta")
    if meta is None:
        raise ReadError("tài liệu Akoma Ntoso thiếu phần meta")
    walked = walk(act, exact=vbq_record(meta) is not None)
    text = walked.text
    extra = _record_fields(meta)
    for pos, code in extra.get("chars", []):
        text = text[:pos] + chr(code) + text[pos + 1 :]
    units = [merged(derive_unit(p), overrides(p.el)) for p in walked.units]
    units.sort(key=lambda u: int(u.get("n", 0)))
    cites: list[tuple[int, Citation]] = []
    for group in citation_groups(walked):
        values = merged(derive_citation(group, text), overrides(group[0].el))
        values["text"] = text[values["span"][0] : values["span"][1]]
        cites.append((int(values.pop("n", len(cites))), _citation(values)))
    dates = period_dates(meta)
    relations = []
    active = meta.find(f"{A}analysis/{A}activeModifications")
    for el in active if active is not None else []:
        if isinstance(el.tag, str):
            relations.append(_relation(merged(derive_relation(el, dates), overrides(el))))
    md = {**derive_metadata(meta), **extra.get("metadata", {})}
    source = extra.get("source", {})
    return Document(
        text=text,
        source=Source(source.get("path"), source.get("format", "akn"), source.get("sha256")),
        metadata=Metadata(**md),
        units=tuple(_unit(u) for u in units),
        citations=tuple(c for _, c in sorted(cites, key=lambda x: x[0])),
        relations=tuple(relations),
        diagnostics=tuple(
            Diagnostic(d["code"], d["message"], Span(*d["span"]) if d["span"] else None)
            for d in extra.get("diagnostics", [])
        ),
    )
