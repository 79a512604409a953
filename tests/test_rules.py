"""Every pattern in rules/ matches all its positive examples and none of its negative ones."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.evaluation import REAL
from vbqppl.rules import fold, folded, load_rules, rule_names


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


# --- folded patterns: a (?i) pattern in lower case, on lower-cased text ---------------------

CASELESS = [x for x in SPECS if x[2]["pattern"].startswith("(?i)")]
# what the code runs folded (vbqppl.provisions._rx, vbqppl.checks.pairs)
RUN_FOLDED = {("checks", "boilerplate"), ("checks", "list_head")} | {
    ("provisions", k) for n, k, s in CASELESS if n == "provisions"
}


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), m.regs) for m in pattern.finditer(text)]


def test_what_the_code_runs_folded_folds() -> None:
    assert len(RUN_FOLDED) >= 8
    for name, key in RUN_FOLDED:
        folded(load_rules(name)[key]["pattern"])  # raises when it cannot


@pytest.mark.parametrize(
    ("name", "key", "spec"), CASELESS, ids=[f"{n}.{k}" for n, k, _ in CASELESS]
)
def test_a_folded_pattern_finds_what_the_pattern_finds(name: str, key: str, spec: dict) -> None:
    """Every match at the same place, each group at the same span, on the examples written as
    they are, in capitals and in lower case."""
    try:
        low = folded(spec["pattern"])
    except ValueError:
        assert (name, key) not in RUN_FOLDED
        return
    plain = re.compile(spec["pattern"])
    for example in [*spec["match"], *spec.get("reject", [])]:
        for text in (example, example.upper(), example.lower(), f"İ {example.title()} İ"):
            assert _spans(low, fold(text)) == _spans(plain, text), (key, text)


_VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_ALPHABET = _VIET + _VIET.upper() + "0123456789 .,;:/()%-–\n\tİ²"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120), st.sampled_from(sorted(RUN_FOLDED)))
def test_folded_patterns_on_any_vietnamese_text(text: str, rule: tuple[str, str]) -> None:
    pattern = load_rules(rule[0])[rule[1]]["pattern"]
    assert _spans(folded(pattern), fold(text)) == _spans(re.compile(pattern), text)


@pytest.mark.realcorpus
def test_folded_patterns_on_the_real_texts() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REAL / "texts").glob("*.txt"))[::7]]
    assert texts
    for name, key in sorted(RUN_FOLDED):
        pattern = load_rules(name)[key]["pattern"]
        for text in texts:
            assert _spans(folded(pattern), fold(text)) == _spans(re.compile(pattern), text), key


def test_fold_keeps_every_character_in_its_place() -> None:
    assert fold("Điều 5. QUẢN LÝ") == "điều 5. quản lý"
    assert "İ".lower() == "i̇" and fold("İstanbul Đ") == "istanbul đ"
    assert len(fold("aİbİ")) == 4


@pytest.mark.parametrize(
    "pattern",
    [
        r"tỉnh",
        r"(?i)a(?-i:B)",
        r"(?i)\x41",
        r"(?i)\u0110",
        r"(?i)\N{LATIN CAPITAL LETTER A}",
        r"(?i)[À-Ỹ]",
        r"(?i)\0",
    ],
)
def test_what_folding_could_change_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        folded(pattern)


def test_folding_keeps_group_names_escapes_and_plain_ranges() -> None:
    rx = folded(r"(?i)(?P<Num>\d+)\s*(?P=Num)\S[A-Z0-9]+[^-–]Điều")
    assert rx.pattern == r"(?P<Num>\d+)\s*(?P=Num)\S[a-z0-9]+[^-–]điều"
    assert rx.search(fold("12 12xABC9/ĐIỀU")).group("Num") == "12"
