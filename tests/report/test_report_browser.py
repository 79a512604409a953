"""The HTML report in a real headless browser (Chromium from Debian's packages): it renders,
its filter script runs, and the page logs nothing to the console (no script error, no blocked
network request). Skipped when Chromium is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report.conftest import DemoRun
from vbqppl.report import REPORT_FILES

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="không có Chromium (apt-get install chromium)"
)


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_html_report_renders_without_console_errors(demo_run: DemoRun, tmp_path: Path) -> None:
    page = (demo_run.out / REPORT_FILES["html"]).resolve().as_uri()
    done = _chromium("--dump-dom", page)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    # the filter script ran: it filled in the count of findings shown
    m = re.search(r'id="f-count"[^>]*>Hiện (\d+)/(\d+) vấn đề<', done.stdout)
    assert m and m[1] == m[2] and int(m[2]) > 0
    shot = tmp_path / "report.png"
    _chromium("--hide-scrollbars", "--window-size=1280,1800", f"--screenshot={shot}", page)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
