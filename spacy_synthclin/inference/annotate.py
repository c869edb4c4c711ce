"""``nlp.pipe`` over a text collection: streamed, resumable, one JSON line per row.

Output line: ``{"row": 0, "id": ..., "entities": [{"text", "label", "start_char",
"end_char"}], "rel": [{"head": i, "tail": j, "scores": {label: p}}]}`` where
``head`` / ``tail`` index ``entities`` (``rel`` only when the pipeline has a
``relation_extractor``; ``id`` only when the input row has one).

Rows come out in input order (``nlp.pipe`` keeps it, with ``n_process`` too),
and every line is flushed whole at the end of a batch, so an interrupted run
leaves complete lines plus at most one partial line, which a restart cuts off
before skipping the rows already written.
"""
import json
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..components.extensions import ensure_extensions
from ..errors import ConfigError, InputFormatError
from .io import Row, count_rows, done_keys, input_format, read_rows, repair_partial_line

REL_FACTORY = "relation_extractor"
REL_ITEMS_COMPONENT = "synthclin_rel_as_items"
_REL_ITEMS_KEY = "synthclin_rel_items"


@Language.component(REL_ITEMS_COMPONENT)
def rel_as_items(doc: Doc) -> Doc:
    """``doc._.rel`` as a list of ``[head, tail, scores]`` in ``doc.user_data``.

    With ``n_process > 1`` spaCy sends Docs back with ``Doc.to_bytes``, whose msgpack
    turns the dict's tuple keys into lists that cannot be keys again: the worker
    converts them first (and clears ``doc._.rel``).
    """
    if doc._.rel:
        doc.user_data[_REL_ITEMS_KEY] = [[h, t, dict(scores)] for (h, t), scores in doc._.rel.items()]
        doc._.rel = None
    return doc


def _rel_items(doc: Doc) -> List[Tuple[int, int, Dict[str, float]]]:
    if _REL_ITEMS_KEY in doc.user_data:
        return [(int(h), int(t), scores) for h, t, scores in doc.user_data[_REL_ITEMS_KEY]]
    return [(h, t, scores) for (h, t), scores in (doc._.rel or {}).items()]


TORCH_FACTORIES = ("transformer", "curated_transformer")


def uses_torch(nlp: Language) -> bool:
    return any(nlp.get_pipe_meta(name).factory in TORCH_FACTORIES for name in nlp.pipe_names)


def single_thread_torch() -> None:
    """One torch thread per process: call before the pipeline runs, when ``n_process > 1``.

    spaCy forks its workers (Linux); a child forked after torch has run a parallel
    (OpenMP) op hangs in its first op -- measured here: the workers sat at 0 % CPU.
    With one thread torch never starts that pool, and n workers on n cores is the
    layout one wants anyway.
    """
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(1)


def check_fork_safe(nlp: Language, n_process: int) -> None:
    if n_process > 1 and uses_torch(nlp):
        import torch

        if torch.get_num_threads() > 1:
            raise ConfigError(f"n_process={n_process} with a torch pipeline needs one torch thread per process "
                              "(forked workers hang otherwise): call single_thread_torch() first, or use --torch-threads 1")


def has_relation_extractor(nlp: Language) -> bool:
    return any(nlp.get_pipe_meta(name).factory == REL_FACTORY for name in nlp.pipe_names)


def doc_to_record(doc: Doc, row: Optional[Row] = None, with_rel: bool = False, keep_text: bool = False) -> Dict[str, Any]:
    """One output line for an annotated Doc (JSON-ready)."""
    record: Dict[str, Any] = {}
    if row is not None:
        record["row"] = row.index
        if row.id is not None:
            record["id"] = row.id
    if keep_text:
        record["text"] = doc.text
    ents = list(doc.ents)
    record["entities"] = [
        {"text": e.text, "label": e.label_, "start_char": e.start_char, "end_char": e.end_char} for e in ents
    ]
    if with_rel:
        by_start = {e.start: i for i, e in enumerate(ents)}
        rels: List[Dict[str, Any]] = []
        # doc._.rel is keyed by token starts (see components/extensions.py); JSON wants entity indices.
        for head, tail, scores in sorted(_rel_items(doc), key=lambda item: item[:2]):
            rels.append({"head": by_start.get(head), "tail": by_start.get(tail),
                         "scores": {label: round(float(p), 6) for label, p in scores.items()}})
        record["rel"] = rels
    return record


def annotate_collection(
    nlp: Language,
    input_path: Path,
    output_path: Path,
    text_key: str = "text",
    id_key: Optional[str] = "id",
    batch_size: int = 64,
    n_process: int = 1,
    resume: bool = True,
    keep_text: bool = False,
    limit: int = 0,
    progress: Optional[Callable[..., Any]] = None,
    log: Callable[[str], None] = lambda msg: None,
) -> Dict[str, Any]:
    """Annotate ``input_path`` (JSONL or Parquet) into ``output_path`` (JSONL); returns the summary.

    ``resume``: keep what ``output_path`` already holds and skip those rows (by id,
    else by row number); otherwise the output is started afresh. ``limit``: stop
    after this many rows of the input (0 = all).
    """
    ensure_extensions()
    input_path, output_path = Path(input_path), Path(output_path)
    if not input_path.is_file():
        raise InputFormatError(input_path, None, "file not found")
    output_path.parent.mkdir(parents=True, exist_ok=True)
    done: set = set()
    if resume and output_path.exists():
        cut = repair_partial_line(output_path)
        if cut:
            log(f"cut a partial last line ({cut} bytes) of the interrupted {output_path}")
        done = done_keys(output_path)
        if done:
            log(f"{len(done)} rows already in {output_path}: skipping them")
    elif output_path.exists():
        output_path.unlink()
    with_rel = has_relation_extractor(nlp)
    if with_rel and n_process > 1 and REL_ITEMS_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(REL_ITEMS_COMPONENT, last=True)
    counts = {"rows": 0, "skipped": 0, "words": 0, "entities": 0}

    def todo() -> Iterator[Tuple[str, Row]]:
        for row in read_rows(input_path, text_key=text_key, id_key=id_key):
            if limit and row.index >= limit:
                return
            if row.key in done:
                counts["skipped"] += 1
                continue
            yield row.text, row

    total = count_rows(input_path)
    if limit:
        total = min(total or limit, limit)
    bar = progress(total=total, desc="annotate", unit="row") if progress is not None else None
    start = time.perf_counter()
    check_fork_safe(nlp, n_process)
    with output_path.open("a", encoding="utf-8") as out:
        reported_skips = 0
        for i, (doc, row) in enumerate(nlp.pipe(todo(), as_tuples=True, batch_size=batch_size, n_process=n_process), 1):
            record = doc_to_record(doc, row, with_rel=with_rel, keep_text=keep_text)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["rows"] += 1
            counts["words"] += len(doc)
            counts["entities"] += len(record["entities"])
            if i % batch_size == 0:
                out.flush()  # whole lines only: at most one batch is lost to an interruption
            if bar is not None:
                bar.update(1 + counts["skipped"] - reported_skips)
                reported_skips = counts["skipped"]
    seconds = time.perf_counter() - start
    # Skipped rows after the last annotated one are only counted once the input is exhausted.
    if bar is not None:
        bar.update(counts["skipped"] - reported_skips)
        bar.close()
    return {
        "rows": counts["rows"],
        "skipped": counts["skipped"],
        "words_per_s": round(counts["words"] / seconds, 1) if counts["rows"] and seconds > 0 else 0.0,
        "seconds": round(seconds, 3),
        "words": counts["words"],
        "entities": counts["entities"],
        "input": str(input_path),
        "input_format": input_format(input_path),
        "output": str(output_path),
        "relations": with_rel,
        "batch_size": batch_size,
        "n_process": n_process,
        "pipeline": [name for name in nlp.pipe_names if name != REL_ITEMS_COMPONENT],
    }
