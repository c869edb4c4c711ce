"""Load a zero-/few-shot config, guard its endpoints, run it on a fixed sample and score it.

A baseline config is an ordinary spaCy/spacy-llm config: a blank ``[nlp]``
whose ``llm`` component runs ``spacy.NER.v3`` or ``spacy.REL.v1`` (REL adds
``synthclin_llm_rel_scores`` after it), with ``synthclin.Replay.v1`` reading a
cassette as its default model. ``[synthclin]`` holds the rest: the sample
size and seed, the bootstrap settings, ``allow_remote`` and alternative
backends under ``[synthclin.backends.<name>]`` (``--backend`` swaps one in,
as in the generation configs).

Order of a run: overrides -> backend swap -> privacy guard on every endpoint
of every ``llm`` model (nothing is built or connected before it passes) ->
build -> read the test split -> sample -> ``evaluate_ner`` / ``evaluate_rel``
(the scorers of ``synthclin evaluate``) -> bootstrap CI from the per-document
counts of that same pass.
"""
import copy
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

import spacy
from confection import Config
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..components.extensions import ensure_extensions
from ..corpora.readers import read_docs
from ..errors import ConfigError, SynthclinError
from ..evaluate.ner import _spans, copy_words, evaluate_ner
from ..evaluate.rel import REL_LABEL, default_threshold, evaluate_rel
from ..llm.cassette import export_prompts, iter_task_prompts, prompt_sha256
from ..llm.privacy import check_model_block
from ..llm.prompt import Prompt
from ..pipeline_config import PROMPTS_ONLY, llm_components, set_dotted, swap_backend  # noqa: F401  (PROMPTS_ONLY: for the CLI)
from . import components, examples  # noqa: F401  (registers the factory and the llm_misc functions)
from .bootstrap import DEFAULT_LEVEL, DEFAULT_RESAMPLES, bootstrap_f1
from .sample import DEFAULT_N, DEFAULT_SEED, sample_indices
from .validation import NER_TASK, REL_TASK

LLM_COMPONENT = "llm"
KINDS = {"ner": NER_TASK, "rel": REL_TASK}


@dataclass
class ZeroShotSettings:
    kind: str  # "ner" | "rel"
    values: Dict[str, Any]
    config_path: Path
    backend: str = ""
    allow_remote: bool = False
    endpoints: List[str] = field(default_factory=list)
    # from the config's own [components.llm.model], before any --backend swap: the cassette key
    # model name and the cassette, for --export-prompts
    model_name: Optional[str] = None
    cassette: Optional[str] = None

    @property
    def task_name(self) -> str:
        return KINDS[self.kind]

    @property
    def mode(self) -> str:
        return str(self.values.get("mode") or "zeroshot")

    @property
    def label(self) -> Optional[str]:
        return self.values.get("label") or None

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value


def _kind_of(task: Any, config_path: Path) -> str:
    from spacy_llm.tasks.ner.task import NERTask
    from spacy_llm.tasks.rel.task import RELTask

    if isinstance(task, NERTask):
        return "ner"
    if isinstance(task, RELTask):
        return "rel"
    raise ConfigError(f"{config_path}: the llm task must be spacy.NER.v3 or spacy.REL.v1, not {type(task).__name__}")


def load_zeroshot_pipeline(config_path: Path, overrides: Optional[Dict[str, Any]] = None,
                           allow_remote: bool = False) -> Tuple[Language, ZeroShotSettings]:
    """Build the pipeline of a baseline config, after the privacy guard has passed.

    ``overrides``: dotted keys to values (``"synthclin.llm.base_url"``); ``"synthclin.backend"``
    names a block of ``[synthclin.backends]`` (or ``"prompts_only"``) that becomes the model of
    every ``llm`` component. ``allow_remote`` (or ``synthclin.allow_remote = true`` in the
    config) lifts the guard.
    """
    ensure_extensions()
    config_path = Path(config_path)
    if not config_path.exists():
        raise ConfigError(f"zero-shot config {config_path} not found")
    try:
        raw: Dict[str, Any] = dict(spacy.util.load_config(config_path, interpolate=False))
    except Exception as err:  # confection's parse errors name the section, not the file
        raise ConfigError(f"{config_path}: cannot read the config: {err}") from None
    for key, value in (overrides or {}).items():
        set_dotted(raw, key, value)
    synth = raw.get("synthclin")
    if not isinstance(synth, dict):
        raise ConfigError(f"{config_path}: a zero-shot config needs a [synthclin] section")
    names = llm_components(raw)
    if LLM_COMPONENT not in names:
        raise ConfigError(f"{config_path}: the pipeline needs an llm component named {LLM_COMPONENT!r}")
    try:
        configured = Config(copy.deepcopy(raw)).interpolate()["components"][LLM_COMPONENT].get("model", {})
    except Exception as err:
        raise ConfigError(f"{config_path}: cannot interpolate the config: {err}") from None
    backend = str(synth.get("backend", "") or "")
    if backend:
        swap_backend(raw, synth, backend, names, where=f"{config_path}: ")
    interpolated = Config(copy.deepcopy(raw)).interpolate()
    allow = bool(allow_remote or interpolated["synthclin"].get("allow_remote"))
    # The guard: every endpoint of every llm model, before anything is built (so nothing connects).
    checked: List[str] = []
    for name in names:
        checked += check_model_block(interpolated["components"][name].get("model") or {}, allow_remote=allow,
                                     path=f"components.{name}.model", what="real corpus text")
    from ..tasks.runner import prompts_only_v1  # noqa: F401  (registers synthclin.PromptsOnly.v1)
    try:
        nlp = spacy.util.load_model_from_config(Config(raw), auto_fill=True, validate=True)
    except SynthclinError:
        raise
    except Exception as err:  # config validation and registry errors: show them plainly
        raise ConfigError(f"{config_path}: cannot build the zero-shot pipeline: {err}") from None
    values = dict(nlp.config.interpolate().get("synthclin", {}))
    kind = _kind_of(nlp.get_pipe(LLM_COMPONENT).task, config_path)
    if kind == "rel" and not any(nlp.get_pipe_meta(n).factory == "synthclin_llm_rel_scores" for n in nlp.pipe_names):
        raise ConfigError(f"{config_path}: a spacy.REL.v1 baseline needs a synthclin_llm_rel_scores component after the llm")
    settings = ZeroShotSettings(kind=kind, values=values, config_path=config_path, backend=backend, allow_remote=allow,
                                endpoints=checked, model_name=configured.get("model"), cassette=configured.get("path"))
    return nlp, settings


# --- the sample ---------------------------------------------------------------------------


def read_sample(nlp: Language, settings: ZeroShotSettings, data: Path, n: Optional[int] = None,
                seed: Optional[int] = None) -> Tuple[List[Doc], List[int], int]:
    """(sampled gold Docs, their indices in the file, number of Docs in the file)."""
    n = int(settings.get("n", DEFAULT_N) if n is None else n)
    seed = int(settings.get("seed", DEFAULT_SEED) if seed is None else seed)
    if n < 0:
        raise ConfigError("--n must be >= 0 (0 = the whole split)")
    gold = list(read_docs(data, nlp, settings.kind, label=scored_label(nlp, settings)))
    indices = sample_indices(len(gold), n, seed)
    return [gold[i] for i in indices], indices, len(gold)


def scored_label(nlp: Language, settings: ZeroShotSettings) -> Optional[str]:
    if settings.kind != "ner":
        return None
    if settings.label:
        return settings.label
    labels = list(getattr(nlp.get_pipe(LLM_COMPONENT).task, "labels", ()) or [])
    if len(labels) != 1:
        raise ConfigError(f"{settings.config_path}: the NER task has labels {labels}; set synthclin.label to the one to score")
    return labels[0]


def input_doc(gold: Doc, kind: str) -> Doc:
    """What the pipeline sees for a gold Doc: exactly what evaluate_ner / evaluate_rel feed it."""
    doc = copy_words(gold)
    if kind == "rel":
        doc.ents = [Span(doc, e.start, e.end, label=e.label_) for e in gold.ents]
    return doc


def rendered_prompts(nlp: Language, settings: ZeroShotSettings, sample: List[Doc], indices: List[int],
                     seed: int, data: Path) -> Iterator[Prompt]:
    """The prompts the llm component sends for the sample, named by task, with where each came from."""
    pipe = nlp.get_pipe(LLM_COMPONENT)
    context_length = getattr(pipe._model, "context_length", None)
    version = settings.task_name.rsplit(".", 1)[-1]
    for gold, index in zip(sample, indices):
        for shard, text in enumerate(iter_task_prompts(pipe.task, [input_doc(gold, settings.kind)], context_length)):
            meta = {"baseline": settings.mode, "kind": settings.kind, "data": Path(data).as_posix(),
                    "doc_index": index, "sample_seed": seed}
            if shard:
                meta["shard"] = shard
            yield Prompt(str(text), task=settings.task_name, template_version=version, meta=meta)


def export_sample_prompts(nlp: Language, settings: ZeroShotSettings, data: Path, out: Path, n: Optional[int] = None,
                          seed: Optional[int] = None, cassette: Optional[str] = None,
                          model: Optional[str] = None) -> Dict[str, Any]:
    """Write the sample's prompts that the cassette lacks to ``out`` (the `synthclin prompts import` format)."""
    seed = int(settings.get("seed", DEFAULT_SEED) if seed is None else seed)
    model_name = model or settings.model_name
    if not model_name:
        raise ConfigError(f"{settings.config_path}: its llm model names no `model` for the cassette keys")
    cassette = cassette or settings.cassette
    sample, indices, total = read_sample(nlp, settings, data, n, seed)
    result = export_prompts(rendered_prompts(nlp, settings, sample, indices, seed, data), cassette, model_name, out)
    result.update(task=settings.kind, mode=settings.mode, llm_task=settings.task_name, n=len(sample), n_total=total,
                  sample_seed=seed, model=model_name, cassette=str(cassette) if cassette else None)
    return result


# --- the run ------------------------------------------------------------------------------


def _per_doc_counts(kind: str, golds: List[Doc], preds: List[Doc], label: Optional[str],
                    threshold: float) -> List[Tuple[int, int, int]]:
    """(tp, fp, fn) per document, counted the way evaluate_ner / evaluate_rel count them."""
    counts = []
    for gold, pred in zip(golds, preds):
        if kind == "ner":
            g, p = _spans(gold, label), _spans(pred, label)
            counts.append((len(g & p), len(p - g), len(g - p)))
            continue
        tp = fp = fn = 0
        for pair, labels in (gold._.rel or {}).items():
            truth = labels.get(REL_LABEL, 0.0) >= 0.5
            guess = ((pred._.rel or {}).get(pair) or {}).get(REL_LABEL, 0.0) >= threshold
            tp += truth and guess
            fp += guess and not truth
            fn += truth and not guess
        counts.append((tp, fp, fn))
    return counts


def _answered_by(model: Any, prompts: List[str]) -> Tuple[Counter, int]:
    """Who wrote each answer (from the cassette entries) and how many prompts have none there."""
    names: Counter = Counter()
    missing = 0
    lookup = getattr(model, "lookup", None)
    if not callable(lookup):  # a live backend: the server's model answered
        names[str(getattr(model, "model_name", "") or type(model).__name__)] += len(prompts)
        return names, 0
    for prompt in prompts:
        entry = lookup(prompt_sha256(model.model_name, prompt))
        if entry is None:
            missing += 1
        else:
            names[str(entry.get("answered_by") or entry.get("model") or "?")] += 1
    return names, missing


def run_zeroshot(
    nlp: Language,
    settings: ZeroShotSettings,
    data: Path,
    n: Optional[int] = None,
    seed: Optional[int] = None,
    errors_path: Optional[Path] = None,
    batch_size: Optional[int] = None,
    progress: Optional[Callable[..., Iterable[Any]]] = None,
    log: Callable[[str], None] = lambda msg: None,
) -> Dict[str, Any]:
    """Annotate the sample with the LLM, score it with the evaluate/ scorers, bootstrap F1."""
    seed = int(settings.get("seed", DEFAULT_SEED) if seed is None else seed)
    sample, indices, total = read_sample(nlp, settings, data, n, seed)
    if not sample:
        raise SynthclinError(f"{data}: no documents to evaluate")
    label = scored_label(nlp, settings)
    log(f"ℹ {settings.mode} {settings.kind} ({settings.task_name}) on {len(sample)} of {total} documents of {data} "
        f"(sample seed {seed})")
    preds: List[Doc] = []

    def capture(docs: Iterable[Doc]) -> Iterator[Doc]:
        # evaluate_* hands its predictions through here: kept for the per-document bootstrap
        if progress is not None:
            docs = progress(docs, desc=f"{settings.mode} {settings.kind}", total=len(sample), unit="doc")
        for doc in docs:
            preds.append(doc)
            yield doc

    batch_size = int(batch_size or settings.get("batch_size", 32))
    try:
        if settings.kind == "ner":
            result = evaluate_ner(nlp, sample, label=label, batch_size=batch_size, errors_path=errors_path, progress=capture)
            threshold = 0.5
        else:
            result = evaluate_rel(nlp, sample, batch_size=batch_size, errors_path=errors_path, progress=capture)
            threshold = float(result["threshold"]) if "threshold" in result else default_threshold(nlp)
    except SynthclinError as err:
        if str(err).startswith("Cassette miss"):
            raise SynthclinError(
                f"{err} For a zero-shot config, list the missing prompts with `synthclin zeroshot {settings.kind} "
                f"{data} --config {settings.config_path} --export-prompts missing.jsonl`, answer them and "
                f"`synthclin prompts import ANSWERS.jsonl --cassette {settings.cassette}`."
            ) from None
        raise
    counts = _per_doc_counts(settings.kind, sample, preds, label, threshold)
    summed = [sum(c[i] for c in counts) for i in range(3)]
    if settings.kind == "ner":
        scorer = [result["tp"], result["n_pred"] - result["tp"], result["n_gold"] - result["tp"]]
    else:
        scorer = [result["tp"], result["fp"], result["fn"]]
    if len(preds) != len(sample) or summed != scorer:  # the bootstrap must resample what the scorer counted
        raise SynthclinError(f"internal: per-document counts {summed} disagree with the scorer's {scorer}")
    model = nlp.get_pipe(LLM_COMPONENT)._model
    prompts = list(rendered_prompts(nlp, settings, sample, indices, seed, data))
    names, unanswered = _answered_by(model, prompts)
    if unanswered:  # on_miss = "export" answers "" for these: a score over them would be a silent zero
        raise SynthclinError(f"{unanswered} of {len(prompts)} prompts have no recorded answer (on_miss = "
                             f"{getattr(model, 'on_miss', '?')!r}); answer and import them before scoring")
    ci = bootstrap_f1(counts, n_resamples=int(settings.get("bootstrap_resamples", DEFAULT_RESAMPLES)),
                      seed=int(settings.get("bootstrap_seed", 0)), level=float(settings.get("ci_level", DEFAULT_LEVEL)))
    out: Dict[str, Any] = {
        "task": settings.kind,
        "p": result["p"], "r": result["r"], "f": result["f"],
        "f_ci_low": ci["f_ci_low"], "f_ci_high": ci["f_ci_high"],
        "n": len(sample),
        "model": settings.model_name or getattr(model, "model_name", None),
        "answered_by": " + ".join(sorted(names)),
        "answered_by_counts": dict(sorted(names.items())),
        "mode": settings.mode,
        "llm_task": settings.task_name,
        "ci_level": ci["level"], "n_resamples": ci["n_resamples"], "bootstrap_seed": int(settings.get("bootstrap_seed", 0)),
        "n_total": total, "sample_seed": seed,
    }
    for key in ("label", "n_gold", "n_pred", "tp", "fp", "fn", "tn", "accuracy", "threshold"):
        if key in result:
            out[key] = result[key]
    if label:
        out["label"] = label
    if settings.kind == "rel":
        out["n_pairs"] = result["n"]
    usage = getattr(model, "usage_report", None)
    if callable(usage):
        out["usage"] = usage()
    out.update(backend=settings.backend or "config", endpoints=settings.endpoints, allow_remote=settings.allow_remote,
               config=str(settings.config_path), data=str(data))
    return out
