"""Word n-grams on a tokenisation that is the same for every corpus format.

Benchmark tsv files are pre-tokenised (``BRCA1 - associated``) while synthetic
text is raw (``BRCA1-associated``). Both are re-tokenised here with one regex
(word runs, single punctuation marks, and the ``@GENE$`` / ``@DISEASE$``
masks as single tokens) and lower-cased, so an n-gram means the same thing on
both sides.
"""
import re
from typing import Iterable, Iterator, List, Sequence, Tuple

_TOKEN_RE = re.compile(r"@GENE\$|@DISEASE\$|\w+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> List[str]:
    return [t.lower() for t in _TOKEN_RE.findall(text)]


def words(text: str) -> List[str]:
    """The tokens that hold a letter (and the masks): punctuation and bare numbers are left out, so a
    generic hyphenated term ("non-steroidal anti-inflammatory drugs") or one systematic chemical name
    ("1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine") does not pass for a copied 8-gram of text."""
    return [t for t in tokens(text) if t[0] == "@" or any(c.isalpha() for c in t)]


def ngrams(toks: Sequence[str], n: int) -> Iterator[Tuple[str, ...]]:
    for i in range(len(toks) - n + 1):
        yield tuple(toks[i : i + n])


def distinct_n(texts: Iterable[str], n: int) -> float:
    """Distinct-n: unique n-grams / all n-grams over the corpus (0 for an empty corpus)."""
    seen = set()
    total = 0
    for text in texts:
        for gram in ngrams(tokens(text), n):
            seen.add(gram)
            total += 1
    return len(seen) / total if total else 0.0
