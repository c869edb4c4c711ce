"""Label-balance control for relation examples.

Generation alternates the target label per pair, but parse failures need not
hit both labels equally. ``balance_plan`` decides which examples to drop so
that the positive fraction lands inside ``[min_positive, max_positive]``:
only the majority label loses examples, chosen by a hash of the text
(deterministic, and independent of file order).
"""
import hashlib
from typing import Dict, List, Sequence, Set


def positive_fraction(labels: Sequence[int]) -> float:
    return sum(1 for y in labels if int(y) == 1) / len(labels) if labels else 0.0


def _rank(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def balance_plan(records: Sequence[Dict], min_positive: float = 0.45, max_positive: float = 0.55) -> Set[int]:
    """Indices of ``records`` (dicts with "label" and "text") to drop."""
    if not 0.0 <= min_positive <= max_positive <= 1.0:
        raise ValueError("need 0 <= min_positive <= max_positive <= 1")
    pos = [i for i, r in enumerate(records) if int(r["label"]) == 1]
    neg = [i for i, r in enumerate(records) if int(r["label"]) == 0]
    n_pos, n_neg = len(pos), len(neg)
    if n_pos + n_neg == 0:
        return set()
    frac = n_pos / (n_pos + n_neg)
    if frac > max_positive and max_positive < 1.0:
        keep = int(max_positive * n_neg / (1.0 - max_positive))
        victims: List[int] = pos
    elif frac < min_positive and min_positive > 0.0:
        keep = int(n_pos * (1.0 - min_positive) / min_positive)
        victims = neg
    else:
        return set()
    ranked = sorted(victims, key=lambda i: _rank(records[i]["text"]))
    return set(ranked[keep:])
