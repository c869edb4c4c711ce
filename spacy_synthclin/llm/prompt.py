"""A rendered prompt that carries where it came from.

spacy-llm passes prompts from the task to the model untouched, so a ``str``
subclass lets our tasks tell the cassette models (Record/Replay) which task and
template version rendered a prompt, without changing any spacy-llm interface.
Plain ``str`` prompts (e.g. from spacy.NER.v3) work everywhere too.
"""
from typing import Any, Dict, Optional


class Prompt(str):
    task: str
    template_version: str
    meta: Dict[str, Any]

    def __new__(
        cls,
        text: str,
        task: str = "",
        template_version: str = "",
        meta: Optional[Dict[str, Any]] = None,
    ) -> "Prompt":
        obj = super().__new__(cls, text)
        obj.task = task
        obj.template_version = template_version
        obj.meta = dict(meta or {})
        return obj

    def __reduce__(self):  # keep metadata through pickling (multiprocessing)
        return (Prompt, (str(self), self.task, self.template_version, self.meta))


def prompt_info(prompt: str) -> Dict[str, Any]:
    """Task name, template version and metadata of a prompt ('' for plain strings)."""
    return {
        "task": getattr(prompt, "task", ""),
        "template_version": getattr(prompt, "template_version", ""),
        "meta": dict(getattr(prompt, "meta", {}) or {}),
    }
