"""``synthclin_llm_rel_scores``: spacy.REL.v1's output -> the input tokens and our ``doc._.rel`` scores.

spacy-llm 0.7.4's REL task returns the Doc it rendered into the prompt, with a
marker token inserted after every entity (``@GENE$ [ENT0:GENE] ...``), and
writes ``doc._.rel = [RelationItem(dep, dest, relation)]`` (indices into
``doc.ents``). ``evaluate_rel`` and the relation extractor read
``{(gene.start, disease.start): {label: score}}`` in the *input's* token
offsets. This component sits after the ``llm`` component, drops the marker
tokens again (so the Doc has the tokens it came in with) and writes, for every
GENE x DISEASE pair, 1.0 if the LLM listed the relation between them (in
either direction: an association is undirected) and 0.0 otherwise.
"""
import re
from typing import Dict, Iterable, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..components.extensions import ensure_extensions
from ..components.relation_items import _fields

ensure_extensions()
_MARKER = re.compile(r"\[ENT\d+:[^\]]*\]")


def strip_entity_markers(doc: Doc) -> Doc:
    """The Doc without REL.v1's ``[ENTi:LABEL]`` tokens (each right after its entity), entities kept."""
    ents = list(doc.ents)
    ends = {e.end for e in ents}
    words, spaces, new_index = [], [], {}
    for token in doc:
        if token.i in ends and _MARKER.fullmatch(token.text):
            if spaces:  # the marker carried the entity's own trailing whitespace
                spaces[-1] = bool(token.whitespace_)
            continue
        new_index[token.i] = len(words)
        words.append(token.text)
        spaces.append(bool(token.whitespace_))
    if len(words) == len(doc):
        return doc
    out = Doc(doc.vocab, words=words, spaces=spaces, user_data=dict(doc.user_data))
    out.ents = [Span(out, new_index[e.start], new_index[e.end - 1] + 1, label=e.label_) for e in ents]
    return out


class LLMRelScores:
    def __init__(self, label: str = "ASSOCIATED", head_label: str = "GENE", tail_label: str = "DISEASE"):
        self.label = label
        self.head_label = head_label
        self.tail_label = tail_label

    def __call__(self, doc: Doc) -> Doc:
        items = doc._.rel
        if isinstance(items, dict):  # already in our format (e.g. gold, or converted before)
            return doc
        doc = strip_entity_markers(doc)
        ents = list(doc.ents)
        listed = set()
        for item in items or []:
            dep, dest, relation = _fields(item)
            if relation.upper() == self.label.upper() and 0 <= dep < len(ents) and 0 <= dest < len(ents):
                listed.add(frozenset((dep, dest)))
        rel: Dict[Tuple[int, int], Dict[str, float]] = {}
        for i, head in enumerate(ents):
            if head.label_ != self.head_label:
                continue
            for j, tail in enumerate(ents):
                if tail.label_ == self.tail_label:
                    rel[(head.start, tail.start)] = {self.label: 1.0 if frozenset((i, j)) in listed else 0.0}
        doc._.rel = rel
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("synthclin_llm_rel_scores", default_config={"label": "ASSOCIATED", "head_label": "GENE", "tail_label": "DISEASE"})
def make_llm_rel_scores(nlp: Language, name: str, label: str, head_label: str, tail_label: str) -> LLMRelScores:
    return LLMRelScores(label=label, head_label=head_label, tail_label=tail_label)
