"""Markdown: the portal's page chrome cut off, Markdown syntax stripped."""

from __future__ import annotations

import pytest

from vbqppl.read import read_bytes
from vbqppl.read.markdown import markdown_to_text

PORTAL_PAGE = """|
|
Bản dịch này thuộc quyền sở hữu của **
THƯ VIỆN PHÁP LUẬT**. Mọi hành vi sao chép, đăng tải lại mà không có sự đồng ý của **
THƯ VIỆN PHÁP LUẬT** là vi phạm pháp luật về Sở hữu trí tuệ.
|
|
Đang tải văn bản...
#
**Số hiệu:**
|
12/2025/QĐ-UBND
|
|
**Loại văn bản:**
|
Quyết định
|
**Tình trạng:**
|
Đã biết
|
|
**ỦY BAN NHÂN DÂN**
TỈNH BẮC NINH
-------
|
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
|
*Căn
cứ Luật Tổ chức chính quyền địa phương;*
**QUYẾT ĐỊNH:**
**Điều
1**. Phạm vi [điều chỉnh](https://example.vn/x) (*) ![logo](a.png)
# PHỤ LỤC
Quyết định 12/2025/QĐ-UBND năm 2025 về việc thử
Văn bản này chưa cập nhật nội dung Tiếng Anh
## Văn bản liên quan
Ban hành:
**Địa chỉ:**
"""

PORTAL_TEXT = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
-------

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Căn
cứ Luật Tổ chức chính quyền địa phương;
QUYẾT ĐỊNH:
Điều
1. Phạm vi điều chỉnh (*)
PHỤ LỤC"""


def test_portal_page_keeps_only_the_document() -> None:
    text, notes = markdown_to_text(PORTAL_PAGE)
    assert text.strip() == PORTAL_TEXT
    assert notes and "thuvienphapluat" in notes[0]


def test_portal_page_through_read_bytes() -> None:
    raw = read_bytes(PORTAL_PAGE.encode("utf-8"), name="vb.md")
    assert raw.format == "md"
    assert raw.text == PORTAL_TEXT
    assert "Đang tải" not in raw.text and "Số hiệu" not in raw.text


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# Tiêu đề", "Tiêu đề"),
        ("## Mục 1 ##", "Mục 1"),
        ("**Điều 1.** Phạm vi", "Điều 1. Phạm vi"),
        ("*nghiêng* và __gạch__", "nghiêng và __gạch__"),
        ("Ghi chú (*) và (**)", "Ghi chú (*) và (**)"),
        ("Dấu sao thật \\* ở đây", "Dấu sao thật * ở đây"),
        ("[Nghị định 45](https://a.vn/nd(45)) nhé", "Nghị định 45 nhé"),
        ("![ảnh](x.png)Chữ", "Chữ"),
        ("Xem <https://vbpl.vn>", "Xem https://vbpl.vn"),
        ("| STT | Tên |\n|---|:---:|\n| 1 | A |", "STT | Tên\n1 | A"),
        ("|", ""),
        ("-------", "-------"),
        ("- gạch đầu dòng", "- gạch đầu dòng"),
        ("```\nmã\n```", "mã"),
        ("dòng<br>mới", "dòng\nmới"),
    ],
)
def test_markdown_syntax(markdown: str, expected: str) -> None:
    assert markdown_to_text(markdown)[0] == expected
