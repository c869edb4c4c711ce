"""Helpers shared by the generation tasks: inline markup, response splitting, templates, parse reports."""
from .markup import Mark, MarkupError, strip_markup
from .report import REASONS, ParseResult, SentenceFailure
from .responses import Candidate, split_response
from .templates import TemplateSet, load_template

__all__ = [
    "Mark",
    "MarkupError",
    "strip_markup",
    "REASONS",
    "ParseResult",
    "SentenceFailure",
    "Candidate",
    "split_response",
    "TemplateSet",
    "load_template",
]
