"""`synthclin generate {seeds,ner,rel} --config CFG --out PATH [--n N] [--backend NAME] [--set KEY=VALUE]`.

Resumable: a restart skips every prompt already in OUT's ledger, so nothing
is asked twice and nothing is written twice. Progress on stderr; the last
stdout line is the summary: requested, parsed, kept, failed by reason,
filtered by reason (see spacy_synthclin.tasks.util.report).
"""
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import typer

from ..errors import ConfigError
from ._app import app
from ._output import emit_result, info, progress

generate_app = typer.Typer(help="Generate labelled synthetic data with an LLM (resumable; replays the cassette by default).",
                           no_args_is_help=True)
app.add_typer(generate_app, name="generate")

_CONFIG = typer.Option(..., "--config", "-c", help="Generation config (configs/generate_*.cfg)")
_N = typer.Option(None, "--n", help="Only the first N seeds (prompts); default: all")
_BACKEND = typer.Option(None, "--backend", "-b", help="A block of [synthclin.backends] (e.g. record, live) or prompts_only; default: the config's model (replay)")
_SET = typer.Option(None, "--set", help="Config override KEY=VALUE (dotted key; VALUE parsed as JSON, else text); repeatable")


def parse_overrides(pairs: Optional[List[str]]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise ConfigError(f"--set expects KEY=VALUE, got {pair!r}")
        key, value = pair.split("=", 1)
        try:
            out[key.strip()] = json.loads(value)
        except ValueError:
            out[key.strip()] = value
    return out


def _run(kind: str, config: Path, out: Path, n: Optional[int], backend: Optional[str], overrides: Optional[List[str]]) -> None:
    from ..tasks.runner import load_generation_pipeline, run_generation

    values = parse_overrides(overrides)
    if backend:
        values["synthclin.backend"] = backend
    nlp, settings = load_generation_pipeline(config, values)
    if settings.kind != kind:
        raise ConfigError(f"{config} is a {settings.kind!r} generation config; use `synthclin generate {settings.kind}`")
    if n is not None and n < 0:
        raise ConfigError("--n must be >= 0")
    summary = run_generation(nlp, settings, out, n=n, progress=progress, log=info)
    parts = ", ".join(f"{k} {v}" for k, v in summary["failed"].items()) or "none"
    info(f"✔ {summary['kept']} examples kept in {summary['out']} ({summary['parsed']} parsed of {summary['requested']} "
         f"requested; failed: {parts})")
    emit_result(summary)


@generate_app.command("ner")
def generate_ner(config: Path = _CONFIG, out: Path = typer.Option(..., "--out", "-o", help="Output JSONL of examples"),
                 n: Optional[int] = _N, backend: Optional[str] = _BACKEND, overrides: Optional[List[str]] = _SET) -> None:
    """Sentences with every mention of the label marked, parsed to token-aligned spans."""
    _run("ner", config, out, n, backend, overrides)


@generate_app.command("rel")
def generate_rel(config: Path = _CONFIG, out: Path = typer.Option(..., "--out", "-o", help="Output JSONL of examples"),
                 n: Optional[int] = _N, backend: Optional[str] = _BACKEND, overrides: Optional[List[str]] = _SET) -> None:
    """Sentences that assert (1) or do not assert (0) a gene-disease association."""
    _run("rel", config, out, n, backend, overrides)


@generate_app.command("seeds")
def generate_seeds(config: Path = _CONFIG,
                   out: Path = typer.Option(..., "--out", "-o", help="Output folder (seeds.jsonl + disease.txt, chemical.txt, gene_disease.tsv), or a .jsonl path"),
                   n: Optional[int] = _N, backend: Optional[str] = _BACKEND, overrides: Optional[List[str]] = _SET) -> None:
    """Entity seeds (and gene-disease pairs) by category, written as the lists the ner/rel configs read."""
    _run("seeds", config, out, n, backend, overrides)
