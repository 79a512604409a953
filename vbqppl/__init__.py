"""vbqppl — rà soát văn bản quy phạm pháp luật (review of Vietnamese legal normative documents)."""

from __future__ import annotations

from vbqppl.errors import ReadError, VbqpplError
from vbqppl.ids import DocNumber, UnitId
from vbqppl.model import Document, Metadata, Unit
from vbqppl.provisions import modality, quantities, subject_terms
from vbqppl.similar import similar_pairs, unit_texts

__all__ = [
    "DocNumber",
    "Document",
    "Metadata",
    "ReadError",
    "Unit",
    "UnitId",
    "VbqpplError",
    "modality",
    "quantities",
    "similar_pairs",
    "subject_terms",
    "unit_texts",
]
