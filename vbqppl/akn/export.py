"""Documents out as Akoma Ntoso 3.0 ``act`` documents.

:func:`to_akn` lays the text out (:mod:`vbqppl.akn.body`) and writes ``meta``:

- ``identification``: FRBR work, expression and manifestation with the URIs of
  :mod:`vbqppl.akn.uri`, the number (``FRBRnumber``), the title (``FRBRalias name="title"``),
  the date of issue (``FRBRdate name="banHanh"``), the issuer (``FRBRauthor`` → a
  ``TLCOrganization``);
- ``lifecycle`` and ``temporalData``: issue and entry into force as events, and one event and one
  period for each date a relation takes effect;
- ``analysis/activeModifications``: one element per relation, in order — ``textualMod`` of type
  substitution or insertion (amends, corrects), repeal (repeals) or replacement (replaces a
  part); ``forceMod`` ``endOfEnactment`` (replaces the whole, expires); ``efficacyMod``
  ``inapplication`` (suspends: the schema's force modifications have no suspension);
  ``legalSystemMod`` ``implementation`` (guides) and ``coordination`` (consolidates). The
  ``source`` is the unit that says it, the ``destination`` the target document's URI with the unit
  as its portion, ``force`` the period from its effective date;
- ``analysis/passiveModifications``: the same, for what other documents did to this one — given
  as an argument (:class:`Passive`), since one document's parse does not know them;
- ``references``: the issuer, the signer, the events;
- ``proprietary``: ``vbq:document``, what Akoma Ntoso has no place for (document type name,
  place, effective-date wording, source file, diagnostics) and the overrides of
  :mod:`vbqppl.akn.reader`.

Then it reads the tree back as the import would and writes a ``vbq:`` override wherever that
reading differs from the document, so the import gives the same document back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree

from vbqppl.akn import reader
from vbqppl.akn.body import BAD_XML, A, Layout, V, lay_out
from vbqppl.akn.quotes import amendment_quotes
from vbqppl.akn.reader import Passive
from vbqppl.akn.uri import (
    LANGUAGE,
    UNKNOWN_YEAR,
    FrbrUri,
    cited_locality,
    is_local_number,
    locality,
    slug,
)
from vbqppl.akn.uri import work_uri as make_work_uri
from vbqppl.ids import DocNumber
from vbqppl.model import Document, Metadata, Relation, Target

SOURCE = "#vbqppl"


def passive_relations(doc: Document, others: Iterable[Document]) -> list[Passive]:
    """What ``others`` state about ``doc``: their relations whose target is ``doc``'s number."""
    own = DocNumber.try_parse(doc.metadata.number or "")
    if own is None:
        return []
    out = []
    for other in others:
        for r in other.relations:
            theirs = DocNumber.try_parse(r.target.number or "")
            if theirs is not None and theirs.key == own.key:
                words = other.text[r.span.start : r.span.end]
                out.append(Passive(other.metadata, r, words))
    return out


def document_uri(md: Metadata) -> FrbrUri:
    """The work URI of a document (see :mod:`vbqppl.akn.uri`); never ``None``."""
    number = DocNumber.try_parse(md.number or "")
    place = locality(md.issuer) or (
        slug(md.place) if md.place and is_local_number(number) else None
    )
    uri = make_work_uri(md.number, type_=md.type, issued=md.issued, place=place)
    if uri is None:
        ident = slug(md.title or "")[:80].strip("-") or "khong-so"
        year = md.issued[:4] if md.issued else UNKNOWN_YEAR
        uri = FrbrUri(subtype=slug(md.type or "Văn bản"), date=year, number=ident, locality=place)
    return uri


def _cited_places(doc: Document) -> dict[str, str]:
    """Province of each local document ``doc`` cites with its issuer named after the number."""
    out: dict[str, str] = {}
    for c in doc.citations:
        number = c.target.number
        if number and number not in out and is_local_number(DocNumber.try_parse(number)):
            place = cited_locality(doc.text[c.span.end : c.span.end + 200])
            if place:
                out[number] = place
    return out


def _href(target: Target, place: str | None, hint: str = "") -> str:
    if target.self_ref:
        return "#" + (target.unit or "")
    number = DocNumber.try_parse(target.number or "")
    uri = make_work_uri(
        target.number,
        issued=target.date,
        name=target.name,
        place=place if is_local_number(number) else None,
        hint=hint,
    )
    if uri is None:
        return "~" + target.unit if target.unit else ""
    return str(uri.with_portion(target.unit))


def _akn_mod(rel: Relation, words: str) -> tuple[str, str]:
    """The Akoma Ntoso modification element and type for a relation."""
    scope = dict(rel.extra).get("scope")
    folded = words.casefold()
    return {
        "amends": (
            "textualMod",
            "insertion" if "bổ sung" in folded and "sửa đổi" not in folded else "substitution",
        ),
        "corrects": ("textualMod", "substitution"),
        "repeals": ("textualMod", "repeal"),
        "replaces": (
            ("textualMod", "replacement")
            if rel.target.unit or scope == "part"
            else ("forceMod", "endOfEnactment")
        ),
        "expires": ("forceMod", "endOfEnactment"),
        "suspends": ("efficacyMod", "inapplication"),
        "guides": ("legalSystemMod", "implementation"),
        "consolidates": ("legalSystemMod", "coordination"),
    }.get(rel.type, ("textualMod", "substitution"))


def _quoted_in(layout: Layout, unit_id: str | None) -> list[etree._Element]:
    """The quoted texts (``quotedText`` / ``quotedStructure``) in a unit's own words."""
    if unit_id is None or unit_id not in layout.units:
        return []
    owner = layout.units[unit_id]
    units = set(layout.units.values())
    out = []
    for mod in layout.mods:
        node = mod.getparent()
        while node is not None and node not in units:
            node = node.getparent()
        if node is owner:
            out.extend(mod.iterchildren(A + "quotedText", A + "quotedStructure"))
    return out


def _relation_fields(r: Relation) -> dict[str, Any]:
    j = r.to_json()
    return {
        "type": r.type,
        "from": r.from_unit,
        "span": j["span"],
        "target": j["target"],
        "effective": r.effective,
        "extra": {k: list(v) if isinstance(v, tuple) else v for k, v in r.extra},
    }


def _set_with_target(el: etree._Element, derived: dict[str, Any], actual: dict[str, Any]) -> None:
    """Overrides, the target's fields one by one (only those that differ)."""
    target = {k: v for k, v in actual["target"].items() if derived["target"].get(k) != v}
    reader.set_overrides(el, {**derived, "target": None}, {**actual, "target": target or None})
    if not target:
        el.attrib.pop(V + "target", None)


class _Meta:
    def __init__(self, meta: etree._Element, md: Metadata, uri: FrbrUri) -> None:
        self.meta = meta
        self.md = md
        self.uri = uri
        self.events: dict[str, str] = {}  # eventRef eId -> date, in order

    def sub(self, parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
        clean = {k.rstrip("_"): BAD_XML.sub("\ufffd", v) for k, v in attrs.items()}
        return etree.SubElement(parent, A + tag, clean)

    def identification(self, component: str = "main", title: str | None = None) -> None:
        md, uri = self.md, self.uri
        if md.issued:
            date, date_name = md.issued, "banHanh"
        elif uri.date != UNKNOWN_YEAR:
            date, date_name = f"{uri.date}-01-01", "namTheoSoKyHieu"
        else:
            date, date_name = "0001-01-01", "khongRo"
        ident = self.sub(self.meta, "identification", source=SOURCE)
        work = self.sub(ident, "FRBRWork")
        self.sub(work, "FRBRthis", value=f"{uri.work()}/!{component}")
        self.sub(work, "FRBRuri", value=uri.work())
        if title:
            self.sub(work, "FRBRalias", value=title, name="title")
        self.sub(work, "FRBRdate", date=date, name=date_name)
        self.sub(work, "FRBRauthor", href="#coQuanBanHanh" if md.issuer else "#khongRo")
        self.sub(work, "FRBRcountry", value="vn")
        self.sub(work, "FRBRsubtype", value=uri.subtype)
        if md.number:
            self.sub(work, "FRBRnumber", value=md.number)
        self.sub(work, "FRBRname", value=" ".join(filter(None, [md.type, md.number])) or "văn bản")
        expr_uri = f"{uri.work()}/{LANGUAGE}@{md.issued or ''}"
        expr = self.sub(ident, "FRBRExpression")
        self.sub(expr, "FRBRthis", value=f"{expr_uri}/!{component}")
        self.sub(expr, "FRBRuri", value=expr_uri)
        self.sub(expr, "FRBRdate", date=date, name=date_name)
        self.sub(expr, "FRBRauthor", href="#coQuanBanHanh" if md.issuer else "#khongRo")
        self.sub(expr, "FRBRlanguage", language=LANGUAGE)
        man = self.sub(ident, "FRBRManifestation")
        self.sub(man, "FRBRthis", value=f"{expr_uri}/!{component}.xml")
        self.sub(man, "FRBRuri", value=f"{expr_uri}.akn")
        self.sub(man, "FRBRdate", date=date, name=date_name)
        self.sub(man, "FRBRauthor", href=SOURCE)

    def event(self, date: str, kind: str) -> str:
        eid = f"e_{kind}_{date}"
        self.events.setdefault(eid, date)
        return eid

    def modifications(
        self,
        tag: str,
        items: Sequence[tuple[Relation, str, str, str]],
        quoted: Sequence[list[etree._Element]] = (),
    ) -> list[etree._Element]:
        """``items``: (relation, words, source href, destination href); ``quoted``: for each,
        the quoted texts in the unit that states it (``old`` and ``new`` of a textual mod)."""
        if not items:
            return []
        analysis = self.meta.find(A + "analysis")
        if analysis is None:
            analysis = self.sub(self.meta, "analysis", source=SOURCE)
        box = self.sub(analysis, tag)
        out = []
        prefix = "amod" if tag == "activeModifications" else "pmod"
        for i, (rel, words, src, dest) in enumerate(items, 1):
            name, type_ = _akn_mod(rel, words)
            el = self.sub(box, name, eId=f"{prefix}_{i}", type=type_)
            self.sub(el, "source", href=src)
            self.sub(el, "destination", href=dest)
            if rel.effective:
                self.event(rel.effective, "hieuLucSuaDoi")
                self.sub(el, "force", period=f"#tg_{rel.effective}")
            quotes = quoted[i - 1] if i <= len(quoted) else []
            if name == "textualMod" and type_ != "repeal" and quotes:
                pair = type_ == "substitution" and len(quotes) == 2
                pair = pair and all(reader.local(q) == "quotedText" for q in quotes)
                for role, q in zip(
                    ["old", "new"] if pair else ["new"] * len(quotes), quotes, strict=True
                ):
                    self.sub(el, role, href="#" + q.get("eId", ""))
            out.append(el)
        return out

    def lifecycle_and_references(self, relation_dates: Iterable[str]) -> None:
        md = self.md
        fixed = []
        if md.issued:
            fixed.append(("e_banHanh", md.issued, "#banHanh"))
        if md.effective:
            fixed.append(("e_coHieuLuc", md.effective, "#coHieuLuc"))
        if fixed or self.events:
            life = self.sub(self.meta, "lifecycle", source=SOURCE)
            for eid, date, refers in fixed:
                self.sub(
                    life,
                    "eventRef",
                    eId=eid,
                    date=date,
                    source=SOURCE,
                    type="generation",
                    refersTo=refers,
                )
            for eid, date in self.events.items():
                self.sub(life, "eventRef", eId=eid, date=date, source=SOURCE, type="amendment")
        groups = [(f"tg_{d}", f"#e_hieuLucSuaDoi_{d}") for d in dict.fromkeys(relation_dates)]
        if md.effective:
            groups.insert(0, ("tg_coHieuLuc", "#e_coHieuLuc"))
        if groups:
            temporal = self.sub(self.meta, "temporalData", source=SOURCE)
            for eid, start in groups:
                group = self.sub(temporal, "temporalGroup", eId=eid)
                self.sub(group, "timeInterval", start=start, refersTo="#coHieuLuc")
        refs = self.sub(self.meta, "references", source=SOURCE)
        self.sub(
            refs,
            "TLCOrganization",
            eId="vbqppl",
            href="/ontology/organization/vbqppl",
            showAs="vbqppl",
        )
        if md.issuer:
            self.sub(
                refs,
                "TLCOrganization",
                eId="coQuanBanHanh",
                href=f"/ontology/organization/vn/{slug(md.issuer) or 'x'}",
                showAs=md.issuer,
            )
        else:
            self.sub(
                refs,
                "TLCOrganization",
                eId="khongRo",
                href="/ontology/organization/vn/khong-ro",
                showAs="Không rõ",
            )
        if md.signer:
            self.sub(
                refs,
                "TLCPerson",
                eId="nguoiKy",
                href=f"/ontology/person/vn/{slug(md.signer) or 'x'}",
                showAs=md.signer,
            )
        self.sub(
            refs, "TLCEvent", eId="banHanh", href="/ontology/event/vn/ban-hanh", showAs="Ban hành"
        )
        self.sub(
            refs,
            "TLCEvent",
            eId="coHieuLuc",
            href="/ontology/event/vn/co-hieu-luc",
            showAs="Có hiệu lực",
        )


def to_akn(
    doc: Document, *, passive: Sequence[Passive] = (), status: str | None = None
) -> etree._Element:
    """The Akoma Ntoso tree of ``doc``. ``passive``: what other documents did to it (from the
    store, or :func:`passive_relations`); ``status``: its validity status when known."""
    chars = [[m.start(), ord(m.group())] for m in BAD_XML.finditer(doc.text)]
    text = BAD_XML.sub("\ufffd", doc.text) if chars else doc.text
    layout = lay_out(text, doc.units, doc.citations, amendment_quotes(text, doc.quotes))
    md = doc.metadata
    uri = document_uri(md)
    place = uri.locality
    places = _cited_places(doc)
    layout.act.set("name", uri.subtype)
    meta = _Meta(layout.meta, md, uri)
    meta.identification(title=md.title)

    for i, frags in layout.refs.items():
        c = doc.citations[i]
        for el in frags:
            el.set("href", _href(c.target, places.get(c.target.number or "", place), c.text))
            if c.role == "basis":
                el.set("class", "basis")
            if len(frags) > 1:
                el.set(V + "c", str(i))

    active = meta.modifications(
        "activeModifications",
        [
            (
                r,
                text[r.span.start : r.span.end],
                "#" + (r.from_unit or ""),
                _href(
                    r.target,
                    places.get(r.target.number or "", place),
                    text[r.span.start : r.span.end],
                ),
            )
            for r in doc.relations
        ],
        [_quoted_in(layout, r.from_unit) for r in doc.relations],
    )
    passive_els = meta.modifications(
        "passiveModifications",
        [
            (
                p.relation,
                p.words,
                _href(
                    Target(number=p.by.number, unit=p.relation.from_unit),
                    locality(p.by.issuer) or place,
                    p.by.type or "",
                ),
                "#" + (p.relation.target.unit or ""),
            )
            for p in passive
        ],
    )
    dates = [r.effective for r in (*doc.relations, *(p.relation for p in passive)) if r.effective]
    meta.lifecycle_and_references(dates)
    prop = meta.sub(layout.meta, "proprietary", source=SOURCE)
    record = etree.SubElement(prop, V + "document", schema="vbqppl/document@1")

    for att_id, att_meta in layout.attachment_meta.items():
        unit = doc.unit(att_id)
        sub = _Meta(att_meta, md, uri)
        sub.identification(component=att_id, title=unit.heading if unit else None)

    _in_schema_order(layout.meta)
    _write_overrides(doc, layout, text, record, meta, active, passive, passive_els, status, chars)
    etree.indent(layout.meta, space=" ", level=2)
    for att_meta in layout.attachment_meta.values():
        etree.indent(att_meta, space=" ", level=5)
    return layout.root


_META_ORDER = [
    "identification",
    "publication",
    "classification",
    "lifecycle",
    "workflow",
    "analysis",
    "temporalData",
    "references",
    "notes",
    "proprietary",
    "presentation",
]


def _in_schema_order(meta: etree._Element) -> None:
    children = sorted(meta, key=lambda el: _META_ORDER.index(reader.local(el)))
    meta[:] = children


def _write_overrides(
    doc: Document,
    layout: Layout,
    text: str,
    record: etree._Element,
    meta: _Meta,
    active: list[etree._Element],
    passive: Sequence[Passive],
    passive_els: list[etree._Element],
    status: str | None,
    chars: list[list[int]],
) -> None:
    walked = reader.walk(layout.act, exact=True)
    if walked.text != text:
        raise RuntimeError("akn: the layout lost or moved text (a bug in vbqppl.akn.body)")
    placed = {id(p.el): p for p in walked.units}
    elements = [layout.units[u.id] for u in doc.units]
    renumber = [id(el) for el in elements] != [id(p.el) for p in walked.units]
    for n, (u, el) in enumerate(zip(doc.units, elements, strict=True)):
        reader.set_overrides(el, reader.derive_unit(placed[id(el)]), u.to_json())
        if renumber:
            el.set(V + "n", str(n))

    index = {id(el): i for i, frags in layout.refs.items() for el in frags}
    groups = reader.citation_groups(walked)
    order = [index[id(g[0].el)] for g in groups]
    for g, i in zip(groups, order, strict=True):
        actual = doc.citations[i].to_json()
        del actual["text"]
        _set_with_target(g[0].el, reader.derive_citation(g, text), actual)
        if order != sorted(order):
            g[0].el.set(V + "n", str(i))

    dates = reader.period_dates(meta.meta)
    for el, r in zip(active, doc.relations, strict=True):
        _set_with_target(el, reader.derive_relation(el, dates), _relation_fields(r))
    for el, p in zip(passive_els, passive, strict=True):
        derived = reader.derive_passive(el, dates, doc.metadata.number)
        _set_with_target(el, derived, {**_relation_fields(p.relation), "by": p.by.number})

    derived_md = reader.derive_metadata(meta.meta)
    md = {k: v for k, v in doc.metadata.to_json().items() if derived_md.get(k) != v}
    fields: dict[str, Any] = {
        "metadata": md,
        "source": doc.source.to_json(),
        "diagnostics": [d.to_json() for d in doc.diagnostics],
        "chars": chars,
        "status": status,
    }
    for key, value in fields.items():
        if value:
            record.set(V + key, reader.to_attribute(value))


def to_akn_bytes(
    doc: Document, *, passive: Sequence[Passive] = (), status: str | None = None
) -> bytes:
    """:func:`to_akn` serialised: UTF-8 with an XML declaration, the body unindented (its white
    space is the document's own)."""
    root = to_akn(doc, passive=passive, status=status)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
