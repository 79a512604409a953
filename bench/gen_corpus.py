"""Scale corpus: realistic documents in the real format, at any size, the same for the same seed.

Each document is a Quyết định of a provincial People's Committee (Ủy ban nhân dân) or a Nghị
quyết of a provincial People's Council (Hội đồng nhân dân) of one of 63 fictional provinces, in
the format of ``corpus/``: header, number, place and date, title, a Căn cứ block (laws, decrees,
earlier generated documents), chapters, articles, clauses and points, references to units of
earlier generated documents, and an effect article. The provisions are written from templates
whose slots (bodies, actions, objects, procedures, time limits, amounts, places) are drawn from
word lists of many fields of local administration, so two documents share phrasing the way real
ones do (the same drafting frame) without sharing whole provisions by chance. Some documents
amend earlier ones (numbered instructions with quoted new text), replace or repeal them; a
controlled share copies provisions of an earlier document of another province: nearly word for
word (near-duplicates), with a changed time limit or amount (numeric conflicts), or with
"được" turned into "không được" (modality conflicts). The shares are :data:`RATES`.

Only earlier documents are cited, amended or copied, so any prefix of a corpus is itself a
corpus. The work per document is constant (the last ``WINDOW`` documents of each province are
the pool it draws from): 100,000 documents take about a minute.

Run: ``.venv/bin/python bench/gen_corpus.py 1000 /tmp/scale --seed 1`` (writes N .txt files in
subfolders of 1000) or ``... --stdout`` (the documents one after another, separated by form feeds).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Shares of documents (each roll independent of the others).
RATES = {
    "amend": 0.08,  # a document amending an earlier one of its province
    "replace": 0.04,  # a new regulation replacing an earlier one
    "repeal": 0.02,  # a new regulation repealing an earlier one
    "copy": 0.04,  # copies one to three articles of an earlier document of another province
    "numeric": 0.015,  # ... and changes a time limit or an amount in one of them
    "modality": 0.005,  # ... or turns a permission into a prohibition
    "resolution": 0.25,  # a Nghị quyết of the People's Council rather than a Quyết định
    # of the copies, those from a document of a province merged with the copying one (the rest
    # copy another merged province's document: the pair checks must not compare them)
    "same_territory": 0.8,
}
WINDOW = 60  # earlier documents per province a new one may cite, amend or copy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.rules import load_rules  # noqa: E402

# The centrally run cities: "thành phố", the other provinces "tỉnh".
CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"}


def _groups() -> list[list[str]]:
    """The 63 provinces before the 2025 merger, in the groups merged into one province
    (``territory.merged`` of rules/checks.yaml; "Huế" is today's name of Thừa Thiên Huế)."""
    merged = load_rules("checks")["territory"]["merged"]
    return [[p for p in group if p != "Huế"] for group in merged]


GROUPS = _groups()
PROVINCES = sorted(p for g in GROUPS for p in g)
GROUP_OF = {p: i for i, g in enumerate(GROUPS) for p in g}
assert len(PROVINCES) == 63, len(PROVINCES)

LAWS = [
    ("Luật Tổ chức chính quyền địa phương", (19, 6, 2015)),
    ("Luật Ban hành văn bản quy phạm pháp luật", (22, 6, 2015)),
    ("Luật Ngân sách nhà nước", (25, 6, 2015)),
    ("Luật Đầu tư công", (13, 6, 2019)),
    ("Luật Xử lý vi phạm hành chính", (20, 6, 2012)),
    ("Luật Đất đai", (18, 1, 2024)),
    ("Luật Bảo vệ môi trường", (17, 11, 2020)),
    ("Luật Giáo dục", (14, 6, 2019)),
]
CENTRAL = [
    ("Nghị định", "63/2010/NĐ-CP", (8, 6, 2010), "về kiểm soát thủ tục hành chính"),
    ("Nghị định", "61/2018/NĐ-CP", (23, 4, 2018), "về thực hiện cơ chế một cửa, một cửa liên thông"),
    ("Nghị định", "107/2021/NĐ-CP", (6, 12, 2021), "sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP"),
    ("Nghị định", "45/2020/NĐ-CP", (8, 4, 2020), "về thực hiện thủ tục hành chính trên môi trường điện tử"),
    ("Nghị định", "163/2016/NĐ-CP", (21, 12, 2016), "quy định chi tiết thi hành một số điều của Luật Ngân sách nhà nước"),
    ("Thông tư", "02/2017/TT-VPCP", (31, 10, 2017), "của Văn phòng Chính phủ hướng dẫn về nghiệp vụ kiểm soát thủ tục hành chính"),
    ("Thông tư", "01/2018/TT-VPCP", (23, 11, 2018), "của Văn phòng Chính phủ hướng dẫn thi hành Nghị định số 61/2018/NĐ-CP"),
]  # fmt: skip

# field: (subject of the title, the procedure, what it concerns, the lead department)
FIELDS = [
    ("hỗ trợ đào tạo nghề cho lao động nông thôn", "hỗ trợ chi phí đào tạo", "khóa đào tạo", "Sở Nội vụ"),
    ("quản lý, phát triển chợ", "giao quyền quản lý chợ", "điểm kinh doanh", "Sở Công Thương"),
    ("thu phí trông giữ xe", "cấp phép điểm trông giữ xe", "bãi trông giữ xe", "Sở Tài chính"),
    ("quản lý cụm công nghiệp", "cho thuê đất trong cụm công nghiệp", "dự án đầu tư", "Sở Công Thương"),
    ("quản lý nghĩa trang nhân dân", "cấp phép xây dựng phần mộ", "khu mộ", "Sở Xây dựng"),
    ("hỗ trợ tạo việc làm cho thanh niên", "vay vốn tạo việc làm", "phương án sản xuất", "Sở Nội vụ"),
    ("thu gom, xử lý chất thải rắn sinh hoạt", "đăng ký dịch vụ thu gom", "điểm tập kết chất thải", "Sở Nông nghiệp và Môi trường"),
    ("quản lý trật tự xây dựng đô thị", "cấp giấy phép xây dựng", "công trình nhà ở riêng lẻ", "Sở Xây dựng"),
    ("khuyến nông, khuyến ngư", "hỗ trợ mô hình trình diễn", "mô hình sản xuất", "Sở Nông nghiệp và Môi trường"),
    ("tổ chức hoạt động của trạm y tế xã", "cấp kinh phí khám chữa bệnh ban đầu", "trạm y tế", "Sở Y tế"),
    ("hỗ trợ giáo dục mầm non ngoài công lập", "hỗ trợ kinh phí cho cơ sở giáo dục", "nhóm trẻ độc lập", "Sở Giáo dục và Đào tạo"),
    ("phát triển du lịch cộng đồng", "công nhận điểm du lịch cộng đồng", "hộ kinh doanh homestay", "Sở Văn hóa, Thể thao và Du lịch"),
    ("khai thác, sử dụng tài nguyên nước", "cấp phép khai thác nước dưới đất", "công trình khai thác nước", "Sở Nông nghiệp và Môi trường"),
    ("bảo đảm an toàn thực phẩm", "cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "cơ sở sản xuất thực phẩm", "Sở Y tế"),
    ("quản lý vật liệu nổ công nghiệp", "cấp giấy phép sử dụng vật liệu nổ", "kho vật liệu nổ", "Sở Công Thương"),
    ("hỗ trợ nhà ở cho người có công", "hỗ trợ xây mới, sửa chữa nhà ở", "hộ gia đình người có công", "Sở Xây dựng"),
    ("quản lý hoạt động quảng cáo ngoài trời", "thông báo sản phẩm quảng cáo", "bảng quảng cáo", "Sở Văn hóa, Thể thao và Du lịch"),
    ("bồi thường, hỗ trợ khi Nhà nước thu hồi đất", "chi trả tiền bồi thường", "thửa đất bị thu hồi", "Sở Nông nghiệp và Môi trường"),
    ("phòng, chống thiên tai", "hỗ trợ khắc phục hậu quả thiên tai", "hộ bị thiệt hại", "Sở Nông nghiệp và Môi trường"),
    ("quản lý hoạt động vận tải hành khách", "cấp phù hiệu xe", "tuyến vận tải cố định", "Sở Xây dựng"),
    ("hỗ trợ doanh nghiệp nhỏ và vừa", "hỗ trợ chi phí tư vấn", "doanh nghiệp nhỏ và vừa", "Sở Tài chính"),
    ("quản lý cơ sở dữ liệu công chứng", "cập nhật thông tin ngăn chặn", "hợp đồng công chứng", "Sở Tư pháp"),
    ("trợ giúp xã hội đối với người cao tuổi", "hưởng trợ cấp xã hội hằng tháng", "người cao tuổi", "Sở Y tế"),
    ("quản lý, sử dụng nhà văn hóa thôn", "đầu tư sửa chữa nhà văn hóa", "nhà văn hóa", "Sở Văn hóa, Thể thao và Du lịch"),
    ("phát triển sản phẩm OCOP", "đánh giá, phân hạng sản phẩm", "chủ thể OCOP", "Sở Nông nghiệp và Môi trường"),
    ("thu hút đầu tư vào khu kinh tế", "cấp quyết định chủ trương đầu tư", "nhà đầu tư", "Sở Tài chính"),
    ("quản lý hệ thống chiếu sáng công cộng", "đấu nối hệ thống chiếu sáng", "tuyến đường", "Sở Xây dựng"),
    ("bảo vệ và phát triển rừng", "giao rừng, cho thuê rừng", "diện tích rừng", "Sở Nông nghiệp và Môi trường"),
    ("hỗ trợ học sinh dân tộc thiểu số", "hưởng chính sách hỗ trợ học tập", "học sinh bán trú", "Sở Giáo dục và Đào tạo"),
    ("quản lý cảng cá, bến cá", "cấp phép cập bến", "tàu cá", "Sở Nông nghiệp và Môi trường"),
]  # fmt: skip
BODIES = [
    "Ủy ban nhân dân cấp xã", "Ủy ban nhân dân cấp huyện", "Sở Tài chính", "Sở Tư pháp",
    "Sở Nội vụ", "Công an tỉnh", "Kho bạc Nhà nước tỉnh", "Trung tâm Phục vụ hành chính công tỉnh",
    "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Đài Phát thanh và Truyền hình tỉnh",
    "Ban Quản lý các khu công nghiệp", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Bảo hiểm xã hội tỉnh",
    "Sở Khoa học và Công nghệ", "Sở Xây dựng", "Sở Y tế", "Sở Công Thương", "Cục Thuế tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh", "Hội Nông dân tỉnh", "Tỉnh đoàn", "Liên đoàn Lao động tỉnh",
    "Ban Dân tộc tỉnh", "Chi cục Thống kê tỉnh", "Quỹ Đầu tư phát triển tỉnh",
]  # fmt: skip
VERBS = [
    "kiểm tra", "thẩm định", "phê duyệt", "tổng hợp", "hướng dẫn thực hiện", "giám sát", "tiếp nhận",
    "công khai", "cập nhật", "đánh giá", "rà soát", "bố trí", "xác minh", "lưu trữ", "chi trả",
    "quyết toán", "đôn đốc", "tuyên truyền", "tập huấn về", "khảo sát", "thống kê", "xây dựng",
    "triển khai", "kiện toàn", "phân bổ", "thu hồi", "xử lý", "gia hạn", "điều chỉnh", "niêm yết",
    "số hóa", "chia sẻ", "lập", "trình phê duyệt", "bàn giao", "nghiệm thu", "thanh lý", "đối chiếu",
    "sơ kết", "tổng kết", "lựa chọn", "quản lý",
]  # fmt: skip
NOUNS = [
    "hồ sơ", "danh sách đối tượng", "kế hoạch", "dự toán kinh phí", "báo cáo", "biên bản",
    "cơ sở dữ liệu", "nguồn kinh phí", "quỹ hỗ trợ", "chương trình", "đề án", "dự án",
    "quy trình nội bộ", "bộ tiêu chí", "định mức chi", "bản đồ hiện trạng", "sổ theo dõi",
    "chứng từ thanh toán", "giấy phép", "giấy chứng nhận", "mẫu biểu", "phần mềm quản lý",
    "hệ thống thông tin", "trang thiết bị", "đội ngũ cán bộ", "mạng lưới cộng tác viên",
    "kết quả kiểm tra", "phương án bồi thường", "hợp đồng", "tài sản công", "mặt bằng",
    "hạ tầng kỹ thuật", "vùng nguyên liệu", "điểm tiếp nhận", "tổ công tác", "đoàn kiểm tra",
    "chỉ tiêu", "số liệu thống kê", "kiến nghị của cử tri", "phản ánh của người dân",
    "cam kết bảo vệ môi trường", "quy chế phối hợp", "dữ liệu dân cư", "tài liệu hướng dẫn",
]  # fmt: skip
QUALS = [
    "có liên quan", "thuộc phạm vi quản lý", "đã được phê duyệt", "của năm trước liền kề",
    "của các cơ sở", "trên địa bàn cấp xã", "theo từng lĩnh vực", "phát sinh trong kỳ",
    "của các hộ gia đình", "thuộc ngân sách cấp tỉnh", "của các đơn vị sự nghiệp", "còn tồn đọng",
    "chưa được giải quyết", "ở vùng đồng bào dân tộc thiểu số", "ở các xã miền núi",
    "tại khu vực biên giới", "của doanh nghiệp", "của hợp tác xã", "được giao", "đã quá hạn",
    "đang triển khai", "đủ điều kiện", "không đủ điều kiện", "ở khu vực đô thị",
    "của các dự án trọng điểm", "theo mẫu thống nhất", "trong giai đoạn tiếp theo",
]  # fmt: skip
MANNERS = [
    "theo đúng quy định của pháp luật", "bảo đảm công khai, minh bạch", "đúng đối tượng, đúng thời hạn",
    "trong phạm vi nhiệm vụ, quyền hạn được giao", "theo định kỳ hằng quý hoặc đột xuất",
    "gắn với chương trình mục tiêu quốc gia", "bằng hình thức trực tuyến hoặc trực tiếp",
    "không để phát sinh thủ tục ngoài quy định", "bảo đảm tiết kiệm, hiệu quả",
    "theo phân cấp quản lý ngân sách", "có sự tham gia của cộng đồng dân cư",
    "lồng ghép với các chương trình khác", "ưu tiên người dân tộc thiểu số, phụ nữ",
    "tránh chồng chéo, trùng lặp", "gắn trách nhiệm người đứng đầu", "thông qua Cổng Dịch vụ công",
    "bằng văn bản gửi cơ quan cấp trên", "theo hướng dẫn của bộ, ngành trung ương",
]  # fmt: skip
TIMES = [
    "trước ngày 15 tháng 12 hằng năm", "trong quý I hằng năm", "chậm nhất 10 ngày sau khi kết thúc đợt",
    "ngay sau khi nhận được văn bản", "khi có yêu cầu của cơ quan có thẩm quyền",
    "trước khi trình Ủy ban nhân dân tỉnh", "trong thời gian thực hiện dự án",
    "sau khi có ý kiến thống nhất của các sở", "định kỳ 06 tháng một lần", "trước ngày 30 tháng 6",
    "khi kết thúc năm ngân sách", "trong thời hạn 05 ngày làm việc",
]  # fmt: skip
ACTORS = [
    "Tổ chức, cá nhân", "Hộ gia đình, cá nhân", "Doanh nghiệp, hợp tác xã", "Chủ đầu tư",
    "Người đứng đầu cơ quan, đơn vị", "Cơ sở sản xuất, kinh doanh", "Người sử dụng đất",
    "Đơn vị sự nghiệp công lập", "Nhà đầu tư", "Người lao động", "Chủ hộ kinh doanh",
]  # fmt: skip
BAD = [
    "để trục lợi", "nhằm gây phiền hà cho người dân", "để sách nhiễu tổ chức, cá nhân",
    "khi chưa được cấp có thẩm quyền cho phép", "sai mục đích", "vượt định mức quy định",
    "để lập hồ sơ khống", "trái với quy hoạch được duyệt",
]  # fmt: skip
PAPERS = [
    "đơn đề nghị theo mẫu", "bản sao giấy chứng nhận đăng ký", "bản kê khai thông tin", "biên bản xác minh",
    "bản sao căn cước", "giấy xác nhận của Ủy ban nhân dân cấp xã", "báo cáo kết quả thực hiện",
    "phương án tài chính", "hợp đồng đã ký kết", "hóa đơn, chứng từ hợp lệ", "ảnh chụp hiện trạng",
    "sơ đồ vị trí", "văn bản thỏa thuận", "danh sách đề nghị có xác nhận", "bản thuyết minh dự án",
    "giấy ủy quyền", "biên lai nộp phí", "quyết định giao đất", "bản cam kết", "hồ sơ thiết kế",
]  # fmt: skip
MONEY = [
    "500.000",
    "1.000.000",
    "1.500.000",
    "2.000.000",
    "3.000.000",
    "5.000.000",
    "10.000.000",
    "20.000.000",
]
PER = ["người/tháng", "hộ", "mô hình", "cơ sở/năm", "học sinh/tháng", "lượt", "ha", "công trình"]


@dataclass
class Made:
    number: str
    province: str
    kind: str  # "QĐ" or "NQ"
    issued: tuple[int, int, int]
    articles: int
    field: int
    # some clauses others may copy: (article, clause, text)
    clauses: list[tuple[int, int, str]] = field(default_factory=list)
    name: str = ""  # the file name


def _vn_date(d: tuple[int, int, int]) -> str:
    return f"ngày {d[0]:02d} tháng {d[1]} năm {d[2]}"


def _issuer(kind: str, province: str) -> str:
    body = "Hội đồng nhân dân" if kind == "NQ" else "Ủy ban nhân dân"
    return f"{body} {_place(province)}"


def _place(province: str) -> str:
    """ "tỉnh Bắc Giang", "thành phố Hà Nội"."""
    return f"{'thành phố' if province in CITIES else 'tỉnh'} {province}"


def _cite(m: Made) -> str:
    word = "Nghị quyết" if m.kind == "NQ" else "Quyết định"
    return f"{word} số {m.number} {_vn_date(m.issued)} của {_issuer(m.kind, m.province)}"


class _Writer:
    """The provisions of one document: templates whose slots are drawn from the word lists."""

    def __init__(self, rng: random.Random, field_no: int, province: str) -> None:
        self.rng = rng
        self.topic, self.proc, self.thing, self.lead = FIELDS[field_no]
        self.province = province

    def task(self) -> str:
        r = self.rng
        return f"{r.choice(VERBS)} {r.choice([*NOUNS, self.thing])} {r.choice(QUALS)}"

    def clause(self) -> str:
        r = self.rng
        kind = r.randrange(8)
        if kind == 0:
            text = (
                f"{r.choice(BODIES)} có trách nhiệm {self.task()} {r.choice(MANNERS)}, "
                f"{r.choice(TIMES)}"
            )
        elif kind == 1:
            text = (
                f"Trong thời hạn {r.choice([3, 5, 7, 10, 12, 15, 20, 30]):02d} ngày làm việc kể từ "
                f"ngày nhận đủ hồ sơ hợp lệ, {r.choice([self.lead, *BODIES])} {self.task()} và "
                f"quyết định {self.proc}; trường hợp {r.choice(QUALS)} thì {self.task()}"
            )
        elif kind == 2:
            text = (
                f"Mức hỗ trợ {self.proc} là {r.choice(MONEY)} đồng/{r.choice(PER)}, tối đa không "
                f"quá {r.randint(2, 36)} tháng đối với mỗi {self.thing} {r.choice(QUALS)}; "
                f"{r.choice(BODIES)} {self.task()} {r.choice(TIMES)}"
            )
        elif kind == 3:
            a, b = r.sample(BODIES, 2)
            text = f"{a} chủ trì, phối hợp với {b} {self.task()}; {self.task()} {r.choice(MANNERS)}"
        elif kind == 4:
            text = (
                f"{r.choice(ACTORS)} {r.choice(['được', 'được phép', 'có quyền'])} {self.task()} "
                f"khi {self.task()} {r.choice(MANNERS)}"
            )
        elif kind == 5:
            text = f"Nghiêm cấm {self.task()} {r.choice(BAD)}; {r.choice(ACTORS).lower()} không được {self.task()}"
        elif kind == 6:
            text = (
                f"{r.choice(ACTORS)} phải {self.task()} {r.choice(TIMES)}; {r.choice(MANNERS)} và "
                f"{self.task()}"
            )
        else:
            text = (
                f"Kinh phí {self.task()} được bố trí từ {r.choice(['ngân sách tỉnh', 'ngân sách cấp huyện', 'nguồn xã hội hóa', 'ngân sách trung ương hỗ trợ'])} "
                f"theo {r.choice(['dự toán được giao hằng năm', 'kế hoạch đầu tư công trung hạn', 'phân cấp ngân sách hiện hành'])}; "
                f"{r.choice(BODIES)} {self.task()} {r.choice(TIMES)}"
            )
        return text + "."

    def papers(self) -> list[str]:
        return self.rng.sample(PAPERS, self.rng.randint(2, 5))


HEADINGS = [
    "Phạm vi điều chỉnh", "Đối tượng áp dụng", "Nguyên tắc thực hiện", "Điều kiện được hỗ trợ",
    "Hồ sơ đề nghị", "Trình tự thực hiện", "Thời hạn giải quyết", "Mức hỗ trợ",
    "Kinh phí thực hiện", "Trách nhiệm của các sở, ngành", "Trách nhiệm của Ủy ban nhân dân cấp huyện",
    "Chế độ báo cáo", "Kiểm tra, giám sát", "Xử lý vi phạm",
]  # fmt: skip
LETTERS = "abcdđeghi"
REST = [
    "Những nội dung không quy định tại Quy định này thực hiện theo quy định của pháp luật có liên quan.",
    "Các nội dung khác không quy định tại Quy định này được thực hiện theo quy định hiện hành.",
    "Những nội dung liên quan không quy định tại Quy định này thì áp dụng theo quy định của pháp luật.",
]


def _header(m: Made, title: str, province: str) -> str:
    body = "HỘI ĐỒNG NHÂN DÂN" if m.kind == "NQ" else "ỦY BAN NHÂN DÂN"
    word = "NGHỊ QUYẾT" if m.kind == "NQ" else "QUYẾT ĐỊNH"
    session = "\nKHÓA X, KỲ HỌP THỨ TÁM" if m.kind == "NQ" else ""
    return (
        f"{body}\n{_place(province).upper()}\n--------\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\n"
        f"Số: {m.number}\n\n{province}, {_vn_date(m.issued)}\n\n{word}\n{title}\n\n"
        f"{body} {_place(province).upper()}{session}\n\n"
    )


def _basis(rng: random.Random, m: Made, earlier: list[Made]) -> str:
    lines = [f"Căn cứ {name} {_vn_date(d)};" for name, d in rng.sample(LAWS, rng.randint(2, 4))]
    for kind, number, d, about in rng.sample(CENTRAL, rng.randint(1, 3)):
        lines.append(f"Căn cứ {kind} số {number} {_vn_date(d)} của Chính phủ {about};")
    if earlier and rng.random() < 0.4:
        lines.append(f"Căn cứ {_cite(rng.choice(earlier))};")
    if m.kind == "NQ":
        lines.append(
            f"Xét Tờ trình số {rng.randint(10, 300)}/TTr-UBND của Ủy ban nhân dân tỉnh; ý kiến "
            "thảo luận của đại biểu Hội đồng nhân dân tỉnh tại kỳ họp."
        )
        return "\n".join(lines) + "\n\nQUYẾT NGHỊ:\n\n"
    lines.append(f"Theo đề nghị của Giám đốc {FIELDS[m.field][3]}.")
    return "\n".join(lines) + "\n\nQUYẾT ĐỊNH:\n\n"


def _signature(rng: random.Random, m: Made) -> str:
    if m.kind == "NQ":
        return (
            f"\nNghị quyết này đã được Hội đồng nhân dân {_place(m.province)} thông qua "
            f"{_vn_date(m.issued)}./.\n\nNơi nhận:\n- Ủy ban Thường vụ Quốc hội;\n- Lưu: VT.\n\n"
            f"CHỦ TỊCH\n\n{_person(rng)}\n"
        )
    return (
        "\nNơi nhận:\n- Như Điều 3;\n- Bộ Tư pháp (Cục Kiểm tra văn bản);\n- Lưu: VT.\n\n"
        f"TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n{_person(rng)}\n"
    )


_SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
]
_MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Thu", "Đức", "Hữu", "Thanh", "Ngọc"]
_GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Hà",
    "Hạnh",
    "Khoa",
    "Lan",
    "Minh",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Trung",
    "Vy",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _effect(rng: random.Random, m: Made) -> str:
    d = (min(m.issued[0] + 10, 28), m.issued[1], m.issued[2])
    return f"{(m.kind == 'NQ' and 'Nghị quyết') or 'Quyết định'} này có hiệu lực thi hành kể từ {_vn_date(d)}."


def _regulation(
    rng: random.Random, m: Made, w: _Writer, earlier: list[Made], copied: tuple[int, str] | None
) -> list[str]:
    """The articles of a regulation (without the effect and execution articles); ``copied`` is
    an article number (from 2 to ``articles - 3``) and the copied clauses written there."""
    arts: list[str] = []
    n_art = m.articles - 2
    headings = [HEADINGS[0], HEADINGS[1], *rng.sample(HEADINGS[2:], min(n_art - 2, 12))]
    while len(headings) < n_art:
        headings.append(rng.choice(HEADINGS[2:]))
    slot = dict([copied]) if copied else {}
    for a in range(1, n_art + 1):
        head = f"Điều {a}. {headings[a - 1]}"
        if a in slot:
            arts.append(f"{head}\n{slot[a]}\n")
            continue
        out = [head]
        if a == 1:
            # what it governs, the field's own words first (two provinces' regulations on one
            # field say so alike), then what this one adds
            scope = ", ".join(w.task() for _ in range(rng.randint(1, 2)))
            out.append(
                f"1. Quy định này quy định về {w.topic}: {w.proc} đối với {w.thing}, trách "
                f"nhiệm của {w.lead} và các cơ quan có liên quan, {scope}."
            )
            if rng.random() < 0.3:  # the same formula in many documents: a duplicate cluster
                out.append(f"2. {rng.choice(REST)}")
            arts.append("\n".join(out) + "\n")
            continue
        for k in range(1, rng.randint(1, 5) + 1):
            text = w.clause()
            if earlier and rng.random() < 0.08:
                e = rng.choice(earlier)
                text = text.rstrip(".") + (
                    f" theo quy định tại khoản {rng.randint(1, 3)} Điều "
                    f"{rng.randint(1, max(1, e.articles - 2))} {_cite(e)}."
                )
            if rng.random() < 0.1:
                out.append(f"{k}. Hồ sơ đề nghị {w.proc} {rng.choice(QUALS)} gồm:")
                for j, paper in enumerate(w.papers()):
                    out.append(f"{LETTERS[j]}) {paper.capitalize()} {rng.choice(QUALS)};")
            else:
                out.append(f"{k}. {text}")
                if len(m.clauses) < 6 and rng.random() < 0.3:
                    m.clauses.append((a, k, text))
        arts.append("\n".join(out) + "\n")
    return arts


def _copy(rng: random.Random, source: Made, change: str) -> list[tuple[tuple[int, int], str, str]]:
    """Clauses of ``source`` copied: word for word but a word or two ("copy"), or with a changed
    figure ("numeric") or permission ("modality"): (source article and clause, text, the change
    made, which is "copy" when the asked one does not apply to the clause)."""
    out = []
    for a, k, text in rng.sample(source.clauses, min(len(source.clauses), rng.randint(1, 3))):
        words = text.split(" ")
        made = "copy"
        if change == "numeric" and any(ch.isdigit() for ch in text):
            words = [
                (str(int(x) + rng.randint(1, 5)).zfill(len(x)) if x.isdigit() else x) for x in words
            ]
            made = "numeric"
        elif change == "modality" and " được " in f" {text} ":
            words = " ".join(words).replace("được", "không được", 1).split(" ")
            made = "modality"
        elif len(words) > 12:
            words[rng.randrange(len(words))] = rng.choice(["các", "mọi", "từng", "những"])
        out.append(((a, k), " ".join(words), made))
    return out


def _amendment(rng: random.Random, m: Made, w: _Writer, target: Made) -> str:
    word = "Nghị quyết" if m.kind == "NQ" else "Quyết định"
    body = [f"Điều 1. Sửa đổi, bổ sung một số điều của {_cite(target)}"]
    for k in range(1, rng.randint(2, 5) + 1):
        art = rng.randint(2, max(2, target.articles - 2))
        roll = rng.random()
        if roll < 0.45:
            body.append(f"{k}. Sửa đổi, bổ sung khoản {rng.randint(1, 2)} Điều {art} như sau:")
            body.append(f"“{rng.randint(1, 2)}. {w.clause()}”")
        elif roll < 0.7:
            body.append(f"{k}. Bổ sung khoản 6 vào Điều {art} như sau:")
            body.append(f"“6. {w.clause()}”")
        else:
            body.append(f"{k}. Bãi bỏ khoản {rng.randint(1, 2)} Điều {art}.")
    body.append(f"Điều 2. {_effect(rng, m)}")
    body.append(
        f"Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc {w.lead} và các cơ quan, tổ chức, "
        f"cá nhân có liên quan chịu trách nhiệm thi hành {word} này./."
    )
    return "\n".join(body) + "\n"


def generate(n: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    """``n`` documents as (file name, text), in issue order."""
    for name, text, _ in documents(n, seed):
        yield name, text


def documents(n: int, seed: int = 1) -> Iterator[tuple[str, str, list[dict[str, object]]]]:
    """``n`` documents as (file name, text, what it copies), in issue order. Each copied clause
    is one record: ``file``/``number``/``unit`` (the copy), ``source_file``/``source_number``/
    ``source_unit``, ``kind``
    (copy, numeric, modality) and ``same_territory`` (the two provinces are, or were merged
    into, one province: the pair checks must find it; else they must not)."""
    rng = random.Random(seed)
    pools: dict[str, list[Made]] = {p: [] for p in PROVINCES}
    seq: dict[tuple[int, str], int] = {}
    # the last documents with copyable clauses, by merged province and field (for copies)
    recent: dict[tuple[int, int], list[Made]] = {}
    for i in range(n):
        province = rng.choice(PROVINCES)
        year = 2010 + (i * 16 // max(n, 1))
        kind = "NQ" if rng.random() < RATES["resolution"] else "QĐ"
        code = "NQ-HĐND" if kind == "NQ" else "QĐ-UBND"
        seq[(year, code)] = k = seq.get((year, code), 0) + 1
        issued = (rng.randint(1, 28), rng.randint(1, 12), year)
        field_no = rng.randrange(len(FIELDS))
        m = Made(f"{k:02d}/{year}/{code}", province, kind, issued, rng.randint(5, 30), field_no)
        slug = m.number.replace("/", "-").replace("Đ", "D").lower()
        m.name = f"{i:06d}-{_ascii(province)}-{slug}.txt"
        w = _Writer(rng, field_no, province)
        word = "Nghị quyết" if kind == "NQ" else "Quyết định"
        same = pools[province]
        plants: list[dict[str, object]] = []
        roll = rng.random()
        if same and roll < RATES["amend"]:
            target = rng.choice(same)
            m.articles, m.field = 3, target.field
            w = _Writer(rng, target.field, province)
            title = f"Sửa đổi, bổ sung một số điều của {_cite(target)}"
            text = _amendment(rng, m, w, target)
        else:
            title = f"Quy định về {w.topic} trên địa bàn {_place(province)}"
            copied = None
            r2 = rng.random()
            if m.articles > 5 and r2 < RATES["copy"] + RATES["numeric"] + RATES["modality"]:
                change = (
                    "numeric"
                    if r2 < RATES["numeric"]
                    else "modality"
                    if r2 < RATES["numeric"] + RATES["modality"]
                    else "copy"
                )
                near = rng.random() < RATES["same_territory"]
                group = GROUP_OF[province]
                if not near:
                    group = rng.choice([g for g in range(len(GROUPS)) if g != group])
                pool = [x for x in recent.get((group, field_no), ()) if x.province != province]
                if pool:
                    source = rng.choice(pool)
                    slot = rng.randrange(2, m.articles - 2)
                    clauses = _copy(rng, source, change)
                    written = [f"{c}. {t}" for c, (_, t, _) in enumerate(clauses, start=1)]
                    copied = (slot, "\n".join(written))
                    plants = [
                        {
                            "file": m.name,
                            "number": m.number,
                            "unit": f"art_{slot}__para_{c}",
                            "source_file": source.name,
                            "source_number": source.number,
                            "source_unit": f"art_{sa}__para_{sk}",
                            "kind": made,
                            "same_territory": near,
                        }
                        for c, ((sa, sk), _, made) in enumerate(clauses, start=1)
                    ]
            arts = _regulation(rng, m, w, same[-WINDOW:], copied)
            effect = _effect(rng, m)
            r3 = rng.random() * (1 - RATES["amend"])
            if same and r3 < RATES["replace"] + RATES["repeal"]:
                old = rng.choice(same)
                verb = "thay thế" if r3 < RATES["replace"] else "bãi bỏ"
                effect = f"1. {effect}\n2. {word} này {verb} {_cite(old)}."
            arts.append(f"Điều {m.articles - 1}. Hiệu lực thi hành\n{effect}\n")
            arts.append(
                f"Điều {m.articles}. Tổ chức thực hiện\nChánh Văn phòng Ủy ban nhân dân tỉnh, "
                f"Giám đốc {w.lead}, Chủ tịch Ủy ban nhân dân các huyện và các cơ quan, tổ chức, "
                f"cá nhân có liên quan chịu trách nhiệm thi hành {word} này./.\n"
            )
            if m.articles > 8:
                half = m.articles // 2
                arts.insert(half - 1, "Chương II\nTỔ CHỨC THỰC HIỆN\n")
                arts.insert(0, "Chương I\nQUY ĐỊNH CHUNG\n")
            text = "\n".join(arts)
        doc = _header(m, title, province) + _basis(rng, m, same[-WINDOW:]) + text
        doc += _signature(rng, m)
        same.append(m)
        if len(same) > 4 * WINDOW:
            del same[: len(same) - WINDOW]
        if m.clauses:
            mine = recent.setdefault((GROUP_OF[province], m.field), [])
            mine.append(m)
            if len(mine) > 2 * WINDOW:
                del mine[: len(mine) - WINDOW]
        yield m.name, doc, plants


def _ascii(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in s if c.isascii() and c.isalnum()).lower()


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path, nargs="?")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stdout", action="store_true", help="write the texts to stdout")
    args = ap.parse_args()
    total = 0
    if args.stdout:
        for _, text in generate(args.n, args.seed):
            sys.stdout.write(text + "\f\n")
        return
    if args.out is None:
        ap.error("an output folder, or --stdout")
    args.out.mkdir(parents=True, exist_ok=True)
    planted = 0
    with (args.out / "planted.jsonl").open("w", encoding="utf-8") as sidecar:
        for i, (name, text, plants) in enumerate(documents(args.n, args.seed)):
            folder = args.out / f"{i // 1000:03d}"
            if i % 1000 == 0:
                folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
            for p in plants:
                sidecar.write(json.dumps(p, ensure_ascii=False) + "\n")
            planted += len(plants)
    print(f"{args.n} văn bản, {total / 1e6:.1f} MB, {planted} khoản chép -> {args.out}")


if __name__ == "__main__":
    main()
