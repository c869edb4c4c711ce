"""What a parsed response yields: examples, and a counted reason for everything dropped.

Accounting, per response (unit = one requested sentence or seed):
``parsed + sum(failed.values()) == requested + extra``, where ``extra`` is
how many items the model wrote beyond the number asked for (kept, not failed).
A response that yields nothing counts every requested item under one reason.
"""
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List

# Failure reasons (the parse step). Keys are stable: reports and tests use them.
REASONS: Dict[str, str] = {
    # response level (counted once per requested item that did not come back)
    "empty": "the response is empty or only whitespace",
    "no_sentences": "the response holds no usable line (e.g. a refusal or only prose)",
    "malformed_json": "the response is JSON-like but does not decode (often truncated)",
    "missing": "fewer items than requested came back",
    # sentence level
    "no_markup": "a sentence with no [[...]] mark at all",
    "unbalanced_markup": "'[[' without ']]' (or the reverse), nested or stray brackets in a mark",
    "empty_mention": "an empty mark '[[ ]]'",
    "wrong_label": "a mark names another label ('[[CHEMICAL: x]]' in a disease prompt, untyped marks where G:/D: are required)",
    "misaligned": "a mark does not start and end on token boundaries ('[[tumor]]s')",
    "unmarked_mention": "the seed entity occurs outside any mark, or only partly inside one",
    "truncated": "the last line is cut off (no closing punctuation, or an unclosed mark at the end)",
    "span_not_in_text": "JSON spans or mention strings that are not in the sentence text",
    "missing_gene": "relation sentence without a [[G:...]] mark",
    "missing_disease": "relation sentence without a [[D:...]] mark",
    "multiple_gene": "more than one [[G:...]] mark in a relation sentence",
    "multiple_disease": "more than one [[D:...]] mark in a relation sentence",
    "wrong_entity": "the marked gene/disease is not the requested one",
    "bad_seed": "a seed line that is not a name (prose, too long, malformed pair)",
    # generate-then-annotate mode
    "annotator_no_entity": "the annotator found no entity of the label in a generated sentence",
    "annotator_no_pair": "the annotator did not find the requested gene and disease in a generated sentence",
}

# Filter reasons (quality filters after parsing): the example parsed but is not kept.
FILTER_REASONS: Dict[str, str] = {
    "duplicate": "exact duplicate (normalised text) of a kept example",
    "near_duplicate": "MinHash/LSH near-duplicate of a kept example",
    "too_short": "fewer tokens than the lower length bound",
    "too_long": "more tokens than the upper length bound",
    "balance": "dropped to keep the relation labels within the configured balance",
}


@dataclass
class SentenceFailure:
    reason: str
    line: str = ""
    detail: str = ""

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown failure reason {self.reason!r}")

    def to_dict(self) -> Dict[str, str]:
        return {"reason": self.reason, "line": self.line, "detail": self.detail}


@dataclass
class ParseResult:
    requested: int
    raw: str
    examples: List[Dict[str, Any]] = field(default_factory=list)
    failures: List[SentenceFailure] = field(default_factory=list)
    extra: int = 0
    ignored: List[str] = field(default_factory=list)  # prose lines around the items (not failures)

    @property
    def parsed(self) -> int:
        return len(self.examples)

    def failed_counts(self) -> Dict[str, int]:
        return dict(Counter(f.reason for f in self.failures))

    def fail(self, reason: str, line: str = "", detail: str = "", times: int = 1) -> None:
        for _ in range(times):
            self.failures.append(SentenceFailure(reason, line, detail))

    def check(self) -> None:
        """The accounting identity; a bug in a parser shows up here, not in the totals."""
        total = self.parsed + len(self.failures)
        if total != self.requested + self.extra:
            raise AssertionError(
                f"parse accounting broken: parsed {self.parsed} + failed {len(self.failures)} "
                f"!= requested {self.requested} + extra {self.extra}"
            )

    def to_report(self) -> Dict[str, Any]:
        return {
            "requested": self.requested,
            "parsed": self.parsed,
            "extra": self.extra,
            "failed": self.failed_counts(),
            "failures": [f.to_dict() for f in self.failures],
            "ignored": list(self.ignored),
            "raw": self.raw,
        }
