"""Report generation time: collecting the report data from a store and writing DOCX, XLSX,
HTML and JSON, on the demo corpus and (when ../shared/corpus-real is there) on one real
province's documents (Thành phố Hà Nội) and, with ``--db``, on a store you already have (the
whole real corpus, say). Ingest and checks run first and are not timed.

Prints figures; it is not a test. Run: ``.venv/bin/python bench/bench_report.py [--db FILE]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.evaluation import REAL, manifest, real_corpus_present  # noqa: E402
from vbqppl.checks import load_view, run_checks  # noqa: E402
from vbqppl.report import Scope, collect, write_reports  # noqa: E402
from vbqppl.report.review import collect_review  # noqa: E402
from vbqppl.store.db import Store, open_store  # noqa: E402
from vbqppl.store.findings import save_findings  # noqa: E402
from vbqppl.store.ingest import ingest  # noqa: E402

AT = "2026-01-01"


def _time_report(store: Store, out: Path, scope: Scope) -> str:
    t0 = time.perf_counter()
    with store.read() as conn:
        data = collect(conn, scope, review=collect_review(conn))
    t1 = time.perf_counter()
    write_reports(data, out)
    t2 = time.perf_counter()
    f = data.figures
    return (
        f"{f['documents']} văn bản, {f['findings']} phát hiện: thu thập {t1 - t0:.2f} s, "
        f"ghi 4 tệp {t2 - t1:.2f} s, tổng {t2 - t0:.2f} s"
    )


def _prepared(db: str, paths: list[Path]) -> Store:
    store = open_store(db)
    ingest(store, paths, jobs=1, on_conflict="keep-both")
    with store.read() as conn:
        findings = run_checks(load_view(conn, AT))
    with store.begin() as conn:
        save_findings(conn, findings)
    return store


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="an existing store to report on as well")
    args = ap.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        store = _prepared(str(Path(tmp) / "demo.db"), [ROOT / "corpus"])
        print("corpus/ (demo):", _time_report(store, Path(tmp) / "demo", Scope(at=AT)))
        store.close()
        if real_corpus_present():
            rows = [d for d in manifest().values() if d.get("issuing_body") == "Thành phố Hà Nội"]
            paths = [
                REAL / (d["raw_paths"][0] if d.get("raw_paths") else d["text_path"]) for d in rows
            ]
            store = _prepared(str(Path(tmp) / "hn.db"), paths)
            scope = Scope(at=AT, issuer="Hà Nội")
            print("Hà Nội (real):", _time_report(store, Path(tmp) / "hn", scope))
            store.close()
        if args.db:
            store = open_store(args.db, create=False)
            print(f"{args.db}:", _time_report(store, Path(tmp) / "db", Scope(at=AT)))
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
