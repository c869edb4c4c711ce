from typing import Callable, Optional

from spacy_llm.registry import registry

from ..util.report import ParseResult
from .task import NERGenerationTask


@registry.llm_tasks("synthclin.NERGeneration.v1")
def make_ner_generation_task(
    label: str = "DISEASE",
    n_sentences: int = 5,
    template_version: str = "v1",
    template: Optional[str] = None,
    mode: str = "markup",
    lang: str = "en",
    default_style: str = "abstract",
    default_context: str = "a study published in a biomedical journal",
    parse_response: Optional[Callable[..., ParseResult]] = None,
) -> NERGenerationTask:
    """synthclin.NERGeneration.v1 task factory.

    label (str): the entity label, DISEASE or CHEMICAL with the bundled templates
        (they carry that label's annotation guidelines).
    n_sentences (int): sentences requested per prompt (one sentence form each).
    template_version (str): bundled template version ("v1": templates/ner_generation.v1.jinja).
    template (Optional[str]): a custom jinja template text instead (version "custom-<sha8>").
    mode (str): "markup" (the model marks every mention) or "plain" (unmarked
        sentences, annotated afterwards by spacy.NER.v3: generate-then-annotate).
    lang (str): language of the tokenizer the spans are aligned to (as the converter).
    default_style / default_context: used for seed Docs without conditioning
        (e.g. ``nlp("asthma")``); the runner sets both per seed.
    parse_response (Optional[Callable]): replace the parser
        (``(task, response, meta) -> ParseResult``).
    """
    return NERGenerationTask(
        label=label,
        n_sentences=n_sentences,
        template_version=template_version,
        template=template,
        mode=mode,
        lang=lang,
        default_style=default_style,
        default_context=default_context,
        parse_response=parse_response,
    )
