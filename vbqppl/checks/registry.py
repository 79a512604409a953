"""The check registry: built-in checks register here exactly as an outside check would.

    @check("dead-basis", severity=MEDIUM, params="dead_basis")
    def dead_basis(view: CorpusView, params: Mapping[str, Any]) -> Iterable[Finding]: ...

:func:`run_checks` runs the registered checks (or some ``rules``) over a :class:`CorpusView`
and keeps the findings touching some ``documents`` when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from vbqppl.checks.finding import SEVERITIES, Finding
from vbqppl.checks.view import CorpusView
from vbqppl.errors import VbqpplError
from vbqppl.rules import load_rules

CheckFn = Callable[[CorpusView, Mapping[str, Any]], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Check:
    rule: str
    severity: str  # the usual severity of its findings (a finding may say otherwise)
    func: CheckFn
    params: str | None  # the key of its section in rules/checks.yaml
    description: str

    def parameters(self) -> Mapping[str, Any]:
        """Its section of ``rules/checks.yaml`` plus the shared keys (ranks, dates ...)."""
        rules = load_rules("checks")
        own = rules.get(self.params, {}) if self.params else {}
        return {**rules, **own}


REGISTRY: dict[str, Check] = {}


def check(rule: str, *, severity: str, params: str | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register ``func`` as the check for ``rule``; its docstring's first line describes it."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")

    def register(func: CheckFn) -> CheckFn:
        doc = (func.__doc__ or rule).strip().splitlines()[0]
        REGISTRY[rule] = Check(rule, severity, func, params, doc)
        return func

    return register


def unregister(rule: str) -> None:
    REGISTRY.pop(rule, None)


def run_checks(
    view: CorpusView,
    rules: Collection[str] | None = None,
    documents: Collection[str] | None = None,
) -> list[Finding]:
    """The findings of the checks for ``rules`` (all registered by default), each once, sorted by
    rule, then document, then id; only those naming one of ``documents`` when given."""
    from vbqppl.checks import builtin  # noqa: F401  (registers the built-in checks)

    wanted = list(REGISTRY) if rules is None else list(rules)
    unknown = [r for r in wanted if r not in REGISTRY]
    if unknown:
        raise VbqpplError(
            f"không có quy tắc kiểm tra: {', '.join(unknown)} (có: {', '.join(sorted(REGISTRY))})"
        )
    found: dict[str, Finding] = {}
    for rule in wanted:
        c = REGISTRY[rule]
        for f in c.func(view, c.parameters()):
            found.setdefault(f.id, f)
    out = list(found.values())
    if documents is not None:
        keep = set(documents)
        out = [f for f in out if keep & set(f.documents)]
    return sort_findings(out)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in the order the commands list them: by rule, then document, units and id."""
    return sorted(findings, key=lambda f: (f.rule, f.documents, f.units, f.id))
