"""Pair features: contextual token vectors pooled per candidate entity pair.

For each (head, tail) candidate the layer concatenates the mean vector of the
head tokens, of the tail tokens, of the tokens between them (zeros when they
touch) and of the whole Doc: the masks of GAD-style data are constant strings,
so what decides the relation is the context, not the entity tokens alone.
Output: one row per candidate, in ``get_candidates`` order, width 4 x tok2vec width.
"""
from typing import Callable, List, Tuple

import numpy
import spacy
from spacy.tokens import Doc
from thinc.api import Model
from thinc.types import Floats2d, Ints1d

N_POOLS = 4  # head, tail, between, doc


@spacy.registry.architectures("synthclin.PairInstances.v1")
def create_pair_instances(tok2vec: Model[List[Doc], List[Floats2d]], get_candidates: Callable) -> Model[List[Doc], Floats2d]:
    return Model(
        "pair_instances",
        forward,
        layers=[tok2vec],
        refs={"tok2vec": tok2vec},
        attrs={"get_candidates": get_candidates},
        init=init,
        dims={"nO": None},
    )


def _pool_indices(docs: List[Doc], get_candidates: Callable) -> Tuple[List[Ints1d], List[Ints1d]]:
    """Per pool: the flat token indices and the per-candidate lengths for ops.reduce_mean."""
    indices: List[List[int]] = [[] for _ in range(N_POOLS)]
    lengths: List[List[int]] = [[] for _ in range(N_POOLS)]
    offset = 0
    for doc in docs:
        for head, tail in get_candidates(doc):
            left, right = (head, tail) if head.start <= tail.start else (tail, head)
            spans = [(head.start, head.end), (tail.start, tail.end), (left.end, max(left.end, right.start)), (0, len(doc))]
            for pool, (start, end) in enumerate(spans):
                indices[pool].extend(range(offset + start, offset + end))
                lengths[pool].append(end - start)
        offset += len(doc)
    as_ints = lambda values: numpy.asarray(values, dtype="int32")  # noqa: E731
    return [as_ints(i) for i in indices], [as_ints(n) for n in lengths]


def forward(model: Model, docs: List[Doc], is_train: bool) -> Tuple[Floats2d, Callable]:
    ops = model.ops
    tok2vec = model.get_ref("tok2vec")
    tokvecs, backprop_tok2vec = tok2vec(docs, is_train)
    width = tok2vec.get_dim("nO")
    doc_lengths = [len(doc) for doc in docs]
    flat = ops.flatten(tokvecs) if sum(doc_lengths) else ops.alloc2f(0, width)
    indices, lengths = _pool_indices(docs, model.attrs["get_candidates"])
    indices = [ops.asarray1i(i) for i in indices]
    lengths = [ops.asarray1i(n) for n in lengths]
    pooled = [ops.reduce_mean(flat[idx], n) if len(n) else ops.alloc2f(0, width) for idx, n in zip(indices, lengths)]
    output = ops.xp.hstack(pooled)

    def backprop(d_output: Floats2d) -> List[Doc]:
        d_flat = ops.alloc2f(*flat.shape)
        for pool, (idx, n) in enumerate(zip(indices, lengths)):
            if not len(n) or not len(idx):
                continue
            d_pool = d_output[:, pool * width:(pool + 1) * width]
            d_tokens = ops.backprop_reduce_mean(ops.xp.ascontiguousarray(d_pool), n)
            ops.scatter_add(d_flat, idx, d_tokens)
        backprop_tok2vec(ops.unflatten(d_flat, ops.asarray1i(doc_lengths)))
        return []

    return output, backprop


def init(model: Model, X: List[Doc] = None, Y=None) -> Model:
    tok2vec = model.get_ref("tok2vec")
    if X is not None:
        tok2vec.initialize(X)
    else:
        tok2vec.initialize()
    if tok2vec.has_dim("nO"):
        model.set_dim("nO", N_POOLS * tok2vec.get_dim("nO"))
    return model
