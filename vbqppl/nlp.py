"""The citation finder as a spaCy pipeline component: ``nlp.add_pipe("vbqppl_citations")``.

The component is registered under that name when this module is imported, and spaCy imports it
by itself through the ``spacy_factories`` entry point once vbqppl is installed, so any spaCy
user can add it by name. It runs the same patterns as :func:`vbqppl.citations.scan_citations`
(regular expressions from ``rules/citations.yaml``: spaCy's token matchers gain nothing on
numbers like ``45/2020/NĐ-CP`` that its Vietnamese tokenizer leaves glued to punctuation) and
puts one span per citation in ``doc.spans["vbqppl_citations"]``, with the cited document and
units on ``span._.vbqppl``. The tokenizer leaves punctuation glued to words, so a span is
widened to whole tokens ("45/2020/NĐ-CP." with its full stop); ``span._.vbqppl["text"]`` and
its ``start``/``end`` give the citation's exact characters.

``parse_document`` does not go through spaCy: the regular expressions run on the whole text in
one pass, and spaCy would only add tokenization time (``bench/bench_cite.py`` measures both).
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from vbqppl.citations import Mention, scan_citations

SPANS_KEY = "vbqppl_citations"

if not Span.has_extension("vbqppl"):
    Span.set_extension("vbqppl", default=None)


def blank_vietnamese() -> Language:
    """A blank Vietnamese pipeline that needs no model download (syllables split on spaces)."""
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})


def make_nlp() -> Language:
    """A blank Vietnamese pipeline with the citation component."""
    nlp = blank_vietnamese()
    nlp.add_pipe("vbqppl_citations")
    return nlp


def _label(m: Mention) -> str:
    if m.has_units and m.has_document:
        return "UNIT_OF_DOCUMENT"
    if m.has_units:
        return "UNIT"
    return "DOCUMENT_NUMBER" if m.number else "DOCUMENT_NAME"


def _data(m: Mention, text: str) -> dict[str, Any]:
    return {
        "start": m.start,
        "end": m.end,
        "text": text[m.start : m.end],
        "number": m.number,
        "name": m.name,
        "date": m.date,
        "self": m.self_doc,
        "chapter": m.chapter,
        "articles": list(m.articles),
        "clauses": list(m.clauses),
        "points": list(m.points),
    }


class CitationComponent:
    """Finds the citations of a ``Doc`` and stores them as a span group."""

    def __init__(self, spans_key: str = SPANS_KEY) -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for m in scan_citations(doc.text):
            span = doc.char_span(m.start, m.end, label=_label(m), alignment_mode="expand")
            if span is None:
                continue
            span._.vbqppl = _data(m, doc.text)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory("vbqppl_citations", default_config={"spans_key": SPANS_KEY})
def make_citation_component(nlp: Language, name: str, spans_key: str) -> CitationComponent:
    return CitationComponent(spans_key)
