"""Declarative rule data shipped inside the package (``vbqppl.rules``), loaded once.

Each YAML file holds patterns or tables, and where it holds patterns, examples each must match
(``match``) and must not match (``reject``); ``tests/test_rules.py`` runs them all.
"""

from __future__ import annotations

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
