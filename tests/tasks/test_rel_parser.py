"""Relation response parsing: [[G:...]] / [[D:...]] marks, and the malformed answers LLMs write (fixtures)."""
import json

from spacy_synthclin.tasks.rel_generation.parser import disease_matches, gene_matches, parse_rel_response

META = {
    "gene": "MTHFR",
    "disease": "neural tube defects",
    "target_label": 0,
    "style": "abstract_results",
    "context": "a meta-analysis of published case-control studies",
    "forms": ["no_association", "no_difference", "other_disease", "other_purpose", "unknown"],
    "n_sentences": 5,
    "pair_index": 3,
    "mode": "markup",
}

GOOD = """1. No significant association was found between the [[G:MTHFR]] C677T polymorphism and [[D:neural tube defects]] in 412 mothers.
2. Genotype frequencies of [[G:MTHFR]] did not differ between cases with [[D:neural tube defects]] and 530 controls (P = 0.41).
3. The [[G:MTHFR]] A1298C variant was associated with recurrent pregnancy loss but not with [[D:neural tube defects]].
4. In infants with [[D:neural tube defects]], [[G:MTHFR]] was genotyped only to guide folate dosing.
5. Whether [[G:MTHFR]] haplotypes modify the risk of [[D:neural tube defects]] in this population remains unknown."""


def check_accounting(result):
    assert result.parsed + len(result.failures) == result.requested + result.extra


def test_good_response():
    result = parse_rel_response(GOOD, META)
    check_accounting(result)
    assert result.parsed == 5 and not result.failures
    for example in result.examples:
        gene, disease = example["spans"]
        assert gene["label"] == "GENE" and example["text"][gene["start"]:gene["end"]] == "MTHFR"
        assert disease["label"] == "DISEASE" and example["text"][disease["start"]:disease["end"]] == "neural tube defects"
        assert example["label"] == 0 and example["target_label"] == 0
        assert "[[" not in example["text"]
    assert [e["form"] for e in result.examples] == META["forms"]


def test_positive_label_comes_from_the_prompt():
    result = parse_rel_response(GOOD.splitlines()[0], {**META, "target_label": 1, "n_sentences": 1})
    assert result.examples[0]["label"] == 1


def test_missing_and_multiple_marks():
    response = "\n".join([
        "1. [[G:MTHFR]] variants were genotyped in 300 mothers of affected infants.",  # no disease mark
        "2. Folate intake modified the risk of [[D:neural tube defects]] in the cohort.",  # no gene mark
        "3. [[G:MTHFR]] and [[G:MTR]] were not associated with [[D:neural tube defects]].",  # two genes
        "4. [[G:MTHFR]] was unrelated to [[D:neural tube defects]] or [[D:cleft lip]].",  # two diseases
        "5. Neither MTHFR nor MTR was associated with neural tube defects.",  # no marks
    ])
    result = parse_rel_response(response, META)
    check_accounting(result)
    assert result.failed_counts() == {"missing_disease": 1, "missing_gene": 1, "multiple_gene": 1, "multiple_disease": 1, "no_markup": 1}


def test_wrong_labels_untyped_marks_and_wrong_entities():
    response = "\n".join([
        "1. [[MTHFR]] was not associated with [[neural tube defects]] in this cohort.",  # untyped
        "2. [[GENE:MTHFR]] was not associated with [[DISEASE:neural tube defects]] in this cohort.",  # long tags are fine
        "3. [[P:MTHFR]] was not associated with [[D:neural tube defects]] in this cohort.",  # unknown tag
        "4. [[G:MTR]] was not associated with [[D:neural tube defects]] in this cohort.",  # another gene
        "5. [[G:MTHFR]] was not associated with [[D:congenital heart disease]] in this cohort.",  # another disease
    ])
    result = parse_rel_response(response, META)
    check_accounting(result)
    assert result.failed_counts() == {"wrong_label": 2, "wrong_entity": 2}
    assert result.parsed == 1


def test_repeated_unmarked_mention_is_dropped():
    response = "1. [[G:MTHFR]] status was not linked to [[D:neural tube defects]], although MTHFR was measured twice."
    result = parse_rel_response(response, {**META, "n_sentences": 1})
    assert result.failed_counts() == {"unmarked_mention": 1}


def test_misaligned_mark():
    response = "1. [[G:MTHFR]]677 alleles were not associated with [[D:neural tube defects]] in this study."
    result = parse_rel_response(response, {**META, "n_sentences": 1})
    assert result.failed_counts() == {"misaligned": 1}


def test_empty_truncated_and_refusal():
    assert parse_rel_response("", META).failed_counts() == {"empty": 5}
    truncated = "\n".join(GOOD.splitlines()[:4]) + "\n5. Whether [[G:MTHFR]] haplotypes modify the risk of [[D:neural"
    result = parse_rel_response(truncated, META)
    check_accounting(result)
    assert result.failed_counts() == {"truncated": 1}
    refusal = "As an AI model I cannot make claims about genetic associations without evidence."
    assert parse_rel_response(refusal, META).failed_counts() == {"no_sentences": 5}


def test_json_answers():
    items = [
        {"text": "No association was found between MTHFR and neural tube defects.", "gene": "MTHFR", "disease": "neural tube defects"},
        {"text": "MTHFR was genotyped in all cases.", "gene": "MTHFR", "disease": "neural tube defects"},  # disease not in text
        "Allele frequencies of [[G:MTHFR]] were similar in [[D:neural tube defects]] cases and controls.",
    ]
    response = "Here are the sentences in JSON format:\n" + json.dumps(items) + "\nThese are synthetic."
    result = parse_rel_response(response, {**META, "n_sentences": 3})
    check_accounting(result)
    assert result.parsed == 2 and result.failed_counts() == {"span_not_in_text": 1}


def test_name_matching():
    assert gene_matches("BRCA-1", "BRCA1") and not gene_matches("BRCA2", "BRCA1")
    assert disease_matches("neural tube defect", "neural tube defects")
    assert disease_matches("AMD", "age-related macular degeneration (AMD)")
    assert disease_matches("type 2 diabetes mellitus", "type 2 diabetes")
    assert not disease_matches("lung cancer", "breast cancer")
    assert not disease_matches("asthma", "psoriasis")


MISMARKED_META = {
    **META,
    "gene": "APOE",
    "disease": "Alzheimer disease",
    "forms": ["gene_mark_not_gene", "disease_mark_not_disease", "patient_group"],
    "n_sentences": 3,
    "mismarked_forms": {"gene_mark_not_gene": "gene", "disease_mark_not_disease": "disease"},
}


def test_mismarked_forms_put_one_mark_off_the_seed_and_let_the_seed_stay_unmarked():
    answer = """1. APOE epsilon4 carriers of [[G:type]] 2 diabetes had a higher risk of [[D:Alzheimer disease]] in this cohort.
2. The [[G:APOE]] genotype predicted [[D:blood]] pressure in 300 patients with Alzheimer disease.
3. Among patients with [[D:Alzheimer disease]], [[G:APOE]] epsilon4 was linked to faster weight loss."""
    result = parse_rel_response(answer, MISMARKED_META)
    check_accounting(result)
    assert result.parsed == 3 and not result.failures
    first, second = result.examples[0], result.examples[1]
    assert first["text"][first["spans"][0]["start"]:first["spans"][0]["end"]] == "type"
    assert second["text"][second["spans"][1]["start"]:second["spans"][1]["end"]] == "blood"
    assert all(e["label"] == 0 for e in result.examples)


def test_mismarked_form_rejects_a_mark_on_the_seed_and_a_repeat_of_the_marked_word():
    answer = """1. [[G:APOE]] epsilon4 was associated with [[D:Alzheimer disease]] risk.
2. The [[G:APOE]] genotype predicted [[D:blood]] pressure and blood lipids in patients with Alzheimer disease.
3. In [[D:Alzheimer disease]], [[G:APOE]] epsilon4 carriers lost weight faster than APOE epsilon3 homozygotes."""
    result = parse_rel_response(answer, MISMARKED_META)
    check_accounting(result)
    reasons = [f.reason for f in result.failures]
    # 1: the form asks for the gene mark off the seed; 2: "blood" recurs unmarked; 3: patient_group is an
    # ordinary form, so the seed gene may not recur unmarked
    assert result.parsed == 0 and reasons == ["wrong_entity", "unmarked_mention", "unmarked_mention"]


def test_an_unnumbered_line_gets_no_mismarked_form():
    result = parse_rel_response("APOE carriers of [[G:type]] 2 diabetes had more [[D:Alzheimer disease]].", MISMARKED_META)
    assert result.parsed == 0 and [f.reason for f in result.failures][0] == "wrong_entity"


def test_repeated_forms_let_the_seed_recur_unmarked_with_one_mention_marked():
    meta = {**META, "gene": "APOE", "disease": "Alzheimer disease", "target_label": 1, "n_sentences": 3,
            "forms": ["named_twice_gene", "named_twice_disease", "risk_variant"],
            "repeated_forms": {"named_twice_gene": "gene", "named_twice_disease": "disease"}}
    answer = """1. The apolipoprotein E gene ([[G:APOE]]) epsilon4 allele, and APOE promoter variants, raised the risk of [[D:Alzheimer disease]].
2. [[G:APOE]] epsilon4 doubled the risk of [[D:Alzheimer disease]], and the effect on Alzheimer disease was strongest in women.
3. [[G:APOE]] epsilon4 raised the risk of [[D:Alzheimer disease]], and APOE epsilon2 lowered it."""
    result = parse_rel_response(answer, meta)
    check_accounting(result)
    # 3 is an ordinary form: the unmarked repeat of the gene would stay readable after masking
    assert result.parsed == 2 and [f.reason for f in result.failures] == ["unmarked_mention"]
    assert all(e["label"] == 1 for e in result.examples)
    wrong = parse_rel_response("1. The [[G:APOE]] gene and APOE were linked to [[D:asthma]].", {**meta, "n_sentences": 1})
    assert [f.reason for f in wrong.failures][0] == "wrong_entity"  # a repeated form still marks the seed


def test_a_repeated_form_may_mark_the_other_name_when_the_seed_is_in_the_sentence():
    meta = {**META, "gene": "SOD1", "disease": "amyotrophic lateral sclerosis", "target_label": 1, "n_sentences": 2,
            "forms": ["named_twice_disease", "named_twice_disease"],
            "repeated_forms": {"named_twice_gene": "gene", "named_twice_disease": "disease"}}
    answer = """1. [[G:SOD1]] mutations cause [[D:ALS]] in 20% of families with amyotrophic lateral sclerosis.
2. [[G:SOD1]] mutations cause [[D:ALS]] in 20% of families with motor neuron disease."""
    result = parse_rel_response(answer, meta)
    assert result.parsed == 1 and [f.reason for f in result.failures] == ["wrong_entity"]  # 2: the seed is not there
