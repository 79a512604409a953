"""Plain-text decoding: encodings, mojibake, legacy bytes, line ends, NFC."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from vbqppl.read import read_bytes
from vbqppl.rules import load_rules

TEXT = "Điều 1. Phạm vi điều chỉnh\nNghị định này quy định chi tiết một số điều của Luật."
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 keeps tone marks as combining characters after the base letter."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            tone = "".join(c for c in parts if c in TONES)
            out.append(base.encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


def tcvn3(text: str) -> bytes:
    table = load_rules("legacy_tcvn3")["letters"]
    return bytes(table.get(c, table.get(c.lower(), ord(c))) for c in text)


def vni(text: str) -> bytes:
    table = load_rules("legacy_vni")["letters"]
    return "".join(table.get(c, c) for c in text).encode("latin-1")


def mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252 (undefined bytes kept as C1 characters), as editors do."""
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )


CASES = [
    # (id, bytes, expected encoding, a note that must be there or None)
    ("utf8", TEXT.encode("utf-8"), "utf-8", None),
    ("utf8-bom", codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", None),
    ("utf16-le-bom", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", "UTF-16"),
    ("utf16-be-bom", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", "UTF-16"),
    ("utf16-le-no-bom", TEXT.encode("utf-16-le"), "utf-16-le", "không có BOM"),
    ("cp1258", cp1258(TEXT), "cp1258", "Windows-1258"),
    ("tcvn3-bytes", tcvn3(TEXT), "tcvn3", "TCVN3"),
    ("vni-bytes", vni(TEXT), "vni", "VNI"),
    ("tcvn3-as-utf8", tcvn3(TEXT).decode("latin-1").encode("utf-8"), "utf-8", "TCVN3"),
    ("vni-as-utf8", vni(TEXT).decode("latin-1").encode("utf-8"), "utf-8", "VNI"),
    ("mojibake", mojibake(TEXT).encode("utf-8"), "utf-8", "mã hoá kép"),
    ("crlf", TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8", None),
    ("nfd", unicodedata.normalize("NFD", TEXT).encode("utf-8"), "utf-8", None),
]


@pytest.mark.parametrize(
    ("data", "encoding", "note"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_text_decodes_to_the_same_unicode(data: bytes, encoding: str, note: str | None) -> None:
    raw = read_bytes(data, name="vb.txt")
    assert raw.text == TEXT
    assert raw.encoding == encoding
    assert raw.format == "txt"
    if note:
        assert any(note in n for n in raw.notes), raw.notes
    else:
        assert not any("TCVN3" in n or "VNI" in n or "kép" in n for n in raw.notes)


def test_mojibake_example_from_the_issue() -> None:
    # "Điều" as UTF-8 bytes read as cp1252: 0x90 and 0x81 are undefined there and stay C1.
    assert mojibake("Điều") == "Ä\x90iá»\x81u"
    raw = read_bytes("Ä\x90iá»\x81u 1. Pháº¡m vi Ä‘iá»\x81u chá»‰nh".encode(), name="a.txt")
    assert raw.text == "Điều 1. Phạm vi điều chỉnh"


def test_a_genuine_latin1_text_is_not_repaired() -> None:
    text = "Café crème, naïve façade — « Ê” » QUÊ… Ñ"
    assert read_bytes(text.encode("utf-8"), name="a.txt").text == text


def test_provenance_fields() -> None:
    import hashlib

    data = TEXT.encode("utf-8")
    raw = read_bytes(data, name="x/vb.txt")
    assert raw.path == "x/vb.txt"
    assert raw.sha256 == hashlib.sha256(data).hexdigest()
    assert raw.footnotes == ()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("a  \nb\t\n", "a\nb"),  # trailing white space
        ("a\n\n\n\n\n\nb", "a\n\n\nb"),  # at most two blank lines
        ("a\u2028b\u2029c\x0bd\x0ce", "a\nb\nc\nd\ne"),  # other line separators
        ("a\u00a0b\u202fc\u2009d", "a b c d"),  # fixed-width spaces
        ("a\u200bb\ufeffc", "abc"),  # zero-width characters
        ("TT\ufffeBLĐTBXH", "TT-BLĐTBXH"),  # pdfium's hyphen
        ("x\x85y", "x…y"),  # C1 control: its cp1252 meaning, never a line break
        ("\n\nĐiều 1.\n\n", "Điều 1."),
    ],
)
def test_finishing(given: str, expected: str) -> None:
    assert read_bytes(given.encode("utf-8"), name="t.txt").text == expected
