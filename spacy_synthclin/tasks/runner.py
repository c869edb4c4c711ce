"""Load a generation config, build seed Docs, and run a resumable generation.

A generation config is an ordinary spaCy/spacy-llm config: a blank ``[nlp]``
with an ``llm`` component whose task is one of ours and whose model is, by
default, ``synthclin.Replay.v1`` reading a committed cassette. A
``[synthclin]`` section holds what is not a component: where the seeds are,
the conditioning vocabularies, the filters, and alternative backends under
``[synthclin.backends.<name>]``; ``synthclin.backend = "<name>"`` (or the
CLI's ``--backend``) swaps that block in as the model of every ``llm``
component. ``prompts_only`` is built in: a model that refuses to be called,
for rendering prompts without any backend or cassette.

Output of :func:`run_generation` for ``OUT.jsonl``:
- ``OUT.jsonl``: kept examples, one JSON object per line;
- ``OUT.ledger.jsonl``: one line per finished prompt (key, counts by reason,
  the raw response when anything failed) -- this is what makes a restart
  skip finished prompts and what the final counts are summed from;
- ``OUT.rejected.jsonl``: every dropped line or example with its reason.
"""
import copy
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

import spacy
from confection import Config
from spacy.language import Language
from spacy.tokens import Doc
from spacy_llm.registry import registry as llm_registry

from ..components.extensions import ensure_extensions
from ..errors import ConfigError, SynthclinError
from ..filters.balance import balance_plan, positive_fraction
from ..filters.chain import FilterChain, FilterSettings
from ..llm.prompt import Prompt
from ..pipeline_config import PROMPTS_ONLY, llm_components, set_dotted, swap_backend  # noqa: F401  (PROMPTS_ONLY: for the CLI)
from .base import GenerationTask, prompt_key
from .ner_generation.task import NERGenerationTask
from .rel_generation.parser import DISEASE_LABEL, GENE_LABEL, disease_matches, gene_matches
from .rel_generation.task import RELGenerationTask
from .seed_proposal.task import SeedProposalTask
from .seeds import iter_category_seeds, iter_ner_seeds, iter_rel_seeds
from .util.report import FILTER_REASONS, REASONS
from .util.spans import unmarked_occurrence

LLM_COMPONENT = "llm"
DEFAULT_SEED_FILES = {"disease": "disease.txt", "chemical": "chemical.txt", "gene_disease": "gene_disease.tsv"}


class PromptsOnlyModel:
    """A model for rendering prompts only (``synthclin prompts export``): calling it is an error."""

    context_length = 1_000_000  # renders only; no shard limit (and no warning from sharding tasks)

    def __call__(self, prompts: Iterable[Iterable[str]]) -> Iterable[Iterable[str]]:
        raise SynthclinError(
            "this pipeline was loaded with backend 'prompts_only' (for rendering prompts); "
            "choose a backend (e.g. --backend record) to generate"
        )


@llm_registry.llm_models("synthclin.PromptsOnly.v1")
def prompts_only_v1() -> Callable[[Iterable[Iterable[str]]], Iterable[Iterable[str]]]:
    return PromptsOnlyModel()


# --- configuration ------------------------------------------------------------


@dataclass
class GenerationSettings:
    """The ``[synthclin]`` section (interpolated) and what the pipeline implies."""

    kind: str  # "ner" | "rel" | "seeds"
    values: Dict[str, Any]
    config_path: Optional[Path] = None
    backend: str = ""
    filters: FilterSettings = field(default_factory=FilterSettings)
    # From the config's own [components.llm.model] (before any --backend swap): the model
    # name in the cassette keys and the cassette path, for `synthclin prompts export/import`.
    model_name: Optional[str] = None
    cassette: Optional[str] = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def batch_size(self) -> int:
        return int(self.values.get("batch_size", 32) or 32)

    @property
    def annotators(self) -> List[str]:
        return list(self.values.get("annotators") or [])


def load_generation_pipeline(config_path: Path, overrides: Optional[Dict[str, Any]] = None) -> Tuple[Language, GenerationSettings]:
    """Build the generation pipeline of a config file.

    ``overrides``: dotted keys (``"paths.cassette"``, ``"synthclin.max_seeds"``)
    to values; a dict value replaces a whole section (e.g.
    ``{"components.llm.model": {"@llm_models": ...}}``).
    ``"synthclin.backend"`` names a block of ``[synthclin.backends]`` (or
    ``"prompts_only"``) that becomes the model of every ``llm`` component.
    """
    ensure_extensions()
    config_path = Path(config_path)
    if not config_path.exists():
        raise ConfigError(f"generation config {config_path} not found")
    config = spacy.util.load_config(config_path, interpolate=False)
    raw: Dict[str, Any] = dict(config)
    for key, value in (overrides or {}).items():
        set_dotted(raw, key, value)
    synth = raw.get("synthclin")
    if not isinstance(synth, dict):
        raise ConfigError(f"{config_path}: a generation config needs a [synthclin] section")
    backend = str(synth.get("backend", "") or "")
    try:
        configured = Config(copy.deepcopy(raw)).interpolate().get("components", {}).get(LLM_COMPONENT, {}).get("model", {})
    except Exception:  # a broken config is reported below by spaCy itself
        configured = {}
    if backend:
        swap_backend(raw, synth, backend, llm_components(raw))
    config = Config(raw)
    try:
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except SynthclinError:
        raise
    except Exception as err:  # config validation and registry errors: show them plainly
        raise ConfigError(f"{config_path}: cannot build the generation pipeline: {err}") from None
    if LLM_COMPONENT not in nlp.pipe_names:
        raise ConfigError(f"{config_path}: the pipeline needs an enabled component named {LLM_COMPONENT!r}")
    values = dict(nlp.config.interpolate().get("synthclin", {}))
    task = nlp.get_pipe(LLM_COMPONENT).task
    if isinstance(task, NERGenerationTask):
        kind = "ner"
    elif isinstance(task, RELGenerationTask):
        kind = "rel"
    elif isinstance(task, SeedProposalTask):
        kind = "seeds"
    else:
        raise ConfigError(f"{config_path}: the llm task must be a synthclin generation task, not {type(task).__name__}")
    filters = FilterSettings.from_dict(values.get("filters"))
    settings = GenerationSettings(kind=kind, values=values, config_path=config_path, backend=backend, filters=filters,
                                  model_name=configured.get("model"), cassette=configured.get("path"))
    for name in settings.annotators:
        if name not in nlp.component_names:
            raise ConfigError(f"{config_path}: annotator component {name!r} is not in the pipeline")
    if task.mode == "plain" and not settings.annotators:
        raise ConfigError(f"{config_path}: plain (generate-then-annotate) mode needs `annotators` in [synthclin]")
    return nlp, settings


def generation_task(nlp: Language) -> GenerationTask:
    return nlp.get_pipe(LLM_COMPONENT).task


# --- seeds --------------------------------------------------------------------


def iter_seed_docs(nlp: Language, settings: GenerationSettings, n: Optional[int] = None) -> Iterator[Doc]:
    """Seed Docs in a fixed order, each with its conditioning in ``doc._.synthclin_seed``.

    ``n`` takes the first n seeds (after ``max_seeds``); the same config and n
    always give the same Docs, hence the same prompts.
    """
    ensure_extensions()
    task = generation_task(nlp)
    values = settings.values
    if settings.kind == "ner":
        assert isinstance(task, NERGenerationTask)
        seeds: Iterable[Dict[str, Any]] = iter_ner_seeds(values, task.label, task.n_sentences, n)
        text_of: Callable[[Dict[str, Any]], str] = lambda s: s["entity"]
    elif settings.kind == "rel":
        assert isinstance(task, RELGenerationTask)
        seeds = iter_rel_seeds(values, task.n_sentences, n)
        text_of = lambda s: f"{s['gene']}\t{s['disease']}"
    else:
        seeds = iter_category_seeds(values, n)
        text_of = lambda s: s["category"]
    for seed in seeds:
        doc = nlp.make_doc(text_of(seed))
        doc._.synthclin_seed = seed
        yield doc


def iter_prompts(nlp: Language, settings: GenerationSettings, n: Optional[int] = None) -> Iterator[Prompt]:
    """The rendered prompts of a config, in seed order (for export; no backend is called)."""
    task = generation_task(nlp)
    for doc in iter_seed_docs(nlp, settings, n):
        yield task.render(doc)


# --- output files -------------------------------------------------------------


@dataclass
class OutputFiles:
    examples: Path
    ledger: Path
    rejected: Path

    @classmethod
    def for_out(cls, out: Path, kind: str) -> "OutputFiles":
        out = Path(out)
        if kind == "seeds" and not out.name.endswith(".jsonl"):
            out = out / "seeds.jsonl"
        stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
        return cls(out, out.with_name(stem + ".ledger.jsonl"), out.with_name(stem + ".rejected.jsonl"))


def _repair_tail(path: Path) -> None:
    """Cut a partial last line left by an interrupted write."""
    if not path.exists() or path.stat().st_size == 0:
        return
    data = path.read_bytes()
    if data.endswith(b"\n"):
        return
    cut = data.rfind(b"\n") + 1
    with path.open("r+b") as fh:
        fh.truncate(cut)


def _read_jsonl(path: Path) -> Iterator[Dict[str, Any]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _rewrite(path: Path, records: Iterable[Dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


# --- generate-then-annotate -----------------------------------------------------


def _annotate_ner(nlp: Language, settings: GenerationSettings, task: NERGenerationTask, doc: Doc) -> None:
    """Plain sentences -> spans from the annotator (spacy.NER.v3); failures counted like parse failures."""
    examples = list(doc._.synthetic or [])
    report = doc._.synthetic_report
    annotator = nlp.get_pipe(settings.annotators[0])
    sentence_docs = [nlp.make_doc(ex["text"]) for ex in examples]
    kept = []
    for ex, sdoc in zip(examples, annotator.pipe(sentence_docs)):
        ents = [e for e in sdoc.ents if e.label_ == task.label]
        spans = [(e.start_char, e.end_char) for e in ents]
        reason = None
        if not ents:
            reason = "annotator_no_entity"
        elif unmarked_occurrence(ex["text"], spans, [ex["seed"]]) is not None:
            reason = "unmarked_mention"
        if reason:
            _move_to_failed(report, reason, ex["text"])
            continue
        ex["spans"] = [{"start": s, "end": e, "label": task.label} for s, e in spans]
        ex["annotated_by"] = settings.annotators[0]
        kept.append(ex)
    doc._.synthetic = kept


def _annotate_rel(nlp: Language, settings: GenerationSettings, doc: Doc) -> None:
    """Plain sentences -> GENE/DISEASE (spacy.NER.v3) + ASSOCIATED (spacy.REL.v1); label from the annotator."""
    if len(settings.annotators) != 2:
        raise ConfigError("relation generate-then-annotate needs two annotators: [NER component, REL component]")
    examples = list(doc._.synthetic or [])
    report = doc._.synthetic_report
    ner, rel = (nlp.get_pipe(name) for name in settings.annotators)
    sentence_docs = list(ner.pipe([nlp.make_doc(ex["text"]) for ex in examples]))
    pairs: List[Optional[Tuple[int, int]]] = []
    for ex, sdoc in zip(examples, sentence_docs):
        gi = next((i for i, e in enumerate(sdoc.ents) if e.label_ == GENE_LABEL and gene_matches(e.text, ex["gene"])), None)
        di = next((i for i, e in enumerate(sdoc.ents) if e.label_ == DISEASE_LABEL and disease_matches(e.text, ex["disease"])), None)
        pairs.append((gi, di) if gi is not None and di is not None else None)
    with_pair = [sdoc for sdoc, pair in zip(sentence_docs, pairs) if pair is not None]
    rel_docs = iter(list(rel.pipe(with_pair)))
    kept = []
    for ex, sdoc, pair in zip(examples, sentence_docs, pairs):
        if pair is None:
            _move_to_failed(report, "annotator_no_pair", ex["text"])
            continue
        rdoc = next(rel_docs)
        gi, di = pair
        items = rdoc._.rel or []
        asserted = any({item.dep, item.dest} == {gi, di} and item.relation.upper() == "ASSOCIATED" for item in items)
        g, d = rdoc.ents[gi], rdoc.ents[di]
        ex["spans"] = [
            {"start": g.start_char, "end": g.end_char, "label": GENE_LABEL},
            {"start": d.start_char, "end": d.end_char, "label": DISEASE_LABEL},
        ]
        ex["label"] = 1 if asserted else 0
        ex["annotated_by"] = "+".join(settings.annotators)
        kept.append(ex)
    doc._.synthetic = kept


def _move_to_failed(report: Dict[str, Any], reason: str, line: str) -> None:
    report["parsed"] -= 1
    report["failed"][reason] = report["failed"].get(reason, 0) + 1
    report["failures"].append({"reason": reason, "line": line, "detail": "generate-then-annotate"})


# --- the run ------------------------------------------------------------------


def _seed_summary(doc: Doc) -> Dict[str, Any]:
    seed = dict(doc._.synthclin_seed or {})
    return {k: seed[k] for k in ("index", "entity", "gene", "disease", "target_label", "category", "entity_type", "style") if k in seed}


def _add(total: Dict[str, int], part: Dict[str, int]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + int(value)


def run_generation(
    nlp: Language,
    settings: GenerationSettings,
    out: Path,
    n: Optional[int] = None,
    progress: Optional[Callable[..., Iterable[Any]]] = None,
    log: Callable[[str], None] = lambda msg: None,
) -> Dict[str, Any]:
    """Generate, parse, filter and append to ``out``; skip prompts that are already done.

    Returns the summary over the whole output (this run and earlier ones):
    prompts, requested, parsed, kept, extra, failed (by reason), filtered (by
    reason), and how many prompts were skipped as done / run now.
    """
    task = generation_task(nlp)
    files = OutputFiles.for_out(Path(out), settings.kind)
    files.examples.parent.mkdir(parents=True, exist_ok=True)
    for path in (files.examples, files.ledger, files.rejected):
        _repair_tail(path)

    ledger = list(_read_jsonl(files.ledger))
    for record in ledger:
        if record.get("type") == "prompt" and record.get("task") != task.NAME:
            raise SynthclinError(f"{files.ledger} was written by {record.get('task')}, not {task.NAME}: use another --out")
    latest = _latest_records(ledger)
    # A prompt is done unless its last answer was empty (a backend that answered "" for a
    # prompt it did not have, e.g. Replay with on_miss = "export"): those run again.
    done = {key for key, r in latest.items() if not r.get("retry")}
    # Examples whose ledger line never got written (interrupted between the two writes) are removed
    # and their prompt is run again: the counts and the examples always agree.
    existing = list(_read_jsonl(files.examples))
    orphans = [e for e in existing if e.get("prompt_key") not in done]
    if orphans:
        existing = [e for e in existing if e.get("prompt_key") in done]
        _rewrite(files.examples, existing)
        log(f"removed {len(orphans)} examples of an unfinished prompt; it will run again")

    chain = FilterChain(settings.filters, lang=task.lang, sentences=settings.kind != "seeds")
    for example in existing:
        chain.prime(example)

    seed_docs = list(iter_seed_docs(nlp, settings, n))
    todo = [doc for doc in seed_docs if prompt_key(task.render(doc)) not in done]
    skipped = len(seed_docs) - len(todo)
    if skipped:
        log(f"{skipped} of {len(seed_docs)} prompts already done in {files.ledger}; running {len(todo)}")

    docs_iter: Iterable[Doc] = nlp.pipe(todo, batch_size=settings.batch_size)
    if progress is not None:
        docs_iter = progress(docs_iter, desc=f"generate {settings.kind}", total=len(todo), unit="prompt")
    ran = 0
    with files.examples.open("a", encoding="utf-8") as f_ex, files.ledger.open("a", encoding="utf-8") as f_led, \
            files.rejected.open("a", encoding="utf-8") as f_rej:
        for doc in docs_iter:
            report = doc._.synthetic_report
            if report is None:
                raise SynthclinError(f"the llm component returned a Doc without a parse report ({doc.text!r})")
            if task.mode == "plain":
                if settings.kind == "ner":
                    _annotate_ner(nlp, settings, task, doc)  # type: ignore[arg-type]
                else:
                    _annotate_rel(nlp, settings, doc)
            filtered: Counter = Counter()
            kept = 0
            for example in doc._.synthetic or []:
                reason = chain(example)
                if reason is None:
                    f_ex.write(json.dumps(example, ensure_ascii=False) + "\n")
                    kept += 1
                else:
                    filtered[reason] += 1
                    f_rej.write(json.dumps({"prompt_key": report["prompt_key"], "reason": reason, "kind": "filter",
                                            "example": example}, ensure_ascii=False) + "\n")
            for failure in report["failures"]:
                f_rej.write(json.dumps({"prompt_key": report["prompt_key"], "reason": failure["reason"], "kind": "parse",
                                        "line": failure["line"], "detail": failure["detail"]}, ensure_ascii=False) + "\n")
            record = {
                "type": "prompt",
                "retry": not str(report["raw"]).strip(),
                "prompt_key": report["prompt_key"],
                "task": report["task"],
                "template_version": report["template_version"],
                "seed": _seed_summary(doc),
                "requested": report["requested"],
                "parsed": report["parsed"],
                "kept": kept,
                "extra": report["extra"],
                "failed": report["failed"],
                "filtered": dict(filtered),
                "ignored": report["ignored"],
                # the raw response is kept whenever something in it was dropped
                "raw": report["raw"] if report["failed"] else None,
            }
            f_ex.flush()
            f_rej.flush()
            f_led.write(json.dumps(record, ensure_ascii=False) + "\n")
            f_led.flush()
            ran += 1

    if settings.kind == "rel" and settings.filters.balance:
        _rebalance(files, settings.filters, log)
    if settings.kind == "seeds":
        seed_files = write_seed_files(files.examples, settings)
    else:
        seed_files = None

    summary = summarize(files, settings.kind)
    summary.update(skipped=skipped, ran=ran, out=str(files.examples), task=task.NAME, template_version=task.template_version)
    if seed_files is not None:
        summary["seed_files"] = seed_files
    return summary


def _rebalance(files: OutputFiles, filters: FilterSettings, log: Callable[[str], None]) -> None:
    records = list(_read_jsonl(files.examples))
    drop = balance_plan(records, filters.min_positive, filters.max_positive)
    if not drop:
        return
    kept = [r for i, r in enumerate(records) if i not in drop]
    with files.rejected.open("a", encoding="utf-8") as f_rej:
        for i in sorted(drop):
            f_rej.write(json.dumps({"prompt_key": records[i].get("prompt_key"), "reason": "balance", "kind": "filter",
                                    "example": records[i]}, ensure_ascii=False) + "\n")
    _rewrite(files.examples, kept)
    with files.ledger.open("a", encoding="utf-8") as f_led:
        f_led.write(json.dumps({"type": "balance", "dropped": len(drop)}) + "\n")
    log(f"label balance: dropped {len(drop)} examples of the majority label")


def _latest_records(ledger: Iterable[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """The last ledger record of each prompt (a retried prompt replaces its earlier record)."""
    latest: Dict[str, Dict[str, Any]] = {}
    for record in ledger:
        if record.get("type") == "prompt":
            latest.pop(record["prompt_key"], None)
            latest[record["prompt_key"]] = record
    return latest


def summarize(files: OutputFiles, kind: str) -> Dict[str, Any]:
    """Totals over the ledger (all runs; the last record per prompt) and the kept examples on disk."""
    failed: Dict[str, int] = {}
    filtered: Dict[str, int] = {}
    totals = Counter()
    ledger = list(_read_jsonl(files.ledger))
    for record in ledger:
        if record.get("type") == "balance":
            _add(filtered, {"balance": record["dropped"]})
    for record in _latest_records(ledger).values():
        totals["prompts"] += 1
        totals["retry"] += int(bool(record.get("retry")))
        for key in ("requested", "parsed", "extra"):
            totals[key] += int(record[key])
        _add(failed, record["failed"])
        _add(filtered, record["filtered"])
    examples = list(_read_jsonl(files.examples))
    summary: Dict[str, Any] = {
        "kind": kind,
        "prompts": totals["prompts"],
        "requested": totals["requested"],
        "parsed": totals["parsed"],
        "kept": len(examples),
        "extra": totals["extra"],
        "failed": {k: failed[k] for k in sorted(failed)},
        "failed_total": sum(failed.values()),
        "filtered": {k: filtered[k] for k in sorted(filtered)},
        "to_retry": totals["retry"],
    }
    unknown = (set(failed) - set(REASONS)) | (set(filtered) - set(FILTER_REASONS))
    if unknown:
        raise SynthclinError(f"{files.ledger}: unknown reasons {sorted(unknown)}")
    if kind == "rel" and examples:
        summary["positive_fraction"] = round(positive_fraction([e["label"] for e in examples if e.get("label") is not None]), 4)
    return summary


def _round_robin(groups: List[List[str]]) -> List[str]:
    out: List[str] = []
    for i in range(max((len(g) for g in groups), default=0)):
        out.extend(g[i] for g in groups if i < len(g))
    return out


def write_seed_files(examples_path: Path, settings: GenerationSettings) -> Dict[str, int]:
    """seeds.jsonl -> disease.txt / chemical.txt (one name per line) and gene_disease.tsv, beside it.

    Names are interleaved round-robin over the categories, so that a ``max_seeds`` cut in the
    generation configs keeps every category rather than dropping the last ones.
    """
    names = dict(DEFAULT_SEED_FILES)
    names.update(settings.get("seed_files") or {})
    out_dir = examples_path.parent
    by_category: Dict[str, Dict[Any, List[str]]] = {}
    seen: Dict[str, set] = {}
    for example in _read_jsonl(examples_path):
        etype = example["entity_type"]
        if etype == "gene_disease":
            line = f"{example['gene']}\t{example['disease']}"
            key = f"{example['gene'].upper()}\t{example['disease'].lower()}"
        else:
            line = example["seed"]
            key = line.lower()
        if key in seen.setdefault(etype, set()):
            continue
        seen[etype].add(key)
        by_category.setdefault(etype, {}).setdefault(example.get("category"), []).append(line)
    by_type = {etype: _round_robin(list(cats.values())) for etype, cats in by_category.items()}
    counts = {}
    for etype, lines in by_type.items():
        path = out_dir / names.get(etype, f"{etype}.txt")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        counts[str(path)] = len(lines)
    return counts
