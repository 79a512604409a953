"""``make bench``: run every benchmark script in bench/ and print its figures.

A script that ends with ``raise SystemExit(main())`` must not end the run: its exit status is
caught, reported when not zero, and the run goes on; ``make bench`` fails if any script did.

With ``--out FILE`` (``make bench`` writes bench/RESULTS.md) everything printed also goes to
FILE, after a header naming the machine (cores, memory, CPU model, load), the date and the commit.
"""

from __future__ import annotations

import os
import platform
import runpy
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

HERE = Path(__file__).resolve().parent
SCRIPTS = [*sorted(HERE.glob("bench_*.py")), *sorted(HERE.glob("eval_*.py"))]


class _Tee:
    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for s in self.streams:
            s.write(text)
        return len(text)

    def flush(self) -> None:
        for s in self.streams:
            s.flush()


def machine() -> str:
    """Cores, memory, CPU model, load average, date and commit, as a few lines."""
    model = platform.processor() or "?"
    mem = "?"
    try:
        info = Path("/proc/cpuinfo").read_text()
        model = next(ln.split(":", 1)[1].strip() for ln in info.splitlines() if "model name" in ln)
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError, IndexError):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: nproc {os.cpu_count()}, RAM {mem}, CPU {model}\n"
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}, "
        f"load average {load}\n"
    )


def main() -> int:
    if "--out" in sys.argv:
        out = open(sys.argv[sys.argv.index("--out") + 1], "w", encoding="utf-8")  # noqa: SIM115
        sys.stdout = _Tee(sys.__stdout__ or sys.stdout, out)  # type: ignore[assignment]
        del sys.argv[1:]
    print(machine())
    failed = []
    for script in SCRIPTS:
        print(f"\n=== {script.name} ===", flush=True)
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as done:
            if done.code not in (None, 0):
                failed.append(f"{script.name} (exit {done.code})")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
