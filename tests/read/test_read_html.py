"""HTML: the content container only, block elements as lines, hostile pages refused."""

from __future__ import annotations

import pytest

from vbqppl.errors import UnsafeInputError
from vbqppl.read import read_bytes

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Trang</title>
<style>p { color: red }</style><script>var x = "Điều 99. giả";</script></head>
<body>
<header>ĐẦU TRANG WEB</header>
<nav><a href="/">Trang chủ</a></nav>
<div id="divContentDoc" class="cldivContentDocVn"><div class="content1"><div>
<table><tr><td><p>ỦY BAN NHÂN DÂN<br>TỈNH X</p></td><td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p></td></tr>
<tr><td><p>Số: 12/QĐ-UBND</p></td><td></td><td><p><i>X, ngày 1 tháng 2 năm 2025</i></p></td></tr></table>
<p align="center"><b>QUYẾT ĐỊNH</b></p>
<p>Căn cứ Luật
Tổ chức&nbsp;chính quyền   địa phương;</p>
<p><b>Điều 1.</b> Phạm vi <a href="#">điều chỉnh</a></p>
<ul><li>điểm một</li><li>điểm hai</li></ul>
<pre>giữ   nguyên
hai dòng</pre>
</div></div></div>
<div class="cldivContentDocEn"><div class="content1">English tab</div></div>
<footer>Chân trang &copy; 2025</footer>
<script>document.write("x")</script>
</body></html>"""

EXPECTED = """ỦY BAN NHÂN DÂN
TỈNH X | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 12/QĐ-UBND | X, ngày 1 tháng 2 năm 2025
QUYẾT ĐỊNH
Căn cứ Luật Tổ chức chính quyền địa phương;
Điều 1. Phạm vi điều chỉnh
điểm một
điểm hai
giữ   nguyên
hai dòng"""


def test_portal_page_content_only() -> None:
    raw = read_bytes(PAGE.encode("utf-8"), name="vb.html")
    assert raw.format == "html"
    assert raw.encoding == "utf-8"
    assert raw.text == EXPECTED


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<html><body><p>Một</p><p>Hai</p></body></html>", "Một\nHai"),
        (
            "<html><body><div class='noidung'>"
            + "Nội dung chính. " * 20
            + "</div><div>quảng cáo</div></body></html>",
            ("Nội dung chính. " * 20).strip(),
        ),
        ("<html><body>A &amp; B &lt;C&gt; &quot;D&quot;</body></html>", 'A & B <C> "D"'),
        (
            "<!DOCTYPE html><html><body><h1>Tiêu đề</h1>chữ<br/>dòng</body></html>",
            "Tiêu đề\nchữ\ndòng",
        ),
    ],
)
def test_html_blocks(html: str, expected: str) -> None:
    assert read_bytes(html.encode("utf-8"), name="a.html").text == expected


def test_windows_1258_page_with_meta_charset() -> None:
    body = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'></head><body><p>Ha\xcc N\xf4\xf2i</p></body></html>"
    raw = read_bytes(body.encode("latin-1"), name="a.html")
    assert raw.text == "Hà Nội"


def test_billion_laughs_html_refused() -> None:
    bomb = (
        '<!DOCTYPE html [<!ENTITY a "hahahahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body>&c;</body></html>'
    )
    with pytest.raises(UnsafeInputError) as info:
        read_bytes(bomb.encode(), name="bom.html")
    assert "ENTITY" in str(info.value) and "bom.html" in str(info.value)
    assert "\n" not in str(info.value)
