"""`synthclin prompts export|import`: answer prompts outside the pipeline, then record them.

- ``export`` renders the prompts of a generation config (no backend is called)
  and writes the ones its cassette lacks to a JSONL file: key, model, task,
  template_version, prompt, meta.
- ``import`` reads that file back with two more fields per line, ``response``
  and ``answered_by`` (the model that wrote the response), checks the key,
  parses every response with its task's own parser, and appends the good ones
  to the cassette. Keys already in the cassette are skipped.
"""
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ConfigError
from ._app import app
from ._output import emit_result, info

prompts_app = typer.Typer(help="Export the prompts a cassette lacks; import answers for them.", no_args_is_help=True)
app.add_typer(prompts_app, name="prompts")

_SET = typer.Option(None, "--set", help="Config override KEY=VALUE (dotted key; VALUE parsed as JSON, else text); repeatable")


def _parse_overrides(pairs: Optional[List[str]]):
    from .generate import parse_overrides

    return parse_overrides(pairs)


def _config_cassette_and_model(config: Path, overrides: dict):
    """The cassette path and key model name a generation config's own model uses."""
    from ..tasks.runner import PROMPTS_ONLY, load_generation_pipeline

    nlp, settings = load_generation_pipeline(config, {**overrides, "synthclin.backend": PROMPTS_ONLY})
    return nlp, settings, settings.cassette, settings.model_name


@prompts_app.command("export")
def prompts_export(
    config: Path = typer.Option(..., "--config", "-c", help="Generation config (configs/generate_*.cfg)"),
    out: Path = typer.Option(..., "--out", "-o", help="JSONL file for the prompts the cassette lacks (overwritten)"),
    n: Optional[int] = typer.Option(None, "--n", help="Only the first N seeds (prompts); default: all"),
    cassette: Optional[Path] = typer.Option(None, "--cassette", help="Cassette file/folder/glob; default: the config's"),
    model: Optional[str] = typer.Option(None, "--model", help="Model name in the cassette keys; default: the config's"),
    overrides: Optional[List[str]] = _SET,
) -> None:
    """Render the config's prompts and write those missing from the cassette to OUT."""
    from ..llm.cassette import export_prompts
    from ..tasks.runner import iter_prompts

    if n is not None and n < 0:
        raise ConfigError("--n must be >= 0")
    nlp, settings, config_cassette, config_model = _config_cassette_and_model(config, _parse_overrides(overrides))
    model_name = model or config_model
    if not model_name:
        raise ConfigError(f"{config}: its llm model names no `model` for the cassette keys; pass --model")
    cassette_path = cassette or config_cassette
    if cassette_path is None:
        info("no cassette given or configured: every prompt is exported")
    result = export_prompts(iter_prompts(nlp, settings, n), cassette_path, model_name, out)
    result.update(model=model_name, cassette=str(cassette_path) if cassette_path else None)
    info(f"✔ {result['missing']} of {result['prompts']} prompts are missing from the cassette; written to {out}. "
         "Add `response` and `answered_by` to each line, then `synthclin prompts import`.")
    emit_result(result)


@prompts_app.command("import")
def prompts_import(
    answers: Path = typer.Argument(..., help="JSONL: exported lines plus `response` and `answered_by`"),
    cassette: Optional[Path] = typer.Option(None, "--cassette", help="Cassette to append to (.jsonl)"),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Take the cassette (and model) from this generation config"),
    model: Optional[str] = typer.Option(None, "--model", help="Refuse lines whose key model is not this one"),
    overrides: Optional[List[str]] = _SET,
) -> None:
    """Validate answers with their task's parser and append the good ones to the cassette."""
    from ..llm.cassette import import_responses
    from ..tasks.validation import validate_response

    if cassette is None:
        if config is None:
            raise ConfigError("give --cassette, or --config to use the cassette of a generation config")
        _, _, config_cassette, config_model = _config_cassette_and_model(config, _parse_overrides(overrides))
        if not config_cassette:
            raise ConfigError(f"{config}: its llm model names no cassette `path`; pass --cassette")
        cassette = Path(config_cassette)
        model = model or config_model
    if cassette.name.endswith(".gz") or cassette.is_dir():
        raise ConfigError(f"--cassette must be a .jsonl file to append to, not {cassette}")
    result = import_responses(answers, cassette, validate_response, model=model)
    reasons = ", ".join(f"{k} {v}" for k, v in result["rejected_by_reason"].items()) or "none"
    info(f"✔ {result['imported']} imported into {cassette}; {result['duplicates']} already there; "
         f"{result['rejected']} rejected ({reasons})")
    emit_result(result)
