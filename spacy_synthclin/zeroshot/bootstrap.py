"""Bootstrap confidence interval of F1 over documents (sentences / rows).

Each resample draws as many documents as there are, with replacement, sums their
tp / fp / fn and computes micro F1, so the interval reflects how the score
varies with the sample of sentences. Percentile interval, fixed seed.
"""
from typing import Dict, Sequence, Tuple

import numpy

DEFAULT_RESAMPLES = 1000
DEFAULT_LEVEL = 0.95


def _f1(tp, fp, fn):
    # 2PR/(P+R) == 2tp/(2tp+fp+fn) whenever tp > 0; F1 is 0 when tp == 0 (as in evaluate.metrics.prf)
    denom = 2 * tp + fp + fn
    return numpy.where(tp > 0, 2 * tp / numpy.maximum(denom, 1), 0.0)


def bootstrap_f1(
    counts: Sequence[Tuple[int, int, int]],
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> Dict[str, float]:
    """Percentile bootstrap of micro F1 from per-document (tp, fp, fn) counts.

    Returns f (on all documents), f_ci_low, f_ci_high, level and n_resamples.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), not {level}")
    if n_resamples < 1:
        raise ValueError("n_resamples must be >= 1")
    arr = numpy.asarray(counts, dtype=numpy.int64).reshape(-1, 3)
    total = arr.sum(axis=0)
    point = float(_f1(total[0], total[1], total[2]))
    if len(arr) == 0:
        return {"f": 0.0, "f_ci_low": 0.0, "f_ci_high": 0.0, "level": level, "n_resamples": n_resamples}
    rng = numpy.random.default_rng(seed)
    sums = numpy.empty((n_resamples, 3), dtype=numpy.int64)
    for b in range(n_resamples):  # one resample at a time: memory flat in corpus size
        sums[b] = arr[rng.integers(0, len(arr), size=len(arr))].sum(axis=0)
    scores = _f1(sums[:, 0], sums[:, 1], sums[:, 2])
    alpha = (1 - level) / 2
    low, high = numpy.quantile(scores, [alpha, 1 - alpha])
    return {"f": point, "f_ci_low": float(low), "f_ci_high": float(high), "level": level, "n_resamples": n_resamples}
