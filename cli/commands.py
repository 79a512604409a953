"""Registers every command module on the app."""

from vbqppl_cli import cite, consolidate, demo, parse  # noqa: F401
