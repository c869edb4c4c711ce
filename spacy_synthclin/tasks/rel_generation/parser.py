"""Parse a relation generation response: one gene mark, one disease mark per sentence.

A sentence is kept only with exactly one ``[[G:...]]`` naming the requested
gene and exactly one ``[[D:...]]`` naming the requested disease (the same
disease under a close variant of its name is accepted), both on token
boundaries, and neither repeated unmarked elsewhere in the sentence (a
repeat would stay visible after masking). The example's label is the target
label of the prompt: the prompt asked for sentences of that label.

A form listed in the prompt's ``mismarked_forms`` (template v2) puts one mark
on a word that is *not* the seed (a tagger's error, label 0): that mark must
then not name the seed, and the seed itself may occur unmarked. A form in
``repeated_forms`` names the gene or the disease twice with one mention
marked: that seed may occur again unmarked.
"""
import re
from typing import Any, Dict, List, Optional, Tuple

from spacy.language import Language

from ...filters.alignment import AlignmentError, align_spans, blank_nlp, tokenize_for_spans
from ..util.markup import Mark, MarkupError, has_markup, parse_plain_item, strip_markup
from ..util.report import ParseResult
from ..util.parsing import numbered_form, parse_items
from ..util.responses import Candidate
from ..util.spans import name_variants, unmarked_occurrence

GENE_TAGS = {"g", "gene"}
DISEASE_TAGS = {"d", "disease"}
GENE_LABEL = "GENE"
DISEASE_LABEL = "DISEASE"
# Words that do not identify a disease on their own when comparing names.
_GENERIC = {
    "disease", "diseases", "disorder", "disorders", "syndrome", "syndromes", "cancer", "cancers", "carcinoma",
    "carcinomas", "tumor", "tumors", "tumour", "tumours", "type", "chronic", "acute", "familial", "hereditary",
    "early", "late", "onset", "infection", "deficiency", "primary", "with", "and", "the", "of", "in",
}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _words(text: str) -> set:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 3 and w not in _GENERIC}


def gene_matches(marked: str, gene: str) -> bool:
    return _norm(marked) == _norm(gene)


def disease_matches(marked: str, disease: str) -> bool:
    """Same disease, allowing the usual variation of its name (plural, abbreviation, word order)."""
    m = _norm(marked)
    for variant in name_variants(disease) + [disease]:
        v = _norm(variant)
        if m == v or (len(v) >= 4 and v in m) or (len(m) >= 4 and m in v):
            return True
        # plural / singular ("cardiomyopathies" vs "cardiomyopathy") and shared content words
        if m.rstrip("s") == v.rstrip("s"):
            return True
    return bool(_words(marked) & _words(disease))


def _classify(marks: List[Mark]) -> Tuple[List[Mark], List[Mark]]:
    genes, diseases = [], []
    for mark in marks:
        tag = (mark.tag or "").lower()
        if tag in GENE_TAGS:
            genes.append(mark)
        elif tag in DISEASE_TAGS:
            diseases.append(mark)
        elif mark.tag is None:
            raise MarkupError("wrong_label", f"untyped mark [[{mark.text}]]: G: or D: is required")
        else:
            raise MarkupError("wrong_label", f"[[{mark.tag}:{mark.text}]]: only G: and D: are allowed")
    return genes, diseases


def _json_marks(obj: Dict[str, Any], text: str, gene: str, disease: str) -> List[Mark]:
    """A JSON item with the sentence plus "gene"/"disease" strings (each must occur exactly once)."""
    marks = []
    for key, tag in (("gene", "G"), ("disease", "D")):
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            raise MarkupError("missing_gene" if tag == "G" else "missing_disease", f"JSON item without {key!r}")
        hits = [m.start() for m in re.finditer(re.escape(value.strip()), text)]
        if not hits:
            raise MarkupError("span_not_in_text", f"{value!r} does not occur in the sentence")
        if len(hits) > 1:
            raise MarkupError("multiple_gene" if tag == "G" else "multiple_disease", f"{value!r} occurs {len(hits)} times")
        marks.append(Mark(hits[0], hits[0] + len(value.strip()), value.strip(), tag))
    return marks


def _check_mark(kind: str, marked: str, seed: str, matches: bool, mismarked: bool) -> None:
    if mismarked and matches:
        raise MarkupError("wrong_entity", f"{kind} mark {marked!r} is the seed {seed!r}, the form asks for a mark on another word")
    if not mismarked and not matches:
        raise MarkupError("wrong_entity", f"{kind} mark {marked!r} is not {seed!r}")


def parse_rel_item(candidate: Candidate, meta: Dict[str, Any], nlp: Language,
                   mismarked: Optional[str] = None, repeated: Optional[str] = None) -> Dict[str, Any]:
    """One sentence -> example dict, or MarkupError(reason). ``mismarked``: "gene" or "disease",
    the mark that the sentence's form puts on a word other than the seed; ``repeated``: the
    entity the form names twice (one mention marked)."""
    gene, disease = meta["gene"], meta["disease"]
    if candidate.obj is not None and not has_markup(candidate.text):
        text = candidate.text
        if not text:
            raise MarkupError("no_markup", "JSON item without text")
        marks = _json_marks(candidate.obj, text, gene, disease)
    else:
        text, marks = strip_markup(candidate.text)
    if not marks:
        raise MarkupError("no_markup", "no [[G:...]] / [[D:...]] marks in the sentence")
    genes, diseases = _classify(marks)
    if not genes:
        raise MarkupError("missing_gene", "no [[G:...]] mark")
    if not diseases:
        raise MarkupError("missing_disease", "no [[D:...]] mark")
    if len(genes) > 1:
        raise MarkupError("multiple_gene", f"{len(genes)} gene marks")
    if len(diseases) > 1:
        raise MarkupError("multiple_disease", f"{len(diseases)} disease marks")
    g, d = genes[0], diseases[0]
    spans = [(g.start, g.end), (d.start, d.end)]

    def matches(kind: str, seed: str, same: bool) -> bool:
        # A form naming the seed twice may mark its other name ("[[D:ALS]]" beside "amyotrophic
        # lateral sclerosis"): the seed must then be in the sentence, unmarked.
        return same or (repeated == kind and unmarked_occurrence(text, spans, [seed]) is not None)

    _check_mark("gene", g.text, gene, matches("gene", gene, gene_matches(g.text, gene)), mismarked == "gene")
    _check_mark("disease", d.text, disease, matches("disease", disease, disease_matches(d.text, disease)),
                mismarked == "disease")
    doc = tokenize_for_spans(nlp, text, spans)
    try:
        align_spans(doc, [(g.start, g.end, GENE_LABEL), (d.start, d.end, DISEASE_LABEL)])
    except AlignmentError as err:
        raise MarkupError("misaligned", str(err)) from None
    # The seed of a mismarked mention is meant to stay visible, and so is a repeated one; otherwise
    # a repeat would still be readable after masking.
    gene_names = [] if repeated == "gene" else [g.text] if mismarked == "gene" else [gene, g.text]
    disease_names = [] if repeated == "disease" else [d.text]
    repeat = unmarked_occurrence(text, spans, gene_names) or unmarked_occurrence(text, spans, disease_names)
    if repeat is not None:
        raise MarkupError("unmarked_mention", f"{repeat!r} occurs again outside the marks")
    return {
        "text": text,
        "spans": [
            {"start": g.start, "end": g.end, "label": GENE_LABEL},
            {"start": d.start, "end": d.end, "label": DISEASE_LABEL},
        ],
    }


def parse_rel_response(response: Any, meta: Dict[str, Any], mode: str = "markup", lang: str = "en") -> ParseResult:
    nlp = blank_nlp(lang)
    forms: List[str] = list(meta.get("forms") or [])
    mismarked: Dict[str, str] = dict(meta.get("mismarked_forms") or {})
    repeated: Dict[str, str] = dict(meta.get("repeated_forms") or {})

    def parse_item(candidate: Candidate) -> Dict[str, Any]:
        if mode == "plain":
            return parse_plain_item(candidate)
        form = numbered_form(candidate, forms)
        return parse_rel_item(candidate, meta, nlp, mismarked=mismarked.get(form), repeated=repeated.get(form))

    def annotate(example: Dict[str, Any], position: int, _: Candidate) -> None:
        example.update(
            # markup mode: the prompt asked for sentences of the target label;
            # plain mode: the annotator decides (set by the runner).
            label=int(meta["target_label"]) if mode == "markup" else None,
            target_label=int(meta["target_label"]),
            gene=meta["gene"],
            disease=meta["disease"],
            style=meta.get("style"),
            context=meta.get("context"),
            form=forms[position] if 0 <= position < len(forms) else None,
            pair_index=meta.get("pair_index"),
            mode=mode,
        )

    return parse_items(response, int(meta["n_sentences"]), parse_item, annotate, expects_markup=mode == "markup")
