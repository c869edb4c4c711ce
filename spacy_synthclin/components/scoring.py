"""Relation scorer: micro P/R/F over candidate pairs (registered in ``spacy_scorers``)."""
from typing import Dict, Iterable, Optional, Sequence

from spacy.training import Example
from spacy.util import registry

from ..evaluate.metrics import prf


def score_relations(examples: Iterable[Example], threshold: float = 0.5, labels: Optional[Sequence[str]] = None,
                    **_) -> Dict[str, object]:
    """A gold relation is a reference ``doc._.rel`` label with value >= 0.5; a predicted one a
    score >= ``threshold``. Keys follow spaCy: ``rel_micro_p/r/f`` and ``rel_f_per_type``."""
    counts: Dict[str, list] = {}
    for eg in examples:
        gold = eg.reference._.rel or {}
        pred = eg.predicted._.rel or {}
        for (h, t), scores in pred.items():
            key = (reference_index(eg, h), reference_index(eg, t))
            truth = gold.get(key, {})
            for label, score in scores.items():
                if labels and label not in labels:
                    continue
                c = counts.setdefault(label, [0, 0, 0])
                guess, real = score >= threshold, truth.get(label, 0.0) >= 0.5
                c[0] += guess and real
                c[1] += guess and not real
                c[2] += real and not guess
        scored = {(reference_index(eg, h), reference_index(eg, t)) for h, t in pred}
        for key, truth in gold.items():  # gold pairs the candidates missed are false negatives
            if key not in scored:
                for label, value in truth.items():
                    if value >= 0.5 and (not labels or label in labels):
                        counts.setdefault(label, [0, 0, 0])[2] += 1
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    micro = prf(tp, fp, fn)
    return {"rel_micro_p": micro["p"], "rel_micro_r": micro["r"], "rel_micro_f": micro["f"],
            "rel_f_per_type": {label: _prf_keys(prf(*c)) for label, c in counts.items()}}


def _prf_keys(scores: Dict[str, float]) -> Dict[str, float]:
    return {"p": scores["p"], "r": scores["r"], "f": scores["f"]}


def reference_index(eg: Example, i: int) -> int:
    """Token ``i`` of the predicted Doc as an index of the reference Doc (same tokens: identical)."""
    if len(eg.predicted) == len(eg.reference):
        return i
    aligned = eg.alignment.x2y[i]
    return int(aligned[0]) if len(aligned) else -1


@registry.scorers("synthclin.RelationScorer.v1")
def make_relation_scorer():
    return score_relations
