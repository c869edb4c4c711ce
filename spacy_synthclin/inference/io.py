"""Streamed input (JSONL, Parquet) and the resumable JSONL output of ``synthclin annotate``.

Rows are numbered from 0 in file order (blank JSONL lines are not rows). Memory
is flat in the collection's size: rows are read lazily, one Parquet record
batch at a time; the only state kept for resuming is the set of done row keys.
"""
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Set, Union

from ..errors import ConfigError, InputFormatError
from ..jsonl import iter_jsonl_lines

PathLike = Union[str, Path]
PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass
class Row:
    index: int  # 0-based row number in the input
    text: str
    id: Any = None  # the value of the id field, if the input has one
    line: Optional[int] = None  # 1-based line of a JSONL input (for messages)

    @property
    def key(self) -> Any:
        # Tagged, so an integer id never collides with a row number.
        return ("row", self.index) if self.id is None else ("id", _hashable(self.id))


def input_format(path: PathLike) -> str:
    return "parquet" if Path(path).suffix.lower() in PARQUET_SUFFIXES else "jsonl"


def _import_pyarrow():
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError(
            "reading Parquet needs pyarrow: pip install 'spacy-synthclin[parquet]' (or pip install pyarrow)"
        ) from None
    return pq


def count_rows(path: PathLike) -> Optional[int]:
    """Rows in the input, for the progress bar: Parquet metadata, or a fast scan of JSONL lines."""
    path = Path(path)
    if input_format(path) == "parquet":
        return _import_pyarrow().ParquetFile(path).metadata.num_rows
    n = 0
    with path.open("rb") as fh:
        for line in fh:
            n += bool(line.strip())
    return n


def read_rows(path: PathLike, text_key: str = "text", id_key: Optional[str] = "id") -> Iterator[Row]:
    """Rows of a JSONL or Parquet collection; bad input raises naming the file and line (or row)."""
    path = Path(path)
    if not path.exists():
        raise InputFormatError(path, None, "file not found")
    if input_format(path) == "parquet":
        yield from _read_parquet(path, text_key, id_key)
    else:
        yield from _read_jsonl(path, text_key, id_key)


def _read_jsonl(path: Path, text_key: str, id_key: Optional[str]) -> Iterator[Row]:
    index = 0
    for number, record in iter_jsonl_lines(path):
        if not isinstance(record, dict):
            raise InputFormatError(path, number, f"expected a JSON object with a {text_key!r} field")
        if text_key not in record:
            raise InputFormatError(path, number, f"missing text key {text_key!r} (use --text-key to name another field)")
        text = record[text_key]
        if not isinstance(text, str):
            raise InputFormatError(path, number, f"{text_key!r} must be a string, not {type(text).__name__}")
        yield Row(index, text, record.get(id_key) if id_key else None, number)
        index += 1


def _read_parquet(path: Path, text_key: str, id_key: Optional[str], batch_rows: int = 4096) -> Iterator[Row]:
    pq = _import_pyarrow()
    file = pq.ParquetFile(path)
    names = file.schema_arrow.names
    if text_key not in names:
        raise InputFormatError(path, None, f"missing text column {text_key!r} (columns: {', '.join(names)}; use --text-key)")
    columns = [text_key] + ([id_key] if id_key and id_key in names else [])
    index = 0
    # One record batch at a time: a Parquet file is never loaded whole.
    for batch in file.iter_batches(batch_size=batch_rows, columns=columns):
        texts = batch.column(0).to_pylist()
        ids = batch.column(1).to_pylist() if len(columns) == 2 else [None] * len(texts)
        for text, id_ in zip(texts, ids):
            if not isinstance(text, str):
                raise InputFormatError(path, None, f"row {index}: {text_key!r} must be a string, not {type(text).__name__}")
            yield Row(index, text, id_)
            index += 1


def repair_partial_line(path: PathLike) -> int:
    """Cut an interrupted output's partial last line (no trailing newline); returns the bytes removed.

    A line that ends in a newline was written whole (the writer flushes whole lines only),
    so everything before the last newline is kept.
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return 0
    size = path.stat().st_size
    with path.open("rb+") as fh:
        # Scan back from the end in blocks: no need to read a large output whole.
        block, pos = 65536, size
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            if start + len(chunk) == size and chunk.endswith(b"\n"):
                return 0
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                keep = start + cut + 1
                break
            pos = start
        else:
            keep = 0
        fh.truncate(keep)
    return size - keep


def done_keys(path: PathLike) -> Set[Any]:
    """Row keys (the id, else the row index) already in an output file."""
    path = Path(path)
    keys: Set[Any] = set()
    if not path.exists():
        return keys
    for number, record in iter_jsonl_lines(path, invalid="the output to resume has a line that is not valid JSON"):
        try:
            keys.add(("id", _hashable(record["id"])) if record.get("id") is not None else ("row", record["row"]))
        except (KeyError, TypeError):
            raise InputFormatError(path, number, "the output to resume has a line without 'row' or 'id'") from None
    return keys


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, (list, dict)) else value
