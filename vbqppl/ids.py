"""Value objects that parse themselves: document numbers (số ký hiệu) and unit ids.

``DocNumber.parse("45/2020/ND-CP")`` gives the canonical ``45/2020/NĐ-CP``;
``UnitId.parse("art_5__para_2__point_đ")`` gives the unit path back and forth.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from vbqppl.rules import load_rules

# Look-alike capitals of Đ that real texts use: Latin eth (U+00D0), African D (U+0189).
_D_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u0189": "Đ", "đ": "Đ", "ư": "Ư"})

_NUMBER_RE = re.compile(
    r"""
    ^
    (?P<seq>\d{1,5}[a-z]?)                 # sequence number: 45, 01763, 12a
    (?:
        /(?P<year>(?:19|20)\d{2})          # year: present on normative documents
        (?:/|(?=[A-Za-zĐƯ]))               # slash, or a misprint that drops it (2025TT-BCT)
      | (?P<sep>[/-])                      # no year: 126/VBHN-VPQH, 50/CP, old 111-HĐBT
    )
    (?P<suffix>[A-Za-zĐƯ][A-Za-zĐƯ0-9]*(?:[-/][A-Za-zĐƯ][A-Za-zĐƯ0-9]*)*)   # type and issuer codes
    $
    """,
    re.VERBOSE,
)


@cache
def _code_table() -> dict[str, str]:
    """Map each code folded (no Đ, upper-case) to its canonical spelling."""
    table: dict[str, str] = {}
    for code in load_rules("doc_codes")["codes"]:
        table[_fold_code(code)] = code
    return table


def _fold_code(code: str) -> str:
    return code.translate(_D_LOOKALIKES).replace("Đ", "D").upper()


_TYPE_PREFIXES = ("TTLT", "NQLT", "NĐ", "QĐ", "NQ", "TT", "CT")


def _split_glued(code: str) -> list[str]:
    """A type code glued to its issuer code by a misprint: NĐCP -> NĐ, CP."""
    table = _code_table()
    if code in table.values():
        return [code]
    for prefix in _TYPE_PREFIXES:
        rest = code[len(prefix) :]
        if code.startswith(prefix) and rest and _fold_code(rest) in table:
            return [prefix, table[_fold_code(rest)]]
    return [code]


def _canonical_code(code: str) -> str:
    code = code.translate(_D_LOOKALIKES)
    known = _code_table().get(_fold_code(code))
    if known is not None:
        return known
    # Unknown code: upper-case it, but keep a session suffix such as QH15 and the "TTg" spelling.
    return "TTg" if code.upper() == "TTG" else code.upper()


def code_is_known(code: str) -> bool:
    """A code that numbers of State documents carry: listed in ``rules/doc_codes.yaml``, or a
    National Assembly session code (``QH15``, ``UBTVQH15``)."""
    code = code.translate(_D_LOOKALIKES)
    return _fold_code(code) in _code_table() or bool(
        re.fullmatch(r"(?:UBTV)?QH\d{1,2}", code.upper())
    )


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A document number (số ký hiệu) in canonical form.

    ``seq`` keeps its leading zeros as printed; ``key`` drops them for matching.
    """

    seq: str
    year: str | None
    codes: tuple[str, ...]
    sep: str = "/"  # old decrees without a year were printed with a hyphen: 111-HĐBT, 206-CP
    joiners: tuple[str, ...] = ()  # between codes: "-" except in Party numbers (221-KL/TW)

    @classmethod
    def parse(cls, text: str) -> DocNumber:
        """Parse a number as printed, tolerating spaces, line breaks, Đ/D confusion and case."""
        cleaned = unicodedata.normalize("NFC", text)
        cleaned = re.sub(r"\s+", "", cleaned).translate(_D_LOOKALIKES).strip(".,;:")
        cleaned = cleaned.replace("–", "-").replace("‑", "-")
        m = _NUMBER_RE.match(cleaned)
        if m is None:
            raise ValueError(f"không phải số ký hiệu văn bản: {text!r}")
        suffix = m["suffix"]
        if m["year"] and "/" in suffix:
            raise ValueError(f"không phải số ký hiệu văn bản: {text!r}")
        joiners = re.findall(r"[-/]", suffix)
        codes = [_canonical_code(c) for c in re.split(r"[-/]", suffix)]
        if m["year"] and len(codes) == 1:
            codes = _split_glued(codes[0])  # misprint: 79/2025/NĐCP, 27/2016/TTBLĐTBXH
            joiners = ["-"] * (len(codes) - 1)
        return cls(
            seq=m["seq"],
            year=m["year"],
            codes=tuple(codes),
            sep=m["sep"] or "/",
            joiners=tuple(joiners),
        )

    @classmethod
    def try_parse(cls, text: str) -> DocNumber | None:
        try:
            return cls.parse(text)
        except ValueError:
            return None

    @property
    def normative(self) -> bool:
        """A normative document's number carries its year; an administrative one does not."""
        return self.year is not None

    @property
    def key(self) -> str:
        """Matching key: leading zeros of the sequence dropped, codes folded (Đ → D)."""
        seq = self.seq.lstrip("0") or "0"
        parts = [seq] + ([self.year] if self.year else []) + ["-".join(self.codes)]
        return _fold_code("/".join(parts))

    def _suffix(self) -> str:
        joiners = self.joiners or ("-",) * (len(self.codes) - 1)
        out = self.codes[0]
        for j, code in zip(joiners, self.codes[1:], strict=False):
            out += j + code
        return out

    def __str__(self) -> str:
        suffix = self._suffix()
        if self.year:
            return f"{self.seq}/{self.year}/{suffix}"
        return f"{self.seq}{self.sep}{suffix}"


# --- unit ids ------------------------------------------------------------------------------

KIND_PREFIX = {
    "part": "part",
    "chapter": "chp",
    "section": "sec",
    "subsection": "subsec",
    "article": "art",
    "clause": "para",
    "point": "point",
    "attachment": "att",
}
PREFIX_KIND = {v: k for k, v in KIND_PREFIX.items()}

_COMPONENT_RE = re.compile(
    r"""
    ^(?P<prefix>part|chp|sec|subsec|art|para|point|att)   # kind, Akoma Ntoso style
    _
    (?P<num>[0-9]+[a-zđ]?[0-9]*|[a-zđ][0-9]*)             # 5, 8a, đ, d1
    $
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class UnitId:
    """A unit id such as ``att_1__art_5__para_2__point_đ``: a path of (kind, number) steps."""

    steps: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, text: str) -> UnitId:
        steps: list[tuple[str, str]] = []
        for part in text.split("__"):
            m = _COMPONENT_RE.match(part)
            if m is None:
                raise ValueError(f"mã đơn vị không hợp lệ: {text!r}")
            steps.append((PREFIX_KIND[m["prefix"]], m["num"]))
        return cls(tuple(steps))

    def child(self, kind: str, number: str) -> UnitId:
        return UnitId((*self.steps, (kind, number)))

    @property
    def kind(self) -> str:
        return self.steps[-1][0]

    @property
    def number(self) -> str:
        return self.steps[-1][1]

    def __str__(self) -> str:
        return "__".join(f"{KIND_PREFIX[k]}_{n}" for k, n in self.steps)


def roman_to_int(text: str) -> int | None:
    """``"XIV"`` → 14; ``None`` when ``text`` is not a Roman numeral."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    text = text.upper()
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        if i + 1 < len(text) and values[text[i + 1]] > v:
            total -= v
        else:
            total += v
    return total if total > 0 else None


ORDINALS = {
    "nhất": 1,
    "thứ nhất": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
}

POINT_ALPHABET = [
    "a",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "g",
    "h",
    "i",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "x",
    "y",
]


def point_index(letter: str) -> int | None:
    """Position of a point letter in the Vietnamese alphabet (``đ`` follows ``d``; no f j w z)."""
    try:
        return POINT_ALPHABET.index(letter)
    except ValueError:
        return None
