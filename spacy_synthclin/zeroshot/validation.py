"""Import checks for answers to the baseline's prompts (``synthclin prompts import``).

The exported prompts carry the spacy-llm task that rendered them
(``spacy.NER.v3`` / ``spacy.REL.v1``). An answer is accepted when that task's
own line format parses from it, or when it is an explicit "none" answer (a
sentence may have no disease, a row may state no association): both are what
the task's parser reads as "nothing found", but an empty or unparsable answer
would be read the same way, so it is refused instead of silently scored.
"""
import re
from typing import Any, Dict

from ..errors import SynthclinError

NER_TASK = "spacy.NER.v3"
REL_TASK = "spacy.REL.v1"
TASKS = (NER_TASK, REL_TASK)
_NONE_ANSWER = re.compile(r"[\s\"'`*.\-]*(none|no entities( found)?|no relations?( found)?|\[\])[\s\"'`*.\-]*", re.I)
_ENT_ID = re.compile(r"\[ENT(\d+):")
_TARGET = "Here is the text that needs labeling:"


def _reject(reason: str, message: str) -> None:
    from ..tasks.validation import ResponseParseError

    raise ResponseParseError(reason, message)


def is_none_answer(response: str) -> bool:
    return bool(_NONE_ANSWER.fullmatch(response.strip()))


def validate_ner_answer(prompt: str, response: str) -> int:
    from spacy_llm.tasks.span.examples import SpanReason

    n = 0
    for line in response.splitlines():
        if not line.strip():
            continue
        try:
            SpanReason.from_str(line)
            n += 1
        except ValueError:
            continue
    if n:
        return n
    if is_none_answer(response):
        return 1
    _reject("no_span_lines", "no 'n. text | True/False | LABEL | reason' line and not a 'none' answer")
    return 0


def validate_rel_answer(prompt: str, response: str) -> int:
    from spacy_llm.tasks.rel.items import RelationItem

    # entity ids of the text to label (few-shot examples above it have their own)
    target = prompt.rsplit(_TARGET, 1)[-1]
    n_ents = len(set(_ENT_ID.findall(target)))
    json_lines = [line.strip() for line in response.splitlines() if line.strip().startswith("{")]
    ok = 0
    for line in json_lines:
        try:
            item = RelationItem.model_validate_json(line)
        except ValueError:
            continue
        if 0 <= item.dep < n_ents and 0 <= item.dest < n_ents:
            ok += 1
    if ok:
        return ok
    if json_lines:
        _reject("malformed_json", f"no relation line with entity ids 0..{n_ents - 1} in the answer")
    if is_none_answer(response):
        return 1
    _reject("no_relation_lines", "no {\"dep\", \"dest\", \"relation\"} line and not a 'none' answer")
    return 0


def validate_zeroshot_response(task: str, template_version: str, prompt: str, response: str, meta: Dict[str, Any]) -> int:
    """Number of usable answer lines (a 'none' answer counts 1); raises ResponseParseError otherwise."""
    if task == NER_TASK:
        return validate_ner_answer(prompt, response)
    if task == REL_TASK:
        return validate_rel_answer(prompt, response)
    raise SynthclinError(f"not a zero-shot task: {task!r}")
