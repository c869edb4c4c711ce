"""`synthclin annotate MODEL INPUT OUTPUT`: batch inference over a JSONL or Parquet text collection."""
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import ConfigError
from ._app import app
from ._output import emit_result, info


@app.command("annotate")
def annotate(
    model: str = typer.Argument(..., help="An installed pipeline package or a pipeline directory"),
    input_path: Path = typer.Argument(..., help="JSONL (one object per line) or Parquet (.parquet; needs pyarrow)"),
    output_path: Path = typer.Argument(..., help="Output JSONL: one line per row with its entities (and relations)"),
    text_key: str = typer.Option("text", "--text-key", help="Field (column) holding the text"),
    id_key: str = typer.Option("id", "--id-key", help="Field copied to the output and used to resume, when present ('' = none)"),
    batch_size: int = typer.Option(64, "--batch-size", help="Texts per nlp.pipe batch"),
    n_process: int = typer.Option(1, "--n-process", help="Worker processes of nlp.pipe (CPU)"),
    gpu_id: int = typer.Option(-1, "--gpu-id", help="GPU to run on (-1 = CPU)"),
    resume: bool = typer.Option(True, "--resume/--no-resume", help="Skip rows already in OUTPUT (default) or start afresh"),
    keep_text: bool = typer.Option(False, "--keep-text", help="Copy each text into its output line"),
    limit: int = typer.Option(0, "--limit", help="Only the first N rows of INPUT (0 = all)"),
) -> None:
    """Streamed and resumable: rows already in OUTPUT (by id, else by row number) are skipped,
    and an interrupted run's partial last line is cut off first. Progress on stderr; the last
    stdout line is {"rows", "skipped", "words_per_s", "seconds", ...}.
    """
    from tqdm import tqdm

    from ..inference.annotate import annotate_collection, single_thread_torch
    from ..util import load_model, use_gpu

    if batch_size < 1 or n_process < 1 or limit < 0:
        raise ConfigError("--batch-size and --n-process must be >= 1, --limit >= 0")
    if gpu_id >= 0 and n_process > 1:
        raise ConfigError("--n-process > 1 runs on the CPU; use --n-process 1 with --gpu-id")
    use_gpu(gpu_id)
    if n_process > 1:
        single_thread_torch()  # before the pipeline runs: forked workers of a torch pipeline hang otherwise
    nlp = load_model(model)
    info(f"loaded {model} ({', '.join(nlp.pipe_names)}); annotating {input_path}")
    result = annotate_collection(
        nlp, input_path, output_path, text_key=text_key, id_key=id_key or None, batch_size=batch_size,
        n_process=n_process, resume=resume, keep_text=keep_text, limit=limit,
        progress=lambda **kw: tqdm(file=sys.stderr, dynamic_ncols=True, mininterval=1.0, **kw), log=info,
    )
    info(f"✔ {result['rows']} rows annotated ({result['skipped']} skipped), {result['words_per_s']:.0f} words/s "
         f"-> {output_path}")
    emit_result({"model": str(model), "gpu_id": gpu_id, **result})
