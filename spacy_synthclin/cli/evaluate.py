"""`synthclin evaluate ner|rel MODEL DATA`: scores on real, human-annotated data."""
from pathlib import Path
from typing import Optional

import typer

from ..corpora.readers import read_docs
from ..errors import ConfigError
from ..evaluate.ner import evaluate_ner, ner_labels
from ..evaluate.rel import evaluate_rel
from ..util import load_model, use_gpu
from ._app import app
from ._output import emit_result, info, progress

evaluate_app = typer.Typer(help="Evaluate a trained pipeline on a benchmark (tsv or .spacy).", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")


@evaluate_app.command("ner")
def evaluate_ner_cli(
    model: str = typer.Argument(..., help="Installed pipeline package name or pipeline directory"),
    data: Path = typer.Argument(..., help="BioBERT tsv, MTL typed IOB tsv, .spacy file or directory of shards"),
    label: Optional[str] = typer.Option(None, "--label", "-l", help="Entity label to score (and the label of untyped B/I/O tags)"),
    i_after_o: str = typer.Option("error", help="'error' or 'begin': how to read an I tag that follows O"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the metrics JSON here"),
    errors: Optional[Path] = typer.Option(None, help="Write each sentence with false positives/negatives to this JSONL"),
    batch_size: int = typer.Option(64, help="nlp.pipe batch size"),
    gpu_id: int = typer.Option(-1, help="GPU id, -1 for CPU"),
) -> None:
    """Strict span-match P/R/F (micro) of the pipeline's entities against gold."""
    use_gpu(gpu_id)
    nlp = load_model(model)
    labels = ner_labels(nlp)
    if label is None:
        if len(labels) != 1:
            raise ConfigError(f"the pipeline predicts {labels or 'no entity labels'}: pass --label to choose which one to score")
        label = labels[0]
    elif label not in labels:
        info(f"⚠ the pipeline does not predict {label!r} (it predicts {labels}); every gold {label} will count as missed")
    info(f"ℹ scoring {label} entities of {model} on {data}")
    docs = read_docs(data, nlp, "ner", label=label, i_after_o=i_after_o)
    result = evaluate_ner(nlp, docs, label=label, batch_size=batch_size, errors_path=errors,
                          progress=lambda it: progress(it, desc="evaluate ner", unit="doc"))
    result.update({"model": str(model), "data": str(data), "label": label})
    info(f"✔ P {result['p']:.4f}  R {result['r']:.4f}  F {result['f']:.4f}  (gold {result['n_gold']}, predicted {result['n_pred']})")
    emit_result(result, output)


@evaluate_app.command("rel")
def evaluate_rel_cli(
    model: str = typer.Argument(..., help="Installed pipeline package name or pipeline directory"),
    data: Path = typer.Argument(..., help="GAD/EU-ADR tsv (either layout), .spacy file or directory of shards"),
    threshold: Optional[float] = typer.Option(None, help="Decision threshold (default: the component's own)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the metrics JSON here"),
    errors: Optional[Path] = typer.Option(None, help="Write each misclassified sentence to this JSONL"),
    batch_size: int = typer.Option(64, help="nlp.pipe batch size"),
    gpu_id: int = typer.Option(-1, help="GPU id, -1 for CPU"),
) -> None:
    """Binary P/R/F of the positive class (gene–disease association)."""
    use_gpu(gpu_id)
    nlp = load_model(model)
    info(f"ℹ scoring relations of {model} on {data}")
    docs = read_docs(data, nlp, "rel")
    result = evaluate_rel(nlp, docs, threshold=threshold, batch_size=batch_size, errors_path=errors,
                          progress=lambda it: progress(it, desc="evaluate rel", unit="doc"))
    result.update({"model": str(model), "data": str(data)})
    info(f"✔ P {result['p']:.4f}  R {result['r']:.4f}  F {result['f']:.4f}  (n {result['n']})")
    emit_result(result, output)
