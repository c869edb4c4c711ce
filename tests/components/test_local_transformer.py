import pytest
import spacy

from spacy_synthclin.components.architectures.local_transformer import resolve_transformer_name
from spacy_synthclin.errors import ConfigError


def test_local_name_resolves_to_bundled_weights():
    path = resolve_transformer_name("local:all-MiniLM-L6-v2")
    assert path.endswith("model")
    import pathlib
    assert (pathlib.Path(path) / "model.safetensors").exists()


def test_other_names_pass_through_and_unknown_local_fails():
    assert resolve_transformer_name("microsoft/BiomedNLP-BiomedBERT-base-uncased-abstract").startswith("microsoft/")
    with pytest.raises(ConfigError, match="unknown local transformer"):
        resolve_transformer_name("local:nope")


def test_ner_trf_config_builds_with_the_local_model():
    from pathlib import Path
    cfg = spacy.util.load_config(Path(__file__).resolve().parents[2] / "configs/ner_trf.cfg")
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    assert nlp.pipe_names == ["transformer", "ner"]
    trf = nlp.get_pipe("transformer")
    assert trf.model.attrs["name"].endswith("model")


def test_replace_listeners_copies_a_loadable_local_transformer(tmp_path):
    """`spacy assemble` with replace_listeners (configs/package_ner.cfg) on a ner_trf pipeline: the
    listener becomes LocalTok2VecTransformer, and the saved pipeline loads and predicts the same."""
    from pathlib import Path

    from spacy.tokens import Span
    from spacy.training import Example

    cfg = spacy.util.load_config(Path(__file__).resolve().parents[2] / "configs/ner_trf.cfg", interpolate=True)
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    doc = nlp.make_doc("Patients with cystic fibrosis were seen .")
    gold = doc.copy()
    gold.ents = [Span(gold, 2, 4, "DISEASE")]
    nlp.initialize(lambda: [Example(doc, gold)])
    nlp.replace_listeners("transformer", "ner", ["model.tok2vec"])
    assert nlp.config["components"]["ner"]["model"]["tok2vec"]["@architectures"] == "synthclin.LocalTok2VecTransformer.v1"
    nlp.remove_pipe("transformer")
    text = "Two children with cystic fibrosis and one with asthma ."
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.pipe_names == ["ner"]
    assert [(e.text, e.label_) for e in loaded(text).ents] == [(e.text, e.label_) for e in nlp(text).ents]
