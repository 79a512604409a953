"""Measurements of the cite stage against ground truth somebody else made.

- cited numbers against ``tests/fixtures/citations_gold.yaml`` (29 real documents read by hand);
- relations against ``../shared/corpus-real/relations.jsonl`` (the rows an official consolidated
  text or an official status list states: provenance ``vbhn_preamble`` and ``official_status_list``).

Used by the real-corpus tests (which assert the targets) and ``bench/eval_cite.py`` (which prints
every figure and every miss).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from tests.evaluation import REAL, manifest, parsed
from vbqppl.ids import DocNumber

GOLD = Path(__file__).parent / "fixtures" / "citations_gold.yaml"
JUDGED = Path(__file__).parent / "fixtures" / "relations_judged.yaml"
HIGH_PRECISION = ("vbhn_preamble", "official_status_list")
# How relations.jsonl names what we output. Its rows come from official lists, which file a
# document declared expired ("... hết hiệu lực kể từ ngày ...") under "thay thế" when the new one
# governs the same matter and under "bãi bỏ" otherwise: a judgment about subject matter, not
# wording. So a declaration of expiry matches a gold row of either. Types relations.jsonl does
# not have (guides, suspends) are left out of both sides.
_MATCHES = {
    "amends": ("amends",),
    "repeals": ("repeals",),
    "replaces": ("replaces",),
    "expires": ("repeals", "replaces"),
    "corrects": ("corrects",),
    "consolidates": ("consolidates",),
}


def _key(number: str) -> str:
    parsed_number = DocNumber.try_parse(number)
    return parsed_number.key if parsed_number else number.upper()


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFC", s).casefold().replace("hoà", "hòa")
    return re.sub(r"\s+", " ", s).strip(" .,;")


@dataclass
class CiteScore:
    doc_id: str
    expected: set[str]
    found: set[str]
    ignored: set[str]  # numbers the annotator kept apart (Party documents, company letters)
    names_expected: list[str] = field(default_factory=list)
    names_found: list[str] = field(default_factory=list)

    @property
    def true_pos(self) -> set[str]:
        return self.expected & self.found

    @property
    def false_pos(self) -> set[str]:
        return self.found - self.expected - self.ignored

    @property
    def missed(self) -> set[str]:
        return self.expected - self.found

    @property
    def names_hit(self) -> list[str]:
        return [g for g in self.names_expected if _name_found(g, self.names_found)]


def _name_found(gold: str, found: list[str]) -> bool:
    g = _fold(gold)
    return any(g.startswith(_fold(f)) and len(_fold(f)) > 5 for f in found)


@cache
def gold_documents() -> list[dict]:
    return list(yaml.safe_load(GOLD.read_text(encoding="utf-8"))["documents"])


def citation_scores() -> list[CiteScore]:
    """Distinct cited numbers per hand-annotated document (the document's own number excluded)."""
    out = []
    for g in gold_documents():
        doc = parsed(g["id"])
        found = {
            _key(c.target.number)
            for c in doc.citations
            if c.target.number and not c.target.self_ref
        }
        names = [  # cited by name in the text (a number the document gives elsewhere may be known)
            c.target.name
            for c in doc.citations
            if c.target.name and not (c.target.number and c.target.number.split("/")[0] in c.text)
        ]
        out.append(
            CiteScore(
                doc_id=g["id"],
                expected={_key(n) for n in g["cited_numbers"]},
                found=found,
                ignored={_key(n) for n in g.get("cited_other_numbers") or []},
                names_expected=list(g.get("cited_names") or []),
                names_found=names,
            )
        )
    return out


@dataclass
class RelationScore:
    gold: set[tuple[str, str, str]]
    found: set[tuple[str, str, str]]
    evidence: dict[tuple[str, str, str], str]
    any_provenance: set[tuple[str, str, str]]
    sources: dict[str, list[str]]  # source number -> corpus ids parsed
    gold_effects: set[tuple[str, str, str]] = field(default_factory=set)
    found_effects: set[tuple[str, str, str]] = field(default_factory=set)
    judged_right: set[tuple[str, str, str]] = field(default_factory=set)

    @property
    def unjudged(self) -> set[tuple[str, str, str]]:
        return self.found - self.gold - self.judged_right

    @property
    def judged_precision(self) -> float:
        """Share of our output that is right: in the gold, or judged right by reading the text
        (an extra nobody judged counts as wrong)."""
        right = (self.found & self.gold) | (self.found & self.judged_right)
        return len(right) / max(len(self.found), 1)

    @property
    def recall(self) -> float:
        return len(self.gold & self.found) / max(len(self.gold), 1)

    @property
    def precision(self) -> float:
        return len(self.gold & self.found) / max(len(self.found), 1)

    @property
    def effect_recall(self) -> float:
        return len(self.gold_effects & self.found_effects) / max(len(self.gold_effects), 1)

    @property
    def effect_precision(self) -> float:
        return len(self.gold_effects & self.found_effects) / max(len(self.found_effects), 1)

    @property
    def pair_precision(self) -> float:
        """Precision on the (source, target) pairs the gold knows about: is the type right?"""
        pairs = {(s, t) for s, _, t in self.gold}
        judged = {f for f in self.found if (f[0], f[2]) in pairs}
        return len(judged & self.gold) / max(len(judged), 1)

    @property
    def precision_any(self) -> float:
        """Share of our output stated by any row of relations.jsonl (unreviewed rows included)."""
        return len(self.found & (self.gold | self.any_provenance)) / max(len(self.found), 1)


def _effect(kind: str, scope: str | None) -> str:
    """What a relation does to its target, as an official list records it: ends it whole, or
    changes part of it (amended, or some units repealed: "hết hiệu lực một phần")."""
    if kind == "amends" or scope == "part":
        return "part"
    if kind in ("repeals", "replaces", "expires"):
        return "whole"
    return kind


def _rows() -> list[dict]:
    return [json.loads(line) for line in (REAL / "relations.jsonl").open(encoding="utf-8")]


def relation_scores() -> RelationScore:
    """(source, type, target) triples for the high-precision rows whose source is in the corpus.

    Our side: every relation of those source documents, typed as relations.jsonl types them.
    """
    rows = _rows()
    gold: set[tuple[str, str, str]] = set()
    evidence: dict[tuple[str, str, str], str] = {}
    sources: dict[str, list[str]] = defaultdict(list)
    gold_effects: set[tuple[str, str, str]] = set()
    found_effects: set[tuple[str, str, str]] = set()
    known = manifest()
    any_prov = {(_key(r["from_doc"]), r["relation"], _key(r["to_doc"])) for r in rows}
    for r in rows:
        ids = [i for i in r.get("from_ids") or [] if i in known]
        if r["provenance"] not in HIGH_PRECISION or not ids:
            continue
        t = (_key(r["from_doc"]), r["relation"], _key(r["to_doc"]))
        gold.add(t)
        gold_effects.add((t[0], _effect(t[1], r.get("scope")), t[2]))
        evidence[t] = r.get("evidence", "")[:300]
        for i in ids:
            if i not in sources[t[0]]:
                sources[t[0]].append(i)
    found: set[tuple[str, str, str]] = set()
    for src, ids in sources.items():
        for i in ids:
            for rel in parsed(i).relations:
                if not rel.target.number or rel.type not in _MATCHES:
                    continue
                target = _key(rel.target.number)
                kinds = _MATCHES[rel.type]
                hit = [k for k in kinds if (src, k, target) in gold]
                hit = hit or [k for k in kinds if (src, k, target) in any_prov]
                found.add((src, hit[0] if hit else kinds[0], target))
                scope = rel.to_json().get("scope")
                found_effects.add((src, _effect(rel.type, scope), target))
    by_id = {i: src for src, ids in sources.items() for i in ids}
    judged = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))["judged"]
    right = {
        (by_id[j["source"]], j["type"], _key(j["target"]))
        for j in judged
        if j["verdict"] == "right" and j["source"] in by_id
    }
    return RelationScore(
        gold, found, evidence, any_prov, dict(sources), gold_effects, found_effects, right
    )
