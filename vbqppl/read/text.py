"""Plain text: bytes -> Unicode, whatever the encoding the file was saved in.

Order of attempts:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) decides;
2. UTF-16 without a mark is recognised by its zero bytes; other zero or control bytes mean the
   file is binary (``ReadError``);
3. strict UTF-8; the result is then checked for *mojibake* (UTF-8 read once as cp1252/Latin-1
   and saved again: "Ä\\x90iá»\\x81u" -> "Điều") and repaired, then for TCVN3/VNI text stored
   as Latin-1 characters (see :mod:`vbqppl.read.legacy`);
4. otherwise a single-byte encoding: Windows-1258, TCVN3, VNI and Windows-1252 are each tried
   and the one giving the most Vietnamese letters and the fewest stray symbols wins.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable

from vbqppl.errors import ReadError
from vbqppl.read import legacy

NOTE_TCVN3 = "đã chuyển mã TCVN3 sang Unicode"
NOTE_VNI = "đã chuyển mã VNI sang Unicode"
NOTE_MOJIBAKE = "đã sửa lỗi mã hoá kép (UTF-8 bị đọc nhầm thành Windows-1252)"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control bytes that never occur in text (tab, newlines, form feed and ESC excepted).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_TABLE = bytes.maketrans(_CONTROL, b"\x00" * len(_CONTROL))

# Windows-1252 characters in 0x80-0x9F, for the mojibake repair.
_CP1252_HIGH = {
    bytes([b]).decode("cp1252"): b
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_MOJI_CHARS = "".join(chr(b) for b in range(0x80, 0x100)) + "".join(_CP1252_HIGH)
_MOJI_RUN = re.compile(f"[{re.escape(_MOJI_CHARS)}]{{2,}}")
_UTF8_SEQ = re.compile(  # well-formed UTF-8 only (no overlongs, surrogates or > U+10FFFF)
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_VI_LATIN1 = legacy.VI_LATIN1


def binary_error(name: str) -> ReadError:
    return ReadError(f"Tệp {name} không phải văn bản (dữ liệu nhị phân)")


def looks_binary(data: bytes) -> bool:
    """True when a sample of ``data`` has zero bytes or many control bytes."""
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(_CONTROL_TABLE).replace(b"\x00", b""))
    return controls > max(8, len(sample) // 100)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def _char_class(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(''.join(sorted(set(chars))))}]")


_GOOD = re.compile(f"[{re.escape(''.join(sorted(_VI_LATIN1)))}{legacy.UNICODE_VI_CLASS}]")
_FOREIGN_LATIN1 = _char_class(
    "".join(chr(o) for o in range(0x80, 0x100) if chr(o) not in _VI_LATIN1)
)
_FOREIGN_LETTERS = re.compile(
    "[\u0100-\u0101\u0104-\u010f\u0112-\u0127\u012a-\u0167\u016a-\u019f"
    "\u01a2-\u01ae\u01b1-\u024f\u0370-\u052f]"
)
_PUNCTUATION = re.compile("[\u2000-\u206f]")
_QUALITY_SAMPLE = 200_000


def _count(pattern: re.Pattern[str], text: str) -> int:
    return pattern.subn("", text)[1]


def vietnamese_quality(text: str) -> float:
    """Score how much ``text`` looks like Vietnamese: its letters count, stray symbols cost.

    Latin-1 symbols and letters foreign to Vietnamese (and C1 controls) cost most; other
    Latin, Greek or Cyrillic letters less; punctuation such as “ ” – … is common in real text
    and costs least. Only the first 200,000 characters are looked at.
    """
    text = text[:_QUALITY_SAMPLE]
    return (
        _count(_GOOD, text)
        - 3 * _count(_FOREIGN_LATIN1, text)
        - 2 * _count(_FOREIGN_LETTERS, text)
        - _count(_PUNCTUATION, text)
    )


def repair_mojibake(text: str) -> str | None:
    """Undo UTF-8 that was decoded as cp1252/Latin-1 once too often; ``None`` if not mojibake.

    Only runs of characters from the cp1252 range are touched, each valid UTF-8 sequence in
    them is decoded, and the repair is kept only when it brings Vietnamese letters.
    """
    if not _MOJI_RUN.search(text):
        return None
    fixed = good = 0

    def fix_run(m: re.Match[str]) -> str:
        nonlocal fixed, good
        raw = bytes(_CP1252_HIGH.get(c, ord(c)) for c in m.group(0))
        out: list[str] = []
        pos = 0
        for seq in _UTF8_SEQ.finditer(raw):
            out.extend(_decode_byte(b) for b in raw[pos : seq.start()])
            ch = seq.group(0).decode("utf-8")
            fixed += 1
            good += ch in _VI_LATIN1 or legacy.is_unicode_vietnamese(ch)
            out.append(ch)
            pos = seq.end()
        out.extend(_decode_byte(b) for b in raw[pos:])
        return "".join(out)

    repaired = _MOJI_RUN.sub(fix_run, text)
    if fixed < 1 or good < max(1, int(fixed * 0.6)):
        return None
    if vietnamese_quality(repaired) <= vietnamese_quality(text):
        return None
    return repaired


def _decode_byte(b: int) -> str:
    """A byte outside a valid UTF-8 sequence keeps its cp1252 (else Latin-1) meaning."""
    if 0x80 <= b < 0xA0:
        try:
            return bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(b)
    return chr(b)


def fix_legacy(text: str, notes: list[str]) -> tuple[str, str | None]:
    """Convert TCVN3/VNI text stored as Latin-1 characters; returns (text, legacy kind)."""
    kind = legacy.detect_legacy(text)
    if kind == "tcvn3":
        notes.append(NOTE_TCVN3)
        return legacy.tcvn3_to_unicode(text), kind
    if kind == "vni":
        notes.append(NOTE_VNI)
        return legacy.vni_to_unicode(text), kind
    return text, None


def fix_unicode_text(text: str, notes: list[str]) -> str:
    """Mojibake repair then legacy conversion, for text that decoded as Unicode."""
    repaired = repair_mojibake(text)
    if repaired is not None:
        notes.append(NOTE_MOJIBAKE)
        text = repaired
    text, _ = fix_legacy(text, notes)
    return text


_SINGLE_BYTE: dict[str, Callable[[bytes], str]] = {
    "cp1258": lambda b: b.decode("cp1258", errors="replace"),
    "cp1252": lambda b: b.decode("cp1252", errors="replace"),
    "tcvn3": lambda b: legacy.tcvn3_to_unicode(b.decode("latin-1")),
    "vni": lambda b: legacy.vni_to_unicode(b.decode("latin-1")),
}


def decode_single_byte(data: bytes, notes: list[str]) -> tuple[str, str]:
    """Decode non-UTF-8 bytes: Windows-1258, Windows-1252, or TCVN3/VNI when detected.

    ``detect_legacy`` tells TCVN3 from VNI (each decodes the other into plausible letters);
    the candidates are then ranked by how Vietnamese the decoded text looks.
    """
    candidates = ["cp1258", "cp1252"]
    kind = legacy.detect_legacy(data.decode("latin-1"))
    if kind:
        candidates.insert(0, kind)
    best: tuple[float, str, str] | None = None
    sample = data[:_QUALITY_SAMPLE]
    for enc in candidates:
        text = unicodedata.normalize("NFC", _SINGLE_BYTE[enc](sample))
        score = vietnamese_quality(text) - 5 * text.count("\ufffd")
        if best is None or score > best[0]:
            best = (score, enc, text)
    assert best is not None
    _, enc, text = best
    if len(data) > len(sample):
        text = unicodedata.normalize("NFC", _SINGLE_BYTE[enc](data))
    if enc == "tcvn3":
        notes.append(NOTE_TCVN3)
    elif enc == "vni":
        notes.append(NOTE_VNI)
    else:
        notes.append(f"tệp không phải UTF-8: đã đọc theo bảng mã {_ENC_NAMES[enc]}")
    return text, enc


_ENC_NAMES = {"cp1258": "Windows-1258", "cp1252": "Windows-1252"}


def _damaged_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few broken bytes (a damaged copy), not a legacy single-byte encoding:
    well-formed multi-byte sequences outnumber the broken spots many times over. Decoding it
    as Windows-1258 would turn every Vietnamese letter of the document into mojibake."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad > 0 and len(_UTF8_SEQ.findall(data)) >= 20 * bad:
        return text, bad
    return None


def decode_bytes(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode the bytes of a text file; returns (text, encoding, notes)."""
    notes: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc.replace("-sig", ""))
            except UnicodeDecodeError as err:
                raise ReadError(f"Tệp {name} có dấu BOM {enc} nhưng nội dung không hợp lệ") from err
            if enc.startswith(("utf-16", "utf-32")):
                notes.append(f"đã đọc theo {enc.upper()}")
            return fix_unicode_text(text, notes), enc, notes
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            text = data.decode(enc16)
        except UnicodeDecodeError:
            text = ""
        if text and not looks_binary(text.encode("utf-8")):
            notes.append(f"đã đọc theo {enc16.upper()} (không có BOM)")
            return fix_unicode_text(text, notes), enc16, notes
    if looks_binary(data):
        raise binary_error(name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        damaged = _damaged_utf8(data)
        if damaged is not None:
            text, bad = damaged
            notes.append(f"tệp UTF-8 có {bad} chỗ byte hỏng: đã thay bằng ký tự \ufffd")
            return fix_unicode_text(text, notes), "utf-8", notes
    else:
        return fix_unicode_text(text, notes), "utf-8", notes
    text, enc = decode_single_byte(data, notes)
    return text, enc, notes
