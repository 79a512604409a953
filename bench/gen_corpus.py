"""Scale corpus: realistic documents in the real format, at any size, the same for the same seed.

Built from the demo corpus (its clause and point sentences are the phrase bank: text written for
this project) and from the rules (document types and issuer codes). Each generated document has a
header, a Căn cứ block citing real-looking central documents and earlier generated ones, chapters,
articles, clauses and points, references to other documents' units, and an effect article; some
documents amend (numbered instructions with quoted new text), replace or repeal earlier ones; some
provisions are near-copies of another document's (overlap) or change a time limit (conflict).

Run: ``.venv/bin/python bench/gen_corpus.py 1000 /tmp/scale --seed 1`` (writes N .txt files).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.parse import parse_document  # noqa: E402
from vbqppl.read import read_file  # noqa: E402

PROVINCES = [
    "Hòa Lâm", "Bắc Lâm", "Nam Sơn", "Tây Hà", "Đông Giang", "Vĩnh Thái", "An Khê", "Phú Định",
    "Long Điền", "Thanh Bình", "Quảng Hòa", "Kim Sơn",
]  # fmt: skip
FIELDS = [
    "đào tạo nghề", "quản lý chợ", "phí trông giữ xe", "cụm công nghiệp", "nghĩa trang nhân dân",
    "hỗ trợ việc làm", "bảo vệ môi trường", "quản lý đô thị", "khuyến nông", "y tế cơ sở",
    "giáo dục mầm non", "du lịch cộng đồng", "tài nguyên nước", "an toàn thực phẩm",
]  # fmt: skip
CENTRAL = [
    ("Nghị định", "63/2010/NĐ-CP", "2010-06-08"),
    ("Nghị định", "61/2018/NĐ-CP", "2018-04-23"),
    ("Nghị định", "107/2021/NĐ-CP", "2021-12-06"),
    ("Thông tư", "02/2017/TT-VPCP", "2017-10-31"),
    ("Nghị định", "45/2020/NĐ-CP", "2020-04-08"),
]
LAWS = [
    ("Luật Tổ chức chính quyền địa phương", "2025-02-19"),
    ("Luật Ban hành văn bản quy phạm pháp luật", "2025-02-19"),
    ("Luật Ngân sách nhà nước", "2015-06-25"),
]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thu Hà"]


_NOT_A_PHRASE = re.compile(
    r"[“”\"]|\d+/\d{4}/|\d+/[A-ZĐ]|thay thế|bãi bỏ|hết hiệu lực|sửa đổi|bổ sung|Điều \d|khoản \d"
)


@dataclass
class Made:
    number: str
    province: str
    year: int
    articles: int
    field: str


def _phrase_bank() -> tuple[list[str], list[str]]:
    """Clause and point sentences of the demo corpus (text written for this project)."""
    clauses: list[str] = []
    points: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        doc = parse_document(read_file(path))
        for u in doc.units:
            body = doc.text[u.span.start : u.span.end].split("\n")[0]
            body = re.sub(r"^\s*(?:\d+[a-z]?\.|[a-zđ]\d?\))\s*", "", body).strip()
            if len(body) < 30 or _NOT_A_PHRASE.search(body):
                continue  # quoted text, citations and relation wording would plant false facts
            (points if u.kind == "point" else clauses if u.kind == "clause" else []).append(body)
    return clauses, points


def _date(rng: random.Random, year: int) -> tuple[int, int, int]:
    return rng.randint(1, 28), rng.randint(1, 12), year


def _vn_date(d: int, m: int, y: int) -> str:
    return f"ngày {d:02d} tháng {m} năm {y}"


def _header(number: str, province: str, d: tuple[int, int, int], title: str) -> str:
    return (
        f"ỦY BAN NHÂN DÂN\nTỈNH {province.upper()}\n--------\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\n"
        f"Số: {number}\n\n{province}, {_vn_date(*d)}\n\nQUYẾT ĐỊNH\n{title}\n\n"
        f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}\n\n"
    )


def _basis(rng: random.Random, earlier: list[Made]) -> str:
    lines = [
        f"Căn cứ {name} ngày {_vn_date(*map(int, reversed(iso.split('-'))))[5:]};"
        for name, iso in rng.sample(LAWS, 2)
    ]
    for kind, number, iso in rng.sample(CENTRAL, 2):
        y, m, d = (int(x) for x in iso.split("-"))
        lines.append(f"Căn cứ {kind} số {number} {_vn_date(d, m, y)} của Chính phủ;")
    if earlier and rng.random() < 0.3:
        e = rng.choice(earlier)
        lines.append(f"Căn cứ Quyết định số {e.number} của Ủy ban nhân dân tỉnh {e.province};")
    lines.append("Theo đề nghị của Giám đốc Sở Tư pháp.")
    return "\n".join(lines) + "\n\nQUYẾT ĐỊNH:\n\n"


def _signature(rng: random.Random) -> str:
    return (
        "\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n"
        f"{rng.choice(SIGNERS)}\n"
    )


def _article(
    rng: random.Random, n: int, clauses: list[str], points: list[str], earlier: list[Made]
) -> str:
    heading = rng.choice(["Phạm vi điều chỉnh", "Đối tượng áp dụng", "Trình tự thực hiện",
                          "Hồ sơ đề nghị", "Thời hạn giải quyết", "Trách nhiệm của các cơ quan",
                          "Kinh phí thực hiện", "Chế độ báo cáo"])  # fmt: skip
    out = [f"Điều {n}. {heading}"]
    for k in range(1, rng.randint(1, 5) + 1):
        sentence = rng.choice(clauses)
        if rng.random() < 0.15:
            sentence = (
                sentence.rstrip(".")
                + f" trong thời hạn {rng.choice([3, 5, 7, 10, 15]):02d} ngày làm việc."
            )
        if earlier and rng.random() < 0.1:
            e = rng.choice(earlier)
            sentence = sentence.rstrip(".") + (
                f" theo quy định tại khoản {rng.randint(1, 3)} Điều {rng.randint(1, max(1, e.articles))}"
                f" Quyết định số {e.number}."
            )
        if rng.random() < 0.25:
            out.append(f"{k}. {sentence.rstrip('.')}, gồm:")
            letters = "abcdđeg"
            for j in range(rng.randint(2, 4)):
                out.append(f"{letters[j]}) {rng.choice(points).rstrip('.;')};")
        else:
            out.append(f"{k}. {sentence}")
    return "\n".join(out) + "\n"


def generate(n: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    """``n`` documents as (file name, text), in issue order."""
    rng = random.Random(seed)
    clauses, points = _phrase_bank()
    made: list[Made] = []
    seq: dict[tuple[str, int], int] = {}
    for i in range(n):
        province = PROVINCES[i % len(PROVINCES)] if rng.random() < 0.7 else rng.choice(PROVINCES)
        year = 2015 + (i * 11 // max(n, 1))
        key = (province, year)
        seq[key] = seq.get(key, 0) + 1
        number = f"{seq[key]:02d}/{year}/QĐ-UBND"
        d = _date(rng, year)
        same = [m for m in made if m.province == province]
        field = rng.choice(FIELDS)
        roll = rng.random()
        if same and roll < 0.12:
            target = rng.choice(same)
            title = f"Sửa đổi, bổ sung một số điều của Quyết định số {target.number}"
            body = [f"Điều 1. Sửa đổi, bổ sung một số điều của Quyết định số {target.number}"]
            for k in range(1, rng.randint(2, 4) + 1):
                art = rng.randint(1, max(1, target.articles))
                if rng.random() < 0.5:
                    body.append(f"{k}. Sửa đổi, bổ sung khoản 1 Điều {art} như sau:")
                    body.append(f"“1. {rng.choice(clauses)}”")
                else:
                    body.append(f"{k}. Bãi bỏ khoản 2 Điều {art}.")
            body.append(
                f"Điều 2. Quyết định này có hiệu lực thi hành kể từ {_vn_date(min(d[0] + 10, 28), d[1], year)}."
            )
            body.append(
                "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh chịu trách nhiệm thi hành Quyết định này./."
            )
            articles = 3
            text = "\n".join(body) + "\n"
        else:
            title = f"Ban hành Quy định về {field} trên địa bàn tỉnh {province}"
            articles = rng.randint(4, 30)
            arts = [_article(rng, a, clauses, points, made[-200:]) for a in range(1, articles - 1)]
            if same and roll < 0.2:
                old = rng.choice(same)
                verb = "thay thế" if roll < 0.16 else "bãi bỏ"
                arts.append(
                    f"Điều {articles - 1}. Hiệu lực thi hành\n1. Quyết định này có hiệu lực thi hành kể từ "
                    f"{_vn_date(min(d[0] + 10, 28), d[1], year)}.\n2. Quyết định này {verb} Quyết định số {old.number}.\n"
                )
            else:
                arts.append(
                    f"Điều {articles - 1}. Hiệu lực thi hành\nQuyết định này có hiệu lực thi hành kể từ "
                    f"{_vn_date(min(d[0] + 10, 28), d[1], year)}.\n"
                )
            arts.append(
                f"Điều {articles}. Tổ chức thực hiện\nChánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở "
                "và các cơ quan, tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.\n"
            )
            chapter_at = {
                1: "Chương I\nQUY ĐỊNH CHUNG\n",
                max(2, articles // 2): "Chương II\nTỔ CHỨC THỰC HIỆN\n",
            }
            parts = []
            for a, art in enumerate(arts, start=1):
                if articles > 8 and a in chapter_at:
                    parts.append(chapter_at[a])
                parts.append(art)
            text = "\n".join(parts)
        doc = _header(number, province, d, title) + _basis(rng, made[-50:]) + text + _signature(rng)
        made.append(Made(number, province, year, articles, field))
        slug = number.replace("/", "-").replace("Đ", "D").lower()
        yield f"{i:06d}-{_ascii(province)}-{slug}.txt", doc


def _ascii(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in s if c.isascii() and c.isalnum()).lower()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in generate(args.n, args.seed):
        (args.out / name).write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    print(f"{args.n} văn bản, {total / 1e6:.1f} MB -> {args.out}")


if __name__ == "__main__":
    main()
