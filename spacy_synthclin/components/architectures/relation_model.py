"""The relation model: pair features -> classifier, one row of label scores per candidate pair."""
from typing import Callable, List

import spacy
from spacy.tokens import Doc
from thinc.api import Model, chain
from thinc.types import Floats2d

from .pair_instances import create_pair_instances


@spacy.registry.architectures("synthclin.RelationModel.v2")
def create_relation_model_v2(
    tok2vec: Model[List[Doc], List[Floats2d]],
    get_candidates: Callable,
    classification_layer: Model[Floats2d, Floats2d],
) -> Model[List[Doc], Floats2d]:
    """v1 with the token encoder at ``model.tok2vec``, the path spaCy's ``replace_listeners``
    (and so ``spacy assemble`` / ``spacy package`` of a transformer-backed pipeline) expects."""
    return create_relation_model(create_pair_instances(tok2vec, get_candidates), classification_layer)


@spacy.registry.architectures("synthclin.RelationModel.v1")
def create_relation_model(
    create_instance_tensor: Model[List[Doc], Floats2d],
    classification_layer: Model[Floats2d, Floats2d],
) -> Model[List[Doc], Floats2d]:
    model = chain(create_instance_tensor, classification_layer)
    model.attrs["get_candidates"] = create_instance_tensor.attrs["get_candidates"]
    model.set_ref("tok2vec", create_instance_tensor.get_ref("tok2vec"))
    return model
