"""Registers every command module on the app."""

from vbqppl_cli import (  # noqa: F401
    akn,
    checks,
    cite,
    consolidate,
    demo,
    graph,
    ingest,
    listing,
    parse,
    review,
    search,
    status,
    unresolved,
)
