import pytest

from spacy_synthclin.filters.alignment import AlignmentError, align_spans, blank_nlp, misaligned_spans
from spacy_synthclin.filters.chain import FilterChain, FilterSettings
from spacy_synthclin.filters.length import length_reason, n_tokens
from spacy_synthclin.errors import ConfigError


def test_aligned_and_misaligned_spans():
    text = "Several tumors and BRCA1-associated breast cancers were seen."
    nlp = blank_nlp()
    doc = nlp.make_doc(text)
    spans = align_spans(doc, [(8, 14, "DISEASE"), (36, 50, "DISEASE")])
    assert [s.text for s in spans] == ["tumors", "breast cancers"]
    # "tumor" inside "tumors", and "BRCA" inside "BRCA1": never snapped to a token
    with pytest.raises(AlignmentError):
        align_spans(doc, [(8, 13, "DISEASE")])
    assert misaligned_spans(text, [(8, 13, "X"), (19, 23, "X"), (19, 24, "X")]) == [(8, 13, "X"), (19, 23, "X")]


def test_length_bounds():
    assert n_tokens("Patients with gout were treated.") == 6
    assert length_reason("Gout.", 3, 50) == "too_short"
    assert length_reason(" ".join(["word"] * 60), 3, 50) == "too_long"
    assert length_reason("Patients with gout were treated.", 3, 50) is None


def test_filter_chain_order_and_priming():
    chain = FilterChain(FilterSettings(min_tokens=3, max_tokens=40))
    first = {"text": "Children with asthma used inhaled steroids daily in the trial."}
    assert chain(first) is None
    assert chain({"text": "children with asthma used inhaled steroids daily in the trial"}) == "duplicate"
    assert chain({"text": "Children with asthma used inhaled steroids daily in the trials."}) == "near_duplicate"
    assert chain({"text": "Asthma."}) == "too_short"
    assert chain({"text": "Adults with gout were given colchicine after the first flare."}) is None
    # a resumed run primes the chain with what is already on disk
    resumed = FilterChain(FilterSettings())
    resumed.prime(first)
    assert resumed(dict(first)) == "duplicate"


def test_seed_names_are_only_deduplicated():
    chain = FilterChain(FilterSettings(), sentences=False)
    assert chain({"seed": "Gout"}) is None
    assert chain({"seed": "gout"}) == "duplicate"
    assert chain({"seed": "X"}) is None  # no length bounds for names
    assert chain({"gene": "APOE", "disease": "Alzheimer disease"}) is None
    assert chain({"gene": "APOE", "disease": "alzheimer disease"}) == "duplicate"


def test_unknown_filter_setting():
    with pytest.raises(ConfigError, match="near_dedupe"):
        FilterSettings.from_dict({"near_dedupe": True})


def test_span_edge_at_punctuation_splits_the_token_but_never_between_letters():
    from spacy_synthclin.filters.alignment import align_spans, blank_nlp, misaligned_spans, tokenize_for_spans

    nlp = blank_nlp()
    text = "Carriers of HLA-B*57:01 had fewer tumors."
    start = text.index("HLA-B")
    doc = tokenize_for_spans(nlp, text, [(start, start + 5)])
    assert "*57:01" in [t.text for t in doc] and doc.text == text
    assert align_spans(doc, [(start, start + 5, "GENE")])[0].text == "HLA-B"
    t = text.index("tumor")
    assert misaligned_spans(text, [(t, t + 5, "DISEASE")]) == [(t, t + 5, "DISEASE")]  # [[tumor]]s stays an error
    assert misaligned_spans(text, [(start, start + 5, "GENE")]) == []
