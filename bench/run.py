"""``make bench``: run every benchmark script in bench/ and print its figures."""

from __future__ import annotations

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    for script in [
        *sorted(HERE.glob("bench_*.py")),
        HERE / "eval_parse.py",
        HERE / "eval_validity.py",
        HERE / "eval_resolution.py",
    ]:
        print(f"\n=== {script.name} ===", flush=True)
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as done:  # a script's own exit must not end the others
            if done.code not in (None, 0):
                print(f"{script.name} exited with {done.code}")


if __name__ == "__main__":  # ingest's worker processes import this module again
    main()
