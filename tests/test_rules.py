"""Every pattern in rules/ matches all its positive examples and none of its negative ones."""

from __future__ import annotations

import re

import pytest

from vbqppl.rules import load_rules, rule_names


def _pattern_specs() -> list[tuple[str, str, dict]]:
    out = []
    for name in rule_names():
        data = load_rules(name)
        if not isinstance(data, dict):
            continue
        for key, spec in data.items():
            if isinstance(spec, dict) and "pattern" in spec:
                out.append((name, key, spec))
    return out


SPECS = _pattern_specs()


def test_there_are_rules() -> None:
    assert len(SPECS) >= 8


@pytest.mark.parametrize(("name", "key", "spec"), SPECS, ids=[f"{n}.{k}" for n, k, _ in SPECS])
def test_pattern_examples(name: str, key: str, spec: dict) -> None:
    pattern = re.compile(spec["pattern"])
    assert spec.get("match"), f"{name}.{key} has no positive examples"
    for example in spec["match"]:
        assert pattern.search(example), f"{name}.{key} should match {example!r}"
    for example in spec.get("reject", []):
        assert not pattern.search(example), f"{name}.{key} should not match {example!r}"


@pytest.mark.parametrize(
    ("name", "key", "spec"),
    [x for x in SPECS if "starts" in x[2] or "line_start" in x[2]],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_where_a_pattern_says_its_matches_begin_holds_for_its_examples(
    name: str, key: str, spec: dict
) -> None:
    """``starts`` and ``line_start`` let the finder try a pattern only at those places
    (vbqppl.relations._scan): every example's match must begin there, on a line of its own
    and after other lines."""
    pattern = re.compile(spec["pattern"])
    for example in spec["match"]:
        for text in (example, f"Dòng trước.\n{example}"):
            m = pattern.search(text)
            assert m is not None
            if spec.get("line_start"):
                assert m.start() == 0 or text[m.start() - 1] == "\n", (key, example)
            if spec.get("starts"):
                assert m.group(0).startswith(tuple(spec["starts"])), (key, example)


def test_doc_types_are_well_formed() -> None:
    types = load_rules("doc_types")["types"]
    names = {t["name"] for t in types}
    assert {"Luật", "Nghị định", "Thông tư", "Quyết định", "Nghị quyết"} <= names
    for t in types:
        assert t["caption"] == t["caption"].upper()


def test_structure_shortcuts_hold_for_the_heading_rules() -> None:
    """The structure parser reads a line's quote bookkeeping only when the line ends as
    ``amend_intro`` needs, and skips a line that the alternation of the line patterns rejects:
    both shortcuts must agree with ``rules/headings.yaml``."""
    from vbqppl.structure import _INTRO_ENDS, _event

    rules = load_rules("headings")
    intro = rules["amend_intro"]
    assert intro["pattern"].endswith(r':\s*[“"]?\s*$')
    assert all(s.strip().endswith(_INTRO_ENDS) for s in intro["match"])
    event = _event()
    names = ("signature", "attachment_intro", "appendix", "part", "chapter", "section")
    names += ("subsection", "article", "article_undotted", "clause", "point")
    for name in names:
        for line in rules[name].get("match", []):
            assert event.match(line.strip()), (name, line)
