"""Check one recorded response against the parser of the task and template that rendered its prompt.

Used by ``synthclin prompts import``: a response written for an exported
prompt is accepted only if the task's own parser gets at least one example
out of it. The check is the same code path as a live run (same parser,
same tokenizer alignment), so what imports cleanly also generates cleanly.
"""
from functools import lru_cache
from typing import Any, Dict

from spacy_llm.registry import registry as llm_registry

from ..errors import SynthclinError
from .base import GenerationTask
from .util.report import ParseResult


class ResponseParseError(SynthclinError):
    """Nothing usable parsed from a response. ``reason``: the most frequent failure reason."""

    def __init__(self, reason: str, message: str = "", result: Any = None):
        self.reason = reason
        self.result = result
        super().__init__(message or reason)


# Task settings that change how a response parses, by task name, read from the prompt meta.
def _task_args(task: str, meta: Dict[str, Any]) -> Dict[str, Any]:
    if task == "synthclin.NERGeneration.v1":
        return {"label": meta.get("label", "DISEASE"), "n_sentences": int(meta.get("n_sentences", 5)), "mode": meta.get("mode", "markup")}
    if task == "synthclin.RELGeneration.v1":
        return {"n_sentences": int(meta.get("n_sentences", 5)), "mode": meta.get("mode", "markup")}
    if task == "synthclin.SeedProposal.v1":
        return {"entity_type": meta.get("entity_type", "disease"), "n_seeds": int(meta.get("n_seeds", 40))}
    raise SynthclinError(f"unknown generation task {task!r}")


@lru_cache(maxsize=64)
def _task(task: str, template_version: str, args_key: str) -> GenerationTask:
    import json

    factory = llm_registry.llm_tasks.get(task)
    args = json.loads(args_key)
    if template_version.startswith("custom-"):
        # A custom template's text is not known here; the parser does not depend on it.
        template_version = "v1"
    return factory(template_version=template_version, **args)


def parse_recorded(task: str, template_version: str, prompt: str, response: str, meta: Dict[str, Any]) -> ParseResult:
    """The full parse result of a recorded response (examples, failures, counts)."""
    import json

    from . import ner_generation, rel_generation, seed_proposal  # noqa: F401  (registers the tasks)

    if not meta:
        raise SynthclinError("the prompt's meta is empty: the parser needs the seed and settings it was rendered with")
    instance = _task(task, template_version, json.dumps(_task_args(task, meta), sort_keys=True))
    return instance.parse(response, meta)


def _validate_annotator(prompt: str, response: str) -> int:
    """Answers to spacy-llm's own spacy.NER.v3 / spacy.REL.v1 prompts (generate-then-annotate).

    Their prompts are plain strings (no task name in the cassette), so the kind
    is read from the prompt. NER.v3: lines ``n. text | True/False | LABEL | reason``.
    REL.v1: one JSON ``{"dep", "dest", "relation"}`` per line; an answer without
    any JSON line (e.g. "none") is a valid "no relation" answer.
    """
    lines = [line.strip() for line in str(response).splitlines() if line.strip()]
    if "Paragraph:" in prompt and "Answer:" in prompt:
        from spacy_llm.tasks.span.examples import SpanReason

        n = 0
        for line in lines:
            try:
                SpanReason.from_str(line)
                n += 1
            except ValueError:
                continue
        if not n:
            raise ResponseParseError("no_sentences", "no 'text | True/False | LABEL | reason' line in the NER answer")
        return n
    if "[ENT" in prompt:
        from spacy_llm.tasks.rel.items import RelationItem

        json_lines = [line for line in lines if line.startswith("{")]
        ok = 0
        for line in json_lines:
            try:
                RelationItem.model_validate_json(line)
                ok += 1
            except ValueError:
                continue
        if json_lines and not ok:
            raise ResponseParseError("malformed_json", "no valid relation line in the REL answer")
        return max(ok, 1)
    raise SynthclinError("a prompt without a synthclin task name that is not a spacy.NER.v3 / spacy.REL.v1 prompt")


def validate_response(task: str, template_version: str, prompt: str, response: str, meta: Dict[str, Any]) -> int:
    """Number of examples that parse from ``response``; raises ResponseParseError if none does."""
    if not task:  # an annotator prompt of generate-then-annotate (spacy-llm's own tasks)
        return _validate_annotator(prompt, response)
    if task in ("spacy.NER.v3", "spacy.REL.v1"):  # the zero-/few-shot baseline's exported prompts
        from ..zeroshot.validation import validate_zeroshot_response

        return validate_zeroshot_response(task, template_version, prompt, response, meta)
    result = parse_recorded(task, template_version, prompt, response, meta)
    if result.parsed == 0:
        counts = result.failed_counts()
        reason = max(counts, key=counts.get) if counts else "no_sentences"
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        raise ResponseParseError(reason, f"no usable {task} example in the response ({detail})", result)
    return result.parsed
