"""Parse an NER generation response into examples with token-aligned character spans.

One numbered line = one sentence. A line is kept only if every mark can be
read, names the task's label (or none), lands on token boundaries, and the
seed entity does not also occur unmarked. Anything else is dropped with a
reason from :data:`~spacy_synthclin.tasks.util.report.REASONS`.
"""
from typing import Any, Dict, List, Optional

from spacy.language import Language

from ...filters.alignment import AlignmentError, align_spans, blank_nlp, tokenize_for_spans
from ..util.markup import Mark, MarkupError, has_markup, parse_plain_item, strip_markup
from ..util.report import ParseResult
from ..util.parsing import numbered_form, parse_items
from ..util.responses import Candidate
from ..util.spans import spans_from_json, unmarked_occurrence

# Label words a model may write inside a mark for each label ("[[Disease: x]]").
LABEL_ALIASES: Dict[str, set] = {
    "DISEASE": {"disease", "disorder", "condition"},
    "CHEMICAL": {"chemical", "drug", "compound"},
}


def label_matches(tag: Optional[str], label: str) -> bool:
    if tag is None:
        return True
    tag_l = tag.lower()
    return tag_l == label.lower() or tag_l in LABEL_ALIASES.get(label.upper(), set())


def parse_ner_item(candidate: Candidate, meta: Dict[str, Any], nlp: Language, mention_free: bool = False) -> Dict[str, Any]:
    """One sentence -> example dict, or MarkupError(reason). ``mention_free``: the sentence's form
    asks for no entity of the label, so a line without marks is an example with no spans."""
    label = meta["label"]
    if candidate.obj is not None and not has_markup(candidate.text):
        text = candidate.text
        if not text:
            raise MarkupError("no_markup", "JSON item without text")
        raw_spans = spans_from_json(candidate.obj, text, label)
        marks = [Mark(s, e, text[s:e], None if lab == label else lab) for s, e, lab in raw_spans]
    else:
        text, marks = strip_markup(candidate.text)
    # A sentence asked to name no entity may have no marks (the seed check below still applies).
    if not marks and not mention_free:
        raise MarkupError("no_markup", "no [[...]] mark in the sentence")
    for mark in marks:
        if not label_matches(mark.tag, label):
            raise MarkupError("wrong_label", f"[[{mark.tag}: {mark.text}]] in a {label} prompt")
    doc = tokenize_for_spans(nlp, text, [(m.start, m.end) for m in marks])
    try:
        align_spans(doc, [(m.start, m.end, label) for m in marks])
    except AlignmentError as err:
        raise MarkupError("misaligned", str(err)) from None
    unmarked = unmarked_occurrence(text, [(m.start, m.end) for m in marks], [meta["seed"]])
    if unmarked is not None:
        raise MarkupError("unmarked_mention", f"{unmarked!r} occurs outside the marks")
    return {
        "text": text,
        "spans": [{"start": m.start, "end": m.end, "label": label} for m in marks],
    }


def parse_ner_response(response: Any, meta: Dict[str, Any], mode: str = "markup", lang: str = "en") -> ParseResult:
    nlp = blank_nlp(lang)
    forms: List[str] = list(meta.get("forms") or [])

    free = set(meta.get("mention_free_forms") or [])

    def parse_item(candidate: Candidate) -> Dict[str, Any]:
        if mode == "plain":
            return parse_plain_item(candidate)
        return parse_ner_item(candidate, meta, nlp, mention_free=numbered_form(candidate, forms) in free)

    def annotate(example: Dict[str, Any], position: int, _: Candidate) -> None:
        example.update(
            seed=meta["seed"],
            label=meta["label"],
            style=meta.get("style"),
            context=meta.get("context"),
            form=forms[position] if 0 <= position < len(forms) else None,
            seed_index=meta.get("seed_index"),
            mode=mode,
        )

    return parse_items(response, int(meta["n_sentences"]), parse_item, annotate, expects_markup=mode == "markup")
