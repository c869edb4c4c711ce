"""The fixed random sample of a test split that the zero-shot baseline is run on."""
import random
from typing import List, Sequence, TypeVar

T = TypeVar("T")
# The recorded baseline: 300 NCBI-disease test sentences and 300 GAD BLURB test rows, seed 0.
DEFAULT_N = 300
DEFAULT_SEED = 0


def sample_indices(n_total: int, n: int, seed: int = DEFAULT_SEED) -> List[int]:
    """``n`` distinct indices of ``range(n_total)`` drawn with ``random.Random(seed)``, in corpus order.

    ``n`` <= 0 or ``n`` >= ``n_total`` takes every index. The draw depends only on
    (n_total, n, seed), so the same split always gives the same sample.
    """
    if n <= 0 or n >= n_total:
        return list(range(n_total))
    return sorted(random.Random(seed).sample(range(n_total), n))


def sample(items: Sequence[T], n: int, seed: int = DEFAULT_SEED) -> List[T]:
    return [items[i] for i in sample_indices(len(items), n, seed)]
