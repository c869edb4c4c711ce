"""Contamination check: synthetic sentences that share an 8-gram with a test set.

Every test sentence's lower-cased word 8-grams (punctuation left out) go into one index; a synthetic
sentence is *overlapping* if any of its 8-grams is in the index. Generated data
must never copy or paraphrase benchmark text, and an 8-gram match is the usual
signature of a copied phrase. Relation sentences can also be checked in their
masked form (``@GENE$`` / ``@DISEASE$``), which is how GAD stores them.
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from .corpus_io import CorpusItem, iter_corpus
from .ngrams import ngrams, words

PathLike = Union[str, Path]
DEFAULT_N = 8


def masked_text(item: CorpusItem) -> Optional[str]:
    """The GAD-style masked form of a relation item (None if it has no GENE + DISEASE spans)."""
    genes = [s for s in item.spans if s[2] == "GENE"]
    diseases = [s for s in item.spans if s[2] == "DISEASE"]
    if len(genes) != 1 or len(diseases) != 1:
        return None
    out, pos = [], 0
    for start, end, label in sorted([genes[0], diseases[0]]):
        out.append(item.text[pos:start])
        out.append("@GENE$" if label == "GENE" else "@DISEASE$")
        pos = end
    out.append(item.text[pos:])
    return "".join(out)


@dataclass
class NgramIndex:
    n: int = DEFAULT_N
    grams: Dict[Tuple[str, ...], str] = field(default_factory=dict)  # n-gram -> the test set it came from
    sentences: Dict[str, int] = field(default_factory=dict)  # test set -> sentences read

    def add_corpus(self, path: PathLike) -> None:
        name = str(path)
        count = 0
        for item in iter_corpus(path):
            count += 1
            for gram in ngrams(words(item.text), self.n):
                self.grams.setdefault(gram, name)
        self.sentences[name] = count

    def first_match(self, text: str) -> Optional[Tuple[Tuple[str, ...], str]]:
        for gram in ngrams(words(text), self.n):
            source = self.grams.get(gram)
            if source is not None:
                return gram, source
        return None


def check_contamination(synthetic: PathLike, tests: Sequence[PathLike], n: int = DEFAULT_N, masked: bool = False,
                        max_examples: int = 20, keep: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    """Count synthetic sentences sharing an n-gram with any test set.

    ``masked``: also check relation items in their @GENE$/@DISEASE$ form.
    ``keep``: if a list is given, the clean items' records are appended to it.
    """
    index = NgramIndex(n=n)
    for test in tests:
        index.add_corpus(test)
    overlapping = 0
    total = 0
    by_test: Dict[str, int] = {str(t): 0 for t in tests}
    examples: List[Dict[str, Any]] = []
    for item in iter_corpus(synthetic):
        total += 1
        forms = [item.text]
        if masked:
            m = masked_text(item)
            if m is not None:
                forms.append(m)
        match = None
        for form in forms:
            match = index.first_match(form)
            if match:
                break
        if match is None:
            if keep is not None:
                keep.append({"text": item.text, "spans": [{"start": s, "end": e, "label": l} for s, e, l in item.spans], **item.meta})
            continue
        overlapping += 1
        gram, source = match
        by_test[source] = by_test.get(source, 0) + 1
        if len(examples) < max_examples:
            examples.append({"text": item.text, "ngram": " ".join(gram), "test": source})
    return {
        "overlapping": overlapping,
        "synthetic_sentences": total,
        "overlap_rate": overlapping / total if total else 0.0,
        "n": n,
        "masked": masked,
        "test_sentences": dict(index.sentences),
        "by_test": by_test,
        "examples": examples,
    }
