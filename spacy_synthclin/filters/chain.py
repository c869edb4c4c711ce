"""The quality filters that `synthclin generate` applies to parsed examples, in order.

length bounds -> exact duplicate -> near duplicate. Each dropped example gets a
reason from :data:`~spacy_synthclin.tasks.util.report.FILTER_REASONS`. The
chain is primed with the examples already kept by an earlier (interrupted)
run, so a resumed run never keeps a duplicate of what is on disk.
"""
from dataclasses import dataclass, fields
from typing import Any, Dict, Optional

from .alignment import blank_nlp
from .dedup import ExactDeduplicator, NearDuplicateFilter
from .length import length_reason


@dataclass
class FilterSettings:
    min_tokens: int = 5
    max_tokens: int = 80
    exact_dedup: bool = True
    near_dedup: bool = True
    near_dedup_threshold: float = 0.8
    num_perm: int = 128
    balance: bool = False  # relation labels only
    min_positive: float = 0.45
    max_positive: float = 0.55

    @classmethod
    def from_dict(cls, values: Optional[Dict[str, Any]]) -> "FilterSettings":
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            from ..errors import ConfigError

            raise ConfigError(f"unknown filter setting(s) {unknown} (known: {', '.join(sorted(known))})")
        return cls(**values)


def example_text(example: Dict[str, Any]) -> str:
    """The text an example is compared on (a sentence, a seed name, or a gene-disease pair)."""
    if "text" in example:
        return str(example["text"])
    if "seed" in example:
        return str(example["seed"])
    return f"{example.get('gene', '')}\t{example.get('disease', '')}"


class FilterChain:
    def __init__(self, settings: FilterSettings, lang: str = "en", sentences: bool = True):
        self.settings = settings
        self.sentences = sentences  # False for seed names: no length bounds, no near-dup
        self._nlp = blank_nlp(lang)
        self._exact = ExactDeduplicator() if settings.exact_dedup else None
        use_near = settings.near_dedup and sentences
        self._near = NearDuplicateFilter(settings.near_dedup_threshold, settings.num_perm) if use_near else None

    def prime(self, example: Dict[str, Any]) -> None:
        """Register an example kept earlier (no checks)."""
        text = example_text(example)
        if self._exact is not None:
            self._exact.add(text)
        if self._near is not None:
            self._near.add(text)

    def __call__(self, example: Dict[str, Any]) -> Optional[str]:
        """The filter reason, or None if kept (a kept example is registered)."""
        text = example_text(example)
        if self.sentences:
            reason = length_reason(text, self.settings.min_tokens, self.settings.max_tokens, self._nlp)
            if reason:
                return reason
        if self._exact is not None and self._exact.seen(text):
            return "duplicate"
        if self._near is not None:
            sig = self._near.signature(text)
            if self._near.match(text, sig):
                return "near_duplicate"
            self._near.add(text, sig)
        if self._exact is not None:
            self._exact.add(text)
        return None
