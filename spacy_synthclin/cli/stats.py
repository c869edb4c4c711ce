"""`synthclin stats CORPUS`: counts, unique entities, distinct-n, duplicates, alignment, balance, lengths."""
from pathlib import Path
from typing import Optional

import typer

from ._app import app
from ._output import emit_result, info


@app.command("stats")
def stats(
    corpus: Path = typer.Argument(..., help="Synthetic JSONL, .spacy file or folder of shards, NER tsv or RE tsv"),
    label: Optional[str] = typer.Option(None, "--label", "-l", help="Label of untyped B/I/O tsv tags"),
    near_threshold: float = typer.Option(0.8, help="Jaccard threshold (char 5-gram MinHash) for near duplicates"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the JSON result to this file"),
) -> None:
    """Corpus statistics; for generated JSONL also the generation-time failures from its ledger."""
    from ..filters.stats import corpus_stats

    result = corpus_stats(corpus, label=label, near_threshold=near_threshold)
    info(f"{result['docs']} docs, {result['entities']} entities "
         f"({', '.join(f'{k} {v}' for k, v in result['unique_entities'].items()) or 'none'} unique), "
         f"distinct-2 {result['distinct_2']:.3f}, near-duplicate rate {result['near_duplicate_rate']:.3f}")
    emit_result(result, output)
