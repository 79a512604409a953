from __future__ import annotations

import os

import pytest

# the commands the tests start run here, never through a `vbqppl serve` a developer left running
# (tests/test_serve.py starts its own)
os.environ["VBQPPL_NO_SERVER"] = "1"

from tests.evaluation import real_corpus_present


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if real_corpus_present():
        return
    skip = pytest.mark.skip(reason="../shared/corpus-real không có (real corpus absent)")
    for item in items:
        if "realcorpus" in item.keywords:
            item.add_marker(skip)
