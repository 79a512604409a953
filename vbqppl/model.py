"""The values that flow through the pipeline.

Frozen dataclasses only; dicts appear at the JSON and database edges (``to_json`` methods and
:mod:`vbqppl.jsonio`). Field names follow ``shared/spec/document-json.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "vbqppl/document@1"

UNIT_KINDS = (
    "part",
    "chapter",
    "section",
    "subsection",
    "article",
    "clause",
    "point",
    "attachment",
)

RELATION_TYPES = (
    "amends",
    "replaces",
    "repeals",
    "suspends",
    "expires",
    "corrects",
    "guides",
    "consolidates",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into a known text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def to_json(self) -> list[int]:
        return [self.start, self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    @classmethod
    def from_json(cls, data: list[int] | tuple[int, int]) -> Span:
        start, end = data
        return cls(int(start), int(end))


@dataclass(frozen=True, slots=True)
class RawText:
    """What the read stage hands to the rest: text plus where it came from.

    ``text`` is Unicode NFC with ``\n`` line ends; ``footnotes`` are kept apart from it, and
    ``notes`` say in Vietnamese what reading did (a legacy encoding converted, say).
    """

    text: str
    path: str | None = None
    format: str = "txt"
    sha256: str | None = None
    encoding: str | None = None
    notes: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something odd the parser noticed; never fatal."""

    code: str
    message: str
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "span": self.span.to_json() if self.span else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Diagnostic:
        span = data.get("span")
        return cls(
            code=data["code"],
            message=data["message"],
            span=Span.from_json(span) if span is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Unit:
    """One structural unit (Phần, Chương, Mục, Tiểu mục, Điều, Khoản, Điểm, or an attachment)."""

    id: str
    kind: str
    number: str
    label: str
    heading: str | None
    parent: str | None
    span: Span

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "number": self.number,
            "label": self.label,
            "heading": self.heading,
            "parent": self.parent,
            "span": self.span.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Unit:
        return cls(
            id=data["id"],
            kind=data["kind"],
            number=data["number"],
            label=data["label"],
            heading=data.get("heading"),
            parent=data.get("parent"),
            span=Span.from_json(data["span"]),
        )


@dataclass(frozen=True, slots=True)
class Target:
    """What a citation or relation points at (before the corpus resolves it)."""

    number: str | None = None
    name: str | None = None
    date: str | None = None
    unit: str | None = None
    self_ref: bool = False

    def to_json(self, *, with_date: bool = True, with_self: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"number": self.number, "name": self.name}
        if with_date:
            out["date"] = self.date
        out["unit"] = self.unit
        if with_self:
            out["self"] = self.self_ref
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Target:
        return cls(
            number=data.get("number"),
            name=data.get("name"),
            date=data.get("date"),
            unit=data.get("unit"),
            self_ref=bool(data.get("self", False)),
        )


@dataclass(frozen=True, slots=True)
class Citation:
    """A reference to a document or a unit, found in the text."""

    from_unit: str | None
    span: Span
    text: str
    role: str  # "basis" | "reference"
    target: Target

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.from_unit,
            "span": self.span.to_json(),
            "text": self.text,
            "role": self.role,
            "target": self.target.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Citation:
        return cls(
            from_unit=data.get("from"),
            span=Span.from_json(data["span"]),
            text=data["text"],
            role=data["role"],
            target=Target.from_json(data["target"]),
        )


@dataclass(frozen=True, slots=True)
class Relation:
    """What this document does to another document (amends, replaces, repeals, ...)."""

    type: str
    from_unit: str | None
    span: Span
    target: Target
    effective: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "from": self.from_unit,
            "span": self.span.to_json(),
            "target": self.target.to_json(with_date=False, with_self=False),
            "effective": self.effective,
        }
        out.update({k: list(v) if isinstance(v, tuple) else v for k, v in self.extra})
        return out

    _KEYS = ("type", "from", "span", "target", "effective")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Relation:
        """Fields the contract may add later are kept, in order, in ``extra``."""
        return cls(
            type=data["type"],
            from_unit=data.get("from"),
            span=Span.from_json(data["span"]),
            target=Target.from_json(data["target"]),
            effective=data.get("effective"),
            # to_json writes a tuple as a JSON list: read it back as the tuple it was
            extra=tuple(
                (k, tuple(v) if isinstance(v, list) else v)
                for k, v in data.items()
                if k not in cls._KEYS
            ),
        )


@dataclass(frozen=True, slots=True)
class Metadata:
    number: str | None = None
    type: str | None = None
    issuer: str | None = None
    place: str | None = None
    issued: str | None = None
    effective: str | None = None
    effective_rule: str | None = None
    title: str | None = None
    signer: str | None = None
    normative: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "type": self.type,
            "issuer": self.issuer,
            "place": self.place,
            "issued": self.issued,
            "effective": self.effective,
            "effective_rule": self.effective_rule,
            "title": self.title,
            "signer": self.signer,
            "normative": self.normative,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Metadata:
        return cls(
            number=data.get("number"),
            type=data.get("type"),
            issuer=data.get("issuer"),
            place=data.get("place"),
            issued=data.get("issued"),
            effective=data.get("effective"),
            effective_rule=data.get("effective_rule"),
            title=data.get("title"),
            signer=data.get("signer"),
            normative=bool(data.get("normative", False)),
        )


@dataclass(frozen=True, slots=True)
class Source:
    path: str | None
    format: str
    sha256: str | None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "sha256": self.sha256}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        return cls(path=data.get("path"), format=data["format"], sha256=data.get("sha256"))


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed document: metadata, the flat unit list in document order, links, diagnostics.

    ``text`` is the text every span indexes (what ``vbqppl parse --format text`` prints).
    """

    text: str
    source: Source
    metadata: Metadata
    units: tuple[Unit, ...] = ()
    citations: tuple[Citation, ...] = ()
    relations: tuple[Relation, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    quotes: tuple[Span, ...] = field(default=(), compare=False)

    def unit(self, unit_id: str) -> Unit | None:
        for u in self.units:
            if u.id == unit_id:
                return u
        return None

    def articles(self) -> list[Unit]:
        return [u for u in self.units if u.kind == "article"]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "source": self.source.to_json(),
            "metadata": self.metadata.to_json(),
            "units": [u.to_json() for u in self.units],
            "citations": [c.to_json() for c in self.citations],
            "relations": [r.to_json() for r in self.relations],
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }

    @classmethod
    def from_json(
        cls, data: dict[str, Any], *, text: str = "", quotes: tuple[Span, ...] = ()
    ) -> Document:
        """The inverse of :meth:`to_json`. The JSON does not carry the text the spans index:
        pass it as ``text`` (what ``vbqppl parse --format text`` prints)."""
        schema = data.get("schema", SCHEMA)
        if schema != SCHEMA:
            raise ValueError(f"lược đồ JSON không được hỗ trợ: {schema!r} (cần {SCHEMA!r})")
        return cls(
            text=text,
            source=Source.from_json(data["source"]),
            metadata=Metadata.from_json(data["metadata"]),
            units=tuple(Unit.from_json(u) for u in data.get("units", ())),
            citations=tuple(Citation.from_json(c) for c in data.get("citations", ())),
            relations=tuple(Relation.from_json(r) for r in data.get("relations", ())),
            diagnostics=tuple(Diagnostic.from_json(d) for d in data.get("diagnostics", ())),
            quotes=quotes,
        )
