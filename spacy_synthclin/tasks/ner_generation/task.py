"""NER generation: sentences about one seed entity, every mention of the label marked."""
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from spacy.tokens import Doc

from ...errors import ConfigError
from ..base import GenerationTask, rotate
from ..util.report import ParseResult
from ..util.sentences import check_style, sentence_fields
from .parser import parse_ner_response

TEMPLATE_DIR = Path(__file__).parent / "templates"
SUPPORTED_LABELS = ("DISEASE", "CHEMICAL")


class NERGenerationTask(GenerationTask):
    """Input: a seed Doc (entity text; label, style, context and sentence forms in
    ``doc._.synthclin_seed``). Output: ``n_sentences`` sentences in which every
    mention of the label is marked ``[[...]]``, parsed to token-aligned spans.

    Markup choice: inline ``[[...]]`` rather than JSON offsets. The model marks
    a mention in the same breath as it writes it, so the span is what it meant
    (no character counting, no ambiguity when a name occurs twice), each line
    stands alone (a truncated answer loses one line, not the whole JSON), and
    the alignment to spaCy tokens can be checked exactly. JSON answers are
    still accepted (strings with markup, or objects with spans/mentions).
    """

    NAME = "synthclin.NERGeneration.v1"
    TEMPLATE_DIR = TEMPLATE_DIR
    TEMPLATE_NAMES = {"markup": "ner_generation", "plain": "ner_generation_plain"}

    def __init__(self, label: str, n_sentences: int, template_version: str, template: Optional[str], mode: str,
                 lang: str, default_style: str, default_context: str,
                 parse_response: Optional[Callable[..., ParseResult]] = None):
        super().__init__(template_version, template, mode, lang, parse_response)
        self._label = label.upper()
        if template is None and self._label not in SUPPORTED_LABELS:
            raise ConfigError(
                f"{self.NAME}: the bundled templates carry annotation guidelines for {', '.join(SUPPORTED_LABELS)} only; "
                f"pass your own `template` for the label {label!r}"
            )
        if n_sentences < 1:
            raise ConfigError(f"{self.NAME}: n_sentences must be >= 1")
        self._n_sentences = n_sentences
        self._default_style = default_style
        self._default_context = default_context

    _cfg_keys = GenerationTask._cfg_keys + ("_label", "_n_sentences", "_default_style", "_default_context")

    @property
    def label(self) -> str:
        return self._label

    @property
    def labels(self):  # lets the llm component report its label
        return (self._label,)

    @property
    def n_sentences(self) -> int:
        return self._n_sentences

    def form_options(self) -> Dict[str, str]:
        return self.templates.options(f"{self._label}_FORMS")

    def mention_free_forms(self) -> List[str]:
        """Forms whose sentence names no entity of the label (an unmarked line is then valid)."""
        return sorted(self.templates.vocab.get("MENTION_FREE_FORMS", []) or [])

    def style_options(self) -> Dict[str, str]:
        return self.templates.options("STYLES")

    def seed_info(self, doc: Doc) -> Dict[str, Any]:
        seed = dict(doc._.synthclin_seed or {})
        seed.setdefault("entity", doc.text)
        seed.setdefault("label", self._label)
        seed.setdefault("index", 0)
        seed.setdefault("style", self._default_style)
        seed.setdefault("context", self._default_context)
        if not seed.get("forms"):
            seed["forms"] = rotate(sorted(self.form_options()), int(seed["index"]), self._n_sentences)
        return seed

    def check_seed(self, seed: Dict[str, Any]) -> None:
        if str(seed["label"]).upper() != self._label:
            raise ConfigError(f"{self.NAME}: seed {seed['entity']!r} has label {seed['label']!r}, the task is for {self._label}")
        if self.template_version.startswith("custom-"):
            return
        styles, forms = self.style_options(), self.form_options()
        check_style(seed, styles, self.template_version)
        unknown = [f for f in seed["forms"] if f not in forms]
        if unknown:
            raise ConfigError(f"unknown sentence form(s) {unknown} for {self._label} (known: {', '.join(forms)})")
        if len(seed["forms"]) != self._n_sentences:
            raise ConfigError(f"seed {seed['entity']!r}: {len(seed['forms'])} forms for {self._n_sentences} sentences")

    def prompt_data(self, seed: Dict[str, Any]) -> Dict[str, Any]:
        return {
            "entity": seed["entity"],
            "label": self._label,
            **sentence_fields(seed),
            "n": self._n_sentences,
        }

    def prompt_meta(self, seed: Dict[str, Any]) -> Dict[str, Any]:
        return {
            "seed": seed["entity"],
            "label": self._label,
            **sentence_fields(seed),
            "n_sentences": self._n_sentences,
            "seed_index": seed["index"],
            "mode": self._mode,
            "mention_free_forms": self.mention_free_forms(),
        }

    def default_parse(self, response: Any, meta: Dict[str, Any]) -> ParseResult:
        return parse_ner_response(response, meta, mode=self._mode, lang=self._lang)

    def form_list(self) -> List[str]:
        return list(self.form_options())
