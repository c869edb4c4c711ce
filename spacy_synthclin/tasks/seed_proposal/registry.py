from typing import Callable, Optional

from spacy_llm.registry import registry

from ..util.report import ParseResult
from .task import SeedProposalTask


@registry.llm_tasks("synthclin.SeedProposal.v1")
def make_seed_proposal_task(
    entity_type: str = "disease",
    n_seeds: int = 40,
    template_version: str = "v1",
    template: Optional[str] = None,
    lang: str = "en",
    parse_response: Optional[Callable[..., ParseResult]] = None,
) -> SeedProposalTask:
    """synthclin.SeedProposal.v1 task factory.

    entity_type (str): default entity type of seed Docs (disease, chemical or
        gene_disease); the runner sets it per category Doc.
    n_seeds (int): names (or pairs) requested per category prompt.
    template_version (str): bundled template version ("v1": templates/seed_proposal.v1.jinja).
    template (Optional[str]): a custom jinja template text instead.
    parse_response (Optional[Callable]): replace the parser.
    """
    return SeedProposalTask(
        entity_type=entity_type,
        n_seeds=n_seeds,
        template_version=template_version,
        template=template,
        lang=lang,
        parse_response=parse_response,
    )
