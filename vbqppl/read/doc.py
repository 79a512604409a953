"""Old binary Word (.doc), RTF and OpenDocument text: converted to .docx by LibreOffice.

``soffice --headless --convert-to docx`` runs in a fresh temporary directory (input, output and
a throw-away LibreOffice profile, so parallel runs do not fight over the user's profile), with
a time limit; the directory is always removed. The .docx it writes is then read like any other
(safety checks included).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from vbqppl.errors import MissingToolError, ReadError

TIMEOUT_SECONDS = 120
_EXT = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt"}


def find_soffice() -> str | None:
    for exe in ("soffice", "libreoffice"):
        path = shutil.which(exe)
        if path:
            return path
    return None


def convert_to_docx(
    data: bytes, name: str, fmt: str = "doc", *, timeout: float = TIMEOUT_SECONDS
) -> bytes:
    """Return the bytes of the .docx LibreOffice makes from ``data``."""
    soffice = find_soffice()
    if soffice is None:
        raise MissingToolError(
            f"Cần LibreOffice để đọc tệp {_EXT.get(fmt, '.doc')} nhưng không tìm thấy lệnh "
            f"soffice/libreoffice (cài bằng: apt-get install libreoffice-writer): {name}"
        )
    with tempfile.TemporaryDirectory(prefix="vbqppl-doc-", ignore_cleanup_errors=True) as tmp:
        tmpdir = Path(tmp)
        source = tmpdir / f"input{_EXT.get(fmt, '.doc')}"
        source.write_bytes(data)
        outdir = tmpdir / "out"
        outdir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={(tmpdir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            "docx",
            "--outdir",
            str(outdir),
            str(source),
        ]
        try:
            proc = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=tmp,
            )
        except OSError as err:
            raise MissingToolError(
                f"Không chạy được LibreOffice ({soffice}): {err.strerror}; "
                f"cài lại bằng: apt-get install libreoffice-writer"
            ) from err
        try:
            proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as err:
            _kill_group(proc)
            raise ReadError(
                f"LibreOffice không chuyển xong tệp trong {timeout:g} giây: {name}"
            ) from err
        result = outdir / "input.docx"
        if proc.returncode != 0 or not result.is_file():
            raise ReadError(f"LibreOffice không chuyển được tệp sang .docx (tệp hỏng?): {name}")
        return result.read_bytes()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the LibreOffice process group this call started (and only that one)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()
