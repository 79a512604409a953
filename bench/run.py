"""``make bench``: run every benchmark script in bench/ and print its figures."""

from __future__ import annotations

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in [
    *sorted(HERE.glob("bench_*.py")),
    HERE / "eval_parse.py",
    HERE / "eval_validity.py",
    HERE / "eval_resolution.py",
]:
    print(f"\n=== {script.name} ===", flush=True)
    runpy.run_path(str(script), run_name="__main__")
