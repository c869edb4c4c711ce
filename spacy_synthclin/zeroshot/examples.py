"""Few-shot examples for the baseline: synthetic sentences only, never real corpus text.

The packaged example files (``examples/*.json``) hold a handful of sentences
taken from the committed synthetic cassettes (each with its cassette key and
sentence number under ``source``), in the form the test input has:
- ``ner_disease_synthetic``: tokens joined by spaces, as NCBI-disease sentences
  reach the LLM, with spacy.NER.v3's chain-of-thought spans (text, is_entity,
  label, reason);
- ``gad_synthetic``: GAD-style masked sentences (``@GENE$`` / ``@DISEASE$``)
  with a 0/1 label, turned into spacy.REL.v1 examples here.

spacy-llm's own ``RELExample.to_doc`` re-tokenises the text around every
punctuation character, which splits ``@GENE$`` into three tokens and then fails
to find the entity offsets; ``synthclin.MaskedRELExample.v1`` tokenises the
way the GAD reader does, so an example is rendered exactly like a test row.
"""
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional

import srsly
from spacy.tokens import Doc
from spacy_llm.registry import registry
from spacy_llm.tasks.rel.util import RELExample

from ..corpora.readers import DISEASE_MASK, GENE_MASK, mask_tokenizer, tokenize_masked
from ..errors import ConfigError, InputFormatError

EXAMPLES_DIR = Path(__file__).parent / "examples"
REL_LABEL = "ASSOCIATED"


def _read(path: Path) -> List[Dict[str, Any]]:
    if not path.exists():
        raise ConfigError(f"few-shot examples file {path} not found")
    try:
        data = list(srsly.read_jsonl(path)) if path.suffix == ".jsonl" else srsly.read_json(path)
    except ValueError as err:
        raise InputFormatError(path, None, f"not valid JSON ({err})") from None
    if not isinstance(data, list) or not all(isinstance(eg, dict) for eg in data):
        raise InputFormatError(path, None, "expected a list of example objects")
    return data


def masked_rel_example(text: str, label: int, path: Any = "<example>", line: Optional[int] = None) -> Dict[str, Any]:
    """A spacy.REL.v1 example dict (text, ents, relations) from a masked sentence and its 0/1 label."""
    ents = []
    for mask, ent_label in ((GENE_MASK, "GENE"), (DISEASE_MASK, "DISEASE")):
        if text.count(mask) != 1:
            raise InputFormatError(path, line, f"a relation example needs exactly one {mask}")
        start = text.index(mask)
        ents.append({"start_char": start, "end_char": start + len(mask), "label": ent_label})
    ents.sort(key=lambda e: e["start_char"])
    gene = next(i for i, e in enumerate(ents) if e["label"] == "GENE")
    relations = [{"dep": gene, "dest": 1 - gene, "relation": REL_LABEL}] if int(label) == 1 else []
    return {"text": text, "ents": ents, "relations": relations}


@registry.llm_misc("synthclin.FewShotExamples.v1")
def fewshot_examples_v1(name: str = "", path: str = "", kind: str = "") -> Callable[[], Iterable[Dict[str, Any]]]:
    """Few-shot examples for spacy.NER.v3 / spacy.REL.v1 from a packaged set or a file.

    name: a packaged set ("ner_disease_synthetic", "gad_synthetic"); or path: a .json/.jsonl file
        of the same form. Only synthetic sentences belong in them (prompts go to the LLM).
    kind: "ner" (spacy.NER.v3 dicts as they are) or "rel" (text + 0/1 label -> REL.v1 dicts);
        default: "rel" when the first example has a label, else "ner".
    """
    if bool(name) == bool(path):
        raise ConfigError("synthclin.FewShotExamples.v1 needs exactly one of name (a packaged set) or path")
    file = EXAMPLES_DIR / f"{name}.json" if name else Path(path)
    if name and not file.exists():
        known = ", ".join(sorted(p.stem for p in EXAMPLES_DIR.glob("*.json")))
        raise ConfigError(f"no packaged few-shot set {name!r} (known: {known})")
    data = _read(file)
    which = kind or ("rel" if data and "label" in data[0] else "ner")
    if which not in ("ner", "rel"):
        raise ConfigError(f"kind must be 'ner' or 'rel', not {kind!r}")
    examples: List[Dict[str, Any]] = []
    for i, eg in enumerate(data, 1):
        if which == "rel":
            if "text" not in eg or eg.get("label") not in (0, 1):
                raise InputFormatError(file, i, "a relation example needs `text` and `label` 0 or 1")
            examples.append(masked_rel_example(eg["text"], eg["label"], file, i))
        else:
            if "text" not in eg or not isinstance(eg.get("spans"), list):
                raise InputFormatError(file, i, "an NER example needs `text` and a `spans` list")
            examples.append({"text": eg["text"], "spans": eg["spans"]})  # `source` is provenance, not prompt text

    def read() -> List[Dict[str, Any]]:
        return [dict(eg) for eg in examples]

    return read


class MaskedRELExample(RELExample):
    """A REL.v1 example rendered with the GAD reader's tokenisation (each mask one token)."""

    def to_doc(self) -> Doc:
        doc = tokenize_masked(mask_tokenizer(), self.text)
        spans = []
        for ent in self.ents:
            span = doc.char_span(ent.start_char, ent.end_char, label=ent.label)
            if span is None:
                raise ValueError(f"example entity {ent} does not align to tokens of {self.text!r}")
            spans.append(span)
        doc.ents = spans
        doc.user_data["rel"] = self.relations
        return doc


@registry.llm_misc("synthclin.MaskedRELExample.v1")
def masked_rel_example_type_v1() -> type:
    """spacy.REL.v1 `prompt_example_type` for GAD-style masked sentences."""
    return MaskedRELExample
