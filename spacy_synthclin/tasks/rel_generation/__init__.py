from .parser import parse_rel_response
from .registry import make_rel_generation_task
from .task import RELGenerationTask

__all__ = ["RELGenerationTask", "make_rel_generation_task", "parse_rel_response"]
