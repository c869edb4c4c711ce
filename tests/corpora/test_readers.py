"""Readers: real corpora counts, and every bad-input case names file and line."""
import spacy
import pytest

from spacy_synthclin.corpora.readers import (
    make_re_doc, mask_tokenizer, read_docs, read_ner_tsv, read_re_tsv, sniff_ner_format,
)
from spacy_synthclin.errors import InputFormatError


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def write(tmp_path, name, content, mode="w"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf8")
    return path


# --- real data (counts from ../shared/data/*/SOURCE.md) ---------------------

@pytest.mark.parametrize("rel,n_sents,n_ments", [
    ("NCBI-disease/test.tsv", 940, 960),
    ("NCBI-disease/devel.tsv", 923, 787),
    ("BC5CDR-chem/test.tsv", 4797, 5385),
])
def test_biobert_ner_counts(shared_data, nlp, rel, n_sents, n_ments):
    docs = list(read_docs(shared_data / rel, nlp, "ner", label="X"))
    assert len(docs) == n_sents
    assert sum(len(d.ents) for d in docs) == n_ments
    assert all(e.label_ == "X" for d in docs for e in d.ents)


def test_mtl_typed_equals_biobert(shared_data, nlp):
    path = shared_data / "NCBI-disease/MTL-IOB/test.tsv"
    assert sniff_ner_format(path) == "mtl"
    typed = list(read_docs(path, nlp, "ner"))
    plain = list(read_docs(shared_data / "NCBI-disease/test.tsv", nlp, "ner", label="DISEASE"))
    assert [[(e.start, e.end, e.label_) for e in d.ents] for d in typed] == \
           [[(e.start, e.end, e.label_) for e in d.ents] for d in plain]
    assert typed[0].ents[0].label_ == "DISEASE"


def test_gold_tokenisation_kept(shared_data, nlp):
    doc = next(read_docs(shared_data / "NCBI-disease/test.tsv", nlp, "ner", label="DISEASE"))
    first_words = [line.split("\t")[0] for line in (shared_data / "NCBI-disease/test.tsv").read_text().splitlines()[: len(doc)]]
    assert [t.text for t in doc] == first_words


@pytest.mark.parametrize("rel,n,pos", [("GAD/BLURB/test.tsv", 534, 281), ("GAD/1/train.tsv", 4796, 2520), ("GAD/10/test.tsv", 532, 280)])
def test_gad_both_layouts(shared_data, nlp, rel, n, pos):
    docs = list(read_docs(shared_data / rel, nlp, "rel"))
    assert len(docs) == n
    assert sum(v["ASSOCIATED"] for d in docs for v in d._.rel.values()) == pos
    for doc in docs:
        labels = sorted(e.label_ for e in doc.ents)
        assert labels == ["DISEASE", "GENE"]
        assert {e.text for e in doc.ents} == {"@GENE$", "@DISEASE$"}
        gene = next(e for e in doc.ents if e.label_ == "GENE")
        disease = next(e for e in doc.ents if e.label_ == "DISEASE")
        assert list(doc._.rel) == [(gene.start, disease.start)]


def test_masks_glued_to_punctuation_are_one_token():
    doc = make_re_doc(mask_tokenizer(), "The (@GENE$-related) risk of @DISEASE$.", 0)
    assert [t.text for t in doc] == ["The", "(", "@GENE$", "-", "related", ")", "risk", "of", "@DISEASE$", "."]
    assert doc.text == "The (@GENE$-related) risk of @DISEASE$."


# --- bad input: each error names file and line ------------------------------

def error_of(fn):
    with pytest.raises(InputFormatError) as info:
        fn()
    return info.value


def test_wrong_column_count(tmp_path, nlp):
    path = write(tmp_path, "a.tsv", "Breast\tB\ncancer\tI\tX\n")
    err = error_of(lambda: list(read_ner_tsv(path, nlp.vocab, label="DISEASE")))
    assert (err.path, err.line) == (str(path), 2) and "2 tab-separated columns" in str(err) and "found 3" in str(err)


def test_i_after_o_is_an_error_by_default(tmp_path, nlp):
    path = write(tmp_path, "a.tsv", "the\tO\ncancer\tI\n")
    err = error_of(lambda: list(read_ner_tsv(path, nlp.vocab, label="DISEASE")))
    assert err.line == 2 and "'I' tag after 'O'" in str(err)
    # the documented alternative: read it as a mention start (conlleval behaviour)
    doc = next(read_ner_tsv(path, nlp.vocab, label="DISEASE", i_after_o="begin"))
    assert [(e.text, e.label_) for e in doc.ents] == [("cancer", "DISEASE")]


def test_i_at_sentence_start(tmp_path, nlp):
    path = write(tmp_path, "a.tsv", "x\tO\n\ncancer\tI\n")
    err = error_of(lambda: list(read_ner_tsv(path, nlp.vocab, label="DISEASE")))
    assert err.line == 3 and "sentence start" in str(err)


def test_i_of_another_type_after_b(tmp_path, nlp):
    path = write(tmp_path, "a.tsv", "aspirin\tB-Chemical\ncancer\tI-Disease\n")
    err = error_of(lambda: list(read_ner_tsv(path, nlp.vocab, typed=True)))
    assert err.line == 2


@pytest.mark.parametrize("tag,typed", [("X", False), ("B-Disease", False), ("B", True), ("E-Disease", True)])
def test_unknown_tag(tmp_path, nlp, tag, typed):
    path = write(tmp_path, "a.tsv", f"the\tO\ncancer\t{tag}\n")
    err = error_of(lambda: list(read_ner_tsv(path, nlp.vocab, label="DISEASE", typed=typed)))
    assert err.line == 2 and "unknown tag" in str(err) and repr(tag) in str(err)


def test_empty_files(tmp_path, nlp):
    ner = write(tmp_path, "n.tsv", "\n\n")
    assert "empty file" in str(error_of(lambda: list(read_ner_tsv(ner, nlp.vocab, label="D"))))
    rel = write(tmp_path, "r.tsv", "index\tsentence\tlabel\n")
    assert "empty file" in str(error_of(lambda: list(read_re_tsv(rel))))


def test_non_utf8(tmp_path, nlp):
    path = write(tmp_path, "a.tsv", "the\tO\n".encode() + b"caf\xe9\tO\n")
    err = error_of(lambda: list(read_ner_tsv(path, nlp.vocab, label="D")))
    assert err.line == 2 and "UTF-8" in str(err)
    rel = write(tmp_path, "r.tsv", b"@GENE$ in @DISEASE$ \xff\t1\n")
    assert error_of(lambda: list(read_re_tsv(rel))).line == 1


def test_missing_file(tmp_path, nlp):
    err = error_of(lambda: list(read_ner_tsv(tmp_path / "nope.tsv", nlp.vocab, label="D")))
    assert "file not found" in str(err)


@pytest.mark.parametrize("sentence,what", [
    ("Variants in BRCA1 and @DISEASE$.", "@GENE$ missing"),
    ("@GENE$ variants and disease.", "@DISEASE$ missing"),
    ("@GENE$ and @GENE$ in @DISEASE$.", "@GENE$ found 2 times"),
])
def test_re_missing_masks(tmp_path, sentence, what):
    path = write(tmp_path, "r.tsv", f"index\tsentence\tlabel\n0\t@GENE$ in @DISEASE$.\t1\n1\t{sentence}\t0\n")
    err = error_of(lambda: list(read_re_tsv(path)))
    assert err.line == 3 and what in str(err)


def test_re_bad_columns_and_label(tmp_path):
    path = write(tmp_path, "r.tsv", "@GENE$ in @DISEASE$.\t1\n@GENE$ in @DISEASE$.\n")
    assert error_of(lambda: list(read_re_tsv(path))).line == 2
    path = write(tmp_path, "r2.tsv", "index\tsentence\tlabel\n0\t@GENE$ in @DISEASE$.\tyes\n")
    err = error_of(lambda: list(read_re_tsv(path)))
    assert err.line == 2 and "0 or 1" in str(err)
