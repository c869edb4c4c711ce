"""Synthetic data generation tasks for spacy-llm (registered in its task registry).

- ``synthclin.SeedProposal.v1``: entity seeds (or gene-disease pairs) by category.
- ``synthclin.NERGeneration.v1``: sentences with every mention of a label marked.
- ``synthclin.RELGeneration.v1``: sentences that state (or do not state) a gene-disease association.

Parsed examples are stored in ``Doc._.synthetic`` (a list of dicts) and the
accounting in ``Doc._.synthetic_report``; both extensions are registered here.
"""
from ..components.extensions import ensure_extensions
from .ner_generation import NERGenerationTask, make_ner_generation_task
from .rel_generation import RELGenerationTask, make_rel_generation_task
from .seed_proposal import SeedProposalTask, make_seed_proposal_task

ensure_extensions()

__all__ = [
    "NERGenerationTask",
    "RELGenerationTask",
    "SeedProposalTask",
    "make_ner_generation_task",
    "make_rel_generation_task",
    "make_seed_proposal_task",
]
