"""Consolidation vs the official consolidated texts (văn bản hợp nhất, VBHN) of the real corpus.

For every VBHN of ``../shared/corpus-real`` the clusters come from the VBHN itself: its
``consolidates`` relation names the base document and (``amended_by``) the amending ones; numbers
are matched to corpus documents by the manifest's ``doc_number``. Where the relation lists no
amending document, the numbered items of the preamble ("... được sửa đổi, bổ sung bởi: 1. Thông
tư số ...") are read here instead, and the cluster is marked ``*`` (a relation-extraction miss).

- Full clusters (base and every amending document in the corpus): the consolidation at the
  VBHN's date against the VBHN, article by article: the same set of articles, and the share of
  articles whose texts are at least 0.98 similar (rapidfuzz ratio) once footnote markers are
  removed and whitespace normalised.
- Partial clusters (only some amending documents in the corpus): each unit an amending document
  in the corpus replaces or inserts, compared with the same unit of the VBHN (same threshold);
  each unit it repeals must read "(được bãi bỏ)" there.

    python bench/eval_consolidate.py [--show N]   # N: mismatching articles to print per cluster
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from vbqppl.amend import operations, same_number
from vbqppl.consolidate import REPEALED, consolidate
from vbqppl.model import Document
from vbqppl.parse import parse_document

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-real"
THRESHOLD = 0.98
_TOC_LINE = re.compile(r"\t\d+\s*$")
_MARKER = re.compile(
    r"\[\d{1,3}\]"  # [5]: Word footnote references
    r"|(?<=[^\W\d_])\d{1,3}(?=[\s.,;:”)]|$)"  # "cơ bản2", "hội1."
    r"|(?<=[.)])\d{1,3}(?=\s)"  # "Điều 17.16 (được bãi bỏ)", "1.19 ...", "b)3 ..."
)
_LABEL_MARKER = re.compile(
    r"(?m)^([ \t]*(?:Điều[ \t]+\d{1,3}[a-zđ]?\.|\d{1,3}[a-zđ]?\.|[a-zđ]\d?\)))[ \t]+\d{1,3}(?=[ \t]+[A-ZĐÀ-Ỹ(])"
)  # "3. 12 Tài liệu": a marker printed apart from its label
_FOOTNOTE = re.compile(
    r"(?:Điều|Khoản|Điểm|Cụm từ|Tên|Phụ lục|Mẫu|Đoạn)[^.;]{0,60}?được[ ]+(?:sửa|bổ|bãi|thay)"
    r"|có căn cứ ban hành|Căn cứ |quy định như sau|có hiệu lực kể từ ngày|sửa đổi, bổ sung một số"
)
_MARKER_LINE = re.compile(r"(?m)^[ \t]*\d{1,3}[ \t]*$")  # a marker (or page number) alone
_MARKER_END = re.compile(r"(?m)(?<=[^\W\d_]{2})[ \t]+\d{1,3}[ \t]*$")  # "lao động 5" at line end
_UNIT_WORD = re.compile(r"(?i)(?:điều|khoản|điểm|ngày|tháng|năm|số|mục|chương|phần|lục|lần|hạng)$")
_AUTHENTICATION = re.compile(r"(?m)^[ \t]*(?:Số:[ \t]*\d+/VBHN-|XÁC THỰC VĂN BẢN HỢP NHẤT)")
_CLOSING = re.compile(
    r"(?:Luật|Nghị quyết|Bộ luật|Pháp lệnh) này (?:đã )?được (?:Quốc hội|Ủy ban Thường vụ)"
)
_PREAMBLE_ITEM = re.compile(r"(?m)^\s*\d{1,2}\.\s+[^\n]*?số\s+(\d{1,4}/\d{4}/[A-ZĐ0-9-]+)")
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


def normalise(text: str) -> str:
    text = _LABEL_MARKER.sub(r"\1", text)
    text = _MARKER_LINE.sub("", text)
    text = _MARKER_END.sub(lambda m: m[0] if _unit_word_before(text, m.start()) else "", text)
    text = _MARKER.sub("", text)
    return " ".join(text.split())


def _unit_word_before(text: str, pos: int) -> bool:
    return bool(_UNIT_WORD.search(text[max(0, pos - 12) : pos]))


def article_body(text: str) -> str:
    """An article without what is not its content: the VBHN's authentication block (issuer and
    "Số: .../VBHN-..." lines the parser leaves in the last article) and a law's closing formula
    ("Luật này được Quốc hội ... thông qua ngày ...")."""
    m = _AUTHENTICATION.search(text)
    if m is not None:
        text = text[: m.start()]
    lines = text.rstrip().split("\n")
    while lines and lines[-1].strip() == lines[-1].strip().upper():
        lines.pop()  # the issuer's name in capitals before the block, and blank lines
    text = "\n".join(lines)
    m = _CLOSING.search(text)
    if m is not None:
        text = text[: m.start()]
    return text.rstrip()


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(normalise(a), normalise(b)) / 100.0


@dataclass
class Cluster:
    vbhn_id: str
    vbhn_date: str | None
    base: str
    amending: list[str]
    fallback: bool  # amending documents read from the preamble, not the relation


def _manifest() -> tuple[dict[str, dict], dict[str, list[str]]]:
    rows = [json.loads(line) for line in (CORPUS / "manifest.jsonl").open(encoding="utf-8")]
    by_id = {r["id"]: r for r in rows}
    by_number: dict[str, list[str]] = {}
    for r in rows:
        if r.get("doc_number") and r.get("quality") == "ok":
            by_number.setdefault(r["doc_number"], []).append(r["id"])
    return by_id, by_number


def _text(row: dict) -> str:
    text = (CORPUS / row["text_path"]).read_text(encoding="utf-8")
    lines = text.split("\n")
    toc = [i for i, ln in enumerate(lines[:400]) if _TOC_LINE.search(ln)]
    if len(toc) >= 5:  # a table of contents before the text (Word export): not the law's text
        text = "\n".join(lines[toc[-1] + 1 :])
    return text


_cache: dict[str, Document] = {}


def load(doc_id: str, by_id: dict[str, dict]) -> Document:
    if doc_id not in _cache:
        _cache[doc_id] = parse_document(_text(by_id[doc_id]), path=doc_id)
    return _cache[doc_id]


def _find(number: str, by_number: dict[str, list[str]]) -> str | None:
    for n, ids in by_number.items():
        if same_number(n, number):
            return ids[0]
    return None


def vbhn_date(doc: Document) -> str | None:
    """The date the VBHN was authenticated: the date line next to its "Số: .../VBHN-..."."""
    for m in re.finditer(r"Số:\s*\d+/VBHN-", doc.text):
        d = _DATE.search(doc.text, m.end(), m.end() + 300)
        if d is None:
            d = _DATE.search(doc.text, max(0, m.start() - 300), m.start())
        if d is not None:
            day, month, year = (int(g) for g in d.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def clusters(by_id: dict[str, dict], by_number: dict[str, list[str]]) -> list[Cluster]:
    out = []
    for row in by_id.values():
        if "/VBHN-" not in (row.get("doc_number") or "") or row.get("quality") != "ok":
            continue
        doc = load(row["id"], by_id)
        rel = next((r for r in doc.relations if r.type == "consolidates"), None)
        base = rel.target.number if rel else None
        amending = list(dict(rel.extra).get("amended_by", ())) if rel else []
        fallback = False
        if not amending:
            amending = _preamble_amending(doc)
            fallback = bool(amending)
        if base is None:
            continue
        out.append(Cluster(row["id"], vbhn_date(doc), base, amending, fallback))
    return sorted(out, key=lambda c: c.vbhn_id)


def _preamble_amending(doc: Document) -> list[str]:
    first = doc.units[0].span.start if doc.units else len(doc.text)
    head = doc.text[:first]
    marker = re.search(r"được\s+sửa\s+đổi[^:]{0,60}?bởi\s*:", head)
    if marker is None:
        return []
    stop = head.find("Căn cứ", marker.end())
    zone = head[marker.end() : stop if stop != -1 else len(head)]
    return list(dict.fromkeys(m[1] for m in _PREAMBLE_ITEM.finditer(zone)))


def _articles(doc: Document) -> dict[str, str]:
    return {u.id: doc.text[u.span.start : u.span.end] for u in doc.units if u.kind == "article"}


def full_cluster(
    c: Cluster, by_id: dict, by_number: dict, show: int, at: str | None, count: bool = True
) -> tuple[int, int, int]:
    vbhn = load(c.vbhn_id, by_id)
    base_id = _find(c.base, by_number)
    assert base_id is not None
    base = load(base_id, by_id)
    amending = [load(_find(n, by_number) or "", by_id) for n in c.amending]
    result = consolidate(base, amending, at)
    official = _articles(vbhn)
    ours = _articles(result.document)
    both = sorted(set(official) & set(ours), key=lambda u: list(official).index(u))
    raw = good = 0
    bad: list[tuple[float, str]] = []
    for uid in both:
        raw += similarity(official[uid], ours[uid]) >= THRESHOLD
        s = similarity(article_body(official[uid]), article_body(ours[uid]))
        if s >= THRESHOLD:
            good += 1
        else:
            bad.append((s, uid))
    mark = "*" if c.fallback else " "
    same = set(official) == set(ours)
    print(
        f"{c.vbhn_id:26}{mark} at {at or '?':10}  {c.base:20} + {', '.join(c.amending) or '—':40}"
        f"  articles {len(official):3}/{len(ours):3} {'same  ' if same else 'DIFFER'}"
        f"  raw {raw:3}/{len(both):3} = {raw / max(1, len(both)):6.1%}"
        f"  body {good:3}/{len(both):3} = {good / max(1, len(both)):6.1%}"
        f"  not applied {len(result.not_applied):2}  pending {len(result.pending)}"
    )
    if not same:
        only_o = sorted(set(official) - set(ours))
        only_c = sorted(set(ours) - set(official))
        print(f"      only in VBHN: {only_o[:12]}  only in ours: {only_c[:12]}")
    for n in result.not_applied[:show]:
        print(f"      ! {n.message[:230]}")
    later = {p.target or "" for p in result.pending}
    for s, uid in sorted(bad):
        kind = mismatch_kind(article_body(official[uid]), article_body(ours[uid]))
        if any(t == uid or t.startswith(uid + "__") for t in later):
            kind = "amended in the VBHN by an instruction in force only after its date"
        if count:
            KINDS[kind] += 1
        if show:
            show -= 1
            print(
                f"      {uid:12} {s:.3f}  [{kind}] "
                f"{_first_difference(article_body(official[uid]), article_body(ours[uid]))}"
            )
    return raw, good, len(both)


def mismatch_kind(official: str, ours: str) -> str:
    """What differs, read from the word diff: footnote text of the VBHN left inside the article
    (a cleaning problem), a unit the VBHN shows repealed, a few words, or more."""
    a, b = normalise(official).split(), normalise(ours).split()
    kinds = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        va, vb = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if "(được bãi bỏ)" in va and "(được bãi bỏ)" not in vb:
            kinds.add("repealed in the VBHN only")
        elif len(a[i1:i2]) > 8 and len(b[j1:j2]) <= 2 and _FOOTNOTE.search(va):
            kinds.add("VBHN footnote text in the article")
        elif max(i2 - i1, j2 - j1) <= 6:
            kinds.add("a few words")
        else:
            kinds.add("longer text")
    return " + ".join(sorted(kinds)) or "whitespace"


KINDS: Counter[str] = Counter()
PARTIAL_KINDS: Counter[str] = Counter()


def latest_effective(c: Cluster, by_id: dict, by_number: dict) -> str | None:
    dates = [
        r.effective
        for n in c.amending
        for r in load(_find(n, by_number) or "", by_id).relations
        if r.effective and same_number(r.target.number, c.base)
    ]
    return max(dates, default=None)


def _first_difference(a: str, b: str) -> str:
    na, nb = normalise(a), normalise(b)
    i = 0
    while i < min(len(na), len(nb)) and na[i] == nb[i]:
        i += 1
    return f"VBHN «{na[max(0, i - 30) : i + 50]}» | ours «{nb[max(0, i - 30) : i + 50]}»"


def partial_cluster(c: Cluster, by_id: dict, by_number: dict, show: int) -> tuple[int, int]:
    vbhn = load(c.vbhn_id, by_id)
    present = [(n, _find(n, by_number)) for n in c.amending]
    good = total = 0
    lines: list[str] = []
    for number, doc_id in present:
        if doc_id is None:
            continue
        ops, problems = operations(load(doc_id, by_id), c.base)
        for op in ops:
            if op.action == "annex" or op.target is None:
                continue
            unit = next((vbhn.unit(t) for t in op.targets if t and vbhn.unit(t)), None)
            total += 1
            if unit is None:
                PARTIAL_KINDS["unit not in the parsed VBHN"] += 1
                lines.append(f"      {op.target}: not in the VBHN ({number})")
                continue
            official = vbhn.text[unit.span.start : unit.span.end]
            ours = REPEALED
            if op.action == "repeal":
                ok = REPEALED.strip("()") in official
                s = 1.0 if ok else 0.0
            elif op.action == "words":  # the new words there, the old ones gone
                text = normalise(official)
                ok = all(
                    (not new or normalise(new) in text)
                    and (normalise(old) not in text or normalise(old) in normalise(new))
                    for old, new in op.words
                )
                s = 1.0 if ok else 0.0
                ours = "; ".join(f"{old} -> {new}" for old, new in op.words)
            elif op.action == "heading":
                ours = op.new.text if op.new else ""
                s = similarity(normalise(official)[: len(normalise(ours))], ours)
                ok = s >= THRESHOLD
            else:
                ours = op.new.text if op.new else (op.lead or "")
                s = similarity(official, ours)
                ok = s >= THRESHOLD
            good += ok
            if not ok:
                kind = (
                    mismatch_kind(official, ours)
                    if op.action not in ("repeal", "words")
                    else f"{op.action} not seen in the VBHN"
                )
                PARTIAL_KINDS[kind] += 1
                lines.append(
                    f"      {unit.id:22} {s:.3f} [{kind}] {_first_difference(official, ours)[:160]}"
                )
        for p in problems:
            lines.append(f"      ! {p.message[:200]}")
    in_corpus = [n for n, i in present if i]
    mark = "*" if c.fallback else " "
    print(
        f"{c.vbhn_id:28}{mark} {c.base:22} amending in corpus: {', '.join(in_corpus):32}"
        f" units {good:3}/{total:3}"
    )
    for ln in lines[:show]:
        print(ln)
    return good, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", type=int, default=8)
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"corpus-real absent ({CORPUS}): nothing to evaluate")
        return 0
    by_id, by_number = _manifest()
    found = clusters(by_id, by_number)
    full = [
        c
        for c in found
        if c.amending and _find(c.base, by_number) and all(_find(n, by_number) for n in c.amending)
    ]
    partial = [c for c in found if c not in full and any(_find(n, by_number) for n in c.amending)]
    print(f"VBHN with a base: {len(found)}; full clusters: {len(full)}; partial: {len(partial)}")
    print("(* = amending documents read from the preamble: the VBHN's relation listed none)\n")
    print("Full clusters: consolidation at the VBHN's date vs the VBHN, article by article")
    print("(raw: article texts as parsed; body: without the VBHN authentication block and a")
    print(" law's closing formula, which the parser leaves in the last article)\n")
    totals = [0, 0, 0]
    later: list[tuple[Cluster, str]] = []
    figures: dict[str, tuple[int, int]] = {}  # cluster -> (body good, articles)
    for c in full:
        got = full_cluster(c, by_id, by_number, args.show, c.vbhn_date)
        figures[c.vbhn_id] = (got[1], got[2])
        for i, v in enumerate(got):
            totals[i] += v
        latest = latest_effective(c, by_id, by_number)
        if latest and c.vbhn_date and latest > c.vbhn_date:
            later.append((c, latest))
    raw, good, total = totals
    print(
        f"\nAll full clusters: raw {raw}/{total} = {raw / max(1, total):.1%}, "
        f"body {good}/{total} = {good / max(1, total):.1%} articles ≥ {THRESHOLD}\n"
    )
    if later:
        print("VBHNs that include amendments in force only after their own date, consolidated")
        print("at the latest of those dates instead:")
        for c, latest in later:
            _, g, n = full_cluster(c, by_id, by_number, args.show, latest, count=False)
            figures[c.vbhn_id] = (g, n)
        print()
    g_all = sum(g for g, _ in figures.values())
    n_all = sum(n for _, n in figures.values())
    low = [f"{k} {g}/{n}" for k, (g, n) in figures.items() if g < 0.9 * n]
    print(
        f"Each VBHN at the date of the text it consolidates (its own date, or the latest date an "
        f"amendment it names takes effect): body {g_all}/{n_all} = {g_all / max(1, n_all):.1%}; "
        f"clusters under 90%: {', '.join(low) or 'none'}\n"
    )
    print("Mismatching articles (body figure, at the VBHNs' dates) by what differs:")
    for kind, n in KINDS.most_common():
        print(f"  {n:3}  {kind}")
    print()
    print("Partial clusters: units changed by the amending documents in the corpus vs the VBHN")
    p_good = p_total = 0
    for c in partial:
        g, n = partial_cluster(c, by_id, by_number, args.show)
        p_good += g
        p_total += n
    print(f"\nAll partial clusters: {p_good}/{p_total} units = {p_good / max(1, p_total):.1%}")
    print("Mismatching units by what differs:")
    for kind, n in PARTIAL_KINDS.most_common():
        print(f"  {n:3}  {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
