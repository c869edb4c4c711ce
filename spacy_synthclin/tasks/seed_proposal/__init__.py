from .parser import parse_seed_response
from .registry import make_seed_proposal_task
from .task import SeedProposalTask

__all__ = ["SeedProposalTask", "make_seed_proposal_task", "parse_seed_response"]
