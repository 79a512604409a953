"""The demo corpus against its manifest (corpus/manifest.yaml), written by hand with the texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from vbqppl.model import Document
from vbqppl.parse import parse_document
from vbqppl.read import read_file

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
DOCS = MANIFEST["documents"]


def _parse(entry: dict[str, Any]) -> Document:
    return parse_document(read_file(ROOT / "corpus" / entry["file"]))


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)


@pytest.mark.parametrize("entry", DOCS, ids=[d["file"] for d in DOCS])
def test_metadata_matches_manifest(entry: dict[str, Any]) -> None:
    m = _parse(entry).metadata
    got = {
        "number": m.number,
        "type": m.type,
        "issuer": m.issuer,
        "place": m.place,
        "issued": m.issued,
        "effective": m.effective,
        "effective_rule": m.effective_rule,
        "title": m.title,
        "signer": m.signer,
        "normative": m.normative,
    }
    expected = {k: entry[k] for k in got}
    expected["issued"] = _iso(expected["issued"])
    expected["effective"] = _iso(expected["effective"])
    assert got == expected


@pytest.mark.parametrize("entry", DOCS, ids=[d["file"] for d in DOCS])
def test_structure_counts_match_manifest(entry: dict[str, Any]) -> None:
    doc = _parse(entry)
    own = [u for u in doc.units if not u.id.startswith("att_")]
    att = [u for u in doc.units if u.id.startswith("att_")]
    assert sum(u.kind == "article" for u in own) == entry["articles"]
    assert sum(u.kind == "chapter" for u in own) == entry["chapters"]
    assert sum(u.kind == "article" for u in att) == entry["attachment_articles"]
    assert sum(u.kind == "chapter" for u in att) == entry["attachment_chapters"]
    assert not [d for d in doc.diagnostics if d.code.startswith("article-")]


def test_planted_units_exist() -> None:
    docs = {d["number"]: _parse(d) for d in DOCS}
    for fact in MANIFEST["planted"]:
        for ref in fact["units"]:
            number, unit = ref.split("#")
            assert docs[number].unit(unit) is not None, (fact["id"], ref)


def test_amended_units_exist_in_their_targets() -> None:
    docs = {d["number"]: _parse(d) for d in DOCS}
    for rel in MANIFEST["relations"]:
        target = docs.get(rel["to"])
        if target is None:
            continue
        for unit in rel["units"]:
            if "8a" in unit or unit.endswith("point_đ"):
                continue  # inserted by the amendment: not in the original
            assert target.unit(unit) is not None, (rel["from"], rel["to"], unit)
