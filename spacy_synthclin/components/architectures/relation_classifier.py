"""Multi-label classifier over pair features: [Maxout hidden layer ->] Linear -> sigmoid."""
from typing import Optional

import spacy
from thinc.api import Linear, Maxout, Model, chain
from thinc.types import Floats2d

from .sigmoid_output import sigmoid_output


@spacy.registry.architectures("synthclin.RelationClassifier.v1")
def create_relation_classifier(
    nI: Optional[int] = None,
    nO: Optional[int] = None,
    hidden_width: int = 0,
    dropout: float = 0.1,
) -> Model[Floats2d, Floats2d]:
    """``nI``/``nO`` are inferred at initialization; ``hidden_width`` 0 = a linear classifier."""
    output = chain(Linear(nO=nO), sigmoid_output())
    if not hidden_width:
        if nI is not None:
            output.layers[0].set_dim("nI", nI)
        return output
    return chain(Maxout(nO=hidden_width, nI=nI, nP=2, dropout=dropout, normalize=True), output)
