"""Which module defines each command, so that ``vbqppl COMMAND`` imports that module only:
each module imports what its commands need (openpyxl, networkx, lxml ... cost about half a
second together), and a command's start is part of its time. ``--help`` and anything unknown
import them all (:mod:`vbqppl_cli.commands`)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

# The first word of a command line -> the module defining it (a test checks it is complete).
COMMANDS = {
    "check": "checks",
    "cite": "cite",
    "consolidate": "consolidate",
    "demo": "demo",
    "export": "akn",
    "findings": "checks",
    "graph": "graph",
    "import": "akn",
    "ingest": "ingest",
    "list": "listing",
    "parse": "parse",
    "procedures": "procedures",
    "report": "report",
    "review": "review",
    "run": "run",
    "search": "search",
    "serve": "serve",
    "sketch": "checks",
    "status": "status",
    "unresolved": "unresolved",
}


def register(argv: Sequence[str] = ()) -> None:
    """Import the module of the command ``argv`` names (``argv[0]`` is the program), or all."""
    name = argv[1] if len(argv) > 1 else ""
    wanted = [COMMANDS[name]] if name in COMMANDS else sorted(set(COMMANDS.values()))
    for module in wanted:
        importlib.import_module(f"vbqppl_cli.{module}")
