"""RE generation: sentences that assert (label 1) or do not assert (label 0) a gene-disease association."""
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from spacy.tokens import Doc

from ...errors import ConfigError
from ..base import GenerationTask, rotate
from ..util.report import ParseResult
from ..util.sentences import check_style, sentence_fields
from .parser import parse_rel_response

TEMPLATE_DIR = Path(__file__).parent / "templates"


class RELGenerationTask(GenerationTask):
    """Input: a seed Doc for a gene-disease pair (``doc._.synthclin_seed`` holds
    gene, disease, target label, style, context and sentence forms). Output:
    ``n_sentences`` sentences with the gene marked ``[[G:...]]`` and the disease
    ``[[D:...]]``, stating the association (target 1) or mentioning both
    without asserting one (target 0: no association found, different disease,
    gene studied for another reason, ...).

    Typed inline marks rather than JSON, for the reasons given in
    :class:`~spacy_synthclin.tasks.ner_generation.task.NERGenerationTask`;
    exactly one mark of each type, so a converter can mask them GAD-style.
    """

    NAME = "synthclin.RELGeneration.v1"
    TEMPLATE_DIR = TEMPLATE_DIR
    TEMPLATE_NAMES = {"markup": "rel_generation", "plain": "rel_generation_plain"}

    def __init__(self, n_sentences: int, template_version: str, template: Optional[str], mode: str, lang: str,
                 default_style: str, default_context: str,
                 parse_response: Optional[Callable[..., ParseResult]] = None):
        super().__init__(template_version, template, mode, lang, parse_response)
        if n_sentences < 1:
            raise ConfigError(f"{self.NAME}: n_sentences must be >= 1")
        self._n_sentences = n_sentences
        self._default_style = default_style
        self._default_context = default_context

    _cfg_keys = GenerationTask._cfg_keys + ("_n_sentences", "_default_style", "_default_context")

    @property
    def n_sentences(self) -> int:
        return self._n_sentences

    def form_options(self, target: int) -> Dict[str, str]:
        return self.templates.options("POSITIVE_FORMS" if int(target) == 1 else "NEGATIVE_FORMS")

    def mismarked_forms(self) -> Dict[str, str]:
        """Negative forms whose gene or disease mark is deliberately not on the seed (form -> "gene"/"disease")."""
        return self.templates.options("MISMARKED_FORMS")

    def repeated_forms(self) -> Dict[str, str]:
        """Positive forms that name the gene or the disease twice, one mention marked (form -> "gene"/"disease")."""
        return self.templates.options("REPEATED_FORMS")

    def style_options(self) -> Dict[str, str]:
        return self.templates.options("STYLES")

    def seed_info(self, doc: Doc) -> Dict[str, Any]:
        seed = dict(doc._.synthclin_seed or {})
        if "gene" not in seed or "disease" not in seed:
            # A bare Doc "GENE<TAB>disease" (e.g. nlp("BRCA1\tbreast cancer")) works too.
            parts = doc.text.split("\t")
            if len(parts) != 2:
                raise ConfigError(f"{self.NAME}: seed Doc {doc.text!r} has no gene/disease (expected 'GENE<TAB>disease')")
            seed.setdefault("gene", parts[0].strip())
            seed.setdefault("disease", parts[1].strip())
        seed.setdefault("index", 0)
        seed.setdefault("target_label", 1 if int(seed["index"]) % 2 == 0 else 0)
        seed.setdefault("style", self._default_style)
        seed.setdefault("context", self._default_context)
        if not seed.get("forms"):
            seed["forms"] = rotate(sorted(self.form_options(seed["target_label"])), int(seed["index"]) // 2, self._n_sentences)
        return seed

    def check_seed(self, seed: Dict[str, Any]) -> None:
        if int(seed["target_label"]) not in (0, 1):
            raise ConfigError(f"target label must be 0 or 1, not {seed['target_label']!r}")
        if self.template_version.startswith("custom-"):
            return
        styles, forms = self.style_options(), self.form_options(seed["target_label"])
        check_style(seed, styles, self.template_version)
        unknown = [f for f in seed["forms"] if f not in forms]
        if unknown:
            kind = "positive" if int(seed["target_label"]) == 1 else "negative"
            raise ConfigError(f"unknown {kind} sentence form(s) {unknown} (known: {', '.join(forms)})")
        if len(seed["forms"]) != self._n_sentences:
            raise ConfigError(f"pair {seed['gene']}/{seed['disease']}: {len(seed['forms'])} forms for {self._n_sentences} sentences")

    def prompt_data(self, seed: Dict[str, Any]) -> Dict[str, Any]:
        return {
            "gene": seed["gene"],
            "disease": seed["disease"],
            "target": int(seed["target_label"]),
            **sentence_fields(seed),
            "n": self._n_sentences,
        }

    def prompt_meta(self, seed: Dict[str, Any]) -> Dict[str, Any]:
        return {
            "gene": seed["gene"],
            "disease": seed["disease"],
            "target_label": int(seed["target_label"]),
            **sentence_fields(seed),
            "n_sentences": self._n_sentences,
            "pair_index": seed["index"],
            "mode": self._mode,
            "mismarked_forms": self.mismarked_forms(),
            "repeated_forms": self.repeated_forms(),
        }

    def default_parse(self, response: Any, meta: Dict[str, Any]) -> ParseResult:
        return parse_rel_response(response, meta, mode=self._mode, lang=self._lang)
