"""TCVN3 and VNI tables: round trips over every Vietnamese letter, detection, real texts."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from vbqppl.read.legacy import (
    detect_legacy,
    font_legacy_kind,
    tcvn3_to_unicode,
    vni_to_unicode,
)
from vbqppl.rules import load_rules

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus-real"

TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = "aăâeêioôơuưy"


def _all_letters() -> list[str]:
    lower = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
    lower = [c for c in lower if c not in "aeiouy"] + ["đ"]
    return lower


LOWER = _all_letters()
UPPER = [c.upper() for c in LOWER]


def test_there_are_134_vietnamese_letters() -> None:
    assert len(set(LOWER)) == 67
    assert len(set(LOWER + UPPER)) == 134


# -- encoders written from the same tables, for the round trips -----------------------------


def tcvn3_encode(text: str) -> str:
    """Unicode -> TCVN3 (as Latin-1 characters); capitals with tone marks take the lower code."""
    table = {k: chr(v) for k, v in load_rules("legacy_tcvn3")["letters"].items()}
    return "".join(table.get(c, table.get(c.lower(), c)) for c in text)


def vni_encode(text: str) -> str:
    table = load_rules("legacy_vni")["letters"]
    return "".join(table.get(c, c) for c in text)


SAMPLE = "Điều 5. Chương II. Cộng hòa xã hội chủ nghĩa Việt Nam. Ủy ban nhân dân tỉnh Hà Tĩnh."


def test_tcvn3_table_has_every_lower_case_letter_and_the_seven_capitals() -> None:
    table = load_rules("legacy_tcvn3")["letters"]
    assert set(LOWER) <= set(table)
    assert {"Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"} <= set(table)
    codes = list(table.values())
    assert len(codes) == len(set(codes)) == 74
    assert all(0xA1 <= c <= 0xFE for c in codes)


def test_vni_table_has_all_134_letters_with_distinct_sequences() -> None:
    table = load_rules("legacy_vni")["letters"]
    assert set(table) == set(LOWER + UPPER)
    assert len(set(table.values())) == 134
    assert all(all(ord(ch) < 0x100 for ch in seq) for seq in table.values())


def test_tcvn3_round_trip_lower_case_and_plain_capitals() -> None:
    text = " ".join(LOWER) + " Ă Â Ê Ô Ơ Ư Đ " + "abc XYZ 123."
    encoded = tcvn3_encode(text)
    assert all(ord(c) < 0x100 for c in encoded)
    assert tcvn3_to_unicode(encoded) == text


def test_tcvn3_round_trip_capitals_through_an_all_caps_font() -> None:
    text = " ".join(UPPER)
    # TCVN3 has no codes for capitals with tone marks: a .VnTimeH run holds the lower codes.
    assert tcvn3_to_unicode(tcvn3_encode(text.lower()), upper=True) == text


def test_vni_round_trip_every_letter_upper_and_lower() -> None:
    text = " ".join(LOWER + UPPER) + " abc XYZ 123. " + "".join(LOWER) + "".join(UPPER)
    encoded = vni_encode(text)
    assert all(ord(c) < 0x100 for c in encoded)
    assert vni_to_unicode(encoded) == text


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("Ch\xad\xacng I", "Chương I"),
        ("\xa7i\xd2u 1. Ph\xb9m vi \xaei\xd2u ch\xd8nh", "Điều 1. Phạm vi điều chỉnh"),
        ("H\xb5 N\xe9i, ng\xb5y 05 th\xb8ng 3 n\xa8m 2001", "Hà Nội, ngày 05 tháng 3 năm 2001"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("\uf0a7i\uf0d2u", "Điều"),  # symbol-font private-use code points
    ],
)
def test_tcvn3_known_strings(legacy: str, expected: str) -> None:
    assert tcvn3_to_unicode(legacy) == expected


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("Ñieàu 1. Phaïm vi ñieàu chænh", "Điều 1. Phạm vi điều chỉnh"),
        ("Chöông II", "Chương II"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("QUYEÁT ÑÒNH", "QUYẾT ĐỊNH"),
        ("Thuû töôùng Chính phuû", "Thủ tướng Chính phủ"),
    ],
)
def test_vni_known_strings(legacy: str, expected: str) -> None:
    assert vni_to_unicode(legacy) == expected


def test_output_is_nfc() -> None:
    out = vni_to_unicode(vni_encode(SAMPLE))
    assert out == unicodedata.normalize("NFC", out) == SAMPLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (tcvn3_encode(SAMPLE), "tcvn3"),
        (vni_encode(SAMPLE), "vni"),
        (tcvn3_encode(SAMPLE.upper().lower()), "tcvn3"),
        (vni_encode(SAMPLE.upper()), "vni"),
        (SAMPLE, None),
        (unicodedata.normalize("NFD", SAMPLE), None),
        (SAMPLE + " « trích » § 3 © 2024 ½", None),
        ("Hà Nội, Bé Ánh, ý kiến, có, là, và, được", None),
        ("Plain ASCII text without any accents at all.", None),
        ("Café crème brûlée, naïve façade, Zürich, Ørsted, señor", None),
        ("", None),
        ("§ 1", None),
    ],
)
def test_detect_legacy(text: str, expected: str | None) -> None:
    assert detect_legacy(text) == expected


def test_unicode_text_quoting_some_legacy_text_stays_unicode() -> None:
    text = SAMPLE * 20 + tcvn3_encode(SAMPLE)
    assert detect_legacy(text) is None


@pytest.mark.parametrize(
    ("font", "kind"),
    [
        (".VnTime", "tcvn3"),
        (".VnTimeH", "tcvn3-upper"),
        (".VnArialH", "tcvn3-upper"),
        (".VnArial Narrow", "tcvn3"),
        ("VNI-Times", "vni"),
        ("VNI-Helve-Condense", "vni"),
        ("Times New Roman", None),
        ("Arial", None),
        (None, None),
    ],
)
def test_font_legacy_kind(font: str | None, kind: str | None) -> None:
    assert font_legacy_kind(font) == kind


@pytest.mark.realcorpus
def test_detect_legacy_never_fires_on_the_real_unicode_texts() -> None:
    texts = sorted((REAL / "texts").glob("*.txt")) if REAL.is_dir() else []
    if not texts:
        pytest.skip("../shared/corpus-real/texts không có (real corpus absent)")
    fired = [p.name for p in texts if detect_legacy(p.read_text(encoding="utf-8")) is not None]
    assert fired == []
    # The same texts encoded in TCVN3 / VNI are recognised (every 10th, to keep the test fast).
    missed = []
    for p in texts[::10]:
        text = p.read_text(encoding="utf-8")
        if detect_legacy(tcvn3_encode(text)) != "tcvn3" or detect_legacy(vni_encode(text)) != "vni":
            missed.append(p.name)
    assert missed == []
