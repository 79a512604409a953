"""Registers every command module on the app (``--help``, the tests)."""

from vbqppl_cli.routes import register

register()
