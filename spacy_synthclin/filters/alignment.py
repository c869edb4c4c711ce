"""Alignment check: a character span is usable only if it starts and ends on token boundaries.

A span that does not map to whole spaCy tokens ("[[tumor]]s", "[[BRCA]]1")
would have to be snapped to a neighbouring token boundary to become an
entity, which silently changes the annotation. It is never snapped: the
example is dropped and counted (reason ``misaligned``).

One exception keeps the annotation exactly as written: a span edge at
punctuation inside a token (``[[HLA-B]]*57:01``) splits that token there
(``tokenize_for_spans``), as a gold-tokenised corpus would; an edge between two
letters or digits is never split.

The tokenizer is the one the converter uses (``spacy.blank(lang)``), so a span
that passes here is exactly the entity the DocBin will hold.
"""
from functools import lru_cache
from typing import Iterable, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span


@lru_cache(maxsize=8)
def blank_nlp(lang: str = "en") -> Language:
    """A cached blank pipeline for tokenisation (the converter's tokenizer)."""
    return spacy.blank(lang)


class AlignmentError(ValueError):
    def __init__(self, start: int, end: int, text: str):
        self.start, self.end, self.text = start, end, text
        super().__init__(f"span {start}-{end} {text[start:end]!r} does not fall on token boundaries")


def _punctuation_edge(text: str, offset: int) -> bool:
    return not (text[offset - 1].isalnum() and text[offset].isalnum())


def tokenize_for_spans(nlp: Language, text: str, spans: Iterable[Tuple[int, int, object]]) -> Doc:
    """``nlp.make_doc(text)``, with tokens split where a span edge falls on punctuation inside them."""
    doc = nlp.make_doc(text)
    cuts = sorted({edge for start, end, *_ in spans for edge in (int(start), int(end))})
    words: List[str] = []
    spaces: List[bool] = []
    changed = False
    for token in doc:
        start, end = token.idx, token.idx + len(token.text)
        splits = [c - start for c in cuts if start < c < end and _punctuation_edge(text, c)]
        pieces, last = [], 0
        for offset in splits:
            pieces.append(token.text[last:offset])
            last = offset
        pieces.append(token.text[last:])
        changed |= len(pieces) > 1
        words.extend(pieces)
        spaces.extend([False] * (len(pieces) - 1) + [bool(token.whitespace_)])
    return Doc(nlp.vocab, words=words, spaces=spaces) if changed else doc


def align_spans(doc: Doc, spans: Iterable[Tuple[int, int, str]]) -> List[Span]:
    """Token-aligned Spans for (start, end, label) character spans; raises AlignmentError."""
    out: List[Span] = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:
            raise AlignmentError(start, end, doc.text)
        out.append(span)
    return out


def misaligned_spans(text: str, spans: Sequence[Tuple[int, int, str]], nlp: Optional[Language] = None) -> List[Tuple[int, int, str]]:
    """The spans of ``text`` that do not align (empty list: all fine)."""
    doc = tokenize_for_spans(nlp or blank_nlp(), text, spans)
    return [s for s in spans if doc.char_span(s[0], s[1], alignment_mode="strict") is None]
