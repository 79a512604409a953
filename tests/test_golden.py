from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import corpus_files, golden_path, render

FILES = corpus_files()


def test_corpus_is_there() -> None:
    assert len(FILES) >= 12


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_golden(path: Path) -> None:
    expected = golden_path(path)
    assert expected.exists(), f"no golden file for {path.name}: run `make golden` and review it"
    assert render(path) == expected.read_text(encoding="utf-8"), (
        f"{path.name} parses differently from its golden file: review the diff, then `make golden`"
    )
