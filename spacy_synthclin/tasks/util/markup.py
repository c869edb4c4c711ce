"""Inline ``[[...]]`` markup: strip it from a line and return character spans.

Why inline markup rather than JSON with offsets: an LLM cannot count
characters, so JSON offsets are often off by a few; JSON with mention strings
is ambiguous when a mention occurs twice, and a long JSON answer is easy to
truncate into something unparseable. Inline brackets are written in the same
pass as the sentence, so the span is exactly what the model meant, each
occurrence is marked separately, and a broken line breaks alone. The parser
never repairs a broken line: it reports why and the line is dropped.

Typed marks (``[[G:BRCA1]]``, ``[[D:breast cancer]]``) are used when a
sentence holds two kinds of entity (relation generation).
"""
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

if TYPE_CHECKING:
    from .responses import Candidate

OPEN = "[["
CLOSE = "]]"

# A prefix like "DISEASE:" inside a mark is read as a label only if it looks like
# one (short, upper case, or a known entity word): "[[Type 2: ...]]" is rare in
# disease names, "[[CHEMICAL: aspirin]]" is a real LLM habit.
_TAG_RE = re.compile(r"^([A-Za-z][A-Za-z_]{0,19})\s*:\s*(.*)$", re.S)
_KNOWN_TAG_WORDS = {
    "g", "d", "c", "gene", "protein", "disease", "chemical", "drug", "symptom", "entity",
    "label", "disorder", "condition", "compound", "species", "variant", "mutation", "cell",
}


class MarkupError(ValueError):
    """A line whose markup cannot be read; ``reason`` is one of report.REASONS."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class Mark:
    start: int  # character offsets in the text without markup
    end: int
    text: str
    tag: Optional[str]  # the raw prefix before ':' (e.g. "G", "DISEASE"), None if untyped


def _split_tag(content: str) -> Tuple[Optional[str], str]:
    m = _TAG_RE.match(content)
    if not m:
        return None, content
    prefix = m.group(1)
    if prefix.isupper() or prefix.lower() in _KNOWN_TAG_WORDS:
        return prefix, m.group(2)
    return None, content


def strip_markup(marked: str) -> Tuple[str, List[Mark]]:
    """Remove ``[[...]]`` marks from ``marked``; return the plain text and the marks.

    Whitespace just inside the brackets is not part of the mention. Raises
    :class:`MarkupError` for unbalanced or nested brackets and empty marks.
    """
    out: List[str] = []
    marks: List[Mark] = []
    pos = 0
    n = len(marked)
    open_at: Optional[int] = None  # index in `out` (as a length) where the open mark's content starts
    open_buf_start = 0
    length = 0  # running length of the plain text
    while pos < n:
        if marked.startswith(OPEN, pos):
            if open_at is not None:
                raise MarkupError("unbalanced_markup", f"nested '[[' at column {pos + 1}")
            open_at = length
            open_buf_start = len(out)
            pos += 2
            continue
        if marked.startswith(CLOSE, pos):
            if open_at is None:
                raise MarkupError("unbalanced_markup", f"']]' without '[[' at column {pos + 1}")
            content = "".join(out[open_buf_start:])
            tag, inner = _split_tag(content)
            # Padding inside the brackets ("[[ asthma ]]") is not part of the text either.
            stripped = inner.strip()
            if not stripped:
                raise MarkupError("empty_mention", f"empty mark ending at column {pos + 1}")
            if not _single_brackets_balanced(stripped):  # "[[[asthma]]": a stray bracket inside
                raise MarkupError("unbalanced_markup", f"stray bracket inside the mark {stripped!r}")
            del out[open_buf_start:]
            out.append(stripped)
            length = open_at + len(stripped)
            marks.append(Mark(start=open_at, end=length, text=stripped, tag=tag))
            open_at = None
            pos += 2
            continue
        out.append(marked[pos])
        length += 1
        pos += 1
    if open_at is not None:
        raise MarkupError("unbalanced_markup", "'[[' is never closed")
    text = "".join(out)
    # Sanity: every mark is exactly where it says (guards the offset bookkeeping above).
    for mark in marks:
        assert text[mark.start : mark.end] == mark.text, (text, mark)
    return text, marks


def _single_brackets_balanced(text: str) -> bool:
    """Chemical names may hold brackets ("[3H]thymidine"); they must pair up."""
    depth = 0
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def has_markup(text: str) -> bool:
    return OPEN in text or CLOSE in text


def parse_plain_item(candidate: "Candidate") -> Dict[str, Any]:
    """Plain mode (NER and RE): the sentence only; the annotator adds the spans later."""
    text = candidate.text
    if has_markup(text):  # the model marked anyway: the marks are dropped, the text kept
        text, _ = strip_markup(text)
    if not text.strip():
        raise MarkupError("no_sentences", "empty line")
    return {"text": text.strip(), "spans": []}
