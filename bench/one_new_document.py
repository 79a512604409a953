"""One new document ingested into an existing store: the time of the ingest, of its link
resolution and of the review queue's sync after it, and the peak memory; then ``vbqppl check
--document NUMBER``: in this process for the new document only, and as a child process (wall,
CPU, peak memory, as the user runs it) for every stored document of its number (generated
corpora reuse numbers across provinces: 22 documents are numbered 78/2025/QĐ-UBND at 100,000). Prints figures; it is not a test,
and not in ``make bench`` (it needs a big store: ``bench/bench_scale.py`` makes them).

Run on a copy (the ingest and the check write into it):
``cp s100k.db /tmp/copy.db && .venv/bin/python bench/one_new_document.py /tmp/copy.db NEW.txt``
A new document for a store of N generated documents (``bench/gen_corpus.py N DIR --seed 1``):
``--new N`` writes document N + 1 of that corpus (it cites, amends or copies stored ones).
``--command``: only ``vbqppl ingest NEW --db S --check`` as a child process (the incremental
path as one command: wall, CPU, peak memory); with ``--serve``, through a ``vbqppl serve`` this
script starts first (the command's CPU and peak memory as the server's log gives them).
A store ingested before unit sketches existed needs ``vbqppl sketch --db S`` first (else the
check sketches the documents of the new document's territory as it runs, seconds at 100,000).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_scale import AT, Run, new_document, run  # noqa: E402
from vbqppl.checks import run_checks  # noqa: E402
from vbqppl.checks.focus import focused_view  # noqa: E402
from vbqppl.review.queue import after_ingest  # noqa: E402
from vbqppl.store.db import open_store  # noqa: E402
from vbqppl.store.ingest import ingest  # noqa: E402

_ingest_module = sys.modules["vbqppl.store.ingest"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db")
    ap.add_argument("document", nargs="?", help="the new document's file")
    ap.add_argument("--new", type=int, help="write document N + 1 of the generated corpus")
    ap.add_argument("--at", default=AT)
    ap.add_argument("--no-cli", action="store_true", help="skip `vbqppl check --document`")
    ap.add_argument(
        "--command",
        action="store_true",
        help="only run `vbqppl ingest DOCUMENT --check` (ingest, queue, check: one command)",
    )
    ap.add_argument(
        "--serve",
        action="store_true",
        help="with --command: through a `vbqppl serve` started first",
    )
    ap.add_argument(
        "--cold",
        action="store_true",
        help="with --command: drop the page cache just before the command (needs root)",
    )
    args = ap.parse_args()
    if args.new:
        args.document = str(new_document(args.new, 1, Path(args.db).parent / "new")[0])
    if not args.document:
        ap.error("a document, or --new N")
    if args.command:
        one_command(args.db, args.document, args.serve, args.cold)
        return
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
    new = next((f for f in report.results if f.number and f.document_id is not None), None)
    if new is None:
        return
    number = new.number
    assert number is not None and new.document_id is not None
    started, cpu = time.perf_counter(), time.process_time()
    with store.read() as conn:
        view, focus = focused_view(conn, args.at, number, ids=[new.document_id])
    found = run_checks(view, documents=[number])
    print(
        f"the new document only (#{new.document_id}), in this process: view + checks "
        f"{time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} CPU s; "
        f"{len(found)} findings; read the sketches of {focus.scanned} documents of its "
        f"territory, {focus.colliding} colliding units, {len(focus.similar)} similar documents, "
        f"{focus.loaded} documents loaded"
    )
    store.close()
    if args.no_cli:
        return
    cli = [sys.executable, "-c", "from vbqppl_cli.app import main; main()"]
    r = run([*cli, "check", "--document", number, "--db", args.db, "--at", args.at])
    print(f"every stored document numbered {number}, as a user runs it:")
    print(f"{'':38} {'wall s':>9} {'CPU s':>9} {'peak MB':>8}")
    print(r.row(f"check --document {number}"))
    print("   " + " ".join(x for x in r.out.splitlines() if x.startswith(("Tổng", "Lưu ý")))[:200])


def drop_page_cache() -> None:
    """Write out and drop the page cache (root only): the store's pages are read from disk
    again, as on the first command of a day."""
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def one_command(db: str, document: str, serve: bool = False, cold: bool = False) -> None:
    """``vbqppl ingest DOCUMENT --check`` as a user runs it: Python's start, the imports of the
    ``ingest`` command's module, the ingest, the review queue and the check of the document
    against the store (today's date), in one child process; or handed to a ``vbqppl serve``
    (``serve``), which has done the start and the imports before. ``cold``: the page cache
    dropped just before (after the server's start)."""
    vbqppl = str(Path(sys.executable).parent / "vbqppl")
    command = [vbqppl, "ingest", document, "--db", db, "--check", "--keep-both", "-q"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not serve:
        if cold:
            drop_page_cache()
        r = run(command, {**env, "VBQPPL_NO_SERVER": "1"})
        label = "ingest NEW --check"
    else:
        with tempfile.TemporaryDirectory(prefix="vbqppl-bench-") as folder:
            env = {**env, "VBQPPL_SERVE_SOCKET": str(Path(folder) / "s.sock")}
            env.pop("VBQPPL_NO_SERVER", None)
            log = Path(folder) / "serve.log"
            with log.open("wb") as sink:
                server = subprocess.Popen([vbqppl, "serve"], stderr=sink, env=env)
            try:
                while "sẵn sàng" not in log.read_text(encoding="utf-8"):
                    if server.poll() is not None:
                        raise SystemExit(log.read_text(encoding="utf-8"))
                    time.sleep(0.1)
                if cold:
                    drop_page_cache()
                r = run(command, env)
                done = [x for x in log.read_text(encoding="utf-8").splitlines() if " xong: " in x]
            finally:
                subprocess.run([vbqppl, "serve", "--stop"], env=env, capture_output=True)
                server.wait(30)
        # the command's own CPU and peak memory, from the server's log: "..., CPU 1.23 s, bộ nhớ
        # đỉnh 250 MB" (the launcher this script started only waited)
        cpu = float(done[-1].split("CPU ")[1].split(" s")[0])
        peak = float(done[-1].split("đỉnh ")[1].split(" MB")[0])
        r = Run(r.wall, cpu, peak, r.load, r.out)
        label = "ingest NEW --check (vbqppl serve)"
    if cold:
        label += ", cold"
    print(f"{'':38} {'wall s':>9} {'CPU s':>9} {'peak MB':>8}")
    print(r.row(label))
    lines = r.out.splitlines()
    print("   " + " | ".join(x for x in lines if x.startswith(("- ", "Rà soát", "Tổng", "Đã lưu"))))


if __name__ == "__main__":
    main()
