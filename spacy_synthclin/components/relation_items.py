"""From spacy-llm's ``RelationItem`` list (``spacy.REL.v1``) to our ``doc._.rel`` dict.

spacy-llm writes ``doc._.rel = [RelationItem(dep=i, dest=j, relation="...")]`` with
indices into ``doc.ents``; the relation extractor and ``synthclin evaluate rel``
read ``{(head.start, tail.start): {label: score}}``. Listed relations score 1.0;
with ``candidates`` every other candidate pair gets 0.0 for each label, so an LLM
annotation becomes gold data of the same shape as GAD.
"""
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from spacy.tokens import Doc, Span

RelDict = Dict[Tuple[int, int], Dict[str, float]]


def relation_items_to_rel(doc: Doc, items: Iterable, labels: Optional[List[str]] = None,
                          candidates: Optional[Callable[[Doc], List[Tuple[Span, Span]]]] = None) -> RelDict:
    ents = list(doc.ents)
    rel: RelDict = {}
    found: List[Tuple[int, int, str]] = []
    for item in items:
        dep, dest, relation = _fields(item)
        if not (0 <= dep < len(ents) and 0 <= dest < len(ents)):
            raise ValueError(f"RelationItem({dep}, {dest}, {relation!r}) points outside the {len(ents)} entities of {doc.text[:60]!r}")
        found.append((ents[dep].start, ents[dest].start, relation))
    all_labels = list(labels) if labels else sorted({r for _, _, r in found})
    if candidates is not None:
        for head, tail in candidates(doc):
            rel[(head.start, tail.start)] = {label: 0.0 for label in all_labels}
    for head, tail, relation in found:
        rel.setdefault((head, tail), {label: 0.0 for label in all_labels})[relation] = 1.0
    return rel


def _fields(item) -> Tuple[int, int, str]:
    if isinstance(item, dict):
        return int(item["dep"]), int(item["dest"]), str(item["relation"])
    return int(item.dep), int(item.dest), str(item.relation)
