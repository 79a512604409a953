"""The demo corpus (corpus/) parsed once, with the citations and relations its manifest records
added by hand: the citation stage lands separately, and the store is built against the
contract, not against that stage's output."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from vbqppl.model import Citation, Document, Relation, Span, Target
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl.store.db import Store
from vbqppl.store.documents import save_document
from vbqppl.store.resolve import resolve_store

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
MANIFEST: dict[str, Any] = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))


@cache
def parsed() -> dict[str, Document]:
    """Number → parsed document, for the 15 demo documents."""
    out = {}
    for entry in MANIFEST["documents"]:
        doc = parse_document(read_file(CORPUS / entry["file"]), path=f"corpus/{entry['file']}")
        out[entry["number"]] = doc
    return out


def _span_of(doc: Document, needle: str) -> Span:
    at = doc.text.find(needle)
    return Span(at, at + len(needle)) if at >= 0 else Span(0, 0)


@cache
def linked() -> dict[str, Document]:
    """The demo documents with the manifest's citations and relations (and P-dead-ref)."""
    docs = parsed()
    cites: dict[str, list[Citation]] = {n: [] for n in docs}
    for entry in MANIFEST["citations"]:
        doc = docs[entry["from"]]
        for number in entry["numbers"]:
            cites[entry["from"]].append(
                Citation(None, _span_of(doc, number), number, "basis", Target(number=number))
            )
        for name in entry["names"]:
            cites[entry["from"]].append(
                Citation(None, _span_of(doc, name), name, "basis", Target(name=name))
            )
    # P-dead-ref: 31/2024 khoản 1 Điều 5 cites Điều 25 of the regulation attached to 12/2024
    cites["31/2024/QĐ-UBND"].append(
        Citation(
            "art_5__para_1",
            _span_of(docs["31/2024/QĐ-UBND"], "Điều 25"),
            "Điều 25 của Quy định ban hành kèm theo Quyết định số 12/2024/QĐ-UBND",
            "reference",
            Target(number="12/2024/QĐ-UBND", unit="att_1__art_25"),
        )
    )
    rels: dict[str, list[Relation]] = {n: [] for n in docs}
    for r in MANIFEST["relations"]:
        units = r["units"] or [None]
        for unit in units:
            rels[r["from"]].append(
                Relation(
                    r["type"],
                    None,
                    Span(0, 0),
                    Target(number=r["to"], unit=unit),
                    str(r["effective"]),
                )
            )
    return {
        n: dataclasses.replace(d, citations=tuple(cites[n]), relations=tuple(rels[n]))
        for n, d in docs.items()
    }


def load_linked(store: Store) -> dict[str, int]:
    """Save the linked demo corpus into ``store`` and resolve; number → document id."""
    ids = {}
    with store.begin() as conn:
        for number, doc in linked().items():
            ids[number] = save_document(conn, doc)
    resolve_store(store)
    return ids
