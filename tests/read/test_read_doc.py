""".doc through LibreOffice: a real conversion where it is installed, a clear error where not."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document

from vbqppl.errors import MissingToolError
from vbqppl.read import doc as doc_reader
from vbqppl.read import read_bytes

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NO_LIBREOFFICE = "LibreOffice không được cài (apt-get install libreoffice-writer)"


def test_missing_libreoffice_is_a_missing_tool_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    with pytest.raises(MissingToolError) as info:
        read_bytes(OLE2 + bytes(1024), name="cu.doc")
    message = str(info.value)
    assert "apt-get install libreoffice-writer" in message
    assert "cu.doc" in message and "\n" not in message


def test_doc_converted_by_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soffice = doc_reader.find_soffice()
    if soffice is None:
        pytest.skip(NO_LIBREOFFICE)
    d = Document()
    d.add_paragraph("Điều 1. Phạm vi điều chỉnh")
    d.add_paragraph("Nghị định này quy định chi tiết.")
    buf = io.BytesIO()
    d.save(buf)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "vb.docx"
        src.write_bytes(buf.getvalue())
        profile = (Path(tmp) / "profile").as_uri()
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
             "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        data = (Path(tmp) / "vb.doc").read_bytes()
    assert data.startswith(OLE2)
    # A private temporary folder: other processes converting .doc files at the same time must not
    # make "nothing left behind" fail or pass by accident.
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    raw = read_bytes(data, name="vb.doc")
    assert raw.format == "doc"
    assert raw.text.split("\n") == [
        "Điều 1. Phạm vi điều chỉnh",
        "Nghị định này quy định chi tiết.",
    ]
    assert any("LibreOffice" in n for n in raw.notes)
    assert list(private.iterdir()) == []  # nothing left behind
