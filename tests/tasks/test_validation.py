"""validate_response: the check `synthclin prompts import` runs on every recorded answer."""
import pytest

from spacy_synthclin.errors import SynthclinError
from spacy_synthclin.tasks.validation import ResponseParseError, parse_recorded, validate_response

NER_META = {"seed": "gout", "label": "DISEASE", "style": "abstract", "context": "x", "n_sentences": 2,
            "forms": ["assertion", "negation"], "seed_index": 0, "mode": "markup"}
REL_META = {"gene": "SLC2A9", "disease": "gout", "target_label": 1, "style": "abstract_results", "context": "x",
            "n_sentences": 1, "forms": ["risk_variant"], "pair_index": 0, "mode": "markup"}
SEED_META = {"entity_type": "chemical", "category": "toxins", "category_index": 0, "n_seeds": 3}


def test_counts_parsed_examples():
    response = ("1. Serum urate above 9 mg/dL preceded [[gout]] flares in 61% of the cohort.\n"
                "2. [[Gout]] was excluded by joint aspiration in the 12 controls.")
    assert validate_response("synthclin.NERGeneration.v1", "v1", "prompt", response, NER_META) == 2
    rel = "1. The rs734553 allele of [[G:SLC2A9]] raised the odds of [[D:gout]] (OR 1.7, P < 0.001)."
    assert validate_response("synthclin.RELGeneration.v1", "v1", "prompt", rel, REL_META) == 1
    assert validate_response("synthclin.SeedProposal.v1", "v1", "prompt", "arsenic\ncadmium\nbenzene", SEED_META) == 3


def test_partly_bad_answers_still_validate():
    response = "1. Serum urate above 9 mg/dL preceded [[gout]] flares in 61% of the cohort.\n2. Gout was excluded."
    assert validate_response("synthclin.NERGeneration.v1", "v1", "p", response, NER_META) == 1
    result = parse_recorded("synthclin.NERGeneration.v1", "v1", "p", response, NER_META)
    assert result.failed_counts() == {"no_markup": 1}


@pytest.mark.parametrize("response,reason", [
    ("", "empty"),
    ("I'm sorry, I can't help with that request.", "no_sentences"),
    ("1. Gout was excluded.\n2. Gout flares were frequent.", "no_markup"),
    ('[{"text": "Gout flares were frequent.", "entities": ["podagra"]}]', "span_not_in_text"),
])
def test_nothing_usable_raises_with_a_reason(response, reason):
    with pytest.raises(ResponseParseError) as err:
        validate_response("synthclin.NERGeneration.v1", "v1", "p", response, NER_META)
    assert err.value.reason == reason
    assert isinstance(err.value, SynthclinError)


def test_unknown_task_and_missing_meta():
    with pytest.raises(SynthclinError):
        validate_response("spacy.NER.v3", "", "p", "x", NER_META)
    with pytest.raises(SynthclinError, match="meta"):
        validate_response("synthclin.NERGeneration.v1", "v1", "p", "x", {})


def test_label_and_mode_come_from_the_meta():
    chem = {**NER_META, "seed": "colchicine", "label": "CHEMICAL", "n_sentences": 1}
    response = "1. [[Colchicine]] 0.5 mg twice daily was started for the acute flare."
    assert validate_response("synthclin.NERGeneration.v1", "v1", "p", response, chem) == 1
    plain = {**NER_META, "mode": "plain", "n_sentences": 1}
    assert validate_response("synthclin.NERGeneration.v1", "v1", "p", "1. Gout flares were frequent in winter.", plain) == 1


def test_annotator_answers_of_generate_then_annotate():
    ner_prompt = "...instructions...\nParagraph: Gout flares were frequent in winter.\nAnswer:"
    assert validate_response("", "", ner_prompt, "1. Gout | True | DISEASE | is a disease\n2. winter | False | ==NONE== | a season", {}) == 2
    with pytest.raises(ResponseParseError):
        validate_response("", "", ner_prompt, "Gout is a disease.", {})
    rel_prompt = "Text:\n'''\nSLC2A9[ENT0:GENE] raised gout[ENT1:DISEASE] risk.\n'''"
    assert validate_response("", "", rel_prompt, '{"dep": 0, "dest": 1, "relation": "ASSOCIATED"}', {}) == 1
    assert validate_response("", "", rel_prompt, "none", {}) == 1  # an explicit "no relation"
    with pytest.raises(ResponseParseError):
        validate_response("", "", rel_prompt, '{"dep": "zero", "dest": 1}', {})
    with pytest.raises(SynthclinError):
        validate_response("", "", "some other prompt", "x", {})
