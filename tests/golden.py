"""Golden files: the document JSON of every demo-corpus document, reviewed when it changes.

``make golden`` (``python -m tests.golden --update``) rewrites them; ``tests/test_golden.py``
compares. A diff in a golden file is a change in the public contract's output: review it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vbqppl.parse import parse_document
from vbqppl.read import read_file

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "tests" / "golden"


def corpus_files() -> list[Path]:
    return sorted(
        p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md"
    )


def render(path: Path) -> str:
    doc = parse_document(read_file(path), path=path.relative_to(ROOT).as_posix())
    return json.dumps(doc.to_json(), ensure_ascii=False, indent=1) + "\n"


def golden_path(path: Path) -> Path:
    return GOLDEN / f"{path.name}.json"


def update() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for path in corpus_files():
        golden_path(path).write_text(render(path), encoding="utf-8")
        print(f"đã ghi {golden_path(path).relative_to(ROOT)}")


if __name__ == "__main__":
    if "--update" in sys.argv:
        update()
    else:
        print("usage: python -m tests.golden --update")
