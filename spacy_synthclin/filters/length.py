"""Length bounds in tokens (the converter's tokenizer)."""
from typing import Optional

from spacy.language import Language

from .alignment import blank_nlp


def n_tokens(text: str, nlp: Optional[Language] = None) -> int:
    return len((nlp or blank_nlp()).make_doc(text))


def length_reason(text: str, min_tokens: int, max_tokens: int, nlp: Optional[Language] = None) -> Optional[str]:
    """'too_short' / 'too_long' / None."""
    n = n_tokens(text, nlp)
    if min_tokens and n < min_tokens:
        return "too_short"
    if max_tokens and n > max_tokens:
        return "too_long"
    return None
