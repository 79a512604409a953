"""A finding of a review check: what rule, how serious, where, the exact words, why, what to do.

Findings are plain values; their id is a hash of the rule, the units and the evidence
(STYLE.md #12), so running the checks again gives the same ids and a reviewer's decision stays
attached to the finding it was made on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

HIGH = "cao"
MEDIUM = "trung bình"
LOW = "thấp"
SEVERITIES = (HIGH, MEDIUM, LOW)

# Hình thức xử lý (Nghị định 79/2025 Điều 38) a finding may suggest.
AMEND = "sửa đổi, bổ sung"
REPLACE = "thay thế"
REPEAL = "bãi bỏ"
SUSPEND = "đình chỉ việc thi hành"
KEEP = "giữ nguyên"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Words of a stored document: ``quote == text[start:end]`` of the stored text of
    ``document`` (for an amended document whose words in force come from an amending one, that
    one: see ``note``)."""

    document: str  # the document's number (or "#id" when it has none)
    unit: str | None  # the unit holding the words; None for the preamble
    start: int
    end: int
    quote: str
    # where the words in force come from, when the document was amended (the text in force is
    # its consolidation): which document changed them, from when, and the consolidation date
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "document": self.document,
            "unit": self.unit,
            "span": [self.start, self.end],
            "quote": self.quote,
        }
        if self.note is not None:
            out["note"] = self.note
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evidence:
        start, end = data["span"]
        return cls(
            data["document"], data["unit"], int(start), int(end), data["quote"], data.get("note")
        )


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    documents: tuple[str, ...]
    units: tuple[str, ...]  # "NUMBER#unit_id"
    evidence: tuple[Evidence, ...]
    explanation: str  # Vietnamese, ready for a report
    handling: str  # suggested hình thức xử lý
    id: str = field(default="")

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"mức độ không hợp lệ: {self.severity!r}")
        if not self.id:
            object.__setattr__(self, "id", finding_id(self.rule, self.units, self.evidence))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity,
            "documents": list(self.documents),
            "units": list(self.units),
            "evidence": [e.to_json() for e in self.evidence],
            "explanation": self.explanation,
            "handling": self.handling,
        }


def split_ref(ref: str) -> tuple[str, str]:
    """A unit reference ("NAME#unit_id") as the document's name and the unit id (a name may
    hold a "#" itself: "#12", "01/2010/QĐ-UBND (#12)")."""
    name, _, unit = ref.rpartition("#")
    return name, unit


def finding_id(rule: str, units: tuple[str, ...], evidence: tuple[Evidence, ...]) -> str:
    """A stable id: the first 16 hex digits of SHA-256 over the rule, units and evidence."""
    payload = json.dumps(
        [
            rule,
            sorted(units),
            sorted([e.document, e.unit or "", e.start, e.end, e.quote] for e in evidence),
        ],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
