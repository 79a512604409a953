"""Contracts of the read stage on arbitrary input (Hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from vbqppl.errors import ReadError
from vbqppl.read import read_bytes
from vbqppl.read.legacy import detect_legacy

NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.docx", "a.pdf", "a.doc", "a.json", "a"])
PREFIXES = st.sampled_from(
    [b"", b"PK\x03\x04", b"%PDF-1.4\n", b"<html>", b"\x1f\x8b", b"\xef\xbb\xbf", b"\xff\xfe"]
)


@settings(max_examples=150, deadline=None)
@given(prefix=PREFIXES, body=st.binary(max_size=2000), name=NAMES)
def test_any_bytes_give_text_or_a_read_error(prefix: bytes, body: bytes, name: str) -> None:
    # LibreOffice (.doc/.rtf) is tested in test_read_doc.py; keep it out of this loop.
    data = prefix + body.replace(b"\xd0\xcf\x11\xe0", b"").replace(b"{\\rtf", b"")
    try:
        raw = read_bytes(data, name=name)
    except ReadError as err:
        assert "\n" not in str(err) and str(err)
        return
    assert raw.text == unicodedata.normalize("NFC", raw.text)
    assert "\r" not in raw.text
    assert raw.text.strip()


VIETNAMESE = st.text(
    alphabet=st.sampled_from(
        list(
            "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ĐƯƠ.,;:\n1234567890"
        )
    ),
    min_size=1,
    max_size=400,
)


@settings(max_examples=200, deadline=None)
@given(text=VIETNAMESE)
def test_unicode_vietnamese_is_never_legacy_and_reads_back_unchanged(text: str) -> None:
    assert detect_legacy(text) is None
    if text.strip():
        out = read_bytes(text.encode("utf-8"), name="t.txt").text
        assert " ".join(out.split()) == " ".join(unicodedata.normalize("NFC", text).split())
