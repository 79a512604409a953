"""Ingest throughput and memory: all of ../shared/corpus-real/texts into SQLite and into
PostgreSQL with ``vbqppl ingest`` (a fresh store each; ``--keep-both`` for the files that share a
number), then the same command again, which must do no work. Prints figures; it is not a test.

Peak memory is sampled from /proc every 100 ms: the sum over the ingest process and its workers,
and the largest single process (ru_maxrss of the children). CPU is given for the ingest process
(the writer) and, sampled from /proc, for the parsing workers under it.

Run: ``.venv/bin/python bench/bench_ingest.py [-j 2] [--repeat 3] [--texts /tmp/scale/c1k]``. PostgreSQL is measured when
``VBQPPL_BENCH_PG`` or ``VBQPPL_TEST_PG`` names a server (``.ci/with-postgres`` starts one:
``PG_DURABLE=1 .ci/with-postgres .venv/bin/python bench/bench_ingest.py`` keeps fsync on).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from vbqppl.store import schema  # noqa: E402
from vbqppl.store.db import open_store  # noqa: E402

TEXTS = ROOT.parent / "shared" / "corpus-real" / "texts"
PAGE = os.sysconf("SC_PAGE_SIZE")


TICK = os.sysconf("SC_CLK_TCK")


def _tree_rss(root: int, cpu: dict[int, float]) -> int:
    """Resident bytes of ``root`` and every process below it; the CPU seconds of each process
    below it so far go into ``cpu``."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as fh:
                pages = int(fh.read().split()[1])
        except OSError:
            continue
        parents[int(entry)] = int(stat[1])
        rss[int(entry)] = pages * PAGE
        used[int(entry)] = (int(stat[11]) + int(stat[12])) / TICK
    total = 0
    for pid, size in rss.items():
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            total += size
            if pid != root:
                cpu[pid] = max(cpu.get(pid, 0.0), used[pid])
    return total


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the ingest process (forkserver workers are not counted)
    workers_cpu: float  # user + system seconds of the processes below it, sampled
    peak: int  # summed resident bytes, sampled
    largest: int  # resident bytes of the largest single process
    out: str


def run(cmd: list[str]) -> Run:
    peak = 0
    below: dict[int, float] = {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid, below))
            time.sleep(0.1)  # a scan of /proc costs a few ms: every 20 ms took 8 % of a core

    sampler = threading.Thread(target=sample, daemon=True)
    t0 = time.perf_counter()
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({proc.returncode}): {err.strip()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(seconds, cpu, sum(below.values()), peak, after.ru_maxrss * 1024, out)


def outcomes(url: str) -> Counter[str]:
    store = open_store(url)
    with store.read() as conn:
        rows = conn.execute(select(schema.files.c.outcome)).scalars().all()
    store.close()
    return Counter(rows)


def bench(
    name: str,
    fresh: Callable[[], AbstractContextManager[str]],
    texts: Path,
    jobs: int,
    repeat: int,
) -> None:
    """Best of ``repeat`` first runs, each into a fresh store; then a second run."""
    exe = Path(sys.executable).with_name("vbqppl")
    best: Run | None = None
    for _ in range(repeat):
        with fresh() as url:
            cmd = [str(exe), "ingest", str(texts), "--db", url, "--keep-both", "-j", str(jobs)]
            cmd.append("--quiet")
            open_store(url).close()  # create and migrate first: measure the ingest itself
            first = run(cmd)
            counts = outcomes(url)
            again = run(cmd)
            assert outcomes(url) == counts, "the second run changed the store"
        if best is None or first.seconds < best.seconds:
            best, best_again, best_counts = first, again, counts
    assert best is not None
    stored = best_counts["ok"]
    n = sum(1 for _ in texts.rglob("*.txt"))
    print(f"{name}: {n} files, {jobs} workers, best of {repeat}")
    print(
        f"  first run   {best.seconds:6.1f} s  {stored / best.seconds:6.1f} documents/s"
        f"  (CPU: writer {best.cpu:.1f} s, {1000 * best.cpu / max(stored, 1):.2f} ms/document;"
        f" workers {best.workers_cpu:.1f} s)  outcomes {dict(best_counts)}"
    )
    print(
        f"  peak memory {best.peak / 2**20:6.0f} MiB (all processes)"
        f"  largest one {best.largest / 2**20:.0f} MiB"
    )
    summary = best_again.out.strip().splitlines()[1].strip("- ")
    print(f"  second run  {best_again.seconds:6.2f} s  ({summary})")


@contextmanager
def sqlite_store() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        yield str(Path(tmp) / "bench.db")
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
        print(f"  (store size {size / 2**20:.0f} MiB, with the original bytes of every file)")


def pg_store(base: str) -> Callable[[], AbstractContextManager[str]]:
    @contextmanager
    def fresh() -> Iterator[str]:
        from sqlalchemy.engine import make_url

        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        try:
            url = make_url(base).update_query_dict({"options": f"-csearch_path={name},public"})
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            admin.dispose()

    return fresh


def main() -> None:
    ap = argparse.ArgumentParser(description="Ingest benchmark on corpus-real/texts.")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs (noisy machines)")
    ap.add_argument(
        "--texts", type=Path, default=TEXTS, help="folder to ingest (bench/gen_corpus.py makes one)"
    )
    args = ap.parse_args()
    if not args.texts.is_dir():
        print(f"{args.texts} không có: bỏ qua.")
        return
    mb = sum(p.stat().st_size for p in args.texts.rglob("*.txt")) / 1e6
    print(f"{args.texts}: {mb:.1f} MB; load average {os.getloadavg()[0]:.2f}")
    bench("SQLite", sqlite_store, args.texts, args.jobs, args.repeat)
    base = os.environ.get("VBQPPL_BENCH_PG") or os.environ.get("VBQPPL_TEST_PG")
    if not base:
        print("PostgreSQL: bỏ qua (đặt VBQPPL_BENCH_PG hoặc chạy qua .ci/with-postgres).")
        return
    bench("PostgreSQL", pg_store(base), args.texts, args.jobs, args.repeat)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
