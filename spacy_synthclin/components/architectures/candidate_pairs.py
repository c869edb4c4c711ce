"""Candidate (head, tail) entity pairs of a Doc for the relation extractor.

Pairs are ordered by (head.start, tail.start) so predictions and gold line up
row by row. ``label_pairs`` restricts the entity types (e.g. GENE -> DISEASE);
``max_length`` bounds the token distance between the two entities.
"""
from typing import Callable, List, Optional, Sequence, Tuple

import spacy
from spacy.tokens import Doc, Span

Pair = Tuple[Span, Span]


def candidate_pairs(doc: Doc, label_pairs: Optional[Sequence[Sequence[str]]] = None, max_length: int = 0,
                    ents: Optional[Sequence[Span]] = None) -> List[Pair]:
    wanted = {tuple(p) for p in label_pairs} if label_pairs else None
    ents = list(doc.ents if ents is None else ents)
    pairs = []
    for head in ents:
        for tail in ents:
            if head is tail or (head.start == tail.start and head.end == tail.end):
                continue
            if wanted is not None and (head.label_, tail.label_) not in wanted:
                continue
            if max_length and max(head.start, tail.start) - min(head.end, tail.end) > max_length:
                continue
            pairs.append((head, tail))
    pairs.sort(key=lambda p: (p[0].start, p[1].start))
    return pairs


@spacy.registry.misc("synthclin.CandidatePairs.v1")
def create_candidate_pairs(label_pairs: Optional[List[List[str]]] = None, max_length: int = 0) -> Callable[[Doc], List[Pair]]:
    """Every ordered pair of entities whose labels are in ``label_pairs`` (all pairs if empty),
    at most ``max_length`` tokens apart (0 = any distance)."""
    for pair in label_pairs or []:
        if len(pair) != 2:
            raise ValueError(f"label_pairs entries must be [HEAD_LABEL, TAIL_LABEL], got {pair!r}")

    def get_candidates(doc: Doc) -> List[Pair]:
        return candidate_pairs(doc, label_pairs, max_length)

    get_candidates.label_pairs = [list(p) for p in label_pairs or []]  # type: ignore[attr-defined]
    return get_candidates
