"""Do the real originals parse to the same articles as their text layers?

    .venv/bin/python bench/eval_read.py               # one table, per format
    .venv/bin/python bench/eval_read.py --verbose     # plus each document's first differences
    .venv/bin/python bench/eval_read.py --id ID ...   # only these documents (implies --verbose)

For every document of ../shared/corpus-real/manifest.jsonl that has ``texts/<id>.txt`` and one or
more originals in ``raw/``, both go through the same pipeline (``read_file`` then
``parse_document``) and their ARTICLES are compared: every unit with ``kind == "article"``,
attachment articles included, keyed by unit id. An article of the text agrees when the
original has a unit with the same id, the same number and the same heading.

Headings are compared after NFC, collapsing every run of white space to one space, and
dropping trailing ``. : ; ,`` and spaces; a missing heading counts as an empty one. Trailing
punctuation is ignored because it is presentation that publishers handle differently (a
final period kept or dropped), not a sign the article was read wrong; letters, case, digits
and inner punctuation all count. Measured on this corpus: 99 agreeing headings differ only in
white space (a line break inside a heading), none only in trailing punctuation.

Columns: ``docs`` originals compared, ``OCR`` scanned PDFs refused with ``NeedsOcrError`` (not
compared, not crashes), ``text arts`` articles in the texts, ``agree`` of those, ``%`` their
share, ``extra`` articles only the originals have. Two looser figures follow: ``units`` the
unit ids of every kind in the texts and ``found`` how many of them the originals have too, and
``fn text`` / ``fn orig`` the footnotes cleaning lifted out of each side. ``seconds`` is the
time spent reading and parsing the originals. Any other exception, on either side, is a
crash and is listed. Originals without a text counterpart (in the manifest without
``texts/<id>.txt``, or in ``raw/`` without a manifest row) are only parsed, and counted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vbqppl.clean import clean_text, normalize_source  # noqa: E402
from vbqppl.errors import NeedsOcrError  # noqa: E402
from vbqppl.model import Document, Unit  # noqa: E402
from vbqppl.parse import parse_document  # noqa: E402
from vbqppl.read import read_file  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus-real"
FORMATS = ("pdf", "md", "docx", "html", "json.gz")
_TRAILING_PUNCT = re.compile(r"[\s.:;,]+$")


def format_of(path: str) -> str:
    return "json.gz" if path.endswith(".json.gz") else path.rsplit(".", 1)[-1]


def norm_heading(heading: str | None) -> str:
    """The heading as compared: NFC, single spaces, no trailing ``. : ; ,``."""
    text = " ".join(unicodedata.normalize("NFC", heading or "").split())
    return _TRAILING_PUNCT.sub("", text)


def articles(doc: Document) -> dict[str, Unit]:
    return {u.id: u for u in doc.units if u.kind == "article"}


@dataclass
class Comparison:
    text_articles: int = 0
    agree: int = 0
    extra: int = 0
    text_units: int = 0
    units_found: int = 0
    diffs: list[str] = field(default_factory=list)


def compare(text_doc: Document, orig_doc: Document) -> Comparison:
    """Compare the articles of the text (the reference) with those of the original."""
    ref, got = articles(text_doc), articles(orig_doc)
    out = Comparison(text_articles=len(ref), extra=len(got.keys() - ref.keys()))
    text_ids = {u.id for u in text_doc.units}
    out.text_units = len(text_ids)
    out.units_found = len(text_ids & {u.id for u in orig_doc.units})
    for uid, unit in ref.items():
        other = got.get(uid)
        if other is None:
            out.diffs.append(f"{uid}: missing in the original (text: {_show(unit)})")
        elif other.number != unit.number:
            out.diffs.append(f"{uid}: number {unit.number!r} vs {other.number!r}")
        elif norm_heading(other.heading) != norm_heading(unit.heading):
            out.diffs.append(
                f"{uid}: heading\n        text: {unit.heading!r}\n        orig: {other.heading!r}"
            )
        else:
            out.agree += 1
    for uid in got.keys() - ref.keys():
        out.diffs.append(f"{uid}: only in the original ({_show(got[uid])})")
    return out


def _show(unit: Unit) -> str:
    heading = unit.heading or ""
    return f"{unit.label} {heading[:70]!r}"


def _parse(path: Path, name: str) -> tuple[Document, int]:
    """The parsed document and how many footnotes cleaning lifted out of it."""
    raw = read_file(path)
    footnotes = len(clean_text(normalize_source(raw.text)).footnotes)
    return parse_document(raw, path=name), footnotes


@dataclass
class FormatRow:
    docs: int = 0
    ocr: int = 0
    text_articles: int = 0
    agree: int = 0
    extra: int = 0
    text_units: int = 0
    units_found: int = 0
    notes_text: int = 0
    notes_orig: int = 0
    seconds: float = 0.0


def evaluate(corpus: Path, ids: set[str] | None, verbose: bool, show: int) -> int:
    rows = [
        json.loads(line)
        for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if ids:
        rows = [r for r in rows if r["id"] in ids]
    table: dict[str, FormatRow] = {fmt: FormatRow() for fmt in FORMATS}
    crashes: list[str] = []
    listed: set[str] = set()
    orphans: list[str] = []  # originals with no text counterpart
    for row in rows:
        listed.update(row["raw_paths"])
        text_path = corpus / row["text_path"] if row.get("text_path") else None
        if not row["raw_paths"]:
            continue
        if text_path is None or not text_path.is_file():
            orphans.extend(row["raw_paths"])
            continue
        try:
            text_doc, text_notes = _parse(text_path, row["id"])
        except Exception as err:  # a crash: listed, never hidden
            crashes.append(f"{row['text_path']}: {type(err).__name__}: {err}")
            continue
        for rel in row["raw_paths"]:
            fmt = format_of(rel)
            st = table.setdefault(fmt, FormatRow())
            st.docs += 1
            start = time.perf_counter()
            try:
                orig_doc, orig_notes = _parse(corpus / rel, row["id"])
            except NeedsOcrError:
                st.ocr += 1
                continue
            except Exception as err:
                crashes.append(f"{rel}: {type(err).__name__}: {err}")
                continue
            finally:
                st.seconds += time.perf_counter() - start
            cmp = compare(text_doc, orig_doc)
            st.text_articles += cmp.text_articles
            st.agree += cmp.agree
            st.extra += cmp.extra
            st.text_units += cmp.text_units
            st.units_found += cmp.units_found
            st.notes_text += text_notes
            st.notes_orig += orig_notes
            if verbose and cmp.diffs:
                print(
                    f"{rel}: {cmp.agree}/{cmp.text_articles} agree, {cmp.extra} extra "
                    f"({row['quality']})"
                )
                for diff in cmp.diffs[:show]:
                    print(f"    {diff}")
                if len(cmp.diffs) > show:
                    print(f"    ... {len(cmp.diffs) - show} more")
    if not ids:
        listed_raw = {f"raw/{p.name}" for p in (corpus / "raw").iterdir()}
        orphans.extend(sorted(listed_raw - listed))
    orphan_ok, orphan_ocr = _parse_orphans(corpus, orphans, crashes)
    _print_table(table, rows_docs=len(rows))
    print(
        f"\noriginals with no text counterpart: {len(orphans)}; parsed without crash "
        f"{orphan_ok}, scanned (NeedsOcrError) {orphan_ocr}"
    )
    print(f"crashes: {len(crashes)}")
    for crash in crashes:
        print(f"    {crash}")
    return 1 if crashes else 0


def _parse_orphans(corpus: Path, orphans: Iterable[str], crashes: list[str]) -> tuple[int, int]:
    ok = ocr = 0
    for rel in orphans:
        try:
            _parse(corpus / rel, rel)
            ok += 1
        except NeedsOcrError:
            ocr += 1
        except Exception as err:
            crashes.append(f"{rel} (no text): {type(err).__name__}: {err}")
    return ok, ocr


def _print_table(table: dict[str, FormatRow], rows_docs: int) -> None:
    print(f"\nread + parse: originals vs texts/ ({rows_docs} manifest rows), articles by unit id")
    print(
        f"{'format':8} {'docs':>5} {'OCR':>4} {'text arts':>10} {'agree':>7} {'%':>7} "
        f"{'extra':>6} {'units':>7} {'found':>7} {'fn text':>8} {'fn orig':>8} {'seconds':>8}"
    )
    total = FormatRow()
    for fmt, st in table.items():
        _print_row(fmt, st)
        for f in fields(FormatRow):
            setattr(total, f.name, getattr(total, f.name) + getattr(st, f.name))
    _print_row("total", total)


def _print_row(name: str, st: FormatRow) -> None:
    share = f"{st.agree / st.text_articles:7.2%}" if st.text_articles else f"{'-':>7}"
    print(
        f"{name:8} {st.docs:5d} {st.ocr:4d} {st.text_articles:10d} {st.agree:7d} {share} "
        f"{st.extra:6d} {st.text_units:7d} {st.units_found:7d} {st.notes_text:8d} "
        f"{st.notes_orig:8d} {st.seconds:8.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=REAL, help="corpus-real folder")
    parser.add_argument("--verbose", action="store_true", help="list each document's differences")
    parser.add_argument("--show", type=int, default=5, help="differences listed per document")
    parser.add_argument("--id", nargs="+", default=None, help="only these manifest ids")
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.jsonl").is_file():
        print(f"../shared/corpus-real không có: bỏ qua ({args.corpus}).")
        return 0
    ids = set(args.id) if args.id else None
    return evaluate(args.corpus, ids, verbose=args.verbose or bool(ids), show=args.show)


if __name__ == "__main__":
    raise SystemExit(main())
