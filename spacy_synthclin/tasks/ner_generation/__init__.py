from .parser import parse_ner_response
from .registry import make_ner_generation_task
from .task import NERGenerationTask

__all__ = ["NERGenerationTask", "make_ner_generation_task", "parse_ner_response"]
