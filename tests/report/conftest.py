"""One `vbqppl run corpus --out DIR` for the report tests: the store and every file it writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
AT = "2026-11-28"


@dataclass(frozen=True)
class DemoRun:
    out: Path
    db: Path
    stdout: str
    exit_code: int


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    out = tmp_path_factory.mktemp("bao-cao")
    result = CliRunner().invoke(
        app, ["run", str(CORPUS), "--out", str(out), "--at", AT, "-q", "-j", "1"]
    )
    assert "Traceback" not in result.output, result.output
    return DemoRun(out, out / "vbqppl.db", result.stdout, result.exit_code)
