"""8-gram contamination check and corpus stats, on the real test sets' formats."""
import json

from spacy_synthclin.filters.contamination import check_contamination, masked_text
from spacy_synthclin.filters.corpus_io import CorpusItem, iter_corpus, sniff_format
from spacy_synthclin.filters.ngrams import distinct_n, tokens
from spacy_synthclin.filters.stats import corpus_stats


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_tokens_match_across_formats():
    assert tokens("BRCA1-associated @GENE$ (IL-6)") == ["brca1", "-", "associated", "@gene$", "(", "il", "-", "6", ")"]
    assert tokens("BRCA1 - associated") == tokens("BRCA1-associated")
    assert distinct_n(["a b a b"], 1) == 0.5 and distinct_n(["a b c", "a b d"], 2) == 0.75


def test_formats_are_sniffed(shared_data, tmp_path):
    assert sniff_format(shared_data / "NCBI-disease" / "test.tsv") == "ner_tsv"
    assert sniff_format(shared_data / "NCBI-disease" / "MTL-IOB" / "test.tsv") == "ner_tsv"
    assert sniff_format(shared_data / "GAD" / "1" / "test.tsv") == "re_tsv"  # with header
    assert sniff_format(shared_data / "GAD" / "1" / "train.tsv") == "re_tsv"  # without
    first = next(iter_corpus(shared_data / "GAD" / "1" / "train.tsv"))
    assert "@GENE$" in first.text and first.rel_label in (0, 1)


def first_ncbi_test_sentence(shared_data, min_tokens=12):
    for item in iter_corpus(shared_data / "NCBI-disease" / "test.tsv", label="DISEASE"):
        if len(item.text.split()) >= min_tokens:
            return item.text
    raise AssertionError


def test_overlap_is_found_and_counted(shared_data, tmp_path):
    real = first_ncbi_test_sentence(shared_data).split()
    copied = " ".join(real[:9])  # a 9-token copy of a test sentence (pre-tokenised spacing is fine)
    synth = write_jsonl(tmp_path / "s.jsonl", [
        {"text": "Children with gout were given colchicine by their family doctor in the autumn.", "spans": []},
        {"text": "In our cohort, " + copied + " was seen.", "spans": []},
        {"text": "An entirely new sentence about asthma and inhaled budesonide in rural clinics.", "spans": []},
    ])
    tests = [shared_data / "NCBI-disease" / "test.tsv", shared_data / "GAD" / "1" / "test.tsv"]
    keep = []
    result = check_contamination(synth, tests, keep=keep)
    assert result["overlapping"] == 1 and result["synthetic_sentences"] == 3
    assert result["by_test"][str(tests[0])] == 1 and result["by_test"][str(tests[1])] == 0
    assert result["test_sentences"][str(tests[0])] == 940
    assert len(result["examples"][0]["ngram"].split()) == 8
    assert [r["text"] for r in keep] == [json.loads(l)["text"] for l in synth.read_text().splitlines() if "cohort" not in l]
    # 7 copied tokens are not an 8-gram
    short = write_jsonl(tmp_path / "short.jsonl", [{"text": "Here " + " ".join(real[:7]) + " again.", "spans": []}])
    assert check_contamination(short, tests[:1])["overlapping"] == 0


def test_masked_relation_sentences(shared_data, tmp_path):
    gad = next(iter_corpus(shared_data / "GAD" / "1" / "test.tsv")).text  # masked
    unmasked = gad.replace("@GENE$", "TP53").replace("@DISEASE$", "lung cancer")
    g, d = unmasked.index("TP53"), unmasked.index("lung cancer")
    record = {"text": unmasked, "label": 1, "spans": [{"start": g, "end": g + 4, "label": "GENE"},
                                                      {"start": d, "end": d + 11, "label": "DISEASE"}]}
    synth = write_jsonl(tmp_path / "rel.jsonl", [record])
    item = CorpusItem(unmasked, [(g, g + 4, "GENE"), (d, d + 11, "DISEASE")], 1)
    assert masked_text(item) == gad
    tests = [shared_data / "GAD" / "1" / "test.tsv"]
    assert check_contamination(synth, tests, masked=True)["overlapping"] == 1


def test_stats_of_a_synthetic_corpus(tmp_path):
    records = [
        {"text": "Children with asthma used inhaled steroids daily.", "spans": [{"start": 14, "end": 20, "label": "DISEASE"}], "style": "abstract", "form": "assertion"},
        {"text": "Children with asthma used inhaled steroids daily.", "spans": [{"start": 14, "end": 20, "label": "DISEASE"}], "style": "abstract", "form": "assertion"},
        {"text": "No sign of Gout or ASTHMA was found.", "spans": [{"start": 11, "end": 15, "label": "DISEASE"}, {"start": 19, "end": 25, "label": "DISEASE"}], "style": "clinical_note", "form": "negation"},
        {"text": "Several tumors were seen.", "spans": [{"start": 8, "end": 13, "label": "DISEASE"}]},
    ]
    path = write_jsonl(tmp_path / "c.jsonl", records)
    (tmp_path / "c.ledger.jsonl").write_text(json.dumps({"type": "prompt", "prompt_key": "k", "requested": 5, "parsed": 4,
                                                         "failed": {"misaligned": 1}, "filtered": {}}) + "\n")
    stats = corpus_stats(path)
    assert stats["docs"] == 4 and stats["entities"] == 5
    assert stats["unique_entities"] == {"DISEASE": 3}  # asthma, gout, tumor (lower-cased)
    assert stats["exact_duplicate_rate"] == 0.25
    assert stats["misaligned_spans"] == 1  # "tumor" inside "tumors"
    assert stats["by_style"] == {"abstract": 2, "clinical_note": 1}
    assert stats["generation"]["alignment_failures"] == 1
    assert stats["length_tokens"]["min"] == 5 and sum(stats["length_tokens"]["histogram"].values()) == 4
    assert 0 < stats["distinct_1"] < 1


def test_stats_of_real_corpora(shared_data):
    ncbi = corpus_stats(shared_data / "NCBI-disease" / "test.tsv", label="DISEASE")
    assert ncbi["docs"] == 940 and ncbi["entities"] == 960 and "relation_labels" not in ncbi
    gad = corpus_stats(shared_data / "GAD" / "1" / "test.tsv")
    assert gad["docs"] == 534
    assert gad["relation_labels"]["positive"] == 281 and gad["relation_labels"]["negative"] == 253
