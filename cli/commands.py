"""Registers every command module on the app."""

from vbqppl_cli import (  # noqa: F401
    demo,
    graph,
    ingest,
    listing,
    parse,
    search,
    status,
    unresolved,
)
