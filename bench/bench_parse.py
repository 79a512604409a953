"""Parse throughput on the real texts, against a floor: one regular expression for "Điều N."
scanned over every line of the same files. Prints figures; it is not a test.

``parse_document`` (what ``vbqppl parse`` runs) is three stages of DESIGN.md's pipeline: clean
(page furniture, footnotes, broken lines), parse (the unit tree and the metadata, from the
cleaned text) and cite (citations and relations). Each stage is also timed alone, on the output
of the stage before it, and its throughput is counted on the same bytes: those of the files.

Run: ``.venv/bin/python bench/bench_parse.py`` (one core; needs ../shared/corpus-real).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.citations import find_citations  # noqa: E402
from vbqppl.clean import clean_text, normalize_source  # noqa: E402
from vbqppl.metadata import extract_metadata  # noqa: E402
from vbqppl.model import Document, Source  # noqa: E402
from vbqppl.parse import parse_document  # noqa: E402
from vbqppl.relations import find_relations  # noqa: E402
from vbqppl.structure import parse_structure  # noqa: E402

TEXTS = ROOT.parent / "shared" / "corpus-real" / "texts"
FLOOR = re.compile(r"^Điều\s+\d+[a-zđ]?\.")


def best_of(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    """The best wall and the best CPU seconds of ``rounds`` runs of ``fn``."""
    times, cpus = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(times), min(cpus)


def main(rounds: int = 3) -> None:
    if not TEXTS.is_dir():
        print("../shared/corpus-real không có: bỏ qua.")
        return
    texts = [p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*.txt"))]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    def floor() -> int:
        n = 0
        for t in texts:
            for line in t.split("\n"):
                if FLOOR.match(line):
                    n += 1
        return n

    def whole() -> int:
        return sum(len(parse_document(t).units) for t in texts)

    # each stage's input, made once by the stages before it
    cleaned = [clean_text(normalize_source(t)).text for t in texts]
    docs = []
    for t in cleaned:
        s = parse_structure(t)
        meta = extract_metadata(t, body_start=s.body.start if s.body else None)
        src = Source(path=None, format="txt", sha256="")
        docs.append(Document(text=t, source=src, metadata=meta, units=s.units, quotes=s.quotes))

    def clean() -> None:
        for t in texts:
            clean_text(normalize_source(t))

    def parse() -> None:
        for t in cleaned:
            s = parse_structure(t)
            extract_metadata(t, body_start=s.body.start if s.body else None)

    def cite() -> None:
        for d in docs:
            c = find_citations(d)
            find_relations(replace(d, citations=c), c)

    runs = {
        "floor (regex line scan)": best_of(floor, rounds),
        "parse_document (all three)": best_of(whole, rounds),
        "  clean": best_of(clean, rounds),
        "  parse (units, metadata)": best_of(parse, rounds),
        "  cite (citations, relations)": best_of(cite, rounds),
    }
    floor_cpu = runs["floor (regex line scan)"][1]
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{len(texts)} documents, {mb:.1f} MB, best of {rounds} rounds, one core, load {load}")
    for name, (t, c) in runs.items():
        print(
            f"{name:30} {t:7.3f} s  {len(texts) / t:8.0f} doc/s  {mb / t:7.2f} MB/s"
            f"   CPU {c:7.3f} s  {mb / c:7.2f} MB/CPU s   {c / floor_cpu:5.1f}x floor"
        )
    ratio = runs["parse_document (all three)"][0] / runs["floor (regex line scan)"][0]
    ratio_cpu = runs["parse_document (all three)"][1] / floor_cpu
    print(f"ratio parse_document/floor: {ratio:.2f}x wall, {ratio_cpu:.2f}x CPU")
    print("(CPU time: on a shared machine wall time counts the other processes' turns too)")


if __name__ == "__main__":
    main()
