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
