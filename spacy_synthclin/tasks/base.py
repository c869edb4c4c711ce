"""The shared shape of the generation tasks (spacy-llm task protocol, non-sharding).

A generation task turns one *seed Doc* into one prompt and one response into
many examples. It follows spacy-llm's ``NonshardingLLMTask`` protocol, so it
runs inside the ordinary ``llm`` component with any spacy-llm model:

- ``generate_prompts(docs)`` yields one :class:`~spacy_synthclin.llm.prompt.Prompt`
  per seed Doc (a ``str`` that also carries the task name, template version and
  the conditioning as ``meta``, so cassettes can record them);
- ``parse_responses(docs, responses)`` parses each response with the task's
  parser and stores the examples in ``doc._.synthetic`` and the accounting
  (counts by failure reason, rejected lines, raw response) in
  ``doc._.synthetic_report``. A malformed response never raises: the run
  goes on and every dropped item is counted.

Seed Docs are small (the entity or pair), so prompts never need sharding.
"""
import abc
import hashlib
import random
from pathlib import Path
from typing import Any, Callable, ClassVar, Dict, Iterable, List, Optional, Tuple, cast

import srsly
from spacy import util
from spacy.tokens import Doc

from ..components.extensions import ensure_extensions
from ..llm.prompt import Prompt
from .util.report import ParseResult
from .util.templates import TemplateSet

MODES = ("markup", "plain")


def prompt_key(prompt: str) -> str:
    """Stable id of a rendered prompt (model independent): first 16 hex of sha256."""
    return hashlib.sha256(str(prompt).encode("utf-8")).hexdigest()[:16]


class GenerationTask(abc.ABC):
    NAME: ClassVar[str]  # the registry name, e.g. "synthclin.NERGeneration.v1"
    TEMPLATE_DIR: ClassVar[Path]
    TEMPLATE_NAMES: ClassVar[Dict[str, str]]  # mode -> template file stem

    def __init__(self, template_version: str, template: Optional[str], mode: str, lang: str,
                 parse_response: Optional[Callable[..., ParseResult]] = None):
        if mode not in self.TEMPLATE_NAMES:
            raise ValueError(f"{self.NAME}: mode must be one of {sorted(self.TEMPLATE_NAMES)}, not {mode!r}")
        ensure_extensions()
        self._mode = mode
        self._lang = lang
        self._template_version_arg = template_version
        self._custom_template = template
        self._templates = TemplateSet.bundled_or_custom(self.TEMPLATE_DIR, self.TEMPLATE_NAMES[mode], template_version, template)
        self._parse_response = parse_response

    # --- properties --------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    @property
    def lang(self) -> str:
        return self._lang

    @property
    def template_version(self) -> str:
        """The bundled version ("v1"), or "custom-<sha8>" for a template given in the config."""
        return self._templates.version

    @property
    def prompt_template(self) -> str:
        return self._templates.source

    @property
    def templates(self) -> TemplateSet:
        return self._templates

    # --- to implement ------------------------------------------------------
    @abc.abstractmethod
    def seed_info(self, doc: Doc) -> Dict[str, Any]:
        """The conditioning of a seed Doc (``doc._.synthclin_seed``, with defaults filled in)."""

    @abc.abstractmethod
    def prompt_data(self, seed: Dict[str, Any]) -> Dict[str, Any]:
        """Template variables for a seed."""

    @abc.abstractmethod
    def prompt_meta(self, seed: Dict[str, Any]) -> Dict[str, Any]:
        """What the parser (and a cassette reader) needs to know about the prompt."""

    @abc.abstractmethod
    def default_parse(self, response: Any, meta: Dict[str, Any]) -> ParseResult:
        """Parse one response (never raises on bad model output)."""

    def check_seed(self, seed: Dict[str, Any]) -> None:
        """Raise ConfigError for conditioning ids the template does not describe."""

    # --- spacy-llm protocol ------------------------------------------------
    def render(self, doc: Doc) -> Prompt:
        seed = self.seed_info(doc)
        self.check_seed(seed)
        text = self._templates.render(**self.prompt_data(seed))
        return Prompt(text, task=self.NAME, template_version=self.template_version, meta=self.prompt_meta(seed))

    def generate_prompts(self, docs: Iterable[Doc]) -> Iterable[Prompt]:
        for doc in docs:
            yield self.render(doc)

    def parse(self, response: Any, meta: Dict[str, Any]) -> ParseResult:
        parser = self._parse_response or type(self).default_parse
        result = parser(self, response, meta)
        result.check()
        return result

    def parse_responses(self, docs: Iterable[Doc], responses: Iterable[Any]) -> Iterable[Doc]:
        for doc, response in zip(docs, responses):
            prompt = self.render(doc)
            key = prompt_key(prompt)
            result = self.parse(response, prompt.meta)
            for example in result.examples:
                example.update(task=self.NAME, template_version=self.template_version, prompt_key=key)
            doc._.synthetic = result.examples
            report = result.to_report()
            report.update(prompt_key=key, task=self.NAME, template_version=self.template_version, meta=prompt.meta)
            doc._.synthetic_report = report
            yield doc

    # --- serialisation (as spacy-llm's built-in tasks) ---------------------
    _cfg_keys: ClassVar[Tuple[str, ...]] = ("_mode", "_lang", "_template_version_arg", "_custom_template")

    def get_cfg(self) -> Dict[str, Any]:
        return {key.lstrip("_"): getattr(self, key) for key in self._cfg_keys}

    def set_cfg(self, cfg: Dict[str, Any]) -> None:
        for key in self._cfg_keys:
            name = key.lstrip("_")
            if name in cfg:
                setattr(self, key, cfg[name])
        self._templates = TemplateSet.bundled_or_custom(
            self.TEMPLATE_DIR, self.TEMPLATE_NAMES[self._mode], self._template_version_arg, self._custom_template
        )

    def to_bytes(self, *, exclude: Tuple[str] = cast(Tuple[str], tuple())) -> bytes:
        return util.to_bytes({"cfg": lambda: srsly.json_dumps(self.get_cfg())}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Tuple[str] = cast(Tuple[str], tuple())) -> "GenerationTask":
        util.from_bytes(bytes_data, {"cfg": lambda b: self.set_cfg(srsly.json_loads(b))}, exclude)
        return self

    def to_disk(self, path: Path, *, exclude: Tuple[str] = cast(Tuple[str], tuple())) -> None:
        util.to_disk(path, {"cfg": lambda p: srsly.write_json(p, self.get_cfg())}, exclude)

    def from_disk(self, path: Path, *, exclude: Tuple[str] = cast(Tuple[str], tuple())) -> "GenerationTask":
        util.from_disk(path, {"cfg": lambda p: self.set_cfg(srsly.read_json(p))}, exclude)
        return self


def pick(options: List[Any], index: int, salt: str) -> Any:
    """A deterministic, well-spread choice from ``options`` for a seed index.

    Used for conditioning that should not be locked to another choice made by
    ``index % k`` (e.g. the context, when the style already cycles by index).
    """
    if not options:
        raise ValueError(f"no options to choose from for {salt!r}")
    digest = hashlib.sha256(f"{salt}:{index}".encode("utf-8")).digest()
    return options[int.from_bytes(digest[:8], "big") % len(options)]


def rotate(options: List[Any], index: int, k: int) -> List[Any]:
    """``k`` distinct options for a seed index, every option used (about) equally often.

    Position ``index * k + j`` walks through the options cycle after cycle; each
    cycle visits every option once, in an order shuffled per cycle (seeded by
    the cycle number), so usage stays balanced while the combinations and their
    order keep changing from prompt to prompt.
    """
    if not options:
        return []
    n = len(options)
    out: List[Any] = []
    for j in range(k):
        cycle, offset = divmod(index * k + j, n)
        choice = _cycle_order(options, cycle)[offset]
        if choice in out:  # a window that spans two cycles may meet an option again
            choice = next((o for o in _cycle_order(options, cycle) if o not in out), choice)
        out.append(choice)
    return out


def _cycle_order(options: List[Any], cycle: int) -> List[Any]:
    order = list(options)
    random.Random(f"synthclin-rotate:{cycle}").shuffle(order)
    return order
