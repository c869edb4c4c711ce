"""The relation model: pair features -> classifier, one row of label scores per candidate pair."""
from typing import List

import spacy
from spacy.tokens import Doc
from thinc.api import Model, chain
from thinc.types import Floats2d


@spacy.registry.architectures("synthclin.RelationModel.v1")
def create_relation_model(
    create_instance_tensor: Model[List[Doc], Floats2d],
    classification_layer: Model[Floats2d, Floats2d],
) -> Model[List[Doc], Floats2d]:
    model = chain(create_instance_tensor, classification_layer)
    model.attrs["get_candidates"] = create_instance_tensor.attrs["get_candidates"]
    model.set_ref("tok2vec", create_instance_tensor.get_ref("tok2vec"))
    return model
