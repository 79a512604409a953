"""Akoma Ntoso 3.0 interchange: documents out as ``act`` XML and back, validated against the
official OASIS schema.

- :func:`to_akn` / :func:`to_akn_bytes`: a :class:`~vbqppl.model.Document` (and, from the
  store, the relations other documents state about it, :class:`Passive`) → Akoma Ntoso;
- :func:`from_akn`: Akoma Ntoso bytes (from vbqppl or another tool), parsed safely → Document;
  :func:`passive_from_akn`: its passive modifications;
- :func:`validate`: schema errors (empty list when valid);
- :func:`document_uri` and :mod:`vbqppl.akn.uri`: the FRBR URI scheme for Vietnam.

A vbqppl export reads back to the same document: text, units, citations, relations, metadata,
diagnostics (docs/akn.md).
"""

from __future__ import annotations

from vbqppl.akn.export import document_uri, passive_relations, to_akn, to_akn_bytes
from vbqppl.akn.reader import Passive, read_document, read_passive
from vbqppl.akn.safe import parse_xml
from vbqppl.akn.schema import validate
from vbqppl.akn.uri import FrbrUri
from vbqppl.model import Document


def from_akn(data: bytes) -> Document:
    """The Document an Akoma Ntoso file holds (parsed with the hardened parser)."""
    return read_document(parse_xml(data))


def passive_from_akn(data: bytes) -> list[Passive]:
    """What other documents did to this one, as its ``passiveModifications`` say."""
    return read_passive(parse_xml(data))


__all__ = [
    "FrbrUri",
    "Passive",
    "document_uri",
    "from_akn",
    "passive_from_akn",
    "passive_relations",
    "to_akn",
    "to_akn_bytes",
    "validate",
]
