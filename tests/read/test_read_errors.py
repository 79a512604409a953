"""Bad and hostile input: each raises the right error, one Vietnamese line naming the file."""

from __future__ import annotations

import gzip
import io
import json
import random
import struct
import zipfile
from pathlib import Path

import pytest
from docx import Document

from vbqppl.errors import ReadError, UnsafeInputError
from vbqppl.read import detect_format, read_bytes, read_file
from vbqppl.read import docx as docx_reader
from vbqppl.read.safety import parse_xml

DOC_XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
)


def small_docx(text: str = "Điều 1. Phạm vi") -> bytes:
    d = Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def replace_member(data: bytes, member: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == member else src.read(info))
    return out.getvalue()


def zip_bomb_docx(size: int = 300 * 2**20) -> bytes:
    """A real .docx plus a member of ``size`` zero bytes, written in chunks (about 300 KB)."""
    data = small_docx()
    out = io.BytesIO(data)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("word/media/zeros.bin", "w", force_zip64=True) as fh,
    ):
        chunk = bytes(2**20)
        for _ in range(size // len(chunk)):
            fh.write(chunk)
    return out.getvalue()


def forge_declared_size(data: bytes, member: str, declared: int) -> bytes:
    """Patch the central directory so ``member`` claims ``declared`` uncompressed bytes."""
    raw = bytearray(data)
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, pos + 28)
        name = bytes(raw[pos + 46 : pos + 46 + name_len]).decode()
        if name == member:
            struct.pack_into("<I", raw, pos + 24, declared)
        pos = raw.find(b"PK\x01\x02", pos + 46 + name_len + extra_len + comment_len)
    return bytes(raw)


def assert_one_line(err: BaseException, name: str) -> None:
    message = str(err)
    assert "\n" not in message
    assert name in message
    assert message == message.strip() and message


@pytest.fixture
def no_python_docx(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx must not even be called on files the safety checks refuse."""

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("python-docx opened a file the safety checks should have refused")

    monkeypatch.setattr(docx_reader.docx, "Document", boom)


def test_truncated_docx() -> None:
    data = small_docx()
    for cut in (len(data) // 2, len(data) - 30, 100):
        with pytest.raises(ReadError) as info:
            read_bytes(data[:cut], name="cut.docx")
        assert not isinstance(info.value, UnsafeInputError)
        assert str(info.value) == "Tệp .docx bị hỏng hoặc không đầy đủ: cut.docx"


def test_docx_with_broken_document_xml() -> None:
    data = replace_member(small_docx(), "word/document.xml", b"<w:document><w:body><w:p>")
    with pytest.raises(ReadError) as info:
        read_bytes(data, name="xml.docx")
    assert "bị hỏng" in str(info.value)


@pytest.mark.parametrize(
    ("size", "why"),
    [(300 * 2**20, "tổng dung lượng giải nén"), (120 * 2**20, "tỉ lệ")],
    ids=["300MB-total", "120MB-ratio"],
)
def test_zip_bomb(size: int, why: str, no_python_docx: None) -> None:
    data = zip_bomb_docx(size)
    assert len(data) < 2**20
    with pytest.raises(UnsafeInputError) as info:
        read_bytes(data, name="bom.docx")
    assert str(info.value).startswith("Tệp .docx có dấu hiệu bom nén (zip bomb): ")
    assert why in str(info.value)
    assert_one_line(info.value, "bom.docx")


def test_zip_bomb_by_declared_total_size(no_python_docx: None) -> None:
    data = forge_declared_size(small_docx(), "word/styles.xml", 250 * 2**20)
    with pytest.raises(UnsafeInputError) as info:
        read_bytes(data, name="khai-khong.docx")
    assert "bom nén" in str(info.value)


def test_zip_with_a_lying_small_declared_size_is_corrupt_not_expanded() -> None:
    data = forge_declared_size(small_docx(), "word/document.xml", 10)
    with pytest.raises(ReadError) as info:
        read_bytes(data, name="noi-doi.docx")
    assert "bị hỏng" in str(info.value)


def test_zip_with_too_many_members(no_python_docx: None) -> None:
    out = io.BytesIO(small_docx())
    with zipfile.ZipFile(out, "a") as zf:
        for i in range(5001):
            zf.writestr(f"customXml/x{i}.bin", b"")
    with pytest.raises(UnsafeInputError) as info:
        read_bytes(out.getvalue(), name="nhieu.docx")
    assert "5002" in str(info.value) or "tệp thành phần" in str(info.value)


XXE = (
    DOC_XML_HEAD.replace(
        "<w:document", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:document'
    )
    + "<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
).encode()
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
).encode()


@pytest.mark.parametrize(
    "payload",
    [XXE, LAUGHS, XXE.decode().encode("utf-16")],
    ids=["xxe", "billion-laughs", "xxe-utf16"],
)
def test_entity_attacks_in_docx_refused(payload: bytes, no_python_docx: None) -> None:
    data = replace_member(small_docx(), "word/document.xml", payload)
    with pytest.raises(UnsafeInputError) as info:
        read_bytes(data, name="xxe.docx")
    assert "root:" not in str(info.value)
    assert "DOCTYPE" in str(info.value)
    assert_one_line(info.value, "xxe.docx")


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_attacks_in_plain_xml_refused(payload: bytes) -> None:
    with pytest.raises(UnsafeInputError):
        parse_xml(payload, "a.xml")


def test_hardened_parser_reads_normal_xml() -> None:
    root = parse_xml(DOC_XML_HEAD.encode() + b"<w:body/></w:document>", "ok.xml")
    assert root.tag.endswith("document")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (random.Random(0).randbytes(4096), "anh.txt"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "anh.txt"),
        (b"MZ\x90\x00" + bytes(300), "chuong-trinh.md"),
        (b"abc\x01\x02\x03\x04\x05\x06\x07\x08" * 100, "dieu-khien.txt"),
    ],
    ids=["random", "png", "exe", "controls"],
)
def test_binary_renamed_as_text(data: bytes, name: str) -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(data, name=name)
    assert str(info.value) == f"Tệp {name} không phải văn bản (dữ liệu nhị phân)"


@pytest.mark.parametrize(
    "data", [b"", b"   \n\r\n\t", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom-only"]
)
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "rong.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert str(info.value) == f"Tệp rỗng: {path}"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.docx"
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert str(info.value) == f"Không tìm thấy tệp: {path}"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as info:
        read_file(tmp_path)
    assert_one_line(info.value, str(tmp_path))


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "khoa.txt"
    path.write_text("Điều 1.", encoding="utf-8")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    # Root ignores file modes, so the refusal is simulated at the open call.
    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert str(info.value) == f"Không có quyền đọc tệp: {path}"


def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "to.txt"
    path.write_bytes(b"Dieu 1. " * 300_000)
    with pytest.raises(UnsafeInputError) as info:
        read_file(path, max_bytes=2**20)
    assert str(info.value) == f"Tệp quá lớn (2,3 MB; giới hạn 1,0 MB): {path}"
    with pytest.raises(UnsafeInputError):
        read_bytes(b"x" * 2000, name="b.txt", max_bytes=1000)


def test_gzip_bomb_and_json_without_a_text_field() -> None:
    bomb = gzip.compress(b"{" + b" " * (30 * 2**20) + b"}")
    with pytest.raises(UnsafeInputError):
        read_bytes(bomb, name="bom.json.gz", max_bytes=2**20)
    with pytest.raises(ReadError) as info:
        read_bytes(gzip.compress(json.dumps({"metadata": {"a": 1}}).encode()), name="x.json.gz")
    assert "trường văn bản" in str(info.value)
    with pytest.raises(ReadError):
        read_bytes(b"\x1f\x8b\x08\x00garbage", name="hong.json.gz")


def test_json_with_a_text_field() -> None:
    data = gzip.compress(json.dumps({"raw_text": "Điều 1.\r\nNội dung", "tree": {}}).encode())
    raw = read_bytes(data, name="luat.json.gz")
    assert (raw.format, raw.text) == ("json", "Điều 1.\nNội dung")


def test_zip_that_is_not_a_word_file() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("a.txt", "x")
    with pytest.raises(ReadError) as info:
        read_bytes(out.getvalue(), name="kho.zip")
    assert_one_line(info.value, "kho.zip")


def test_library_errors_never_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("library blew up\nwith two lines")

    monkeypatch.setattr(docx_reader, "read_docx", broken)
    with pytest.raises(ReadError) as info:
        read_bytes(small_docx(), name="x.docx")
    assert_one_line(info.value, "x.docx")


@pytest.mark.parametrize(
    ("data", "name", "fmt"),
    [
        (b"%PDF-1.7\n...", "a.txt", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "a.docx", "doc"),
        (b"<!DOCTYPE html><html></html>", "a.pdf", "html"),
        (b"  <html lang='vi'>", "a", "html"),
        (b"{\\rtf1\\ansi}", "a.doc", "rtf"),
        (b"# Tieu de", "a.md", "md"),
        (b"Dieu 1.", "a.txt", "txt"),
        (b"Dieu 1.", "a", "txt"),
        (b'{"raw_text": "x"}', "a.json", "json"),
        (b"\x1f\x8b\x08", "a.json.gz", "json"),
    ],
)
def test_detect_format_by_content_first(data: bytes, name: str, fmt: str) -> None:
    assert detect_format(data, name) == fmt


def test_detect_format_docx_by_content() -> None:
    assert detect_format(small_docx(), "wrong-name.doc") == "docx"
