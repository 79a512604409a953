"""Hostile and broken files, written into a folder, each with what the reader must say about it.

Each maker writes one file (or a symlink) and returns its path; :data:`BAD` maps a case name to
its maker and to a fragment of the one Vietnamese line vbqppl must print for it. The builders of
small valid .docx and .pdf files come from the reader tests, so they are not written twice.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.read.test_read_errors import LAUGHS, XXE, replace_member, small_docx, zip_bomb_docx
from tests.read.test_read_pdf import encrypted_pdf, make_pdf
from vbqppl.read import MAX_BYTES

GOOD_TEXT = (
    "ỦY BAN NHÂN DÂN\nTỈNH HÒA LÂM\n"
    "Số: {n}/2024/QĐ-UBND\nHòa Lâm, ngày 15 tháng 3 năm 2024\n\nQUYẾT ĐỊNH\n"
    "Quy định thử nghiệm độ bền số {n}\n\nQUYẾT ĐỊNH:\n"
    "Điều 1. Phạm vi điều chỉnh\nQuyết định này quy định việc thử nghiệm số {n}.\n"
    "Điều 2. Hiệu lực thi hành\nQuyết định này có hiệu lực kể từ ngày 01 tháng 4 năm 2024.\n"
)


def good_text(n: int) -> str:
    """A small valid decision numbered ``n``/2024/QĐ-UBND."""
    return GOOD_TEXT.format(n=n)


def write_good(folder: Path, n: int) -> Path:
    path = folder / f"tot-{n:02d}.txt"
    path.write_text(good_text(n), encoding="utf-8")
    return path


def _empty(folder: Path) -> Path:
    p = folder / "rong.txt"
    p.write_bytes(b"")
    return p


def _binary(folder: Path) -> Path:
    p = folder / "nhi-phan.txt"
    p.write_bytes(random.Random(10).randbytes(8192))
    return p


def _huge(folder: Path) -> Path:
    """One byte over the cap, as a sparse file (no disk used beyond the first block)."""
    p = folder / "qua-lon.txt"
    with p.open("wb") as fh:
        fh.write(good_text(99).encode())
        fh.truncate(MAX_BYTES + 1)
    return p


def _wrong_extension(folder: Path) -> Path:
    """A PNG picture saved as .docx."""
    p = folder / "anh-doi-ten.docx"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(11).randbytes(2048))
    return p


def _truncated_docx(folder: Path) -> Path:
    data = small_docx("Điều 1. Phạm vi điều chỉnh")
    p = folder / "cat-cut.docx"
    p.write_bytes(data[: len(data) // 2])
    return p


def _zip_bomb(folder: Path) -> Path:
    p = folder / "bom-nen.docx"
    p.write_bytes(zip_bomb_docx(300 * 2**20))
    return p


def _xxe_docx(folder: Path) -> Path:
    p = folder / "xxe.docx"
    p.write_bytes(replace_member(small_docx(), "word/document.xml", XXE))
    return p


def _laughs_docx(folder: Path) -> Path:
    p = folder / "bom-thuc-the.docx"
    p.write_bytes(replace_member(small_docx(), "word/document.xml", LAUGHS))
    return p


XXE_HTML = (
    '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<html><body><p>Điều 1. &xxe;</p></body></html>"
)
LAUGHS_HTML = (
    '<!DOCTYPE html [<!ENTITY a "hahahahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    "<html><body><p>Điều 1. &d;</p></body></html>"
)


def _xxe_html(folder: Path) -> Path:
    p = folder / "xxe.html"
    p.write_text(XXE_HTML, encoding="utf-8")
    return p


def _laughs_html(folder: Path) -> Path:
    p = folder / "bom-thuc-the.html"
    p.write_text(LAUGHS_HTML, encoding="utf-8")
    return p


def _scan_pdf(folder: Path) -> Path:
    p = folder / "ban-quet.pdf"
    p.write_bytes(make_pdf([([], True), ([], True)]))
    return p


def _encrypted_pdf(folder: Path) -> Path:
    p = folder / "co-mat-khau.pdf"
    p.write_bytes(encrypted_pdf())
    return p


def _symlink_loop(folder: Path) -> Path:
    """Two links pointing at each other, and a folder link back to its own parent."""
    a, b = folder / "vong-a.txt", folder / "vong-b.txt"
    os.symlink(b.name, a)
    os.symlink(a.name, b)
    sub = folder / "con"
    sub.mkdir(exist_ok=True)
    os.symlink("..", sub / "vong-thu-muc")
    return a


@dataclass(frozen=True)
class Bad:
    make: Callable[[Path], Path]
    says: str  # a fragment of the one line vbqppl prints for it


BAD: dict[str, Bad] = {
    "empty": Bad(_empty, "Tệp rỗng"),
    "binary": Bad(_binary, "không phải văn bản (dữ liệu nhị phân)"),
    "huge": Bad(_huge, "Tệp quá lớn"),
    "wrong-extension": Bad(_wrong_extension, "không phải văn bản (dữ liệu nhị phân)"),
    "truncated-docx": Bad(_truncated_docx, "bị hỏng hoặc không đầy đủ"),
    "zip-bomb": Bad(_zip_bomb, "bom nén (zip bomb)"),
    "xxe-docx": Bad(_xxe_docx, "DOCTYPE/ENTITY"),
    "billion-laughs-docx": Bad(_laughs_docx, "DOCTYPE/ENTITY"),
    "xxe-html": Bad(_xxe_html, "ENTITY"),
    "billion-laughs-html": Bad(_laughs_html, "ENTITY"),
    "pdf-without-text": Bad(_scan_pdf, "cần OCR"),
    "encrypted-pdf": Bad(_encrypted_pdf, "mật khẩu"),
    "symlink-loop": Bad(_symlink_loop, "Liên kết vòng"),
}
