"""Checks on a document's form and competence (form-competence) and on duties given to bodies
that no longer exist (abolished-body)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from vbqppl.checks.finding import AMEND, HIGH, LOW, MEDIUM, REPLACE, Finding
from vbqppl.checks.registry import check
from vbqppl.checks.view import CorpusView, evidence, issuer_level
from vbqppl.describe import describe_unit
from vbqppl.store.validity import record_start, vn_date


def _days(a: str, b: str) -> int | None:
    try:
        return (date.fromisoformat(b) - date.fromisoformat(a)).days
    except ValueError:
        return None


@check("form-competence", severity=MEDIUM)
def form_competence(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Thẩm quyền, thể thức, hiệu lực: loại văn bản, số ký hiệu, thời điểm có hiệu lực."""
    shortened = re.compile(params["shortened"]["pattern"])
    effect = re.compile(params["effect_article"]["pattern"])
    effect_any = re.compile(params["effect_any"]["pattern"])
    continued = re.compile(params["continued"]["pattern"])
    subject = re.compile(params["effect_subject"]["pattern"])
    exempt = re.compile(params["type_code_exempt"]["pattern"])
    inclusive = 1 if params.get("count_signing_day") else 0
    cutoff = str(params["district_abolished"])
    for doc_id, d in view.documents.items():
        if not d.normative or not view.in_force(doc_id, at=max(view.at, d.issued or view.at)):
            continue
        if d.type == "Văn bản hợp nhất":
            continue  # a consolidated text has the form of the documents it consolidates
        rank = view.rank(doc_id)
        if rank is None or not d.issued:
            continue
        name = view.name(doc_id)
        text = view.texts[doc_id]
        found = list(effect.finditer(text))
        # the effect article itself ("Nghị định này có hiệu lực ..."), not a licence's validity
        # ("Thẻ giám định viên có hiệu lực kể từ ngày cấp") nor a publisher's note above the header
        m = next(
            (x for x in found if subject.search(text[max(0, x.start() - 40) : x.start()])),
            next(
                (x for x in found if view.unit_at(doc_id, x.start())), found[0] if found else None
            ),
        )
        cut = continued.search(text[-300:]) or not view.units.get(doc_id)  # no body stored
        if m is None and not effect_any.search(text) and not cut:
            yield Finding(
                rule="form-competence",
                severity=MEDIUM,
                documents=(name,),
                units=(),
                evidence=(evidence(view, doc_id, 0, min(len(text), 120), None),),
                explanation=f"{d.label} không có điều khoản quy định hiệu lực thi hành.",
                handling=f"{AMEND} (bổ sung điều khoản hiệu lực)",
            )
        start = record_start(d)
        gap = _days(d.issued, start) if start else None
        least = int(params["min_days"][rank.scope])
        if (
            m is not None
            and gap is not None
            and gap + inclusive < least
            and not shortened.search(text)
        ):
            unit = view.unit_at(doc_id, m.start())
            art = _article_of(unit)
            ev = evidence(view, doc_id, m.start(), _sentence_end(text, m.end()), art)
            level = "trung ương" if rank.scope == "central" else "chính quyền địa phương"
            after = (
                f"sau {gap:02d} ngày, dưới mức tối thiểu {least} ngày"
                if gap >= 0
                else f"trước ngày ký {-gap} ngày (hiệu lực trở về trước), dưới mức tối thiểu {least} ngày"
            )
            # central documents made by the shortened procedure seldom say so in their own text
            yield Finding(
                rule="form-competence",
                severity=MEDIUM if rank.scope == "local" else LOW,
                documents=(name,),
                units=(view.ref(doc_id, art),) if art else (),
                evidence=(ev,),
                explanation=(
                    f"{d.label} ký ngày {vn_date(d.issued)} có hiệu lực từ ngày {vn_date(start)} "
                    f"({after} đối với văn bản quy phạm pháp luật của {level}) mà không nêu việc ban "
                    f"hành theo trình tự, thủ tục rút gọn."
                ),
                handling=f"{AMEND} điều khoản hiệu lực",
            )
        code = rank.code
        issuer_code = code.split("-", 1)[1] if "-" in code else code
        allowed = params["competent_types"].get(issuer_code)
        if allowed and d.type and d.type not in allowed:
            yield Finding(
                rule="form-competence",
                severity=MEDIUM,
                documents=(name,),
                units=(),
                evidence=(evidence(view, doc_id, *_first(text, d.type), None),),
                explanation=(
                    f"{d.label}: cơ quan có ký hiệu {issuer_code} không có thẩm quyền ban hành "
                    f"{d.type} là văn bản quy phạm pháp luật (chỉ: {', '.join(allowed)})."
                ),
                handling=REPLACE,
            )
        want = params["type_codes"].get(d.type or "")
        if want and not code.startswith(want) and not exempt.search(code):
            yield Finding(
                rule="form-competence",
                severity=MEDIUM,
                documents=(name,),
                units=(),
                evidence=(evidence(view, doc_id, *_first(text, d.number or ""), None),),
                explanation=(
                    f"Số, ký hiệu {d.number} không phù hợp với loại văn bản {d.type} "
                    f"(ký hiệu loại văn bản phải là {want})."
                ),
                handling=f"{AMEND} (đính chính số, ký hiệu)",
            )
        if (
            rank.scope == "local"
            and d.issued >= cutoff
            and issuer_level(d.issuer or "") == "district"
        ):
            yield Finding(
                rule="form-competence",
                severity=HIGH,
                documents=(name,),
                units=(),
                evidence=(evidence(view, doc_id, *_first(text, d.number or ""), None),),
                explanation=(
                    f"{d.label} do {d.issuer} ban hành ngày {vn_date(d.issued)}, sau ngày "
                    f"{vn_date(cutoff)} khi chính quyền địa phương cấp huyện không còn."
                ),
                handling="bãi bỏ",
            )


_SENTENCE_END = re.compile(r"[.;](?=\s|$)|\n\s*\n|\n\s*(?:\d+\.|[a-zđ]\))\s")


def _sentence_end(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` ends (its full stop included), within 300 characters:
    a line break inside the sentence ("... có hiệu lực thi hành kể\ntừ ngày ...") does not end it."""
    m = _SENTENCE_END.search(text, pos, pos + 300)
    if m is None:
        return min(len(text), pos + 300)
    return m.end() if text[m.start()] in ".;" else m.start()


def _quoted(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside quotation marks (words an amendment replaces or repeals:
    Thay thế cụm từ “Ủy ban nhân dân cấp huyện” ...); the quote may open on an earlier line."""
    before = text[max(0, pos - 300) : pos]
    if before.rfind("“") > before.rfind("”"):
        return True
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    return line.count('"') % 2 == 1


def _first(text: str, words: str) -> tuple[int, int]:
    i = text.find(words) if words else -1
    return (i, i + len(words)) if i >= 0 else (0, min(len(text), 80))


def _article_of(unit: str | None) -> str | None:
    if unit is None:
        return None
    parts = unit.split("__")
    for i, p in enumerate(parts):
        if p.startswith("art_"):
            return "__".join(parts[: i + 1])
    return unit


@check("abolished-body", severity=HIGH)
def abolished_body(view: CorpusView, params: Mapping[str, Any]) -> Iterator[Finding]:
    """Giao nhiệm vụ cho cơ quan, cấp chính quyền không còn (cấp huyện sau 01/7/2025)."""
    bodies = re.compile(params["abolished_bodies"]["pattern"])
    historical = re.compile(params["historical_context"]["pattern"])
    cutoff = str(params["district_abolished"])
    for doc_id, d in view.documents.items():
        if not d.normative or not d.issued or d.issued < cutoff:
            continue
        if not view.in_force(doc_id, at=max(view.at, d.issued)):
            continue
        text = view.texts[doc_id]
        seen: set[str | None] = set()
        for m in bodies.finditer(text):
            unit = view.unit_at(doc_id, m.start())
            if unit is None or unit in seen:
                continue  # outside the articles (the recipients' list): not a duty
            if _quoted(text, m.start()) or historical.search(text[m.end() : m.end() + 160]):
                continue
            seen.add(unit)
            yield Finding(
                rule="abolished-body",
                severity=HIGH,
                documents=(view.name(doc_id),),
                units=(view.ref(doc_id, unit),),
                evidence=(evidence(view, doc_id, m.start(), m.end(), unit),),
                explanation=(
                    f"{describe_unit(unit)} {d.label} ban hành ngày {vn_date(d.issued)} (sau ngày "
                    f"{vn_date(cutoff)}, khi không còn cấp huyện) vẫn giao nhiệm vụ cho "
                    f'"{m.group()}".'
                ),
                handling=f"{AMEND} (giao nhiệm vụ cho cơ quan, cấp chính quyền hiện hành)",
            )
