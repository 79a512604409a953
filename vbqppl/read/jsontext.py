"""JSON and gzip-compressed JSON holding a document's raw text.

Accepted only when the top-level object has a clear text field (``raw_text``, ``full_text``,
``text``, ``content``, ``noi_dung``, ``toan_van``): a JSON file is data, and guessing at a text
in arbitrary JSON would hand the parser the wrong thing. Decompression is capped like every
other input (a gzip bomb stops at the cap).
"""

from __future__ import annotations

import json
import zlib

from vbqppl.errors import ReadError, UnsafeInputError
from vbqppl.read.safety import mb

TEXT_FIELDS = ("raw_text", "full_text", "text", "content", "noi_dung", "toan_van", "body")
_CHUNK = 2**20


def gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    """Decompress gzip ``data``, refusing output larger than ``max_bytes``."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = data
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
            out += chunk
            if len(out) > max_bytes:
                raise UnsafeInputError(
                    f"Tệp nén gzip giải nén ra quá {mb(max_bytes)} MB (bom nén?): {name}"
                )
    except zlib.error as err:
        raise ReadError(f"Tệp nén gzip bị hỏng: {name}") from err
    if not inflater.eof:
        raise ReadError(f"Tệp nén gzip bị hỏng hoặc không đầy đủ: {name}")
    return bytes(out)


def read_json(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, field name) from JSON bytes."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise ReadError(f"Tệp JSON không hợp lệ: {name}") from err
    if isinstance(obj, dict):
        for key in TEXT_FIELDS:
            value = obj.get(key)
            if isinstance(value, str) and value.strip():
                return value, key
    raise ReadError(f"Tệp JSON không có trường văn bản rõ ràng ({', '.join(TEXT_FIELDS)}): {name}")
