"""Scale: generated corpora of 1,000 and 10,000 documents (100,000 with
``VBQPPL_BENCH_SIZES=1000,10000,100000``) ingested and checked with the ``vbqppl`` command,
then one new document ingested into each store and checked alone (``check --document``).
Prints figures; it is not a test.

Each step is a child process timed with ``os.wait4``: wall seconds, CPU seconds (user + system
of the process and of the children it waited for, plus the workers under it that ``ingest`` and
``check`` start through a forkserver, sampled from /proc) and peak resident memory (the
process and every process under it, summed, sampled every 0.1 s).
The machine is shared: the load average is printed with every figure, and the growth exponent
is fitted on CPU seconds, which other processes disturb less than wall time.

PostgreSQL is measured side by side (ingest, the whole check, one new document) when
``VBQPPL_BENCH_PG`` names a server; its CPU seconds are the client's only (the server's
backends are not counted)
(``PG_DURABLE=1 .ci/with-postgres .venv/bin/python bench/bench_scale.py`` starts one; sizes
above ``VBQPPL_BENCH_PG_MAX``, 10,000 by default, are left to SQLite).

Run: ``.venv/bin/python bench/bench_scale.py [--dir /tmp/scale] [--keep]``; with ``--dir`` the
corpora and stores already there are reused (a size whose store exists is not ingested again
unless ``--fresh``).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import _tree_rss as tree_rss  # noqa: E402
from bench.bench_ingest import pg_store  # noqa: E402
from bench.gen_corpus import generate  # noqa: E402

VBQPPL = [str(Path(sys.executable).parent / "vbqppl")]
AT = "2026-01-01"


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    load: str
    out: str

    def row(self, what: str) -> str:
        return f"{what:38} {self.wall:9.2f} {self.cpu:9.2f} {self.peak_mb:8.0f}   load {self.load}"


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(args: list[str], env: dict[str, str] | None = None) -> Run:
    """One child process: wall, CPU (its own and its waited children's, with the CPU of the
    worker processes under it sampled from /proc) and peak memory (the resident memory of the
    process and every process under it, summed, sampled every 0.1 s)."""
    before = load()
    if env is None:
        # the commands as a user's machine runs them: this sandbox sets PYTHONDONTWRITEBYTECODE,
        # which makes every start compile the package's modules again (0.1 to 0.2 s)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {**env, "VBQPPL_NO_SERVER": "1"}  # a `vbqppl serve` would do the work out of sight
    peak = 0
    below: dict[int, float] = {}
    done = threading.Event()
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss(p.pid, below))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(p.pid, 0)
        done.set()
        sampler.join()
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if p.returncode:
        raise SystemExit(f"{' '.join(args[:6])} ... failed ({p.returncode}):\n{text[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime + sum(below.values())
    return Run(wall, cpu, max(peak, usage.ru_maxrss * 1024) / 2**20, before, text)


def write_corpus(n: int, folder: Path, seed: int) -> tuple[float, float]:
    """The first ``n`` generated documents in ``folder`` (seconds, MB); reused when complete."""
    if folder.is_dir() and sum(1 for _ in folder.rglob("*.txt")) == n:
        return 0.0, sum(p.stat().st_size for p in folder.rglob("*.txt")) / 1e6
    t0 = time.perf_counter()
    size = 0
    for i, (name, text) in enumerate(generate(n, seed)):
        sub = folder / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (sub / name).write_bytes(data)
        size += len(data)
    return time.perf_counter() - t0, size / 1e6


def new_document(n: int, seed: int, folder: Path) -> tuple[Path, str]:
    """Document ``n + 1`` of the ``n + 1`` corpus: it cites, amends or copies stored ones."""
    # only the last one is kept: a list of all of them held 2.3 GB at 100,000, which the
    # child processes measured after it reported as their own peak (ru_maxrss counts the
    # forking process's pages)
    name, text = deque(generate(n + 1, seed), maxlen=1)[0]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"new-{name}"
    path.write_text(text, encoding="utf-8")
    number = text.split("Số: ", 1)[1].split("\n", 1)[0].strip()
    return path, number


def exponent(a: tuple[int, float], b: tuple[int, float]) -> float:
    return math.log(b[1] / a[1]) / math.log(b[0] / a[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--dir", type=Path, help="where corpora and stores go (reused)")
    ap.add_argument("--sizes", default=os.environ.get("VBQPPL_BENCH_SIZES", "1000,10000"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--fresh", action="store_true", help="ingest again into new stores")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    pg = os.environ.get("VBQPPL_BENCH_PG") or os.environ.get("VBQPPL_TEST_PG")
    pg_max = int(os.environ.get("VBQPPL_BENCH_PG_MAX", "10000"))
    tmp = None
    if args.dir is None:
        tmp = tempfile.TemporaryDirectory()
        args.dir = Path(tmp.name)
    base = args.dir
    print(f"nproc {os.cpu_count()}, seed {args.seed}, sizes {sizes}, at {AT}, folder {base}")
    print(f"{'step':38} {'wall s':>9} {'CPU s':>9} {'peak MB':>8}")
    checks: list[tuple[int, float]] = []
    pg_checks: list[tuple[int, float]] = []
    for n in sizes:
        tag = f"{n // 1000}k" if n % 1000 == 0 else str(n)
        corpus = base / f"c{tag}"
        secs, mb = write_corpus(n, corpus, args.seed)
        print(f"-- {n:,} documents, {mb:,.0f} MB (generated in {secs:.1f} s)", flush=True)
        db = base / f"s{tag}.db"
        if args.fresh and db.exists():
            db.unlink()
        if not db.exists():
            r = run(
                [
                    *VBQPPL,
                    "ingest",
                    str(corpus),
                    "--db",
                    str(db),
                    "-j",
                    str(args.jobs),
                    "-q",
                    "--keep-both",
                ]
            )
            print(r.row(f"ingest SQLite ({n / r.wall:,.0f} doc/s)"), flush=True)
        checks.append((n, measure(str(db), "SQLite", n, args.seed, base)))
        if pg and n <= pg_max:
            with pg_store(pg)() as url:
                r = run([*VBQPPL, "ingest", str(corpus), "--db", url, "-j", str(args.jobs), "-q",
                         "--keep-both"])  # fmt: skip
                print(r.row(f"ingest PostgreSQL ({n / r.wall:,.0f} doc/s)"), flush=True)
                pg_checks.append((n, measure(url, "PostgreSQL", n, args.seed, base)))
    for what, series in (("SQLite", checks), ("PostgreSQL", pg_checks)):
        for a, b in itertools.pairwise(series):
            print(f"growth exponent of check CPU time, {what}, {a[0]:,} -> {b[0]:,}: "
                  f"{exponent(a, b):.2f}")  # fmt: skip
    if tmp is not None:
        tmp.cleanup()
    return 0


def measure(db: str, what: str, n: int, seed: int, base: Path) -> float:
    """The whole check of the store ``db``, then one new document ingested and checked in two
    commands, and another in one; returns the check's CPU seconds."""
    r = run([*VBQPPL, "check", "--db", db, "--at", AT])
    summary = r.out.strip().splitlines()[-2][:100] if r.out.strip() else ""
    print(r.row(f"check {what} (every rule, whole store)"), flush=True)
    print(f"   {summary}")
    path, number = new_document(n, seed, base / "new")
    r1 = run([*VBQPPL, "ingest", str(path), "--db", db, "-q", "--keep-both"])
    print(r1.row(f"ingest one new document, {what}"), flush=True)
    r2 = run([*VBQPPL, "check", "--db", db, "--at", AT, "--document", number])
    print(r2.row(f"check --document {number}"), flush=True)
    print(f"   one new document, ingest + check: {r1.wall + r2.wall:.1f} s wall")
    path, number = new_document(n + 1, seed, base / "new")
    r3 = run([*VBQPPL, "ingest", str(path), "--db", db, "-q", "--keep-both", "--check"])
    print(r3.row(f"ingest another one --check, {what}"), flush=True)
    return r.cpu


if __name__ == "__main__":
    raise SystemExit(main())
