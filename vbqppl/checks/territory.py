"""Which documents the pair checks compare: those that apply in one territory.

Two provisions overlap or conflict only where both apply. A central document applies
everywhere; a local one in its province, and since the 2025 merger of provinces (63 became 34)
the documents of the provinces merged into one apply side by side in it until replaced. So two
local documents are compared only when their provinces are, or were merged into, the same
province; a central document with every document. The groups are ``territory.merged`` in
``rules/checks.yaml`` (and ``territory.fictional``: the demonstration corpus's provinces).
"""

from __future__ import annotations

import re
from functools import cache

from vbqppl.provisions import modern_lower
from vbqppl.rules import load_rules


@cache
def _rules() -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]]:
    spec = load_rules("checks")["territory"]
    names = [
        (modern_lower(name), modern_lower(group[0]))
        for group in [*spec["merged"], *spec.get("fictional", [])]
        for name in group
    ]
    names.sort(key=lambda x: len(x[0]), reverse=True)  # "Thừa Thiên Huế" before "Huế"
    return re.compile(spec["pattern"]), tuple(names)


def territory(issuer: str | None, scope: str | None) -> str | None:
    """The province a local document applies in today (lower case, the merged province's name),
    or None when it applies everywhere (``scope`` "central") or its issuer names no province."""
    if scope != "local" or not issuer:
        return None
    return _place(issuer, known=False)


@cache
def province(issuer: str | None) -> str | None:
    """The province (as :func:`territory` gives it) of an issuer that names one of the
    provinces in ``rules/checks.yaml``: "Ủy ban nhân dân tỉnh Kiên Giang" is in An Giang;
    None for a central body, and for a district or a provincial city ("thành phố Đà Lạt"),
    whose province its name does not say."""
    return _place(issuer, known=True) if issuer else None


def _place(issuer: str, known: bool) -> str | None:
    pattern, names = _rules()
    m = pattern.search(issuer)
    if m is None:
        return None
    place = " ".join(modern_lower(m.group("name")).split())
    for name, today in names:
        if place == name or place.startswith(name + " "):
            return today
    return None if known else place


def may_pair(a: str | None, b: str | None) -> bool:
    """Whether documents of territories ``a`` and ``b`` (from :func:`territory`) can overlap."""
    return a is None or b is None or a == b
