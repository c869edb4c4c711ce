"""Exact and near-duplicate removal (MinHash + LSH from datasketch).

Exact duplicates are compared on a normalised text (case, whitespace and
punctuation folded). Near duplicates are found with MinHash signatures of
character 5-gram shingles and an LSH index at a Jaccard threshold: a sentence
whose signature collides with a kept one is dropped. Memory is one signature
per kept sentence, so the filter streams.
"""
import hashlib
import re
from typing import Dict, Iterable, List, Optional, Set

from datasketch import MinHash, MinHashLSH

_WS_RE = re.compile(r"\s+")
_PUNCT_RE = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    return _WS_RE.sub(" ", _PUNCT_RE.sub(" ", text.lower())).strip()


def shingles(text: str, k: int = 5) -> List[str]:
    norm = _WS_RE.sub(" ", text.lower()).strip()
    if len(norm) <= k:
        return [norm]
    return sorted({norm[i : i + k] for i in range(len(norm) - k + 1)})


def minhash(text: str, num_perm: int = 128, k: int = 5) -> MinHash:
    mh = MinHash(num_perm=num_perm, seed=1)
    mh.update_batch([s.encode("utf-8") for s in shingles(text, k)])
    return mh


class ExactDeduplicator:
    def __init__(self) -> None:
        self._seen: Set[str] = set()

    def _key(self, text: str) -> str:
        return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()

    def seen(self, text: str) -> bool:
        return self._key(text) in self._seen

    def add(self, text: str) -> None:
        self._seen.add(self._key(text))

    def __len__(self) -> int:
        return len(self._seen)


class NearDuplicateFilter:
    """``is_near_duplicate(text)`` against everything ``add``-ed so far."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 5):
        if not 0.0 < threshold < 1.0:
            raise ValueError("near-duplicate threshold must be in (0, 1)")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: Dict[str, MinHash] = {}  # ~1 KB each: LSH candidates are verified

    def signature(self, text: str) -> MinHash:
        return minhash(text, self.num_perm, self.shingle_size)

    def match(self, text: str, signature: Optional[MinHash] = None) -> List[str]:
        """Keys of kept texts that are near duplicates of ``text`` (LSH candidates, verified)."""
        sig = signature or self.signature(text)
        return [key for key in self._lsh.query(sig) if sig.jaccard(self._signatures[key]) >= self.threshold]

    def add(self, text: str, signature: Optional[MinHash] = None) -> None:
        sig = signature or self.signature(text)
        key = f"t{len(self._signatures)}"
        self._lsh.insert(key, sig)
        self._signatures[key] = sig

    def check_and_add(self, text: str) -> bool:
        """True if ``text`` is a near duplicate (then it is not added)."""
        sig = self.signature(text)
        if self.match(text, sig):
            return True
        self.add(text, sig)
        return False

    def __len__(self) -> int:
        return len(self._signatures)


def near_duplicate_rate(texts: Iterable[str], threshold: float = 0.8, num_perm: int = 128) -> float:
    """Fraction of texts that are exact or near duplicates of an earlier one."""
    exact = ExactDeduplicator()
    near = NearDuplicateFilter(threshold, num_perm)
    n = dup = 0
    for text in texts:
        n += 1
        if exact.seen(text) or near.check_and_add(text):
            dup += 1
        exact.add(text)
    return dup / n if n else 0.0
