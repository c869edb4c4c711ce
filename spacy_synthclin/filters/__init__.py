"""Quality filters for generated data, and the corpus checks built on them.

- alignment: spans must fall on token boundaries (dropped and counted otherwise);
- dedup: exact and MinHash/LSH near-duplicate removal;
- length: token-length bounds; balance: relation label balance;
- chain: the filters `synthclin generate` applies, in order;
- contamination: 8-gram overlap with test sets (`synthclin check-contamination`);
- stats: corpus statistics (`synthclin stats`).
"""
from .alignment import AlignmentError, align_spans, blank_nlp, misaligned_spans
from .balance import balance_plan, positive_fraction
from .chain import FilterChain, FilterSettings
from .dedup import ExactDeduplicator, NearDuplicateFilter, near_duplicate_rate

__all__ = [
    "AlignmentError",
    "align_spans",
    "blank_nlp",
    "misaligned_spans",
    "balance_plan",
    "positive_fraction",
    "FilterChain",
    "FilterSettings",
    "ExactDeduplicator",
    "NearDuplicateFilter",
    "near_duplicate_rate",
]
