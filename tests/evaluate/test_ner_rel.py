"""NER scorer agrees with spaCy's Scorer.score_spans; REL scorer counts pairs."""
import spacy
import pytest
from spacy.scorer import Scorer
from spacy.training import Example

from spacy_synthclin.corpora.readers import read_docs
from spacy_synthclin.evaluate.metrics import prf
from spacy_synthclin.evaluate.ner import copy_words, evaluate_ner, ner_labels
from spacy_synthclin.evaluate.rel import evaluate_rel


@pytest.fixture(scope="module")
def ruler_nlp():
    """A deterministic 'model': an entity ruler with a few disease patterns."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "DISEASE", "pattern": [{"LOWER": "cancer"}]},
        {"label": "DISEASE", "pattern": [{"LOWER": "breast"}, {"LOWER": "cancer"}]},
        {"label": "DISEASE", "pattern": [{"LOWER": "ataxia"}]},
        {"label": "DISEASE", "pattern": [{"LOWER": {"REGEX": "^.+(emia|itis|oma)s?$"}}]},
    ])
    return nlp


def test_prf_edges():
    assert prf(0, 0, 0) == {"p": 0.0, "r": 0.0, "f": 0.0}
    assert prf(1, 1, 0)["p"] == 0.5 and prf(1, 0, 3)["r"] == 0.25


def test_ner_matches_spacy_scorer(shared_data, ruler_nlp):
    gold = list(read_docs(shared_data / "NCBI-disease/test.tsv", ruler_nlp, "ner", label="DISEASE"))[:300]
    ours = evaluate_ner(ruler_nlp, gold, label="DISEASE")
    examples = [Example(ruler_nlp(copy_words(g)), g) for g in gold]
    theirs = Scorer.score_spans(examples, "ents")
    assert ours["n_gold"] == sum(len(g.ents) for g in gold)
    assert 0 < ours["f"] < 1  # the ruler finds some, misses some
    assert ours["p"] == pytest.approx(theirs["ents_p"])
    assert ours["r"] == pytest.approx(theirs["ents_r"])
    assert ours["f"] == pytest.approx(theirs["ents_f"])
    assert ner_labels(ruler_nlp) == ["DISEASE"]


def test_ner_label_filter_and_errors_file(tmp_path, ruler_nlp):
    gold = ruler_nlp.make_doc("Breast cancer and leukemia in ataxia patients")
    gold.ents = [gold.char_span(0, 13, "DISEASE"), gold.char_span(18, 26, "DISEASE")]
    res = evaluate_ner(ruler_nlp, [gold], label="DISEASE", errors_path=tmp_path / "e.jsonl")
    # predicted: 'Breast cancer', 'leukemia', 'ataxia' -> one FP
    assert (res["tp"], res["n_pred"], res["n_gold"]) == (2, 3, 2)
    assert "ataxia" in (tmp_path / "e.jsonl").read_text()
    assert evaluate_ner(ruler_nlp, [gold], label="CHEMICAL")["n_gold"] == 0


class _Scorer:
    """A relation 'model' that scores 'associated' sentences by a keyword."""

    def __init__(self, threshold=0.5):
        self.threshold = threshold

    def __call__(self, doc):
        gene = next(e for e in doc.ents if e.label_ == "GENE")
        disease = next(e for e in doc.ents if e.label_ == "DISEASE")
        score = 0.9 if "associat" in doc.text.lower() and " not " not in doc.text.lower() else 0.1
        doc._.rel = {(gene.start, disease.start): {"ASSOCIATED": score}}
        return doc


def test_rel_scoring_counts(shared_data):
    from spacy.language import Language

    if not Language.has_factory("kw_rel"):
        Language.factory("kw_rel", func=lambda nlp, name: _Scorer())
    nlp = spacy.blank("en")
    nlp.add_pipe("kw_rel")
    gold = list(read_docs(shared_data / "GAD/BLURB/test.tsv", nlp, "rel"))
    res = evaluate_rel(nlp, gold, threshold=0.5)
    truth = [list(d._.rel.values())[0]["ASSOCIATED"] == 1.0 for d in gold]
    guess = ["associat" in d.text.lower() and " not " not in d.text.lower() for d in gold]
    tp = sum(t and g for t, g in zip(truth, guess))
    assert res["n"] == 534 and res["tp"] == tp
    assert res["f"] == pytest.approx(prf(tp, sum(g and not t for t, g in zip(truth, guess)), sum(t and not g for t, g in zip(truth, guess)))["f"])
