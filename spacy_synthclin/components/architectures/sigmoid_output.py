"""Sigmoid output whose backward pass expects the gradient w.r.t. the logits.

Paired with a binary cross-entropy loss whose gradient is ``scores - truth``
(what ``RelationExtractor.get_loss`` returns): passing that through a plain
Logistic layer would multiply it by sigmoid' and stall learning on confident
mistakes.
"""
from typing import Callable, Tuple

import spacy
from thinc.api import Model
from thinc.types import Floats2d


@spacy.registry.layers("synthclin.SigmoidOutput.v1")
def sigmoid_output() -> Model[Floats2d, Floats2d]:
    return Model("sigmoid_output", forward)


def forward(model: Model, X: Floats2d, is_train: bool) -> Tuple[Floats2d, Callable]:
    Y = model.ops.sigmoid(X, inplace=False)
    return Y, lambda dY: dY
