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


# --- the fast paths of finish_text and detect_legacy, held to their plain definitions -----------

# Characters finish_text replaces or drops, spaces and tabs before line breaks, runs of blank
# lines, legacy evidence (TCVN3, VNI marks and letters, private-use letters) and Vietnamese.
_ODD = st.lists(
    st.sampled_from(
        [
            *" \t\n\r\u2028\u2029\x0b\x0c\u00a0\u2003\u200b\ufeff\x85\x96\x93aêĐ¸µ¶·øûñÖ\uf0b8\uf041",
            "Lo¹i",
            "n¨m",
            "Ñaø",
            "ngăn",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_ODD)
def test_finish_text_is_its_plain_definition(text: str) -> None:
    from vbqppl.read import _BLANKS, _LINE_SEPARATORS, _TRAILING, finish_text

    plain = unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_LINE_SEPARATORS))
    plain = _BLANKS.sub("\n\n\n", _TRAILING.sub("", plain)).strip("\n")
    assert finish_text(text) == plain


@settings(max_examples=300, deadline=None)
@given(_ODD)
def test_legacy_evidence_counted_in_one_scan_is_counted_right(text: str) -> None:
    from vbqppl.read.legacy import (
        _VNI_MARKS,
        _VNI_PAIR,
        _VNI_SINGLES,
        _scan,
        _tally,
        _tcvn3_evidence,
    )

    tcvn = sum(c in _tcvn3_evidence() for c in text)
    vni = len(_VNI_PAIR.findall(text)) + sum(c in _VNI_SINGLES for c in text)
    assert _tally(text, _scan(text)) == (tcvn, vni)
    assert set(_VNI_MARKS) <= set(_scan("".join(_VNI_MARKS)))
