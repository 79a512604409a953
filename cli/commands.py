"""Registers every command module on the app."""

from vbqppl_cli import akn, cite, demo, parse  # noqa: F401
