"""``make bench``: run every benchmark script in bench/ and print its figures.

A script that ends with ``raise SystemExit(main())`` must not end the run: its exit status is
caught, reported when not zero, and the run goes on; ``make bench`` fails if any script did.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [*sorted(HERE.glob("bench_*.py")), *sorted(HERE.glob("eval_*.py"))]


def main() -> int:
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
