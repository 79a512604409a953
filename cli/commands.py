"""Registers every command module on the app."""

from vbqppl_cli import cite, demo, parse  # noqa: F401
