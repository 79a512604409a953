"""Benchmark the read stage on the real originals (../shared/corpus-real/raw).

    .venv/bin/python bench/bench_read.py                # pages/s for PDF, documents/s for the rest
    .venv/bin/python bench/bench_read.py --compare-pdf  # pypdfium2 vs pypdf (speed and quality)

Prints small tables; the quality columns compare with ``texts/<id>.txt`` after collapsing
white space (word-bag F1 and rapidfuzz ratio).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
import warnings
from collections import Counter, defaultdict
from pathlib import Path

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-real"


def _format_of(path: Path) -> str:
    return "json.gz" if path.name.endswith(".json.gz") else path.suffix.lstrip(".")


def bench_read(corpus: Path, repeat: int) -> None:
    from vbqppl.errors import NeedsOcrError
    from vbqppl.read import read_bytes
    from vbqppl.read.pdf import read_pdf

    files = sorted((corpus / "raw").iterdir())
    data = {p: p.read_bytes() for p in files}
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    seconds: dict[str, float] = defaultdict(float)
    for _ in range(repeat):
        for path in files:
            fmt = _format_of(path)
            start = time.perf_counter()
            try:
                raw = read_bytes(data[path], name=path.name)
                ok = True
            except NeedsOcrError:
                ok = False
            seconds[fmt] += time.perf_counter() - start
            st = stats[fmt]
            st["files"] += 1
            st["ok" if ok else "ocr"] += 1
            st["bytes"] += len(data[path])
            if ok:
                st["chars"] += len(raw.text)
            if fmt == "pdf" and ok:
                st["pages"] += read_pdf(data[path], path.name)[2]
    print(f"read stage, {len(files)} originals x {repeat}")
    print(
        f"{'format':8} {'files':>6} {'read':>5} {'OCR':>4} {'MB':>7} {'seconds':>8} {'docs/s':>8} {'pages/s':>8} {'MB/s':>6}"
    )
    for fmt in sorted(stats):
        st, sec = stats[fmt], seconds[fmt]
        pages = f"{st['pages'] / sec:8.0f}" if st["pages"] else f"{'':>8}"
        print(
            f"{fmt:8} {st['files']:6d} {st['ok']:5d} {st['ocr']:4d} {st['bytes'] / 2**20:7.1f} "
            f"{sec:8.2f} {st['files'] / sec:8.1f} {pages} {st['bytes'] / 2**20 / sec:6.1f}"
        )


def _bag_f1(a: str, b: str) -> float:
    x, y = Counter(a.split()), Counter(b.split())
    common = sum((x & y).values())
    if not common:
        return 0.0
    p, r = common / sum(x.values()), common / sum(y.values())
    return 2 * p * r / (p + r)


def compare_pdf(corpus: Path) -> None:
    import pypdf
    import pypdfium2 as pdfium
    from rapidfuzz import fuzz

    def with_pdfium(path: Path) -> tuple[str, int]:
        pdf = pdfium.PdfDocument(str(path))
        try:
            pages = []
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return "\n".join(pages), len(pages)
        finally:
            pdf.close()

    def with_pypdf(path: Path) -> tuple[str, int]:
        reader = pypdf.PdfReader(str(path))
        return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)

    rows = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines()]
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    quality: dict[str, list[tuple[float, float]]] = defaultdict(list)
    warnings.simplefilter("ignore")
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    for row in rows:
        if row["quality"] == "no_text_layer":
            continue
        for rel in row["raw_paths"]:
            if not rel.endswith(".pdf"):
                continue
            ref = " ".join(
                unicodedata.normalize("NFC", (corpus / row["text_path"]).read_text()).split()
            )
            for name, fn in (("pypdfium2", with_pdfium), ("pypdf", with_pypdf)):
                start = time.perf_counter()
                text, pages = fn(corpus / rel)
                totals[name]["seconds_x1e6"] += int((time.perf_counter() - start) * 1e6)
                totals[name]["pages"] += pages
                got = " ".join(unicodedata.normalize("NFC", text).split())
                quality[name].append((_bag_f1(got, ref), fuzz.ratio(got, ref)))
    print("PDF text layer: pypdfium2 vs pypdf (texts/ as reference)")
    print(
        f"{'library':10} {'docs':>5} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'bag F1':>7} {'ratio':>6} {'F1<0.85':>8}"
    )
    for name in ("pypdfium2", "pypdf"):
        t, q = totals[name], quality[name]
        sec = t["seconds_x1e6"] / 1e6
        f1 = sum(x for x, _ in q) / len(q)
        ratio = sum(y for _, y in q) / len(q)
        low = sum(1 for x, _ in q if x < 0.85)
        print(
            f"{name:10} {len(q):5d} {t['pages']:6d} {sec:8.2f} {t['pages'] / sec:8.0f} {f1:7.3f} {ratio:6.2f} {low:8d}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=REAL, help="corpus-real folder")
    parser.add_argument("--repeat", type=int, default=1, help="read every file this many times")
    parser.add_argument("--compare-pdf", action="store_true", help="pypdfium2 vs pypdf on the PDFs")
    args = parser.parse_args(argv)
    if not (args.corpus / "raw").is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    if args.compare_pdf:
        compare_pdf(args.corpus)
    else:
        bench_read(args.corpus, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
