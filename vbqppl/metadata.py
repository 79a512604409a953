"""Document metadata from the header, the effect article and the closing block.

Works on the cleaned text. Each field is found by its own small function so that a miss in one
never spoils another; a field that cannot be found is ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from vbqppl.ids import DocNumber
from vbqppl.model import Metadata
from vbqppl.rules import load_rules
from vbqppl.structure import is_caps

_WS = re.compile(r"\s+")
_NUMBER_LINE = re.compile(
    # "số:" in lower case begins a line where "Luật / số: 67/2006/QH11" was wrapped
    r"(?:^|\n)\s*(?:\*\*)?(?:(?:Số|SỐ|Luật số|Bộ luật số|Nghị quyết số|Pháp lệnh số|Lệnh số|Số hiệu)\s*:?"
    r"|số\s*:)\s*"
    # a Party number "221-KL/TW" goes on with "/TW" after its type code
    r"(?P<num>\d{1,5}[a-z]?\s*(?:/\s*\d{4}\s*)?(?:/|-)\s*[A-Za-zĐđ][A-Za-zĐđ0-9]*"
    r"(?:\s*-\s*[A-Za-zĐđ][A-Za-zĐđ0-9]*)*(?:/[A-ZĐ][A-ZĐ0-9]*)?)"
)
_DATE = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s*(?:tháng|/|-)\s*(?P<m>\d{1,2})\s*(?:năm|/|-)\s*(?P<y>\d{4})", re.I
)
_PLACE_DATE = re.compile(
    r"(?:^|\n)[ \t]*(?P<place>[A-ZĐÀ-Ỹ][\wÀ-ỹ\.\- ]{1,40}?)\s*,?\s*ngày\s+(?P<d>\d{1,2}|\.{2,}|…+)\s*tháng\s*"
    r"(?P<m>\d{1,2}|\.{2,}|…+)\s*năm\s*(?P<y>\d{4})"
)
_EFFECT = re.compile(
    r"có hiệu lực(?:\s+thi hành)?\s+(?P<rule>(?:kể\s+)?từ\s+ngày\s+(?:ký|ban hành|thông qua|công bố)"
    r"(?:\s+ban hành)?|(?:kể\s+)?từ\s+ngày\s+(?P<d>\d{1,2})\s*(?:tháng|/|-)\s*(?P<m>\d{1,2})\s*(?:năm|/|-)\s*(?P<y>\d{4})"
    r"|sau\s+\d+\s+ngày\s+kể\s+từ\s+ngày\s+ký(?:\s+ban hành)?)",
    re.I,
)
_PASSED = re.compile(
    r"(?:được|đã được)\s+(?:Quốc hội|Ủy ban Thường vụ Quốc hội|Hội đồng nhân dân[^,\n]{0,60}?)[^\n]{0,200}?"
    r"(?:thông qua|khóa [^\n]{0,80}?thông qua)\s+ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})",
    re.I,
)
_TITLE_STOP = re.compile(
    r"^(Căn cứ|CĂN CỨ|Theo đề nghị|Xét |Thực hiện|Kính gửi|Điều \d|Chương [IVX]|Phần thứ|PHẦN THỨ|"
    r"QUYẾT ĐỊNH\s*:|QUYẾT NGHỊ\s*:|CHỈ THỊ\s*:|Quốc hội ban hành|"
    # the issuing body's caption before the Căn cứ ("ỦY BAN NHÂN DÂN TỈNH ..."), not a title
    # line wrapped in capitals that names a place ("... TRÊN ĐỊA BÀN THÀNH PHỐ HÀ NỘI")
    r"(?!.*\b(?:TRÊN ĐỊA BÀN|CỦA|CHO|TẠI)\s)[A-ZĐ][A-ZĐÀ-Ỹ ]+(?:TỈNH|THÀNH PHỐ|NHÂN DÂN|CHÍNH PHỦ|BỘ TRƯỞNG)[A-ZĐÀ-Ỹ ]*$)"
)


@cache
def _types() -> list[tuple[str, str]]:
    """(caption as printed in capitals, type name) longest first."""
    rules = load_rules("doc_types")
    pairs = [(t["caption"], t["name"]) for t in rules["types"]]
    return sorted(pairs, key=lambda p: -len(p[0]))


@cache
def _captions() -> frozenset[str]:
    return frozenset(c for c, _ in _types())


@cache
def _type_by_code() -> dict[str, str]:
    return {t["code"]: t["name"] for t in load_rules("doc_types")["types"] if t.get("code")}


def _iso(d: str, m: str, y: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def extract_metadata(text: str, *, body_start: int | None = None) -> Metadata:
    """Metadata of a document from its cleaned text; ``body_start`` is where its first unit is."""
    head_end = body_start if body_start is not None and body_start > 0 else min(len(text), 4000)
    head_from = _header_start(text[:head_end] if head_end > 200 else text[:4000])
    head = text[head_from : max(head_end, head_from + 200)][:6000]
    # A consolidated text may reproduce its base document's header (and number) at its top; its
    # own number stands in the closing certification block.
    certified = _closing_number(text) if "XÁC THỰC VĂN BẢN HỢP NHẤT" in text else None
    number = certified or _number(head) or _closing_number(text)
    portal = _portal_title(text[:600])
    if number is None and portal is not None:
        number = portal.number
    dtype = _doc_type(head, number)
    place, issued = _place_and_date(head)
    if certified is not None:  # the certification block has the consolidated text's own date
        idx = text.rfind("XÁC THỰC VĂN BẢN HỢP NHẤT")
        place, issued = _certified_place_and_date(text[idx : idx + 1500])
        if issued is None:  # the date may stand just before the caption, in the other column
            place, issued = _certified_place_and_date(text[max(0, idx - 300) : idx], last=True)
    if issued is None:
        issued = _passed_date(text)
    if portal is not None:
        dtype = dtype or portal.type
        issued = issued or portal.issued
    issuer = _issuer(head, number) or (portal.issuer if portal else None)
    if number is None:
        # a text whose header was lost may still name itself in its appendix's caption
        own = _own_caption(text)
        if own is not None:
            number, dtype = own.number, dtype or own.type
            issued, issuer = issued or own.issued, issuer or own.issuer
    effective, rule = _effective(text, head_end)
    title = _title(head, dtype)
    signer = _signer(text)
    normative = number.normative if number else False
    if dtype == "Văn bản hợp nhất":
        normative = True
    return Metadata(
        number=str(number) if number else None,
        type=dtype,
        issuer=issuer,
        place=place,
        issued=issued,
        effective=effective,
        effective_rule=rule,
        title=title,
        signer=signer,
        normative=normative,
    )


_MOTTO = re.compile(r"^\s*(?:\*\*)?CỘNG\s+H(?:ÒA|OÀ)\b", re.M)
_PORTAL_TITLE = re.compile(
    r"^(?P<type>Quyết định|Nghị quyết|Nghị định|Thông tư liên tịch|Thông tư|Văn bản hợp nhất|Chỉ thị|"
    r"Công văn|Kế hoạch|Thông báo|Công điện|Luật|Bộ luật)\s+(?:số\s+)?(?P<num>\S+)\s+ngày\s+"
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
)


_PORTAL_BY = re.compile(r"\bdo\s+(?P<by>[A-ZĐÀ-Ỹ][^.;]{2,120}?)\s+ban hành\b")
# "Bộ trưởng Bộ Y tế" issues for the ministry, "Chủ tịch Ủy ban nhân dân ..." for the committee
_OFFICIAL = re.compile(
    r"^(?:Bộ trưởng|Chủ tịch|Thống đốc|Tổng cục trưởng|Cục trưởng|Giám đốc|Chánh án|Viện trưởng)"
    r"\s+(?=Bộ|Ủy ban|Uỷ ban|Ngân hàng|Tổng cục|Cục|Sở|Tòa án|Viện)"
)


_OWN_CAPTION = re.compile(
    r"\(\s*(?:[Bb]an hành\s+)?[Kk]èm\s+theo\s+(?P<type>Công văn|Quyết định|Nghị quyết|Nghị định|"
    r"Thông tư|Chỉ thị|Kế hoạch|Thông báo|Công điện|Kết luận)\s+số\s+(?P<num>[^\s,;()]+)\s*,?\s*"
    r"ngày\s+(?P<d>\d{1,2})\s*(?:tháng|/)\s*(?P<m>\d{1,2})\s*(?:năm|/)\s*(?P<y>\d{4})"
    r"(?:\s+của\s+(?P<by>[^()]{2,160}?))?\s*\)"
)
_BARE_PLACE = re.compile(r"\b(Thành phố|Tỉnh)$")
_NAMED_PLACE = re.compile(r"\b(?:Thành phố|Tỉnh)\s+(\w+(?:\s+\w+){0,3})")


def _own_caption(text: str) -> _Portal | None:
    """The document named by its appendix's caption: "(Kèm theo Công văn số 4001/UBND-ĐT ngày
    24 tháng 11 năm 2025 của Ủy ban nhân dân Thành phố)". A bare "Thành phố" or "Tỉnh" is
    completed with the one place of that kind the text names in full."""
    flat = _WS.sub(" ", text)
    m = _OWN_CAPTION.search(flat)
    if m is None:
        return None
    num = DocNumber.try_parse(m["num"])
    if num is None:
        return None
    issuer = _OFFICIAL.sub("", m["by"]).strip() if m["by"] else None
    if issuer and (bare := _BARE_PLACE.search(issuer)):
        names = set()
        for n in _NAMED_PLACE.finditer(flat):
            words = n[1].split()
            k = next((i for i, w in enumerate(words) if not w[:1].isupper()), len(words))
            if k and n[0].startswith(bare[1]):
                names.add(" ".join(words[:k]))
        if len(names) == 1:
            issuer = f"{issuer} {names.pop()}"
    return _Portal(m["type"], num, _iso(m["d"], m["m"], m["y"]), issuer)


def _header_start(text: str) -> int:
    """Where the document's own header begins: a few lines above the national motto (legal
    portals put a summary of the document before it)."""
    m = _MOTTO.search(text)
    if m is None or m.start() < 400:
        return 0
    before = text[: m.start()].rstrip("\n").split("\n")
    keep = 0
    for ln in reversed(before[-8:]):
        if ln.strip() and not _is_caps(ln.replace("-", "")) and not set(ln.strip()) <= set("-_*| "):
            break
        keep += len(ln) + 1
    return max(0, m.start() - keep)


@dataclass(frozen=True, slots=True)
class _Portal:
    type: str
    number: DocNumber
    issued: str | None
    issuer: str | None


def _portal_title(top: str) -> _Portal | None:
    """A legal portal's title line: "Quyết định 3608/QĐ-BYT ngày 21/11/2025 về ... do Bộ
    trưởng Bộ Y tế ban hành" (all a placeholder page may hold)."""
    first = top.lstrip().split("\n", 1)[0]
    m = _PORTAL_TITLE.match(first)
    if not m:
        return None
    num = DocNumber.try_parse(m["num"])
    if num is None:
        return None
    by = _PORTAL_BY.search(first)
    issuer = _OFFICIAL.sub("", by["by"]).strip() if by else None
    return _Portal(m["type"], num, _iso(m["d"], m["m"], m["y"]), issuer or None)


def _number(head: str) -> DocNumber | None:
    for m in _NUMBER_LINE.finditer(head):
        num = DocNumber.try_parse(m["num"])
        if num is not None:
            return num
    return None


def _closing_number(text: str) -> DocNumber | None:
    """A consolidated text states its own number only in the closing certification block."""
    idx = text.rfind("XÁC THỰC VĂN BẢN HỢP NHẤT")
    zone = text[max(0, idx - 600) : idx + 1500] if idx >= 0 else text[-6000:]
    for m in _NUMBER_LINE.finditer(zone):
        num = DocNumber.try_parse(m["num"])
        if num is not None and "VBHN" in num.codes:
            return num
    return None


def _doc_type(head: str, number: DocNumber | None) -> str | None:
    if number is not None and "VBHN" in number.codes:
        return "Văn bản hợp nhất"
    if re.search(r"^\s*VĂN BẢN HỢP NHẤT\b", head, re.M):
        return "Văn bản hợp nhất"
    for raw in head.split("\n"):
        line = _WS.sub(" ", raw.replace("*", "")).strip()
        if not line or len(line) > 40:
            continue
        # a type caption stands alone in capitals, sometimes with a footnote number stuck on
        core = line.rstrip("0123456789").strip()
        for caption, name in _types():
            if core == caption:
                return name
    if re.search(r"^\s*(?:V/v|V/V|Kính gửi)\b", head, re.M):
        return "Công văn"
    if number is not None:
        by_code = _type_by_code()
        for code in number.codes:
            if code in by_code:
                return by_code[code]
        if number.codes and re.fullmatch(r"QH\d+", number.codes[-1]):
            return "Luật"
        if not number.normative and len(number.codes) >= 1:
            return "Công văn"
    return None


def _place_and_date(head: str) -> tuple[str | None, str | None]:
    flat = re.sub(r"[ \t]+", " ", head.replace("*", ""))
    for m in _PLACE_DATE.finditer(flat):
        place = m["place"].strip()
        place = re.sub(r"^.*\b(?:Hạnh phúc|HẠNH PHÚC)\W*", "", place).strip(" -–")
        place = re.sub(r"^(?:[-–_]+\s*)", "", place)
        if not m["d"].isdigit() or not m["m"].isdigit():
            return place or None, None
        return place or None, _iso(m["d"], m["m"], m["y"])
    return None, None


def _certified_place_and_date(zone: str, last: bool = False) -> tuple[str | None, str | None]:
    """The place and date of a certification block: a place of capitalised words ("Hà Nội"), not
    the end of a sentence that happens to precede "ngày ... tháng ... năm"."""
    flat = re.sub(r"[ \t]+", " ", zone.replace("*", ""))
    found: list[tuple[str | None, str | None]] = []
    for m in _PLACE_DATE.finditer(flat):
        place = m["place"].strip(" -–")
        if place and all(w[:1].isupper() for w in place.split()) and m["d"].isdigit():
            found.append((place, _iso(m["d"], m["m"], m["y"])))
    if not found:
        return None, None
    return found[-1] if last else found[0]


def _passed_date(text: str) -> str | None:
    flat = _WS.sub(" ", text[-8000:])
    m = _PASSED.search(flat)
    return _iso(m["d"], m["m"], m["y"]) if m else None


def _issuer(head: str, number: DocNumber | None) -> str | None:
    """The issuing body from the header block (e.g. "ỦY BAN NHÂN DÂN / TỈNH CÀ MAU").

    The block stands before the national motto (or, in some layouts, just after it). A line that
    begins with a body word starts a new body; the last body named is the issuer, the ones
    before it its parents ("BỘ TÀI CHÍNH / CỤC THUẾ" is issued by Cục Thuế)."""
    lines = [_WS.sub(" ", ln.replace("*", "")).strip(" -_|") for ln in head.split("\n")[:30]]
    lines = [ln for ln in lines if ln and not set(ln) <= set("-_=*. ")]
    bodies: list[list[str]] = []
    seen_motto = False
    for ln in lines:
        if ln.startswith(("Số", "Luật số", "SỐ", "V/v", "Kính gửi")) or _DATE.search(ln):
            break
        if _MOTTO_PART.match(ln):
            if bodies:
                break
            seen_motto = True
            continue
        if ln.startswith("VĂN BẢN HỢP NHẤT") or ln == "VĂN BẢN PHÁP LUẬT KHÁC":
            continue
        if ln.rstrip("0123456789").strip() in _captions():
            break  # the type caption ("THÔNG TƯ") follows the header block
        if not _is_caps(ln) or len(ln) > 90:
            if bodies:
                break
            if seen_motto:
                break
            continue
        if bodies and (
            bodies[-1][-1].endswith(("ỦY", "UỶ", "HỘI ĐỒNG", "NHÂN"))
            or (
                len(bodies[-1]) == 1
                and _body_start_re().fullmatch(bodies[-1][0])
                and _fold_body(bodies[-1][0]) not in _known_bodies()
            )
        ):
            # a name broken inside a word group ("ỦY / BAN NHÂN DÂN"), or after the word that
            # begins it ("CỤC / HẢI QUAN"; "CHÍNH PHỦ" alone is a whole name)
            bodies[-1].append(ln)
        elif _body_start_re().match(ln) or not bodies:
            bodies.append([ln])
        else:
            bodies[-1].append(ln)
    if bodies:
        return _proper_body(" ".join(bodies[-1]))
    return _issuer_from_code(number) if number is not None else None


_MOTTO_PART = re.compile(
    r"^(?:CỘNG|HÒA XÃ|HOÀ XÃ|XÃ HỘI|HỘI CHỦ|CHỦ NGHĨA|Độc lập|ĐỘC LẬP|Hạnh phúc)"
)


@cache
def _body_start_re() -> re.Pattern[str]:
    words = sorted(load_rules("issuers")["body_starts"], key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^(?:{alt})(?![A-ZĐÀ-Ỹ])")


@cache
def _known_bodies() -> dict[str, str]:
    return {_fold_body(b): b for b in load_rules("issuers")["bodies"]}


def _fold_body(s: str) -> str:
    s = s.upper().replace("UỶ", "ỦY").replace("HOÁ", "HÓA").replace("HOÀ", "HÒA")
    return _WS.sub(" ", s).strip()


_LOCALITY = re.compile(
    r"\b(tỉnh|thành phố|tp\.?|xã|phường|huyện|quận|thị xã|đặc khu|thị trấn)\s+(.+)$", re.I
)


def _proper_body(caps: str) -> str:
    """ "ỦY BAN NHÂN DÂN TỈNH CÀ MAU" -> "Ủy ban nhân dân tỉnh Cà Mau"."""
    known = _known_bodies().get(_fold_body(caps))
    if known:
        return known
    text = caps.lower().replace("uỷ", "ủy")
    m = _LOCALITY.search(text)
    if m:
        place = " ".join(w[:1].upper() + w[1:] for w in m[2].split())
        text = text[: m.start(2)] + place
    # a known parent body name at the start keeps its spelling: "Cục Thuế tỉnh X"
    for folded, proper in _known_bodies().items():
        if _fold_body(text).startswith(folded + " "):
            text = proper + text[len(folded) :]
            break
    text = text.replace(" tp ", " TP ").replace(" tp. ", " TP. ")
    return text[:1].upper() + text[1:]


def _issuer_from_code(number: DocNumber) -> str | None:
    for code in reversed(number.codes):
        if re.fullmatch(r"QH\d+", code):
            return "Quốc hội"
        by_code = load_rules("issuers")["by_code"]
        if code in by_code:
            return str(by_code[code])
    return None


def _effective(text: str, head_end: int) -> tuple[str | None, str | None]:
    """The effect article: the first "có hiệu lực ... từ ngày ..." after the header that speaks of
    this document ("Quyết định này", "Luật này", ...), not of another one."""
    flat = text[head_end:]
    for m in _EFFECT.finditer(flat):
        before = flat[max(0, m.start() - 160) : m.start()]
        if not re.search(r"(này|Văn bản hợp nhất)\s*(?:\([^)]*\)\s*)?$|này\b[^.;]{0,80}$", before):
            continue
        if re.search(r"(đến|hết)\s+ngày\s*$", before):
            continue
        if m["d"]:
            return _iso(m["d"], m["m"], m["y"]), None
        return None, _WS.sub(" ", m["rule"]).strip()
    return None, None


def _title(head: str, dtype: str | None) -> str | None:
    """The trích yếu: the lines after the type caption, up to the Căn cứ block or the body."""
    lines = [ln.replace("*", "").strip() for ln in head.split("\n")]
    start = None
    captions = {c for c, _ in _types()}
    for i, ln in enumerate(lines):
        core = _WS.sub(" ", ln).rstrip("0123456789").strip()
        if core in captions:
            start = i + 1
            break
    if start is None:
        # a letter (công văn): "V/v ..."
        for ln in lines:
            if ln.startswith(("V/v", "V/V", "Về việc")):
                return _WS.sub(" ", ln).strip()
        return None
    parts: list[str] = []
    for ln in lines[start : start + 8]:
        if not ln:
            if parts:
                break
            continue
        if _TITLE_STOP.match(ln) or (parts and (ln.startswith("(") or ln.startswith("_"))):
            break
        if set(ln) <= set("-_=. "):
            break
        parts.append(ln)
    title = _WS.sub(" ", " ".join(parts)).strip()
    if not title:
        return None
    if title.isupper():
        title = title[0] + title[1:].lower()
        # document numbers keep their capitals ("... Quyết định số 22/2025/QĐ-UBND")
        title = _LOWERED_NUMBER.sub(lambda m: m[0].upper(), title)
    return title


_LOWERED_NUMBER = re.compile(r"\b\d+(?:/\d{4})?/[a-zđ][a-zđ0-9]*(?:-[a-zđ0-9]+)*")


_SIGN_ROLE = re.compile(
    r"^(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|BỘ TRƯỞNG|THỨ TRƯỞNG|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|CHỦ NHIỆM|PHÓ CHỦ NHIỆM|"
    r"GIÁM ĐỐC|PHÓ GIÁM ĐỐC|TỔNG GIÁM ĐỐC|THỐNG ĐỐC|PHÓ THỐNG ĐỐC|CHÁNH ÁN|VIỆN TRƯỞNG|CHÁNH VĂN PHÒNG|"
    r"TỔNG KIỂM TOÁN NHÀ NƯỚC|CHỦ TỊCH NƯỚC|CỤC TRƯỞNG|PHÓ CỤC TRƯỞNG|TRƯỞNG BAN|TỔNG CỤC TRƯỞNG)"
    r"(?:\s+QUỐC HỘI)?\s*$"
)
_NAME = re.compile(r"^(?:\(Đã ký\)\s*)?([A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})\s*$")


def _signer(text: str) -> str | None:
    raw = text.split("\n")
    for i, line in enumerate(raw):
        # a role line is capitals, spaces and stars: every other line fails this test in C
        if line.isupper() and _SIGN_ROLE.match(line.replace("*", "").strip()):
            for nxt in (ln.replace("*", "").strip() for ln in raw[i + 1 : i + 8]):
                if not nxt or nxt.startswith(("(", "[", "Đã ký")) or nxt.isupper():
                    continue
                m = _NAME.match(nxt)
                if m:
                    return m[1]
                break
    return None


def _is_caps(t: str) -> bool:
    return is_caps(t, 0.85)
