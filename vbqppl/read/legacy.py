"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC and VNI) to Unicode.

Both encodings predate Unicode and live on in old Word files and text copied out of them. The
legacy bytes are usually seen as Latin-1 characters (that is how Word stores a run in a
``.VnTime`` or ``VNI-Times`` font, and how a legacy ``.txt`` file decodes as cp1252), so the
functions here take and return ``str``: each legacy byte is the character with the same code
point (U+0080-U+00FF). The tables are data, in ``rules/legacy_tcvn3.yaml`` and
``rules/legacy_vni.yaml``.

``detect_legacy`` decides by counting code points that only a legacy text has:

* TCVN3 puts its most frequent letters (đ ư ơ ă â ê ô à á ả ã ạ ...) in 0xA1-0xBF, which VNI never
  uses and Vietnamese Unicode text uses only for stray symbols (« » § ©).
* VNI writes a letter as a vowel followed by a mark byte; the marks ø û ï ä å ë ü (and their
  capitals) are not Vietnamese letters, and ñ (đ), ö (ư), æ (ỉ), î (ỵ) are frequent.

Unicode Vietnamese text always has letters above U+00FF (đ ư ơ ạ ế ...) which no legacy text
has; when those are present in any number the text is Unicode and nothing is detected.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Literal

from vbqppl.rules import load_rules

LegacyKind = Literal["tcvn3", "vni"]

__all__ = [
    "LegacyKind",
    "detect_legacy",
    "font_legacy_kind",
    "tcvn3_to_unicode",
    "vni_to_unicode",
]

# Minimum evidence before calling a text legacy: this many characteristic characters, and at
# least this share of the non-space characters.
_MIN_HITS = 3
_MIN_SHARE = 0.02

_VI_VOWELS = "aeiouyAEIOUY"
# Vietnamese letters that Unicode shares with Latin-1.
VI_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# VNI mark bytes that are not Vietnamese letters themselves (so they never follow a vowel in
# Unicode text).
_VNI_MARKS = "øûïäåëüØÛÏÄÅËÜ"
_VNI_SINGLES = "ñÑöÖæÆîÎ"
_VNI_PAIR = re.compile(f"[{_VI_VOWELS}ôÔöÖ][{_VNI_MARKS}]")


@dataclass(frozen=True, slots=True)
class _Table:
    decode: dict[str, str]  # legacy sequence -> Unicode letter
    longest: int
    chars: frozenset[str]  # every legacy character the table uses
    font_prefixes: tuple[str, ...]
    upper_suffix: str | None


@cache
def _tcvn3() -> _Table:
    data = load_rules("legacy_tcvn3")
    decode = {chr(int(code)): letter for letter, code in data["letters"].items()}
    return _Table(
        decode=decode,
        longest=1,
        chars=frozenset(decode),
        font_prefixes=tuple(p.lower() for p in data["font_prefixes"]),
        upper_suffix=str(data["uppercase_font_suffix"]).lower(),
    )


@cache
def _vni() -> _Table:
    data = load_rules("legacy_vni")
    decode = {str(seq): letter for letter, seq in data["letters"].items()}
    return _Table(
        decode=decode,
        longest=max(len(s) for s in decode),
        chars=frozenset("".join(decode)) - frozenset("aeiouyAEIOUY"),
        font_prefixes=tuple(p.lower() for p in data["font_prefixes"]),
        upper_suffix=None,
    )


@cache
def _tcvn3_evidence() -> frozenset[str]:
    """TCVN3 characters VNI never produces and Unicode Vietnamese does not use as letters."""
    vni = _vni().chars
    return frozenset(
        c for c in _tcvn3().chars if c not in vni and c not in VI_LATIN1 and 0xA1 <= ord(c) <= 0xFF
    )


_PUA = re.compile("[\uf000-\uf0ff]")


def _unfold_pua(text: str) -> str:
    # Word may store the text of a symbol-charset font as U+F000 + byte; legacy letters then sit
    # in U+F0A0-U+F0FF.
    if _PUA.search(text) is None:  # one scan in C, not a Python loop over every character
        return text
    return "".join(chr(ord(c) - 0xF000) if "\uf0a0" <= c <= "\uf0ff" else c for c in text)


def tcvn3_to_unicode(text: str, *, upper: bool = False) -> str:
    """Convert TCVN3 (ABC) text, seen as Latin-1 characters, to Unicode NFC.

    ``upper=True`` is for text set in an all-caps ``.Vn...H`` font, where lower-case codes are
    drawn as capitals (TCVN3 has no capital letters with tone marks of its own).
    """
    table = _tcvn3().decode
    out = "".join(table.get(c, c) for c in _unfold_pua(text))
    if upper:
        out = out.upper()
    return unicodedata.normalize("NFC", out)


def vni_to_unicode(text: str) -> str:
    """Convert VNI text, seen as Latin-1 characters, to Unicode NFC (longest match first)."""
    t = _vni()
    text = _unfold_pua(text)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(t.longest, n - i), 0, -1):
            letter = t.decode.get(text[i : i + size])
            if letter is not None:
                out.append(letter)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return unicodedata.normalize("NFC", "".join(out))


UNICODE_VI_CLASS = (
    "\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
    "\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323"
)
_UNICODE_VI_RE = re.compile(f"[{UNICODE_VI_CLASS}]")


def is_unicode_vietnamese(c: str) -> bool:
    """A Vietnamese letter (or tone mark) above U+00FF, which no legacy text contains."""
    return _UNICODE_VI_RE.match(c) is not None


def _count(pattern: re.Pattern[str], text: str) -> int:
    return pattern.subn("", text)[1]


@cache
def _evidence_chars() -> tuple[re.Pattern[str], frozenset[str], frozenset[str], frozenset[str]]:
    """One character class for every character :func:`_tally` counts and the private-use ones
    :func:`_unfold_pua` moves, and the sets of the counted ones."""
    tcvn = frozenset(_tcvn3_evidence())
    singles, marks = frozenset(_VNI_SINGLES), frozenset(_VNI_MARKS)
    chars = re.escape("".join(sorted(tcvn | singles | marks)))
    return re.compile(f"[{chars}\uf000-\uf0ff]"), tcvn, singles, marks


def _scan(text: str) -> Counter[str]:
    """How often each character of :func:`_evidence_chars`' class occurs: one scan in C."""
    return Counter(_evidence_chars()[0].findall(text))


def _tally(text: str, found: Counter[str]) -> tuple[int, int]:
    """(TCVN3 evidence, VNI evidence) from :func:`_scan`'s count. A VNI pair is a vowel then
    a VNI mark: the vowels are everywhere, the marks rare, so the pairs are looked for only
    when a mark occurs at all."""
    _, tcvn, singles, marks = _evidence_chars()
    pairs = _count(_VNI_PAIR, text) if not marks.isdisjoint(found) else 0
    count = found.__getitem__
    return sum(map(count, tcvn & found.keys())), pairs + sum(map(count, singles & found.keys()))


def _visible(text: str) -> int:
    return len(text) - text.count(" ") - text.count("\n")


def legacy_scores(text: str) -> tuple[int, int, int, int]:
    """(Unicode Vietnamese letters, TCVN3 evidence, VNI evidence, non-space characters)."""
    tcvn, vni = _tally(text, _scan(text))
    return _count(_UNICODE_VI_RE, text), tcvn, vni, _visible(text)


_SYLLABLE = re.compile(
    r"""
    (?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnpqrstvx])?  # initial consonant(s)
    [aăâeêioôơuưy]{1,3}                                          # vowel nucleus, tone removed
    (?:ch|nh|ng|[cmnpt])?                                        # final consonant(s)
    """,
    re.VERBOSE,
)
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")
_SAMPLE_WORDS = 3000
_MIN_VALID = 0.6


def _is_syllable(word: str) -> bool:
    parts = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_MARKS for c in parts) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(toneless) is not None


def _plausible(text: str, kind: LegacyKind) -> bool:
    """Do the words the conversion changes become Vietnamese syllables?"""
    table = _tcvn3() if kind == "tcvn3" else _vni()
    convert = tcvn3_to_unicode if kind == "tcvn3" else vni_to_unicode
    valid = total = 0
    for word in text.split():
        if not any(c in table.chars for c in word):
            continue
        for run in _LETTER_RUN.findall(convert(word)):
            if run.isascii():
                continue
            total += 1
            valid += _is_syllable(run)
        if total >= _SAMPLE_WORDS:
            break
    return total > 0 and valid >= _MIN_VALID * total


def detect_legacy(text: str) -> LegacyKind | None:
    """Tell whether ``text`` is TCVN3 or VNI seen as Latin-1 characters; ``None`` otherwise.

    Unicode Vietnamese text is never reported: its letters above U+00FF outnumber any
    legacy-looking characters it may contain. A candidate must also convert into Vietnamese
    syllables (most changed words must read as initial + vowels + final), which keeps
    French or German text with « » ç ñ ö out.
    """
    found = _scan(text)
    if any("\uf000" <= c <= "\uf0ff" for c in found):
        text = _unfold_pua(text)
        found = _scan(text)
    tcvn, vni = _tally(text, found)
    best = max(tcvn, vni)
    if best < _MIN_HITS or best < _MIN_SHARE * _visible(text):
        return None  # (Unicode letters, counted last, are most of a Vietnamese text)
    if _count(_UNICODE_VI_RE, text) * 4 >= best:
        return None
    kind: LegacyKind = "tcvn3" if tcvn >= vni else "vni"
    return kind if _plausible(text, kind) else None


def font_legacy_kind(font: str | None) -> str | None:
    """``"tcvn3"``, ``"tcvn3-upper"`` (an all-caps ``.Vn...H`` font), ``"vni"`` or ``None``."""
    if not font:
        return None
    name = font.strip().lower()
    tc = _tcvn3()
    if name.startswith(tc.font_prefixes):
        return "tcvn3-upper" if tc.upper_suffix and name.endswith(tc.upper_suffix) else "tcvn3"
    if name.startswith(_vni().font_prefixes):
        return "vni"
    return None


def convert_legacy(text: str, kind: str) -> str:
    """Convert ``text`` of a legacy ``kind`` as returned by the detectors above."""
    if kind == "vni":
        return vni_to_unicode(text)
    if kind in ("tcvn3", "tcvn3-upper"):
        return tcvn3_to_unicode(text, upper=kind == "tcvn3-upper")
    raise ValueError(f"unknown legacy encoding {kind!r}")
