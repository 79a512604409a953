"""Features of a provision that conflict checks compare: its quantities, modality and subject.

:func:`quantities` finds time limits, amounts of money, percentages, ages and areas with their
spans; :func:`modality` says whether a provision obliges, permits or prohibits; and
:func:`subject_terms` gives the content phrases that tell what matter it is about, so that two
provisions on the same matter can be lined up before their quantities or modalities are compared.
Patterns and the stop list live in ``rules/provisions.yaml`` with their examples.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from vbqppl.model import Span
from vbqppl.rules import fold, folded, load_rules


@cache
def _rx(name: str) -> re.Pattern[str]:
    """A pattern of ``rules/provisions.yaml``, for :func:`~vbqppl.rules.fold`-ed text (the
    case-insensitive ones written in lower case, :func:`~vbqppl.rules.folded`)."""
    pattern = load_rules("provisions")[name]["pattern"]
    return folded(pattern) if pattern.startswith("(?i)") else re.compile(pattern)


# --- quantities -------------------------------------------------------------------------------

# unit as printed (lower case, spaces collapsed) -> (kind, canonical unit, factor to it)
_UNITS: dict[str, tuple[str, str, float]] = {
    "ngày làm việc": ("duration", "working_day", 1),
    "ngày": ("duration", "day", 1),
    "tuần": ("duration", "week", 1),
    "tháng": ("duration", "month", 1),
    "năm": ("duration", "year", 1),
    "giờ": ("duration", "hour", 1),
    "đồng": ("money", "dong", 1),
    "đ": ("money", "dong", 1),
    "vnđ": ("money", "dong", 1),
    "vnd": ("money", "dong", 1),
    "%": ("percent", "percent", 1),
    "phần trăm": ("percent", "percent", 1),
    "tuổi": ("age", "year", 1),
    "m2": ("area", "m2", 1),
    "m²": ("area", "m2", 1),
    "mét vuông": ("area", "m2", 1),
    "km2": ("area", "m2", 1_000_000),
    "km²": ("area", "m2", 1_000_000),
    "ha": ("area", "m2", 10_000),
}
_MULTIPLIERS = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_DIGIT_WORDS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_LOOKBACK = 80


@dataclass(frozen=True, slots=True)
class Quantity:
    """A typed value found in a provision.

    ``kind`` is ``duration``, ``money``, ``percent``, ``age`` or ``area``. ``unit`` is canonical:
    ``working_day`` / ``day`` / ``week`` / ``month`` / ``year`` / ``hour`` for durations (working
    days and calendar days are different units and are never converted), ``dong`` for money
    (multipliers applied: "2 triệu đồng" is 2,000,000), ``percent``, ``year`` for ages, ``m2``
    for areas (hectares and km² converted). ``low == high`` except for a range ("từ 1.000.000
    đồng đến 2.000.000 đồng"). ``bound`` is ``at_most`` ("không quá", "tối đa", "trong thời
    hạn", "đến", "trở xuống"), ``at_least`` ("ít nhất", "đủ", "trở lên"), ``under`` ("dưới"),
    ``over`` ("trên"), ``range``, or ``None`` for a plain value. ``per`` is what an amount is
    counted per ("người/khóa học"). ``span`` indexes the text given to :func:`quantities` (read
    as NFC, which a parsed document's text already is).
    """

    kind: str
    unit: str
    low: float
    high: float
    bound: str | None
    span: Span
    text: str
    per: str | None = None

    @property
    def value(self) -> float:
        """The single value (the upper end of a range)."""
        return self.high

    def comparable(self, other: Quantity) -> bool:
        """Whether the two measure the same thing in the same unit (and per the same thing)."""
        return (self.kind, self.unit, self.per) == (other.kind, other.unit, other.per)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "bound": self.bound,
            "span": self.span.to_json(),
            "text": self.text,
            "per": self.per,
        }


def parse_number(text: str) -> float:
    """A number as Vietnamese legal texts print it: ``4.000.000``, ``1,5``, ``05``, ``0.5``."""
    t = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        return float(t.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", t):
        return float(t.replace(",", "."))
    raise ValueError(f"không đọc được số: {text!r}")


def parse_number_words(text: str) -> int:
    """Vietnamese number words: "mười lăm" 15, "ba mươi" 30, "hai mươi mốt" 21, "một trăm linh
    năm" 105, "một nghìn hai trăm" 1200."""
    total = 0
    small = 0  # the part below a hundred being read
    words = text.lower().split()
    if not words:
        raise ValueError("không có số")
    for w in words:
        if w in _DIGIT_WORDS:
            small += _DIGIT_WORDS[w]
        elif w == "mười":
            small += 10
        elif w == "mươi":
            small *= 10
        elif w == "trăm":
            total += small * 100
            small = 0
        elif w in ("nghìn", "ngàn"):
            total = (total + small) * 1000
            small = 0
        elif w in ("linh", "lẻ"):
            continue
        else:
            raise ValueError(f"không phải số đọc bằng chữ: {text!r}")
    return total + small


def _unit_key(raw: str) -> str:
    key = " ".join(raw.lower().split())
    if key.startswith(("héc", "hec")):
        return "ha"
    return key


def _amount(m: re.Match[str]) -> float:
    if m.group("num"):
        value = parse_number(m.group("num"))
    else:
        value = float(parse_number_words(m.group("words")))
    mult = m.group("mult")
    return value * (_MULTIPLIERS[mult.lower()] if mult else 1)


def quantities(text: str) -> list[Quantity]:
    """Time limits, money, percentages, ages and areas in ``text``, in order, with their spans.

    Dates are not durations ("ngày 15 tháng 3 năm 2024" gives nothing); a range whose ends are
    both written ("từ 1.000.000 đồng đến 2.000.000 đồng", "từ 1.000.000 đến 2.000.000 đồng",
    "từ đủ 15 tuổi đến dưới 18 tuổi") is one quantity.
    """
    text = unicodedata.normalize("NFC", text)
    found: list[Quantity] = []
    folded_text = fold(text)  # the patterns' subject; the quantities' text is the text's own
    for m in _rx("quantity").finditer(folded_text):
        kind, unit, factor = _UNITS[_unit_key(m.group("unit"))]
        value = _amount(m) * factor
        start, end = m.start(), m.end()
        low, bound = value, None
        before = folded_text[max(0, start - _LOOKBACK) : start]
        head = _rx("range_head").search(before)
        if head is not None:
            head_mult = head.group("mult") or m.group("mult")
            low = parse_number(head.group("num")) * factor
            low *= _MULTIPLIERS[head_mult.lower()] if head_mult else 1
            start = start - len(before) + head.start()
            bound = "range"
            # the start of the range, when it had its own unit, was found on its own: drop it
            while found and found[-1].span.start >= start:
                found.pop()
        else:
            b = _rx("bound_before").search(before)
            if b is not None:
                bound = next(k for k, v in b.groupdict().items() if v)
                start = start - len(before) + b.start()
        after = _rx("bound_after").match(folded_text[end : end + _LOOKBACK])
        if after is not None and bound != "range":
            bound = next(k for k, v in after.groupdict().items() if v)
            end += after.end()
        per = None
        if kind in ("money", "area"):
            p = _rx("per").match(folded_text[m.end() : m.end() + _LOOKBACK])
            if p is not None:
                per = " ".join(p.group("per").split()).lower()
                end = max(end, m.end() + p.end())
        found.append(
            Quantity(kind, unit, low, value, bound, Span(start, end), text[start:end], per)
        )
    return found


# --- modality ---------------------------------------------------------------------------------

MODALITY_KINDS = ("prohibition", "obligation", "permission")


@dataclass(frozen=True, slots=True)
class Cue:
    """A word or phrase that states a modality (``nghiêm cấm``, ``phải``, ``được phép``)."""

    kind: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Modality:
    """What a provision does: ``prohibition``, ``obligation``, ``permission`` or ``none``.

    ``kind`` is the strongest cue found (prohibition, then obligation, then permission); every
    cue is in ``cues``, in text order, for a provision that does several things.
    """

    kind: str
    cues: tuple[Cue, ...] = ()

    def kinds(self) -> set[str]:
        return {c.kind for c in self.cues}

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "cues": [{"kind": c.kind, "span": c.span.to_json(), "text": c.text} for c in self.cues],
        }


def modality_cues(text: str) -> list[Cue]:
    """Every modality cue in ``text``; where two overlap the longer (then the earlier) wins, so
    "không được" is one prohibition, not a prohibition and a permission."""
    text = unicodedata.normalize("NFC", text)
    folded_text = fold(text)
    raw = [
        (m.start(), m.end(), kind)
        for kind in MODALITY_KINDS
        for m in _rx(kind).finditer(folded_text)
    ]
    raw.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    kept: list[tuple[int, int, str]] = []
    for s, e, kind in raw:
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, kind))
    kept.sort()
    return [Cue(kind, Span(s, e), text[s:e]) for s, e, kind in kept]


def modality(text: str) -> Modality:
    """The modality of a provision (see :class:`Modality`). "được" alone is not a permission:
    "được quy định tại", "được lựa chọn thông qua đấu thầu" are passives."""
    cues = tuple(modality_cues(text))
    present = {c.kind for c in cues}
    kind = next((k for k in MODALITY_KINDS if k in present), "none")
    return Modality(kind, cues)


# --- subject terms ----------------------------------------------------------------------------


@cache
def _stop_index(stop: tuple[str, ...] | None) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Stop phrases (``rules/provisions.yaml``'s, or ``stop``) as syllable tuples, by their first
    syllable, longest first."""
    words = load_rules("provisions")["stop_words"] if stop is None else stop
    phrases = sorted({tuple(p.lower().split()) for p in words}, key=len, reverse=True)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        by_first.setdefault(p[0], []).append(p)
    return {w: tuple(ps) for w, ps in by_first.items()}


_SEGMENT = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)*")
_OLD_TONES = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỷ": "ủy", "uý": "úy"}
_OLD_TONE_RE = re.compile("|".join(_OLD_TONES))


def modern_lower(text: str) -> str:
    """Lower case, NFC, old tone placement made new ("Hoà Bình" -> "hòa bình")."""
    return _OLD_TONE_RE.sub(
        lambda m: _OLD_TONES[m.group()], unicodedata.normalize("NFC", text).lower()
    )


def subject_terms(text: str, *, stop: Sequence[str] | None = None) -> list[str]:
    """The content phrases of ``text``, in order of first appearance, each once.

    Lower case, NFC, old tone placement made new ("uỷ" -> "ủy", "hoà" -> "hòa"). A term is a run
    of syllables between punctuation, numbers and stop words (``rules/provisions.yaml``, or
    ``stop``): "Ủy ban nhân dân cấp huyện quản lý các chợ hạng 2" gives "ủy ban nhân dân cấp
    huyện quản lý", "chợ hạng". Two provisions on the same matter share terms
    (:func:`term_overlap`).
    """
    by_first = _stop_index(None if stop is None else tuple(stop))
    terms: dict[str, None] = {}
    for seg in _SEGMENT.finditer(modern_lower(text)):
        words = seg.group().split()
        run: list[str] = []
        i, n = 0, len(words)
        while i < n:
            hit = 0
            for p in by_first.get(words[i], ()):
                if tuple(words[i : i + len(p)]) == p:
                    hit = len(p)
                    break
            if hit:
                if run:
                    terms.setdefault(" ".join(run))
                    run = []
                i += hit
            else:
                run.append(words[i])
                i += 1
        if run:
            terms.setdefault(" ".join(run))
    return [term for term in terms if len(term) > 1]  # not a point's letter ("a", "đ")


def _grams(terms: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for term in terms:
        words = term.split()
        if len(words) == 1:
            out.add(words[0])
        out.update(f"{a} {b}" for a, b in pairwise(words))
    return out


def term_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """How far two lists of :func:`subject_terms` share their matter, 0-1: the Jaccard index of
    their two-syllable words (a one-syllable term counts as itself), so that "chi phí đào tạo
    trình độ sơ cấp" and "hỗ trợ chi phí đào tạo" meet on "chi phí" and "đào tạo"."""
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)
