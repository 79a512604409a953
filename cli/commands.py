"""Registers every command module on the app."""

from vbqppl_cli import demo, parse  # noqa: F401
