"""Seed proposal parsing: names one per line, GENE<TAB>disease pairs (hand-written fixtures)."""
import json

from spacy_synthclin.tasks.seed_proposal.parser import parse_seed_response

NAMES = {"entity_type": "disease", "category": "eye diseases", "category_index": 17, "n_seeds": 6}
PAIRS = {"entity_type": "gene_disease", "category": "eye diseases", "category_index": 40, "n_seeds": 4}


def check_accounting(result):
    assert result.parsed + len(result.failures) == result.requested + result.extra


def test_names_with_preamble_numbering_and_explanations():
    response = """Here are 6 eye diseases:
1. Age-related macular degeneration (AMD)
2. primary open-angle glaucoma
3. Retinitis pigmentosa - an inherited retinal dystrophy
4. **Keratoconus**
5. Leber hereditary optic neuropathy.
6. This is a long explanation of why diabetic retinopathy is an important cause of blindness in adults worldwide"""
    result = parse_seed_response(response, NAMES)
    check_accounting(result)
    assert [e["seed"] for e in result.examples] == [
        "Age-related macular degeneration (AMD)", "primary open-angle glaucoma", "Retinitis pigmentosa",
        "Keratoconus", "Leber hereditary optic neuropathy",
    ]
    assert result.failed_counts() == {"bad_seed": 1}
    assert result.examples[0]["category"] == "eye diseases" and result.examples[0]["entity_type"] == "disease"


def test_unnumbered_names_and_missing():
    result = parse_seed_response("uveitis\nblepharitis\ntrachoma\n", NAMES)
    check_accounting(result)
    assert result.parsed == 3 and result.failed_counts() == {"missing": 3}


def test_pairs_tab_and_other_separators():
    response = "CFH\tage-related macular degeneration\nMYOC | primary open-angle glaucoma\nRHO - retinitis pigmentosa\nnot a pair at all"
    result = parse_seed_response(response, PAIRS)
    check_accounting(result)
    assert [(e["gene"], e["disease"]) for e in result.examples] == [
        ("CFH", "age-related macular degeneration"), ("MYOC", "primary open-angle glaucoma"), ("RHO", "retinitis pigmentosa"),
    ]
    assert result.failed_counts() == {"bad_seed": 1}


def test_pairs_bad_gene_symbol_and_json():
    result = parse_seed_response("complement factor H gene\tage-related macular degeneration", {**PAIRS, "n_seeds": 1})
    assert result.failed_counts() == {"bad_seed": 1}
    items = [{"gene": "ABCA4", "disease": "Stargardt disease"}, {"gene": "OPA1", "disease": "dominant optic atrophy"}]
    result = parse_seed_response("```json\n" + json.dumps(items) + "\n```", {**PAIRS, "n_seeds": 2})
    assert result.parsed == 2 and result.examples[0]["gene"] == "ABCA4"


def test_empty():
    assert parse_seed_response("", NAMES).failed_counts() == {"empty": 6}
