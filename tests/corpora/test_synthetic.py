"""Synthetic JSONL -> Docs (entities, gold relation, GAD-style masks) -> DocBin shards."""
import json

import pytest
import spacy
from spacy.tokens import DocBin

from spacy_synthclin.corpora.readers import read_re_tsv
from spacy_synthclin.corpora.synthetic import (read_synthetic_jsonl, seed_docs_to_records, synthetic_to_docs,
                                               write_docbin_shards)
from spacy_synthclin.errors import InputFormatError

NER = {"text": "Boys with Duchenne muscular dystrophy (DMD) lost ambulation by age 12.",
       "spans": [{"start": 10, "end": 37, "label": "DISEASE"}, {"start": 39, "end": 42, "label": "DISEASE"}],
       "seed": "Duchenne muscular dystrophy", "style": "abstract", "prompt_key": "abc"}
REL = {"text": "The rs429358 variant of APOE increased the risk of late-onset Alzheimer disease.",
       "spans": [{"start": 24, "end": 28, "label": "GENE"}, {"start": 51, "end": 79, "label": "DISEASE"}],
       "label": 1, "gene": "APOE", "disease": "late-onset Alzheimer disease"}
REL_NEG = {"text": "Alzheimer disease risk did not differ by APOE genotype in this cohort.",
           "spans": [{"start": 41, "end": 45, "label": "GENE"}, {"start": 0, "end": 17, "label": "DISEASE"}], "label": 0}


@pytest.fixture()
def nlp():
    return spacy.blank("en")


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_ner_record(nlp, tmp_path):
    (doc,) = synthetic_to_docs(read_synthetic_jsonl(write(tmp_path / "n.jsonl", [NER])), nlp)
    assert [(e.text, e.label_) for e in doc.ents] == [("Duchenne muscular dystrophy", "DISEASE"), ("DMD", "DISEASE")]
    assert doc.user_data["synthetic"]["seed"] == "Duchenne muscular dystrophy" and doc._.rel is None


def test_relation_records(nlp):
    pos, neg = synthetic_to_docs([REL, REL_NEG], nlp)
    gene = next(e for e in pos.ents if e.label_ == "GENE")
    disease = next(e for e in pos.ents if e.label_ == "DISEASE")
    assert pos._.rel == {(gene.start, disease.start): {"ASSOCIATED": 1.0}}
    gene = next(e for e in neg.ents if e.label_ == "GENE")
    disease = next(e for e in neg.ents if e.label_ == "DISEASE")
    assert neg._.rel == {(gene.start, disease.start): {"ASSOCIATED": 0.0}} and disease.start < gene.start


def test_masked_relation_records_look_like_gad(nlp, shared_data):
    (doc,) = synthetic_to_docs([REL], nlp, mask=True)
    assert doc.text == "The rs429358 variant of @GENE$ increased the risk of @DISEASE$."
    assert [(e.text, e.label_) for e in doc.ents] == [("@GENE$", "GENE"), ("@DISEASE$", "DISEASE")]
    assert doc._.rel == {(doc.ents[0].start, doc.ents[1].start): {"ASSOCIATED": 1.0}}
    gad = next(read_re_tsv(shared_data / "GAD" / "1" / "test.tsv"))
    assert list(gad._.rel.values())[0].keys() == doc._.rel[next(iter(doc._.rel))].keys()  # same relation label
    (neg,) = synthetic_to_docs([REL_NEG], nlp, mask=True)
    assert neg.text.startswith("@DISEASE$ risk") and neg._.rel[(neg.ents[1].start, neg.ents[0].start)] == {"ASSOCIATED": 0.0}


def test_misaligned_span_is_an_error_or_skipped(nlp):
    bad = {"text": "Several tumors were seen.", "spans": [{"start": 8, "end": 13, "label": "DISEASE"}]}
    with pytest.raises(InputFormatError, match="token boundaries"):
        list(synthetic_to_docs([bad], nlp))
    assert [d.text for d in synthetic_to_docs([bad, NER], nlp, on_misaligned="skip")] == [NER["text"]]


def test_bad_jsonl_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(NER) + "\n{not json\n")
    with pytest.raises(InputFormatError, match="bad.jsonl:2"):
        list(read_synthetic_jsonl(path))
    path.write_text(json.dumps({"text": "x"}) + "\n")
    with pytest.raises(InputFormatError, match="bad.jsonl:1"):
        list(read_synthetic_jsonl(path))


def test_docbin_shards_keep_the_relation(nlp, tmp_path):
    docs = synthetic_to_docs([REL, REL_NEG, REL, NER], nlp)
    info = write_docbin_shards(docs, tmp_path / "shards", shard_size=3)
    assert info["docs"] == 4 and len(info["files"]) == 2
    loaded = [d for f in info["files"] for d in DocBin(store_user_data=True).from_disk(f).get_docs(nlp.vocab)]
    assert [list(d._.rel.values())[0]["ASSOCIATED"] if d._.rel else None for d in loaded] == [1.0, 0.0, 1.0, None]
    single = write_docbin_shards(synthetic_to_docs([NER], nlp), tmp_path / "one.spacy")
    assert single["files"] == [str(tmp_path / "one.spacy")]


def test_records_from_seed_docs(nlp):
    doc = nlp.make_doc("gout")
    doc._.synthetic = [dict(NER)]
    assert list(seed_docs_to_records([doc])) == [NER]


def test_convert_splits_dev_by_seed_and_samples_train(tmp_path):
    from spacy_synthclin.corpora.readers import read_docbin
    from spacy_synthclin.corpora.synthetic import is_dev_record

    from ..cli.helpers import last_json, run_cli

    records = []
    for seed in range(40):
        for k in range(3):
            text = f"Patient {seed} with asthma type {k} was seen."
            start = text.index("asthma")
            records.append({"text": text, "spans": [{"start": start, "end": start + 6, "label": "DISEASE"}], "seed_index": seed})
    path = write(tmp_path / "syn.jsonl", records)
    out = last_json(run_cli(["convert", "synthetic", path, tmp_path / "train.spacy", "--dev", tmp_path / "dev.spacy",
                             "--dev-fraction", "0.25"]))
    n_dev_seeds = sum(is_dev_record(r, 0.25) for r in records) // 3
    assert 2 <= n_dev_seeds <= 20  # about a quarter of 40 seeds
    assert out["dev"]["docs"] == 3 * n_dev_seeds and out["docs"] == 120 - 3 * n_dev_seeds
    nlp = spacy.blank("en")
    seeds_of = lambda p: {d.text.split()[1] for d in read_docbin(p, nlp)}  # noqa: E731
    assert not seeds_of(tmp_path / "train.spacy") & seeds_of(tmp_path / "dev.spacy")
    small = last_json(run_cli(["convert", "synthetic", path, tmp_path / "small.spacy", "--limit", "10"]))
    assert small["docs"] == 10 and small["entities"] == 10


def test_relation_records_as_disease_ner_data(nlp):
    """--labels DISEASE: the gene stays plain text (a negative example for a disease NER) and no relation is kept."""
    docs = list(synthetic_to_docs([REL, REL_NEG], nlp, labels=["DISEASE"]))
    assert [[(e.text, e.label_) for e in doc.ents] for doc in docs] == [[("late-onset Alzheimer disease", "DISEASE")],
                                                                     [("Alzheimer disease", "DISEASE")]]
    assert all(doc._.rel == {} for doc in docs)
    assert [len(doc.ents) for doc in synthetic_to_docs([REL], nlp)] == [2]  # without labels both stay


def test_convert_exclude_forms_drops_those_records(tmp_path):
    """--exclude-forms other_disease: RE sentences naming an unmarked second disease are not NER data."""
    from spacy_synthclin.corpora.readers import read_docbin

    from ..cli.helpers import last_json, run_cli

    records = [dict(REL, form="risk_variant"), dict(REL_NEG, form="other_disease")]
    path = write(tmp_path / "rel.jsonl", records)
    out = last_json(run_cli(["convert", "synthetic", path, tmp_path / "d.spacy", "--labels", "DISEASE",
                             "--exclude-forms", "other_disease, other_purpose"]))
    assert out["docs"] == 1 and out["exclude_forms"] == ["other_disease", "other_purpose"]
    kept = list(read_docbin(tmp_path / "d.spacy", spacy.blank("en")))
    assert [e.label_ for e in kept[0].ents] == ["DISEASE"]


def test_convert_positive_forms_relabels_those_records(tmp_path):
    """--positive-forms no_association: GAD's "tested pair" convention, the null finding becomes label 1."""
    from spacy_synthclin.corpora.readers import read_docbin

    from ..cli.helpers import last_json, run_cli

    records = [dict(REL_NEG, form="no_association"), dict(REL_NEG, form="other_purpose")]
    path = write(tmp_path / "rel.jsonl", records)
    out = last_json(run_cli(["convert", "synthetic", path, tmp_path / "r.spacy", "--mask", "--positive-forms", "no_association"]))
    assert out["docs"] == 2 and out["positive_forms"] == ["no_association"]
    labels = [next(iter(doc._.rel.values()))["ASSOCIATED"] for doc in read_docbin(tmp_path / "r.spacy", spacy.blank("en"))]
    assert labels == [1.0, 0.0]
    clash = run_cli(["convert", "synthetic", path, tmp_path / "x.spacy", "--mask", "--positive-forms", "no_association",
                     "--exclude-forms", "no_association"], check=False)
    assert clash.returncode == 2 and "both excluded and relabelled" in clash.stderr + clash.stdout
