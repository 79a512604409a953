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


def _by_number() -> dict[str, Document]:
    return {str(e["number"]): _parse(e) for e in DOCS}


RELATIONS = MANIFEST["relations"]


@pytest.mark.parametrize(
    "rel", RELATIONS, ids=[f"{r['from']}-{r['type']}-{r['to']}" for r in RELATIONS]
)
def test_relations_match_manifest(rel: dict[str, Any]) -> None:
    doc = _by_number()[rel["from"]]
    found = [r for r in doc.relations if r.type == rel["type"] and r.target.number == rel["to"]]
    assert found, f"{rel['from']} should {rel['type']} {rel['to']}"
    units = {r.target.unit for r in found if r.target.unit}
    assert units == set(rel["units"])
    assert {r.effective for r in found} == {_iso(rel["effective"])}


def test_no_relation_the_manifest_does_not_list() -> None:
    listed = {(r["from"], r["type"], r["to"]) for r in RELATIONS}
    for number, doc in _by_number().items():
        for r in doc.relations:
            if r.type in ("guides", "consolidates"):
                continue
            assert (number, r.type, r.target.number) in listed, r.to_json()


CITATIONS = MANIFEST["citations"]


@pytest.mark.parametrize("entry", CITATIONS, ids=[c["from"] for c in CITATIONS])
def test_citations_match_manifest(entry: dict[str, Any]) -> None:
    doc = _by_number()[entry["from"]]
    numbers = {c.target.number for c in doc.citations if c.target.number and not c.target.self_ref}
    assert numbers == {str(n) for n in entry["numbers"]}
    names = {c.target.name for c in doc.citations if c.target.name}
    assert set(entry["names"]) <= names
