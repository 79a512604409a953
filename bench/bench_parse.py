"""Parse throughput on the real texts, against a floor: one regular expression for "Điều N."
scanned over every line of the same files. Prints figures; it is not a test.

Run: ``.venv/bin/python bench/bench_parse.py`` (one core; needs ../shared/corpus-real).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.parse import parse_document  # noqa: E402

TEXTS = ROOT.parent / "shared" / "corpus-real" / "texts"
FLOOR = re.compile(r"^Điều\s+\d+[a-zđ]?\.")


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

    def parse() -> int:
        return sum(len(parse_document(t).units) for t in texts)

    best = {}
    cpu = {}
    for name, fn in (("floor (regex line scan)", floor), ("parse_document", parse)):
        times, cpus = [], []
        for _ in range(rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        best[name], cpu[name] = min(times), min(cpus)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{len(texts)} documents, {mb:.1f} MB, best of {rounds} rounds, one core, load {load}")
    for name, t in best.items():
        c = cpu[name]
        print(
            f"{name:26} {t:7.3f} s  {len(texts) / t:8.0f} doc/s  {mb / t:7.2f} MB/s"
            f"   CPU {c:7.3f} s  {mb / c:7.2f} MB/CPU s"
        )
    ratio = best["parse_document"] / best["floor (regex line scan)"]
    ratio_cpu = cpu["parse_document"] / cpu["floor (regex line scan)"]
    print(f"ratio parse/floor: {ratio:.2f}x wall, {ratio_cpu:.2f}x CPU")
    print("(CPU time: on a shared machine wall time counts the other processes' turns too)")


if __name__ == "__main__":
    main()
