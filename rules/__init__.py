"""Declarative rule data shipped inside the package (``vbqppl.rules``), loaded once.

Each YAML file holds patterns or tables, and where it holds patterns, examples each must match
(``match``) and must not match (``reject``); ``tests/test_rules.py`` runs them all.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

# libyaml's loader (in PyYAML's wheels) reads the same documents about ten times faster than the
# pure-Python one: 0.2 s of every command's start
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_rules(name: str) -> Any:
    """Load ``rules/<name>.yaml`` from the installed package."""
    text = resources.files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)


def rule_names() -> list[str]:
    return sorted(
        p.name[: -len(".yaml")]
        for p in resources.files(__name__).iterdir()
        if p.name.endswith(".yaml")
    )


def fold(text: str) -> str:
    """``text`` in lower case, one character for each of its own: Unicode's simple lower-case
    mapping, the one Python's ``re.IGNORECASE`` compares with (``str.lower`` differs only for
    "İ", which it makes two characters). A :func:`folded` pattern's spans on it are the text's."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower()[0] for c in text)


_FLAG_GROUP = re.compile(r"\(\?[aiLmsux-]")


@cache
def folded(pattern: str) -> re.Pattern[str]:
    """A case-insensitive rule pattern (``(?i)...``) written in lower case, without the flag,
    for :func:`fold`-ed text: the same matches at the same places, faster (the boilerplate
    filter 3.5 times, the quantity pattern 1.7 times): with the flag, ``re`` lower-cases every
    character it compares and cannot skip ahead to a literal. Its groups hold the folded text:
    slice the text itself at their spans for its own letters.

    Raises :class:`ValueError` for what lower-casing could change the meaning of: a pattern
    that does not begin with ``(?i)`` or sets flags again, an escape that names a character
    (``\\x``, ``\\u``, ``\\N``, octal), a class range between letters other than A-Z.
    """
    if not pattern.startswith("(?i)") or _FLAG_GROUP.search(pattern, 4):
        raise ValueError(f"không phải mẫu (?i) đơn giản: {pattern[:40]!r}")
    out: list[str] = []
    i, n, in_class = 4, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt in ("x", "u", "U", "N", "0"):
                raise ValueError(f"mẫu có mã ký tự \\{nxt}: {pattern[:40]!r}")
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if not in_class and pattern.startswith(("(?P<", "(?P="), i):
            end = pattern.index(">" if pattern[i + 3] == "<" else ")", i)
            out.append(pattern[i : end + 1])
            i = end + 1
            continue
        if in_class and c == "-" and out[-1] not in ("[", "^") and pattern[i + 1 : i + 2] != "]":
            lo, hi = pattern[i - 1], pattern[i + 1]
            if not _plain_range(lo, hi):
                raise ValueError(f"mẫu có khoảng ký tự {lo}-{hi}: {pattern[:40]!r}")
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i : i + 1] == "]":  # a ] first in a class is itself
                out.append("]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        low = c.lower()
        out.append(low[0] if len(low) > 1 else low)
        i += 1
    return re.compile("".join(out))


def _plain_range(lo: str, hi: str) -> bool:
    """Whether a class range means the same on folded text, written in lower case: a-z, A-Z
    (made a-z), or characters none of which has a case."""
    if "a" <= lo <= hi <= "z" or "A" <= lo <= hi <= "Z":
        return True
    span = range(ord(lo), ord(hi) + 1)
    return len(span) < 0x3000 and all(chr(c).lower() == chr(c).upper() for c in span)
