"""Seed proposal: the LLM lists entity names (or gene-disease pairs) for one category.

The alternatives need no LLM: a user-provided seed list, or the mentions of a
corpus's *train* split (as in the paper); see ``spacy_synthclin.tasks.seeds``.
"""
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from spacy.tokens import Doc

from ...errors import ConfigError
from ..base import GenerationTask
from ..util.report import ParseResult
from .parser import parse_seed_response

TEMPLATE_DIR = Path(__file__).parent / "templates"


class SeedProposalTask(GenerationTask):
    """Input: a Doc whose text is a category (``doc._.synthclin_seed`` holds the
    entity type: disease, chemical or gene_disease). Output: ``n_seeds`` names,
    one per line (``GENE<TAB>disease`` for gene_disease), in ``doc._.synthetic``.
    """

    NAME = "synthclin.SeedProposal.v1"
    TEMPLATE_DIR = TEMPLATE_DIR
    TEMPLATE_NAMES = {"markup": "seed_proposal"}  # one mode: a plain list

    def __init__(self, entity_type: str, n_seeds: int, template_version: str, template: Optional[str], lang: str,
                 parse_response: Optional[Callable[..., ParseResult]] = None):
        super().__init__(template_version, template, "markup", lang, parse_response)
        self._entity_type = entity_type
        self._n_seeds = n_seeds
        if n_seeds < 1:
            raise ConfigError(f"{self.NAME}: n_seeds must be >= 1")
        self._check_type(entity_type)

    _cfg_keys = GenerationTask._cfg_keys + ("_entity_type", "_n_seeds")

    @property
    def n_seeds(self) -> int:
        return self._n_seeds

    def _check_type(self, entity_type: str) -> None:
        known = self.templates.options("ENTITY_TYPES")
        if known and entity_type not in known:
            raise ConfigError(f"{self.NAME}: unknown entity type {entity_type!r} (known: {', '.join(known)})")

    def seed_info(self, doc: Doc) -> Dict[str, Any]:
        seed = dict(doc._.synthclin_seed or {})
        seed.setdefault("category", doc.text)
        seed.setdefault("entity_type", self._entity_type)
        seed.setdefault("index", 0)
        return seed

    def check_seed(self, seed: Dict[str, Any]) -> None:
        self._check_type(seed["entity_type"])

    def prompt_data(self, seed: Dict[str, Any]) -> Dict[str, Any]:
        return {"entity_type": seed["entity_type"], "category": seed["category"], "n": self._n_seeds}

    def prompt_meta(self, seed: Dict[str, Any]) -> Dict[str, Any]:
        return {
            "entity_type": seed["entity_type"],
            "category": seed["category"],
            "category_index": seed["index"],
            "n_seeds": self._n_seeds,
        }

    def default_parse(self, response: Any, meta: Dict[str, Any]) -> ParseResult:
        return parse_seed_response(response, meta)
