"""Review checks (issue 6): findings over the stored corpus, each with a rule, a severity,
evidence quoted from the stored text and a stable id. See :mod:`vbqppl.checks.registry`."""

from vbqppl.checks.finding import HIGH, LOW, MEDIUM, SEVERITIES, Evidence, Finding
from vbqppl.checks.registry import REGISTRY, Check, check, run_checks
from vbqppl.checks.view import CorpusView, load_view

__all__ = [
    "HIGH",
    "LOW",
    "MEDIUM",
    "REGISTRY",
    "SEVERITIES",
    "Check",
    "CorpusView",
    "Evidence",
    "Finding",
    "check",
    "load_view",
    "run_checks",
]
