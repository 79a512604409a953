"""FRBR URIs for Vietnamese documents in Akoma Ntoso (the naming scheme, documented in docs/akn.md).

A work (the document as enacted) is named::

    /akn/vn[-{locality}]/act/{subtype}/{year}/{number}

- ``vn`` is the country (ISO 3166-1); ``-{locality}`` follows it for a document of a local
  authority (Ủy ban nhân dân / Hội đồng nhân dân of a province or city): the slug of the province
  as the issuer names it, ``vn-hoa-lam`` for "Ủy ban nhân dân tỉnh Hòa Lâm". Local numbers repeat
  in every province (each has a ``12/2024/QĐ-UBND``), so the locality is part of the name.
- ``act`` is the Akoma Ntoso document type of every vbqppl export.
- ``{subtype}`` is the slug of the Vietnamese document type (``quyet-dinh``, ``nghi-dinh``,
  ``luat``, ``thong-tu``, ``nghi-quyet``, ``van-ban-hop-nhat``; ``van-ban`` when unknown).
- ``{year}`` is the year in the number (normative documents carry it), else the year of issue,
  else ``0000``. The year, not the full date, so that a citation giving only the number names the
  same work as the document itself.
- ``{number}`` is the slug of the number (số ký hiệu): ``12/2024/QĐ-UBND`` → ``12-2024-qd-ubnd``;
  :func:`number_from_slug` reads it back through :class:`~vbqppl.ids.DocNumber`. A document known
  only by name ("Luật Đất đai" with a date) has the slug of its name instead.

The expression (the Vietnamese text as issued) adds ``/vie@{issue date}``; the manifestation
adds ``/!main.xml`` to it (``.akn`` for the FRBRuri). A unit is a portion: ``{work}/~{eId}``, as in
``/akn/vn-hoa-lam/act/quyet-dinh/2024/12-2024-qd-ubnd/~att_1__art_7__para_1__point_đ``; an
attachment is a component of the work: ``{work}/!att_1``.

Slugs are ASCII: tone marks dropped, ``đ`` → ``d``, lower case, other characters → ``-``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from vbqppl.ids import DocNumber
from vbqppl.rules import load_rules

COUNTRY = "vn"
LANGUAGE = "vie"
UNKNOWN_YEAR = "0000"

_URI_RE = re.compile(
    r"""
    ^/akn/vn
    (?:-(?P<locality>[a-z0-9][a-z0-9-]*))?        # province of a local authority: vn-hoa-lam
    /act
    /(?P<subtype>[a-z][a-z0-9-]*)                  # document type slug: quyet-dinh
    /(?P<date>\d{4}(?:-\d{2}-\d{2})?)              # year (or full date) of the work
    /(?P<number>[a-z0-9][a-z0-9-]*)                # number slug: 12-2024-qd-ubnd
    (?:/(?P<language>[a-z]{3})                     # expression language: vie
       (?:@(?P<version>\d{4}-\d{2}-\d{2})?)?)?     # expression date: @2024-03-15
    (?:/(?:!(?P<component>[^~./]+))?               # component: !main, !att_1
       (?:~(?P<portion>[^./]+))?)?                 # portion (a unit's eId): ~art_5__para_2
    (?:\.(?P<format>[a-z0-9]+))?                   # manifestation format: .xml, .akn
    $
    """,
    re.VERBOSE,
)


def slug(text: str) -> str:
    """ASCII slug: ``"Quyết định"`` → ``"quyet-dinh"``, ``"12/2024/QĐ-UBND"`` → ``"12-2024-qd-ubnd"``."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class FrbrUri:
    """An Akoma Ntoso FRBR URI of this scheme, at work, expression or manifestation level."""

    subtype: str
    date: str
    number: str
    locality: str | None = None
    language: str | None = None
    version: str | None = None
    component: str | None = None
    portion: str | None = None
    format: str | None = None

    @classmethod
    def parse(cls, text: str) -> FrbrUri:
        m = _URI_RE.match(text)
        if m is None:
            raise ValueError(f"không phải URI Akoma Ntoso của văn bản Việt Nam: {text!r}")
        return cls(
            subtype=m["subtype"],
            date=m["date"],
            number=m["number"],
            locality=m["locality"],
            language=m["language"],
            version=m["version"],
            component=m["component"],
            portion=m["portion"],
            format=m["format"],
        )

    @classmethod
    def try_parse(cls, text: str) -> FrbrUri | None:
        try:
            return cls.parse(text)
        except ValueError:
            return None

    def work(self) -> str:
        place = COUNTRY + (f"-{self.locality}" if self.locality else "")
        return f"/akn/{place}/act/{self.subtype}/{self.date}/{self.number}"

    def expression(self) -> str:
        return f"{self.work()}/{self.language or LANGUAGE}@{self.version or ''}"

    def with_portion(self, portion: str | None) -> FrbrUri:
        return replace(self, portion=portion)

    def __str__(self) -> str:
        out = self.expression() if self.language or self.version else self.work()
        if self.component or self.portion:
            out += "/" + (f"!{self.component}" if self.component else "")
            out += f"~{self.portion}" if self.portion else ""
        return out + (f".{self.format}" if self.format else "")


@cache
def _type_by_code() -> dict[str, str]:
    return {t["code"]: t["name"] for t in load_rules("doc_types")["types"] if t.get("code")}


@cache
def _type_words() -> re.Pattern[str]:
    names = sorted({t["name"] for t in load_rules("doc_types")["types"]}, key=len, reverse=True)
    return re.compile(r"(?<![\wđ])(" + "|".join(map(re.escape, names)) + r")(?![\wđ])")


def type_name(number: DocNumber | None, *, given: str | None = None, hint: str = "") -> str:
    """The document type for a URI: the one the document gives itself, else the type code of its
    number (QĐ → Quyết định), else the first type word of ``hint`` (the citing words, for a
    number like 59/2020/QH14 whose codes name no type), else "Luật" for a National Assembly
    number, else "Văn bản"."""
    if given:
        return given
    if number is not None and number.codes and number.codes[0] in _type_by_code():
        return _type_by_code()[number.codes[0]]
    m = _type_words().search(hint)
    if m:
        return m.group(1)
    if number is not None and number.codes and re.fullmatch(r"QH\d*", number.codes[0]):
        return "Luật"
    return "Văn bản"


_LOCAL_ISSUER = re.compile(
    r"(?i:ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân)\s+(?i:tỉnh|thành phố)\s+(?P<place>.+)$"
)
_LOCAL_CODES = {"UBND", "HĐND"}


def locality(issuer: str | None) -> str | None:
    """The province slug of a local authority's document (``"hoa-lam"``), else ``None``."""
    m = _LOCAL_ISSUER.search(" ".join((issuer or "").split()))
    return slug(m["place"]) if m else None


_ISSUED_BY = re.compile(
    r"""
    [ \t\n]*
    (?:ngày[ \t\n]+(?:[\d/.\-]+|\d{1,2}[ \t\n]+tháng[ \t\n]+\d{1,2}[ \t\n]+năm[ \t\n]+\d{4}))?  # its date
    [ \t\n,]*của[ \t\n]+
    (?:(?:Ủy|Uỷ)\s+ban\s+nhân\s+dân|UBND|Hội\s+đồng\s+nhân\s+dân|HĐND)   # the issuer
    [ \t\n]+(?:tỉnh|thành\s+phố)[ \t\n]+
    (?P<place>\w+(?:[ \t]+\w+){0,4})                                              # the province
    """,
    re.VERBOSE,
)


def cited_locality(after: str) -> str | None:
    """The province of a cited local document when the words after the citation name its
    issuer ("... ngày 25 tháng 5 năm 2021 của Ủy ban nhân dân tỉnh Bắc Lâm") → ``"bac-lam"``."""
    m = _ISSUED_BY.match(after)
    if m is None:
        return None
    words = []
    for word in m["place"].split():
        if not word[0].isupper():
            break
        words.append(word)
    return slug(" ".join(words)) or None


def is_local_number(number: DocNumber | None) -> bool:
    return number is not None and bool(_LOCAL_CODES & set(number.codes))


def work_uri(
    number: str | None,
    *,
    type_: str | None = None,
    issued: str | None = None,
    name: str | None = None,
    place: str | None = None,
    hint: str = "",
) -> FrbrUri | None:
    """The work URI for what is known of a document; ``None`` when it names nothing (no number,
    and no name with a date). ``place`` is the province slug (see :func:`locality`)."""
    parsed = DocNumber.try_parse(number) if number else None
    year = (parsed.year if parsed else None) or (issued[:4] if issued else None)
    if number:
        ident = slug(number)
    elif name and issued:
        ident = slug(name)
    else:
        return None
    if not ident:
        return None
    subtype = slug(type_name(parsed, given=type_, hint=hint or (name or ""))) or "van-ban"
    return FrbrUri(subtype=subtype, date=year or UNKNOWN_YEAR, number=ident, locality=place)


def number_from_slug(ident: str) -> str | None:
    """Read a number slug back: ``"12-2024-qd-ubnd"`` → ``"12/2024/QĐ-UBND"``; ``None`` when the
    slug is not a number's (a name's, say)."""
    m = re.fullmatch(r"(\d{1,5}[a-z]?)-((?:19|20)\d{2})-([a-z][a-z0-9-]*)", ident)
    text = f"{m[1]}/{m[2]}/{m[3]}" if m else None
    if m is None:
        m = re.fullmatch(r"(\d{1,5}[a-z]?)-([a-z][a-z0-9-]*)", ident)
        text = f"{m[1]}/{m[2]}" if m else None
    parsed = DocNumber.try_parse(text) if text else None
    return str(parsed) if parsed else None
