"""`synthclin check-contamination SYNTH TEST...`: synthetic sentences sharing an 8-gram with a test set."""
import json
from pathlib import Path
from typing import List, Optional

import typer

from ._app import app
from ._output import emit_result, info


@app.command("check-contamination")
def check_contamination_cmd(
    synthetic: Path = typer.Argument(..., help="Synthetic corpus (JSONL from `synthclin generate`, or .spacy)"),
    tests: List[Path] = typer.Argument(..., help="Test sets: BioBERT/MTL NER tsv, GAD/EU-ADR tsv, .spacy, JSONL"),
    n: int = typer.Option(8, "--n", help="n-gram length (lower-cased word tokens)"),
    masked: bool = typer.Option(False, "--masked", help="Also check relation sentences in @GENE$/@DISEASE$ form"),
    clean_out: Optional[Path] = typer.Option(None, "--clean-out", help="Write the non-overlapping synthetic records here (JSONL)"),
    fail_on_overlap: bool = typer.Option(False, "--fail-on-overlap", help="Exit 1 if any sentence overlaps"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the JSON result to this file"),
) -> None:
    """Last stdout line: {"overlapping": N, "synthetic_sentences": M, "by_test": {...}, "examples": [...]}."""
    from ..filters.contamination import check_contamination

    keep = [] if clean_out is not None else None
    result = check_contamination(synthetic, tests, n=n, masked=masked, keep=keep)
    if clean_out is not None and keep is not None:
        clean_out.parent.mkdir(parents=True, exist_ok=True)
        with clean_out.open("w", encoding="utf-8") as fh:
            for record in keep:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        result["clean_out"] = str(clean_out)
        result["clean_sentences"] = len(keep)
    info(f"{result['overlapping']} of {result['synthetic_sentences']} synthetic sentences share a {n}-gram with the test sets")
    emit_result(result, output)
    if fail_on_overlap and result["overlapping"]:
        raise typer.Exit(1)
