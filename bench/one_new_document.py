"""One new document ingested into an existing store: the time of the ingest, of its link
resolution and of the review queue's sync after it, and the peak memory. Prints figures; it is
not a test, and not in ``make bench`` (it needs a big store: ``bench/bench_scale.py`` makes them).

Run on a copy (the ingest writes into it):
``cp s100k.db /tmp/copy.db && .venv/bin/python bench/one_new_document.py /tmp/copy.db NEW.txt``
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.review.queue import after_ingest  # noqa: E402
from vbqppl.store.db import open_store  # noqa: E402
from vbqppl.store.ingest import ingest  # noqa: E402

_ingest_module = sys.modules["vbqppl.store.ingest"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db")
    ap.add_argument("document")
    args = ap.parse_args()
    spent: dict[str, float] = {}
    resolve = _ingest_module.resolve_store

    def timed(*a: Any, **k: Any) -> Any:
        started = time.perf_counter()
        try:
            return resolve(*a, **k)
        finally:
            spent["resolve"] = time.perf_counter() - started

    _ingest_module.resolve_store = timed
    store = open_store(args.db)
    started = time.perf_counter()
    report = ingest(store, [args.document], jobs=1, on_conflict="keep-both")
    spent["ingest"] = time.perf_counter() - started
    started = time.perf_counter()
    after_ingest(store, report)
    spent["review"] = time.perf_counter() - started
    changed = report.resolution.changed if report.resolution else 0
    print(f"stored {report.stored}; links whose resolution changed: {changed}")
    print(
        f"ingest {spent['ingest']:.2f} s (of which link resolution {spent.get('resolve', 0):.2f} s);"
        f" review queue sync {spent['review']:.2f} s"
    )
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
