"""Imports the built-in check families so that they register themselves."""

from vbqppl.checks import amendments, form, pairs, references  # noqa: F401
