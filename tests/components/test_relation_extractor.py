"""The relation_extractor pipe: candidates, learning, scoring, serialisation, sourcing, entry points."""
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example

from spacy_synthclin.components.architectures.candidate_pairs import create_candidate_pairs
from spacy_synthclin.components.relation_items import relation_items_to_rel
from spacy_synthclin.components.scoring import score_relations
from spacy_synthclin.corpora.readers import make_re_doc
from spacy_synthclin.errors import ConfigError

CONFIGS = Path(__file__).resolve().parents[2] / "configs"

POSITIVE = [
    "Variants of @GENE$ were strongly associated with @DISEASE$ in this cohort .",
    "The @GENE$ risk allele increased susceptibility to @DISEASE$ .",
    "Carriers of @GENE$ mutations had a higher risk of @DISEASE$ .",
    "@GENE$ polymorphism was significantly associated with @DISEASE$ risk .",
]
NEGATIVE = [
    "No association was found between @GENE$ genotypes and @DISEASE$ .",
    "The @GENE$ variant was not associated with @DISEASE$ in our population .",
    "We found no evidence that @GENE$ contributes to @DISEASE$ susceptibility .",
    "@GENE$ allele frequencies did not differ between @DISEASE$ patients and controls .",
]

SMALL_MODEL = {
    "@architectures": "synthclin.RelationModel.v2",
    "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 32, "depth": 2,
                "embed_size": 500, "window_size": 1, "maxout_pieces": 2, "subword_features": True},
    "get_candidates": {"@misc": "synthclin.CandidatePairs.v1", "label_pairs": [["GENE", "DISEASE"]], "max_length": 50},
    "classification_layer": {"@architectures": "synthclin.RelationClassifier.v1", "hidden_width": 16},
}


def _examples(nlp):
    examples = []
    for label, sentences in ((1, POSITIVE), (0, NEGATIVE)):
        for text in sentences:
            gold = make_re_doc(nlp, text, label)
            examples.append(Example(nlp.make_doc(gold.text), gold))
    return examples


@pytest.fixture(scope="module")
def trained():
    nlp = spacy.blank("en")
    rel = nlp.add_pipe("relation_extractor", config={"model": SMALL_MODEL})
    examples = _examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        losses = nlp.update(examples, sgd=optimizer, drop=0.0)
    assert rel.labels == ("ASSOCIATED",)
    return nlp, losses


def _given_ents(nlp, text, label=None):
    """A Doc with the masks as entities (what evaluation feeds the pipe)."""
    gold = make_re_doc(nlp, text, label)
    doc = nlp.make_doc(gold.text)
    doc.ents = [Span(doc, e.start, e.end, e.label_) for e in gold.ents]
    return doc


def _scores(nlp, texts):
    return [next(iter(nlp(_given_ents(nlp, t))._.rel.values()))["ASSOCIATED"] for t in texts]


def test_candidates_follow_label_pairs_and_distance():
    nlp = spacy.blank("en")
    doc = nlp("BRCA1 and TP53 in breast cancer and far far far away ovarian cancer")
    doc.ents = [Span(doc, 0, 1, "GENE"), Span(doc, 2, 3, "GENE"), Span(doc, 4, 6, "DISEASE"), Span(doc, 11, 13, "DISEASE")]
    pairs = create_candidate_pairs([["GENE", "DISEASE"]], max_length=0)(doc)
    assert [(h.text, t.text) for h, t in pairs] == [
        ("BRCA1", "breast cancer"), ("BRCA1", "ovarian cancer"), ("TP53", "breast cancer"), ("TP53", "ovarian cancer")]
    near = create_candidate_pairs([["GENE", "DISEASE"]], max_length=3)(doc)
    assert [(h.text, t.text) for h, t in near] == [("BRCA1", "breast cancer"), ("TP53", "breast cancer")]
    assert len(create_candidate_pairs(None)(doc)) == 12  # every ordered pair
    with pytest.raises(ValueError):
        create_candidate_pairs([["GENE"]])


def test_learns_to_separate_positive_from_negative(trained):
    nlp, losses = trained
    assert losses["relation_extractor"] < 1.0
    assert min(_scores(nlp, POSITIVE)) > 0.5 > max(_scores(nlp, NEGATIVE))


def test_predictions_keyed_by_entity_starts_for_every_candidate(trained):
    nlp, _ = trained
    doc = _given_ents(nlp, POSITIVE[0])
    gene, disease = doc.ents
    doc = nlp(doc)
    assert list(doc._.rel) == [(gene.start, disease.start)]
    # no entities -> no candidates -> empty dict, no error
    assert nlp("Nothing to see here .")._.rel == {}


def test_scorer_counts_pairs():
    nlp = spacy.blank("en")
    examples = []
    for label, score in ((1, 0.9), (1, 0.2), (0, 0.7), (0, 0.1)):
        gold = make_re_doc(nlp, POSITIVE[0], label)
        pred = nlp.make_doc(gold.text)
        pred._.rel = {key: {"ASSOCIATED": score} for key in gold._.rel}
        examples.append(Example(pred, gold))
    scores = score_relations(examples, threshold=0.5)
    assert scores["rel_micro_p"] == pytest.approx(0.5) and scores["rel_micro_r"] == pytest.approx(0.5)
    assert score_relations(examples, threshold=0.15)["rel_micro_r"] == pytest.approx(1.0)


def test_pipe_score_uses_its_threshold(trained):
    nlp, _ = trained
    examples = []
    for eg in _examples(nlp):  # evaluation sees the entities as given (as the DocBinShards gold_ents reader does)
        examples.append(Example(_given_ents(nlp, eg.reference.text), eg.reference))
    assert nlp.evaluate(examples)["rel_micro_f"] == pytest.approx(1.0)
    nlp.get_pipe("relation_extractor").threshold = 1.0  # nothing reaches it -> no true positive
    try:
        assert nlp.evaluate(examples)["rel_micro_f"] == 0.0
    finally:
        nlp.get_pipe("relation_extractor").threshold = 0.5


def test_serialisation_round_trip(trained, tmp_path):
    nlp, _ = trained
    texts = POSITIVE + NEGATIVE
    before = _scores(nlp, texts)
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe("relation_extractor").labels == ("ASSOCIATED",)
    assert _scores(loaded, texts) == pytest.approx(before, abs=1e-6)
    again = spacy.blank("en")
    again.add_pipe("relation_extractor", config={"model": SMALL_MODEL})
    again.from_bytes(nlp.to_bytes())
    assert _scores(again, texts) == pytest.approx(before, abs=1e-6)


def test_add_pipe_from_source_into_another_pipeline(trained):
    nlp, _ = trained
    host = spacy.blank("en")
    host.add_pipe("sentencizer")
    host.add_pipe("relation_extractor", source=nlp)
    assert host.pipe_names == ["sentencizer", "relation_extractor"]
    assert _scores(host, POSITIVE) == pytest.approx(_scores(nlp, POSITIVE), abs=1e-6)


def test_initialize_without_relation_labels_is_a_clear_error():
    nlp = spacy.blank("en")
    nlp.add_pipe("relation_extractor", config={"model": SMALL_MODEL})
    doc = nlp.make_doc("no relations here")
    with pytest.raises(ConfigError, match="no relation labels"):
        nlp.initialize(lambda: [Example(doc, doc.copy())])


def test_bad_threshold_is_refused():
    with pytest.raises(ConfigError, match="threshold"):
        spacy.blank("en").add_pipe("relation_extractor", config={"threshold": 1.5})


def test_relation_items_from_spacy_llm():
    from spacy_llm.tasks.rel import RelationItem

    nlp = spacy.blank("en")
    doc = nlp("APOE and PSEN1 in Alzheimer disease")
    doc.ents = [Span(doc, 0, 1, "GENE"), Span(doc, 2, 3, "GENE"), Span(doc, 4, 6, "DISEASE")]
    items = [RelationItem(dep=0, dest=2, relation="ASSOCIATED")]
    rel = relation_items_to_rel(doc, items, candidates=create_candidate_pairs([["GENE", "DISEASE"]]))
    assert rel == {(0, 4): {"ASSOCIATED": 1.0}, (2, 4): {"ASSOCIATED": 0.0}}
    assert relation_items_to_rel(doc, [{"dep": 1, "dest": 2, "relation": "ASSOCIATED"}]) == {(2, 4): {"ASSOCIATED": 1.0}}
    with pytest.raises(ValueError, match="outside"):
        relation_items_to_rel(doc, [RelationItem(dep=0, dest=7, relation="ASSOCIATED")])


def test_entry_points_make_names_resolvable_without_import():
    groups = {"spacy_factories": "relation_extractor", "spacy_scorers": "synthclin.RelationScorer.v1",
              "spacy_architectures": "synthclin.RelationModel.v2", "spacy_misc": "synthclin.CandidatePairs.v1"}
    for group, name in groups.items():
        assert name in {ep.name for ep in entry_points(group=group)}, (group, name)
    code = (
        "import spacy, sys\n"
        "nlp = spacy.blank('en'); nlp.add_pipe('relation_extractor')\n"
        "print(nlp.pipe_names)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "relation_extractor" in out.stdout


def _rel_pipeline(config_name: str):
    """A configs/ training config built (untrained); its corpora paths only need to be set."""
    cfg = spacy.util.load_config(CONFIGS / config_name, overrides={"paths.train": "train.spacy", "paths.dev": "dev.spacy"},
                                 interpolate=True)
    return spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)


def test_rel_configs_build():
    for name in ("rel_cpu.cfg", "rel_trf.cfg"):
        nlp = _rel_pipeline(name)
        assert nlp.pipe_names[-1] == "relation_extractor", name


@pytest.mark.parametrize("config_name", ["rel_cpu.cfg", "rel_trf.cfg"])
def test_package_rel_cfg_assembles_a_self_contained_pipeline(config_name, tmp_path):
    """configs/package_rel.cfg on a trained rel_cpu / rel_trf pipeline (what `spacy project run package`
    assembles): the result is the relation_extractor alone, loads, predicts as the trained pipeline
    did, and can be sourced into a pipeline that has no transformer of its own."""
    trained = _rel_pipeline(config_name)
    examples = _examples(trained)
    optimizer = trained.initialize(lambda: examples)
    for _ in range(3):
        trained.update(examples, sgd=optimizer)
    trained.to_disk(tmp_path / "trained")
    assembled_cfg = spacy.util.load_config(CONFIGS / "package_rel.cfg",
                                           overrides={"paths.rel": str(tmp_path / "trained")}, interpolate=True)
    assembled = spacy.util.load_model_from_config(assembled_cfg, auto_fill=True, validate=True)
    assembled.to_disk(tmp_path / "assembled")
    loaded = spacy.load(tmp_path / "assembled")
    assert loaded.pipe_names == ["relation_extractor"]
    texts = POSITIVE + NEGATIVE
    assert _scores(loaded, texts) == pytest.approx(_scores(trained, texts), abs=1e-5)
    host = spacy.blank("en")
    host.add_pipe("sentencizer")
    host.add_pipe("relation_extractor", source=loaded)
    assert _scores(host, texts) == pytest.approx(_scores(trained, texts), abs=1e-5)


def test_relation_model_v1_still_builds_for_pipelines_saved_before_v2():
    v1 = {"@architectures": "synthclin.RelationModel.v1", "classification_layer": SMALL_MODEL["classification_layer"],
          "create_instance_tensor": {"@architectures": "synthclin.PairInstances.v1", "tok2vec": SMALL_MODEL["tok2vec"],
                                     "get_candidates": SMALL_MODEL["get_candidates"]}}
    nlp = spacy.blank("en")
    nlp.add_pipe("relation_extractor", config={"model": v1})
    nlp.initialize(lambda: _examples(nlp))
    assert len(_scores(nlp, POSITIVE)) == len(POSITIVE)
