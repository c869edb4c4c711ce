from typing import Callable, Optional

from spacy_llm.registry import registry

from ..util.report import ParseResult
from .task import RELGenerationTask


@registry.llm_tasks("synthclin.RELGeneration.v1")
def make_rel_generation_task(
    n_sentences: int = 5,
    template_version: str = "v1",
    template: Optional[str] = None,
    mode: str = "markup",
    lang: str = "en",
    default_style: str = "abstract_results",
    default_context: str = "a case-control study",
    parse_response: Optional[Callable[..., ParseResult]] = None,
) -> RELGenerationTask:
    """synthclin.RELGeneration.v1 task factory.

    n_sentences (int): sentences requested per prompt (one sentence form each).
    template_version (str): bundled template version ("v1": templates/rel_generation.v1.jinja).
    template (Optional[str]): a custom jinja template text instead (version "custom-<sha8>").
    mode (str): "markup" ([[G:...]] / [[D:...]] marks, label = target label) or
        "plain" (unmarked; annotated afterwards by spacy.NER.v3 + spacy.REL.v1).
    lang (str): language of the tokenizer the spans are aligned to.
    default_style / default_context: for seed Docs without conditioning.
    parse_response (Optional[Callable]): replace the parser (``(task, response, meta) -> ParseResult``).
    """
    return RELGenerationTask(
        n_sentences=n_sentences,
        template_version=template_version,
        template=template,
        mode=mode,
        lang=lang,
        default_style=default_style,
        default_context=default_context,
        parse_response=parse_response,
    )
