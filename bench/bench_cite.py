"""Speed of the cite stage on the real texts: citations per second, and its share of the whole
parse (read text -> clean -> structure -> metadata -> citations -> relations). Also the same
finder run as a spaCy component, fed paragraph by paragraph, to show what spaCy would cost.

Run: ``.venv/bin/python bench/bench_cite.py`` (one core; needs ../shared/corpus-real).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.citations import find_citations  # noqa: E402
from vbqppl.parse import parse_document  # noqa: E402
from vbqppl.relations import find_relations  # noqa: E402

TEXTS = ROOT.parent / "shared" / "corpus-real" / "texts"


def _best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _chunks(paragraph: str, limit: int = 3000) -> list[str]:
    """Paragraphs cut at line ends to at most ``limit`` characters: spaCy's tokenizer is slower
    than linear on long inputs, and some texts have no blank lines at all."""
    out, cur = [], ""
    for line in paragraph.split("\n"):
        if cur and len(cur) + len(line) > limit:
            out.append(cur)
            cur = ""
        cur = f"{cur}\n{line}" if cur else line
    return [*out, cur]


def main(rounds: int = 3) -> None:
    if not TEXTS.is_dir():
        print("../shared/corpus-real không có: bỏ qua.")
        return
    texts = [p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*.txt"))]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    docs = [parse_document(t) for t in texts]
    bare = [replace(d, citations=(), relations=()) for d in docs]
    n_cites = sum(len(d.citations) for d in docs)
    n_rels = sum(len(d.relations) for d in docs)

    total = _best(lambda: [parse_document(t) for t in texts], rounds)
    cite = _best(lambda: [find_citations(d) for d in bare], rounds)
    rel = _best(lambda: [find_relations(d) for d in docs], rounds)
    print(f"{len(texts)} documents, {mb:.1f} MB, best of {rounds} rounds, one core")
    print(f"citations {n_cites}, relations {n_rels}")
    print(
        f"whole parse      {total:7.3f} s  {len(texts) / total:7.0f} doc/s  {mb / total:6.2f} MB/s"
    )
    print(
        f"find_citations   {cite:7.3f} s  {n_cites / cite:9.0f} citations/s  "
        f"{cite / total:6.1%} of the whole parse"
    )
    print(
        f"find_relations   {rel:7.3f} s  {n_rels / rel:9.0f} relations/s  "
        f"{rel / total:6.1%} of the whole parse"
    )
    try:
        from vbqppl.nlp import make_nlp
    except ImportError:
        return
    nlp = make_nlp()
    paragraphs = [c for t in texts for p in t.split("\n\n") for c in _chunks(p) if c.strip()]
    t0 = time.perf_counter()
    found = sum(len(d.spans["vbqppl_citations"]) for d in nlp.pipe(paragraphs, batch_size=256))
    spacy_t = time.perf_counter() - t0
    print(
        f"spaCy component  {spacy_t:7.3f} s  {found / spacy_t:9.0f} citations/s  "
        f"({len(paragraphs)} paragraphs; {spacy_t / cite:.1f}x the plain finder)"
    )


if __name__ == "__main__":
    main()
