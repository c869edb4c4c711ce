"""The loop every generation parser shares: split, parse each item, count the rest."""
from typing import Any, Callable, Dict, Optional, Sequence

from .markup import MarkupError, has_markup
from .report import ParseResult
from .responses import Candidate, last_is_truncated, split_response

ItemParser = Callable[[Candidate], Dict[str, Any]]


def raw_text(response: Any) -> str:
    if isinstance(response, (list, tuple)):
        return "\n".join(map(str, response))
    return "" if response is None else str(response)


def numbered_form(candidate: Candidate, forms: Sequence[str]) -> Optional[str]:
    """The sentence form a numbered item answers (None for an unnumbered item: no form to go by)."""
    position = (candidate.number or 0) - 1
    return forms[position] if 0 <= position < len(forms) else None


def parse_items(response: Any, requested: int, parse_item: ItemParser,
                annotate: Optional[Callable[[Dict[str, Any], int, Candidate], None]] = None,
                check_truncation: bool = True, expects_markup: bool = False) -> ParseResult:
    """Parse each candidate item; every item that is not an example is a counted failure.

    ``parse_item`` raises :class:`MarkupError` (with a reason) for a bad item;
    ``annotate(example, position, candidate)`` adds per-item metadata, where
    ``position`` is the 0-based list number the model wrote (or the order).
    ``expects_markup``: an unnumbered answer without a single mark is one
    response-level failure (``no_sentences``), e.g. a refusal.
    """
    split = split_response(response)
    result = ParseResult(requested=requested, raw=raw_text(response), ignored=split.ignored)
    if split.error:
        result.fail(split.error, times=requested)
        return result
    candidates = split.candidates
    # No list, no JSON and no mark anywhere: a refusal or a chatty non-answer, not n broken sentences.
    unstructured = all(c.number is None and c.source == "line" for c in candidates)
    if not candidates or (expects_markup and unstructured and not any(has_markup(c.text) for c in candidates)):
        result.fail("no_sentences", times=requested)
        result.ignored.extend(c.text for c in candidates)
        return result
    truncated = check_truncation and candidates[-1].source == "line" and last_is_truncated(candidates)
    for i, candidate in enumerate(candidates):
        if truncated and i == len(candidates) - 1:
            result.fail("truncated", candidate.text, "the last line is cut off")
            continue
        try:
            example = parse_item(candidate)
        except MarkupError as err:
            result.fail(err.reason, candidate.text, err.detail)
            continue
        if annotate is not None:
            annotate(example, (candidate.number or (i + 1)) - 1, candidate)
        result.examples.append(example)
    if len(candidates) < requested:
        result.fail("missing", times=requested - len(candidates))
    else:
        result.extra = len(candidates) - requested
    return result
