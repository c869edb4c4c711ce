"""`synthclin zeroshot {ner,rel} DATA --config CFG`: the LLM itself as the annotator (the paper's baseline).

Runs spacy-llm's ``llm`` component (spacy.NER.v3 / spacy.REL.v1) on a fixed
random sample of a real test split and scores it with the scorers of
``synthclin evaluate``; F1 comes with a bootstrap confidence interval. The
prompts contain real text, so every endpoint of the configured model must be
on loopback or a private network unless ``--allow-remote`` is given: the check
runs before the pipeline is built, so a refused endpoint is never contacted.
``--export-prompts OUT.jsonl`` renders the sample's prompts (no backend is
called) and writes those the cassette lacks, for `synthclin prompts import`.
"""
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ConfigError
from ._app import app
from ._output import emit_result, info, progress

zeroshot_app = typer.Typer(help="Zero-/few-shot LLM baseline on a real test split (privacy-guarded; replays a cassette by default).",
                           no_args_is_help=True)
app.add_typer(zeroshot_app, name="zeroshot")

_CONFIG = typer.Option(..., "--config", "-c", help="Baseline config (configs/zeroshot_*.cfg, configs/fewshot_*.cfg)")
_N = typer.Option(None, "--n", help="Sample size (default: the config's synthclin.n, 300; 0 = the whole split)")
_SEED = typer.Option(None, "--seed", help="Sample seed (default: the config's synthclin.seed, 0)")
_ALLOW = typer.Option(False, "--allow-remote", help="Allow endpoints off loopback / private networks (real text leaves the site)")
_OUTPUT = typer.Option(None, "--output", "-o", help="Also write the metrics JSON here")
_BACKEND = typer.Option(None, "--backend", "-b", help="A block of [synthclin.backends] (record, live) or prompts_only; default: the config's model (replay)")
_SET = typer.Option(None, "--set", help="Config override KEY=VALUE (dotted key; VALUE parsed as JSON, else text); repeatable")
_EXPORT = typer.Option(None, "--export-prompts", help="Write the sample's prompts missing from the cassette to this JSONL and stop (no LLM is called)")
_ERRORS = typer.Option(None, "--errors", help="Write each misclassified sentence to this JSONL (it holds real text)")
_BATCH = typer.Option(None, "--batch-size", help="nlp.pipe batch size (default: the config's)")


def _run(kind: str, data: Path, config: Path, n: Optional[int], seed: Optional[int], allow_remote: bool,
         output: Optional[Path], backend: Optional[str], overrides: Optional[List[str]], export: Optional[Path],
         errors: Optional[Path], batch_size: Optional[int]) -> None:
    from ..zeroshot.runner import PROMPTS_ONLY, export_sample_prompts, load_zeroshot_pipeline, run_zeroshot
    from .generate import parse_overrides

    values = parse_overrides(overrides)
    if export is not None:
        backend = PROMPTS_ONLY  # rendering only: nothing is sent anywhere, no cassette is needed
    if backend:
        values["synthclin.backend"] = backend
    nlp, settings = load_zeroshot_pipeline(config, values, allow_remote=allow_remote)
    if settings.kind != kind:
        raise ConfigError(f"{config} is a {settings.kind!r} baseline config ({settings.task_name}); "
                          f"use `synthclin zeroshot {settings.kind}`")
    if settings.endpoints:
        info(f"ℹ endpoints checked by the privacy guard: {', '.join(settings.endpoints)}"
             + (" (allow_remote)" if settings.allow_remote else ""))
    if export is not None:
        result = export_sample_prompts(nlp, settings, data, export, n=n, seed=seed)
        info(f"✔ {result['missing']} of {result['prompts']} prompts ({result['n']} of {result['n_total']} documents, "
             f"seed {result['sample_seed']}) are missing from the cassette; written to {export}. They contain real "
             "corpus text: answer them only with a model you may send it to, then `synthclin prompts import`.")
        emit_result(result, output)
        return
    result = run_zeroshot(nlp, settings, data, n=n, seed=seed, errors_path=errors, batch_size=batch_size,
                          progress=progress, log=info)
    info(f"✔ {settings.mode} {kind}: P {result['p']:.4f}  R {result['r']:.4f}  F {result['f']:.4f} "
         f"({result['ci_level']:.0%} CI {result['f_ci_low']:.4f}-{result['f_ci_high']:.4f}, n {result['n']}, "
         f"answered by {result['answered_by'] or '?'})")
    emit_result(result, output)


@zeroshot_app.command("ner")
def zeroshot_ner(
    data: Path = typer.Argument(..., help="NER test split: BioBERT tsv, MTL typed IOB tsv or .spacy"),
    config: Path = _CONFIG, n: Optional[int] = _N, seed: Optional[int] = _SEED, allow_remote: bool = _ALLOW,
    output: Optional[Path] = _OUTPUT, backend: Optional[str] = _BACKEND, overrides: Optional[List[str]] = _SET,
    export_prompts: Optional[Path] = _EXPORT, errors: Optional[Path] = _ERRORS, batch_size: Optional[int] = _BATCH,
) -> None:
    """Strict span P/R/F (+ bootstrap CI of F1) of the LLM's own entity annotation (spacy.NER.v3)."""
    _run("ner", data, config, n, seed, allow_remote, output, backend, overrides, export_prompts, errors, batch_size)


@zeroshot_app.command("rel")
def zeroshot_rel(
    data: Path = typer.Argument(..., help="GAD / EU-ADR test split (tsv, either layout) or .spacy"),
    config: Path = _CONFIG, n: Optional[int] = _N, seed: Optional[int] = _SEED, allow_remote: bool = _ALLOW,
    output: Optional[Path] = _OUTPUT, backend: Optional[str] = _BACKEND, overrides: Optional[List[str]] = _SET,
    export_prompts: Optional[Path] = _EXPORT, errors: Optional[Path] = _ERRORS, batch_size: Optional[int] = _BATCH,
) -> None:
    """Binary P/R/F (+ bootstrap CI of F1) of the LLM's own relation decision (spacy.REL.v1)."""
    _run("rel", data, config, n, seed, allow_remote, output, backend, overrides, export_prompts, errors, batch_size)
