"""NER response parsing: good answers, and every class of malformed answer an LLM really writes.

The responses below are hand-written test fixtures (not training data): each
imitates a failure seen with chat models (preambles, missing or broken
brackets, JSON answers, wrong labels, truncation, refusals).
"""
import json

import pytest

from spacy_synthclin.filters.alignment import blank_nlp
from spacy_synthclin.tasks.ner_generation.parser import parse_ner_response

META = {
    "seed": "cystic fibrosis",
    "label": "DISEASE",
    "style": "abstract",
    "context": "a paediatric outpatient clinic",
    "forms": ["assertion", "negation", "hedging", "abbreviation", "composite"],
    "n_sentences": 5,
    "seed_index": 7,
    "mode": "markup",
}

GOOD = """1. Children with [[cystic fibrosis]] had lower FEV1 values than controls despite treatment with ivacaftor.
2. No evidence of [[cystic fibrosis]] was found in the 12 siblings screened for CFTR variants.
3. [[Cystic fibrosis]] may explain the recurrent Pseudomonas colonisation and chronic cough in this patient.
4. In [[cystic fibrosis]] ([[CF]]), sweat chloride above 60 mmol/L confirms the diagnosis, and [[CF]] carriers are asymptomatic.
5. Patients with [[cystic fibrosis and related disorders]] often need pancreatic enzyme replacement."""


def check_accounting(result):
    assert result.parsed + len(result.failures) == result.requested + result.extra


def expected_spans(marked_line):
    """Reference: positions of [[...]] after removing the brackets (independent of the parser)."""
    spans, text, i = [], "", 0
    while i < len(marked_line):
        if marked_line.startswith("[[", i):
            j = marked_line.index("]]", i)
            start = len(text)
            text += marked_line[i + 2 : j]
            spans.append((start, len(text)))
            i = j + 2
        else:
            text += marked_line[i]
            i += 1
    return text, spans


def test_good_response_parses_every_mention():
    result = parse_ner_response(GOOD, META)
    check_accounting(result)
    assert result.parsed == 5 and not result.failures
    for line, example in zip(GOOD.splitlines(), result.examples):
        text, spans = expected_spans(line.split(". ", 1)[1])
        assert example["text"] == text
        assert [(s["start"], s["end"]) for s in example["spans"]] == spans
        assert all(s["label"] == "DISEASE" for s in example["spans"])
        assert "[[" not in example["text"] and "]]" not in example["text"]
    assert result.examples[3]["form"] == "abbreviation"
    assert [e["text"][s["start"]:s["end"]] for e in result.examples[3:4] for s in e["spans"]] == ["cystic fibrosis", "CF", "CF"]
    assert result.examples[0]["seed_index"] == 7 and result.examples[0]["style"] == "abstract"


def test_spans_are_token_aligned():
    nlp = blank_nlp("en")
    for example in parse_ner_response(GOOD, META).examples:
        doc = nlp.make_doc(example["text"])
        for s in example["spans"]:
            assert doc.char_span(s["start"], s["end"], alignment_mode="strict") is not None


def test_prose_around_the_list_is_ignored_not_counted():
    response = "Sure! Here are five sentences that follow your requirements:\n\n" + GOOD + "\n\nLet me know if you need more."
    result = parse_ner_response(response, META)
    check_accounting(result)
    assert result.parsed == 5 and not result.failures
    assert len(result.ignored) == 2


def test_missing_markup():
    response = GOOD.replace("2. No evidence of [[cystic fibrosis]] was found", "2. No evidence of cystic fibrosis was found")
    response = response.replace("[[cystic fibrosis and related disorders]]", "cystic fibrosis and related disorders")
    result = parse_ner_response(response, META)
    check_accounting(result)
    # line 2 has no mark at all; line 5 has none either
    assert result.failed_counts() == {"no_markup": 2}
    assert result.parsed == 3


def test_seed_left_unmarked_next_to_a_mark_is_dropped():
    response = "1. Cystic fibrosis was suspected because of [[meconium ileus]] at birth."
    result = parse_ner_response(response, {**META, "n_sentences": 1})
    assert result.failed_counts() == {"unmarked_mention": 1}
    # a partial mark of the seed is the same error
    response = "1. [[Cystic]] fibrosis was confirmed by a sweat test in the clinic."
    result = parse_ner_response(response, {**META, "n_sentences": 1})
    assert result.failed_counts() == {"unmarked_mention": 1}


@pytest.mark.parametrize(
    "line",
    [
        "1. Adults with [[cystic fibrosis] had higher rates of CF-related diabetes.",  # single closing bracket
        "1. Adults with cystic fibrosis]] had higher rates of diabetes.",  # closing without opening
        "1. Adults with [[cystic [[fibrosis]] had higher rates of diabetes.",  # nested
        "1. Adults with [[[cystic fibrosis]] had higher rates of diabetes.",  # stray bracket inside
    ],
)
def test_unbalanced_brackets(line):
    result = parse_ner_response(line + "\n2. [[Asthma]] was ruled out in all of the enrolled children.", {**META, "n_sentences": 2})
    check_accounting(result)
    assert result.failed_counts() == {"unbalanced_markup": 1}
    assert result.parsed == 1


def test_misaligned_mark_is_dropped_not_snapped():
    response = "1. Several [[tumor]]s were found in patients with [[cystic fibrosis]] on CT imaging."
    result = parse_ner_response(response, {**META, "n_sentences": 1})
    assert result.failed_counts() == {"misaligned": 1}
    assert result.failures[0].line.startswith("Several [[tumor]]s")


def test_wrong_label_names():
    response = ("1. [[cystic fibrosis]] patients received [[CHEMICAL: ivacaftor]] twice daily.\n"
                "2. [[DISEASE: Cystic fibrosis]] was diagnosed by a sweat chloride test in the newborn.")
    result = parse_ner_response(response, {**META, "n_sentences": 2})
    check_accounting(result)
    assert result.failed_counts() == {"wrong_label": 1}
    # a label prefix that names the right label is read as a label, not as text
    assert result.examples[0]["text"].startswith("Cystic fibrosis was diagnosed")
    assert result.examples[0]["spans"][0] == {"start": 0, "end": 15, "label": "DISEASE"}


def test_empty_response_counts_every_requested_sentence():
    for response in ("", "   \n\n ", None, [""]):
        result = parse_ner_response(response, META)
        check_accounting(result)
        assert result.failed_counts() == {"empty": 5}


def test_truncated_last_line():
    response = GOOD.rsplit("\n", 1)[0] + "\n5. Patients with [[cystic fibrosis and related"
    result = parse_ner_response(response, META)
    check_accounting(result)
    assert result.failed_counts() == {"truncated": 1}
    response = GOOD.rsplit("\n", 1)[0] + "\n5. Patients with [[cystic fibrosis]] often need pancreatic"
    result = parse_ner_response(response, META)
    assert result.failed_counts() == {"truncated": 1}


def test_fewer_lines_than_requested_are_missing():
    response = "\n".join(GOOD.splitlines()[:3])
    result = parse_ner_response(response, META)
    check_accounting(result)
    assert result.failed_counts() == {"missing": 2} and result.parsed == 3


def test_more_lines_than_requested_are_extra():
    response = GOOD + "\n6. Lung transplantation was discussed for end-stage [[cystic fibrosis]] lung disease."
    result = parse_ner_response(response, META)
    check_accounting(result)
    assert result.parsed == 6 and result.extra == 1 and not result.failures


def test_refusal_is_one_response_level_failure():
    result = parse_ner_response("I'm sorry, but I can't help with creating medical content.", META)
    check_accounting(result)
    assert result.failed_counts() == {"no_sentences": 5}


def test_json_with_prose_around_it():
    items = [
        {"text": "Children with cystic fibrosis had lower FEV1 values.", "entities": ["cystic fibrosis"]},
        {"text": "Sweat testing excluded cystic fibrosis in 40 infants.", "spans": [{"start": 23, "end": 38, "label": "DISEASE"}]},
        "A diagnosis of [[cystic fibrosis]] ([[CF]]) was considered in the neonate.",
    ]
    response = "Here is the JSON you asked for:\n```json\n" + json.dumps(items, indent=2) + "\n```\nHope this helps!"
    result = parse_ner_response(response, {**META, "n_sentences": 3})
    check_accounting(result)
    assert result.parsed == 3 and not result.failures
    assert result.examples[0]["spans"] == [{"start": 14, "end": 29, "label": "DISEASE"}]
    assert [result.examples[2]["text"][s["start"]:s["end"]] for s in result.examples[2]["spans"]] == ["cystic fibrosis", "CF"]


def test_json_spans_not_in_text():
    items = [
        {"text": "Children with cystic fibrosis had lower FEV1 values.", "entities": ["mucoviscidosis"]},
        {"text": "Sweat testing excluded cystic fibrosis in 40 infants.", "spans": [{"start": 20, "end": 35, "text": "cystic fibrosis"}]},
        {"text": "Sweat testing excluded cystic fibrosis.", "spans": [{"start": 30, "end": 90}]},
        {"text": "Children with cystic fibrosis had lower FEV1 values.", "entities": [{"text": "cystic fibrosis", "label": "DRUG"}]},
    ]
    result = parse_ner_response(json.dumps(items), {**META, "n_sentences": 4})
    check_accounting(result)
    assert result.failed_counts() == {"span_not_in_text": 3, "wrong_label": 1}


def test_truncated_json_is_malformed():
    items = [{"text": "Children with cystic fibrosis had lower FEV1 values.", "entities": ["cystic fibrosis"]}] * 3
    response = json.dumps(items)[:-40]
    result = parse_ner_response(response, {**META, "n_sentences": 3})
    check_accounting(result)
    assert result.failed_counts() == {"malformed_json": 3}


def test_code_fences_bullets_and_quotes():
    response = ("```\n- \"Children with [[cystic fibrosis]] had lower FEV1 values.\"\n"
                "- [[CF]] was excluded by genetic testing in both twins.\n```")
    result = parse_ner_response(response, {**META, "n_sentences": 2})
    assert result.parsed == 2
    assert result.examples[0]["text"] == "Children with cystic fibrosis had lower FEV1 values."


def test_mixture_adds_up_to_what_was_injected():
    lines = [
        "Here you go:",
        "1. Children with [[cystic fibrosis]] had lower FEV1 values than healthy controls.",
        "2. Several [[tumor]]s were seen in the liver of this [[cystic fibrosis]] patient.",  # misaligned
        "3. [[Cystic fibrosis]] was excluded, and [[CHEMICAL: tobramycin]] was stopped.",  # wrong label
        "4. Cystic fibrosis was not considered in the differential diagnosis.",  # no markup
        "5. The newborn screen for [[cystic fibrosis was positive",  # truncated at the end
    ]
    result = parse_ner_response("\n".join(lines), META)
    check_accounting(result)
    assert result.failed_counts() == {"misaligned": 1, "wrong_label": 1, "no_markup": 1, "truncated": 1}
    assert result.parsed == 1
    report = result.to_report()
    assert report["raw"] == "\n".join(lines)
    assert {f["reason"] for f in report["failures"]} == {"misaligned", "wrong_label", "no_markup", "truncated"}


def test_plain_mode_keeps_sentences_without_spans():
    response = "1. Children with cystic fibrosis had lower FEV1 values.\n2. Sweat testing excluded cystic fibrosis."
    result = parse_ner_response(response, {**META, "n_sentences": 2, "mode": "plain"}, mode="plain")
    assert result.parsed == 2 and all(e["spans"] == [] for e in result.examples)


def test_mention_free_forms_accept_an_unmarked_line_and_only_those():
    meta = dict(META, forms=["gene_only", "assertion", "methods_only"], n_sentences=3,
                mention_free_forms=["gene_only", "methods_only"])
    response = """1. The CFTR transcript spans 27 exons and is expressed in airway epithelial cells.
2. Sweat chloride was raised in the two siblings tested for CFTR variants.
3. Exon 11 of CFTR was screened by SSCP and sequencing in 40 cystic fibrosis samples."""
    result = parse_ner_response(response, meta)
    check_accounting(result)
    assert [e["spans"] for e in result.examples] == [[]]  # line 1 only: a sentence with no disease
    assert result.examples[0]["form"] == "gene_only"
    reasons = sorted(f.reason for f in result.failures)
    # line 2 had to be marked (assertion); line 3 names the seed although it was asked to name none
    assert reasons == ["no_markup", "unmarked_mention"]


def test_mention_free_sentence_becomes_a_doc_with_every_token_outside():
    from spacy_synthclin.corpora.synthetic import synthetic_to_docs

    rows = [{"text": "The CFTR gene maps to 7q31.", "spans": []},
            {"text": "Children with cystic fibrosis were seen.", "spans": [{"start": 14, "end": 29, "label": "DISEASE"}]}]
    docs = list(synthetic_to_docs(rows, blank_nlp("en")))
    assert not docs[0].ents and all(t.ent_iob_ == "O" for t in docs[0])  # gold "outside", not missing
    assert [e.text for e in docs[1].ents] == ["cystic fibrosis"]
