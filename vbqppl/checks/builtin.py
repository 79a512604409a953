"""Imports the built-in check families so that they register themselves."""

from vbqppl.checks import form, pairs, references  # noqa: F401
