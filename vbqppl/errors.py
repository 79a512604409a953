"""The few exceptions vbqppl raises. Content problems are diagnostics, not exceptions.

Every message is Vietnamese and fits on one line: the CLI prints ``str(error)`` as it is.
"""

from __future__ import annotations


class VbqpplError(Exception):
    """Base of every error vbqppl raises on purpose; the CLI turns it into one line and exit 1."""

    exit_code = 1


class ReadError(VbqpplError):
    """A file cannot be read at all: missing, unreadable, empty, binary, corrupt or unsupported."""

    exit_code = 2


class UnsafeInputError(ReadError):
    """A file was refused for safety: a zip bomb, an entity expansion, an external entity, too big."""


class NeedsOcrError(ReadError):
    """A PDF has no text layer (a scan): it needs OCR before vbqppl can read it."""


class MissingToolError(ReadError):
    """An outside program is needed and not installed (LibreOffice for .doc)."""


class StoreError(VbqpplError):
    """The database cannot be opened, is locked, or refused a write."""

    exit_code = 3


class ConflictError(StoreError):
    """A write was based on a stale view of a record someone else has changed since."""
