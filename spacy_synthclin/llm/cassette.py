"""Cassettes: recorded LLM exchanges, and the Record/Replay models built on them.

A cassette is a JSONL file, one exchange per line::

    {"key": sha256(model + "\\n" + prompt), "model": ..., "answered_by": ...,
     "task": ..., "template_version": ..., "prompt": ..., "response": ...,
     "usage": {"prompt_tokens": ..., "completion_tokens": ...},
     "timestamp": "2026-11-24T12:00:00+00:00", "meta": {...}}

``model`` is the name used in the key (what the config calls the model);
``answered_by`` is who actually wrote the response (the name a live server
reports, or the model named on import). Lines are appended with flush + fsync
one at a time, so an interrupted run keeps every completed exchange; a torn
last line (a crash in the middle of a write) is skipped with a warning and cut
off before the next append.

- `synthclin.Replay.v1` answers from one or more cassettes (a file, a folder or
  a glob; .jsonl or .jsonl.gz). On a miss it raises (naming the prompt hash and
  the cassette), falls through to a wrapped backend (optionally recording), or
  collects the missing prompts in an export file.
- `synthclin.Record.v1` wraps any backend and appends every new exchange;
  prompts already in the cassette are answered from it, so re-running an
  interrupted recording sends only what is missing and writes no duplicates.
- `export_missing_prompts` / `import_responses`: the offline path. Export the
  rendered prompts a cassette lacks, have them answered elsewhere, validate the
  answers with their task's parser and append them.
"""
import glob as globlib
import gzip
import hashlib
import json
import logging
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from spacy_llm.registry import registry

from ..errors import ConfigError, InputFormatError, SynthclinError
from .prompt import prompt_info

logger = logging.getLogger("spacy_synthclin.llm")

PathLike = Union[str, Path]
_REQUIRED = ("key", "prompt", "response")
ON_MISS = ("error", "backend", "export")


def prompt_sha256(model: str, prompt: str) -> str:
    """The cassette key of a prompt for a model."""
    return hashlib.sha256((model + "\n" + str(prompt)).encode("utf-8")).hexdigest()


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def make_entry(
    model: str,
    prompt: str,
    response: str,
    answered_by: str,
    prompt_tokens: Optional[int] = None,
    completion_tokens: Optional[int] = None,
) -> Dict[str, Any]:
    """One cassette line; task, template version and meta come from a `Prompt`."""
    info = prompt_info(prompt)
    entry: Dict[str, Any] = {
        "key": prompt_sha256(model, prompt),
        "model": model,
        "answered_by": answered_by,
        "task": info["task"],
        "template_version": info["template_version"],
        "prompt": str(prompt),
        "response": response,
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
        "timestamp": utc_now(),
    }
    if info["meta"]:
        entry["meta"] = info["meta"]
    return entry


def _dumps(obj: Dict[str, Any]) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, default=str) + "\n").encode("utf-8")


class Cassette:
    """One cassette file: an index of its keys, lookups, and crash-safe appends.

    Plain files keep only ``key -> byte offset`` in memory and read a response
    when asked; gzipped files (read-only) are held in memory.
    """

    def __init__(self, path: PathLike, writable: bool = False, fsync: bool = True):
        self.path = Path(path)
        self.gzipped = self.path.name.endswith(".gz")
        if writable and self.gzipped:
            raise ConfigError(f"Cannot append to a gzipped cassette: {self.path}. Record into a .jsonl file.")
        self.writable = writable
        self.fsync = fsync
        self._offsets: Dict[str, int] = {}
        self._entries: Dict[str, Dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._writer = None
        self._reader = None
        if self.path.exists():
            self._load()
        elif not writable:
            raise ConfigError(f"Cassette not found: {self.path}")

    # --- reading ------------------------------------------------------------------
    def _load(self) -> None:
        opener = gzip.open if self.gzipped else open
        self._torn_at: Optional[int] = None  # where a torn last line starts (-1: complete, newline missing)
        offset = 0
        with opener(self.path, "rb") as f:
            for lineno, raw in enumerate(f, 1):
                start = offset
                offset += len(raw)
                if not raw.endswith(b"\n"):  # only the last line can lack its newline
                    entry = self._parse_line(raw, lineno, tolerant=True) if raw.strip() else None
                    if entry is not None:
                        self._index(entry, start)
                        self._torn_at = -1
                    elif raw.strip():
                        logger.warning(
                            "%s: skipping a torn last line %d (an interrupted write); it will be cut off "
                            "before the next append", self.path, lineno)
                        self._torn_at = start
                    break
                if raw.strip():
                    self._index(self._parse_line(raw, lineno, tolerant=False), start)

    def _parse_line(self, raw: bytes, lineno: int, tolerant: bool) -> Optional[Dict[str, Any]]:
        try:
            entry = json.loads(raw)
        except ValueError as err:
            if tolerant:
                return None
            raise InputFormatError(self.path, lineno, f"not a JSON object ({err})") from None
        if not isinstance(entry, dict) or any(k not in entry for k in _REQUIRED):
            if tolerant:
                return None
            raise InputFormatError(self.path, lineno, f"a cassette line needs the fields {', '.join(_REQUIRED)}")
        model = entry.get("model", "")
        if prompt_sha256(model, entry["prompt"]) != entry["key"]:
            raise InputFormatError(
                self.path, lineno,
                f"key {entry['key'][:16]}… is not sha256(model + '\\n' + prompt) for model {model!r}; "
                "was the prompt edited by hand?",
            )
        return entry

    def _index(self, entry: Dict[str, Any], offset: int) -> None:
        key = entry["key"]
        if key in self._offsets or key in self._entries:
            return  # first answer wins
        if self.gzipped:
            self._entries[key] = entry
        else:
            self._offsets[key] = offset

    def __contains__(self, key: str) -> bool:
        return key in self._offsets or key in self._entries

    def __len__(self) -> int:
        return len(self._offsets) + len(self._entries)

    def keys(self) -> Iterator[str]:
        yield from self._offsets
        yield from self._entries

    def get(self, key: str) -> Optional[Dict[str, Any]]:
        if key in self._entries:
            return self._entries[key]
        offset = self._offsets.get(key)
        if offset is None:
            return None
        with self._lock:
            if self._reader is None:
                self._reader = open(self.path, "rb")
            self._reader.seek(offset)
            return json.loads(self._reader.readline())

    # --- writing ------------------------------------------------------------------
    def append(self, entry: Dict[str, Any]) -> bool:
        """Append one exchange (flushed and fsynced); False if its key is already there."""
        if not self.writable:
            raise SynthclinError(f"Cassette {self.path} was opened read-only")
        for k in _REQUIRED:
            if k not in entry:
                raise ValueError(f"cassette entry lacks {k!r}")
        line = _dumps(entry)
        with self._lock:
            if entry["key"] in self:
                return False
            f = self._open_writer()
            offset = f.tell()
            f.write(line)
            f.flush()
            if self.fsync:
                os.fsync(f.fileno())
            self._offsets[entry["key"]] = offset
        return True

    def _open_writer(self):
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            torn_at = getattr(self, "_torn_at", None)  # absent for a new file
            if torn_at is not None and torn_at >= 0:
                with open(self.path, "r+b") as f:
                    f.truncate(torn_at)
            elif torn_at == -1:
                with open(self.path, "ab") as f:
                    f.write(b"\n")
            self._torn_at = None
            self._writer = open(self.path, "ab")
        return self._writer

    def close(self) -> None:
        with self._lock:
            for f in (self._writer, self._reader):
                if f is not None:
                    f.close()
            self._writer = self._reader = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


def resolve_cassette_paths(path: Union[PathLike, Sequence[PathLike]]) -> List[Path]:
    """A file, a folder (its *.jsonl and *.jsonl.gz) or a glob, or a list of those."""
    if isinstance(path, (list, tuple)):
        return [p for item in path for p in resolve_cassette_paths(item)]
    text = os.path.expanduser(os.path.expandvars(str(path)))
    p = Path(text)
    if any(ch in text for ch in "*?["):
        files = [Path(f) for f in sorted(globlib.glob(text, recursive=True))]
    elif p.is_dir():
        files = sorted(list(p.glob("*.jsonl")) + list(p.glob("*.jsonl.gz")))
    else:
        files = [p]
    return [f for f in files if f.name.endswith((".jsonl", ".jsonl.gz"))]


class CassetteSet:
    """Read-only lookups over several cassette files (the first file with a key wins)."""

    def __init__(self, path: Union[PathLike, Sequence[PathLike]]):
        self.spec = path
        self.paths = resolve_cassette_paths(path)
        missing = [p for p in self.paths if not p.exists()]
        if missing or not self.paths:
            raise ConfigError(f"Cassette not found: {missing[0] if missing else path}")
        self.cassettes = [Cassette(p) for p in self.paths]

    def get(self, key: str) -> Optional[Dict[str, Any]]:
        for c in self.cassettes:
            entry = c.get(key)
            if entry is not None:
                return entry
        return None

    def __contains__(self, key: str) -> bool:
        return any(key in c for c in self.cassettes)

    def __len__(self) -> int:
        return len(set(k for c in self.cassettes for k in c.keys()))

    def describe(self) -> str:
        return ", ".join(str(p) for p in self.paths)


class MissingPromptsFile:
    """Append-only JSONL of prompts a cassette lacks (deduplicated by key)."""

    def __init__(self, path: PathLike):
        self.path = Path(path)
        self.keys = set()
        if self.path.exists():
            with open(self.path, "rb") as f:
                for line in f:
                    try:
                        self.keys.add(json.loads(line)["key"])
                    except (ValueError, KeyError, TypeError):
                        continue
        self.added = 0

    def add(self, model: str, prompt: str) -> bool:
        key = prompt_sha256(model, prompt)
        if key in self.keys:
            return False
        info = prompt_info(prompt)
        line = {
            "key": key,
            "model": model,
            "task": info["task"],
            "template_version": info["template_version"],
            "prompt": str(prompt),
        }
        if info["meta"]:
            line["meta"] = info["meta"]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "ab") as f:
            f.write(_dumps(line))
        self.keys.add(key)
        self.added += 1
        return True


def _model_name_of(backend: Any) -> Optional[str]:
    for attr in ("model_name", "_name", "name"):
        value = getattr(backend, attr, None)
        if isinstance(value, str) and value:
            return value
    return None


def answer_and_record(
    backend: Callable,
    prompts: Sequence[str],
    model: str,
    writer: Optional[Cassette],
    answered_by: Optional[str] = None,
) -> List[str]:
    """Answer prompts with a backend, appending each exchange to ``writer`` as it completes.

    Backends with a ``stream`` method (ours) are streamed, so a crash keeps
    every answer received so far; any other spacy-llm model is called once
    with one prompt per "doc" and recorded when it returns.
    """
    texts: List[str] = [""] * len(prompts)
    stream = getattr(backend, "stream", None)
    if callable(stream):
        failures = []
        for c in stream(prompts):
            if not c.ok:
                failures.append(c)
                continue
            texts[c.index] = c.text or ""
            if writer is not None:
                writer.append(make_entry(
                    model, prompts[c.index], texts[c.index], answered_by or c.answered_by or model,
                    c.prompt_tokens, c.completion_tokens,
                ))
        backend.raise_or_keep(failures, len(prompts))
        return texts
    responses = list(backend([[p] for p in prompts]))
    if len(responses) != len(prompts):
        raise SynthclinError(f"backend returned {len(responses)} responses for {len(prompts)} prompts")
    fallback = answered_by or _model_name_of(backend) or model
    for i, group in enumerate(responses):
        group = list(group)
        texts[i] = str(group[0]) if group else ""
        if writer is not None:
            writer.append(make_entry(model, prompts[i], texts[i], fallback))
    return texts


def record_stream(
    backend: Any,
    prompts: Iterable[str],
    cassette: Cassette,
    model: str,
    answered_by: Optional[str] = None,
) -> Dict[str, Any]:
    """Stream any number of prompts through a streaming backend straight into a cassette.

    Prompts are read lazily and each answer is appended as it arrives, so
    memory stays flat however many prompts there are; prompts already in the
    cassette are skipped (resume). Failed prompts are handled by the backend's
    ``on_error`` after the stream ends.
    """
    skipped = 0

    def todo() -> Iterator[str]:
        nonlocal skipped
        for p in prompts:
            if prompt_sha256(model, p) in cassette:
                skipped += 1
            else:
                yield p

    sent = written = 0
    failures = []
    for c in backend.stream(todo()):
        sent += 1
        if not c.ok:
            failures.append(c)
            continue
        if cassette.append(make_entry(model, c.prompt, c.text or "", answered_by or c.answered_by or model,
                                      c.prompt_tokens, c.completion_tokens)):
            written += 1
    backend.raise_or_keep(failures, sent)
    return {"sent": sent, "written": written, "failed": len(failures), "skipped_in_cassette": skipped}


class Replay:
    """Answers prompts from cassettes (see module docs for ``on_miss``)."""

    def __init__(
        self,
        path: Union[PathLike, Sequence[PathLike]],
        model: str,
        on_miss: str = "error",
        backend: Optional[Callable] = None,
        record: bool = False,
        record_path: Optional[PathLike] = None,
        export_path: Optional[PathLike] = None,
        answered_by: Optional[str] = None,
        context_length: Optional[int] = None,
    ):
        if on_miss not in ON_MISS:
            raise ConfigError(f"on_miss must be one of {', '.join(ON_MISS)}, not {on_miss!r}")
        if on_miss == "backend" and backend is None:
            raise ConfigError('on_miss = "backend" needs a backend model to fall through to')
        if on_miss == "export" and not export_path:
            raise ConfigError('on_miss = "export" needs export_path (where to list the missing prompts)')
        self.model_name = model
        self.on_miss = on_miss
        self.backend = backend
        self.answered_by = answered_by
        self._context_length = context_length
        self.hits = 0
        self.misses = 0
        self.writer: Optional[Cassette] = None
        paths = resolve_cassette_paths(path)
        if record:
            target = Path(record_path) if record_path else (paths[0] if len(paths) == 1 else None)
            if target is None or target.name.endswith(".gz"):
                raise ConfigError("record = true needs a single .jsonl cassette (set record_path)")
            self.writer = Cassette(target, writable=True)
        # A cassette that does not exist yet is fine when we record into it.
        existing = [p for p in paths if p.exists()]
        if not existing and self.writer is None:
            raise ConfigError(f"Cassette not found: {path}")
        self.cassettes = CassetteSet(existing) if existing else None
        self.exporter = MissingPromptsFile(export_path) if on_miss == "export" else None

    @property
    def context_length(self) -> Optional[int]:
        if self._context_length:
            return self._context_length
        return getattr(self.backend, "context_length", None)

    def usage_report(self) -> Dict[str, Any]:
        """Cassette hits and misses (unique prompts), and the wrapped backend's usage if it counts any."""
        report: Dict[str, Any] = {"cassette_hits": self.hits, "cassette_misses": self.misses}
        usage = getattr(self.backend, "usage", None)
        if usage is not None and hasattr(usage, "as_dict"):
            report["backend"] = usage.as_dict()
        return report

    def describe(self) -> str:
        parts = [self.cassettes.describe()] if self.cassettes else []
        if self.writer is not None and str(self.writer.path) not in parts:
            parts.append(str(self.writer.path))
        return ", ".join(parts)

    def lookup(self, key: str) -> Optional[Dict[str, Any]]:
        if self.cassettes is not None:
            entry = self.cassettes.get(key)
            if entry is not None:
                return entry
        if self.writer is not None:
            return self.writer.get(key)
        return None

    def __call__(self, prompts: Iterable[Iterable[str]]) -> Iterable[Iterable[str]]:
        groups = [list(g) for g in prompts]
        flat = [p for g in groups for p in g]
        texts: List[Optional[str]] = [None] * len(flat)
        missing: Dict[str, List[int]] = {}  # key -> positions, so a repeated prompt is asked once
        for i, prompt in enumerate(flat):
            key = prompt_sha256(self.model_name, prompt)
            entry = self.lookup(key)
            if entry is not None:
                texts[i] = entry["response"]
                self.hits += 1
            else:
                missing.setdefault(key, []).append(i)
        if missing:
            self.misses += len(missing)
            self._handle_misses(flat, missing, texts)
        out: List[List[str]] = []
        pos = 0
        for g in groups:
            out.append([t or "" for t in texts[pos : pos + len(g)]])
            pos += len(g)
        return out

    def _handle_misses(self, flat: List[str], missing: Dict[str, List[int]], texts: List[Optional[str]]) -> None:
        first_key, first_pos = next(iter(missing.items()))
        if self.on_miss == "error":
            info = prompt_info(flat[first_pos[0]])
            task = f", task {info['task']!r} {info['template_version']}" if info["task"] else ""
            raise SynthclinError(
                f"Cassette miss: no recorded response for prompt sha256 {first_key} (model {self.model_name!r}{task}) "
                f"in {self.describe()}. {len(missing)} prompt(s) of this batch are missing. List them with "
                f"`synthclin prompts export --config CFG --out missing.jsonl`, answer them and "
                f"`synthclin prompts import`, or set on_miss = \"backend\" with a backend to generate them."
            )
        if self.on_miss == "export":
            assert self.exporter is not None
            for key, positions in missing.items():
                self.exporter.add(self.model_name, flat[positions[0]])
                for i in positions:
                    texts[i] = ""
            return
        keys = list(missing)
        prompts = [flat[missing[k][0]] for k in keys]
        answers = answer_and_record(self.backend, prompts, self.model_name, self.writer, self.answered_by)
        for key, answer in zip(keys, answers):
            for i in missing[key]:
                texts[i] = answer


class Record(Replay):
    """Wraps a backend and appends every exchange to a cassette.

    Prompts already in the cassette are answered from it: re-running an
    interrupted recording sends only the missing prompts and writes no duplicates.
    """

    def __init__(self, backend: Callable, path: PathLike, model: Optional[str] = None,
                 answered_by: Optional[str] = None, context_length: Optional[int] = None):
        name = model or _model_name_of(backend)
        if not name:
            raise ConfigError("Record needs `model`: the model name used in the cassette keys")
        super().__init__(path=path, model=name, on_miss="backend", backend=backend, record=True,
                         record_path=path, answered_by=answered_by, context_length=context_length)


@registry.llm_models("synthclin.Replay.v1")
def replay_v1(
    path: Union[str, Path, List[str]],
    model: str,
    on_miss: str = "error",
    backend: Optional[Callable] = None,
    record: bool = False,
    record_path: Optional[str] = None,
    export_path: Optional[str] = None,
    answered_by: Optional[str] = None,
    context_length: Optional[int] = None,
) -> Replay:
    """Answer prompts from recorded cassettes.

    path: a cassette file, a folder or a glob (.jsonl / .jsonl.gz), or a list of them.
    model: the model name used in the cassette keys.
    on_miss: "error" (default), "backend" (ask `backend`; with record = true append the answers
        to `path` or `record_path`) or "export" (list missing prompts in `export_path`, answer "").
    """
    return Replay(path=path, model=model, on_miss=on_miss, backend=backend, record=record,
                  record_path=record_path, export_path=export_path, answered_by=answered_by,
                  context_length=context_length)


@registry.llm_models("synthclin.Record.v1")
def record_v1(
    backend: Callable,
    path: Union[str, Path],
    model: Optional[str] = None,
    answered_by: Optional[str] = None,
    context_length: Optional[int] = None,
) -> Record:
    """Wrap `backend` and append every exchange to the cassette at `path` (created if absent)."""
    return Record(backend=backend, path=path, model=model, answered_by=answered_by, context_length=context_length)


@registry.llm_misc("synthclin.CassetteFile.v1")
def cassette_file_v1(path: str, must_exist: bool = True) -> Path:
    """A cassette path for configs: ~ and $VARS expanded; checked unless must_exist = false."""
    resolved = Path(os.path.expanduser(os.path.expandvars(path)))
    if must_exist and not any(p.exists() for p in resolve_cassette_paths(resolved)):
        raise ConfigError(f"Cassette not found: {resolved}")
    return resolved


# --- the offline export / import path ------------------------------------------------
def iter_task_prompts(task: Any, docs: Iterable[Any], context_length: Optional[int] = None,
                      batch_size: int = 128) -> Iterator[str]:
    """The prompts a spacy-llm task renders for docs (sharding tasks: every shard's prompt)."""
    from spacy.util import minibatch
    from spacy_llm.ty import supports_sharding

    sharding = supports_sharding(task)
    for batch in minibatch(docs, batch_size):
        if sharding:
            for prompts_for_doc, _shards in task.generate_prompts(batch, context_length):
                yield from prompts_for_doc
        else:
            yield from task.generate_prompts(batch)


def export_prompts(
    prompts: Iterable[str],
    cassette: Optional[Union[PathLike, Sequence[PathLike]]],
    model: str,
    out_path: PathLike,
) -> Dict[str, Any]:
    """Write the prompts that ``cassette`` lacks to ``out_path`` (JSONL, truncated first).

    Each line: key, model, task, template_version, prompt (and meta) -- the
    import format minus ``response`` and ``answered_by``. Returns counts.
    """
    known = None
    if cassette is not None:
        paths = [p for p in resolve_cassette_paths(cassette) if p.exists()]
        known = CassetteSet(paths) if paths else None
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(b"")
    exporter = MissingPromptsFile(out)
    total = present = 0
    for prompt in prompts:
        total += 1
        if known is not None and prompt_sha256(model, prompt) in known:
            present += 1
            continue
        exporter.add(model, prompt)
    return {"prompts": total, "in_cassette": present, "missing": exporter.added,
            "repeated": total - present - exporter.added, "out": str(out)}


def export_missing_prompts(
    task: Any,
    docs: Iterable[Any],
    cassette: Optional[Union[PathLike, Sequence[PathLike]]],
    model: str,
    out_path: PathLike,
    context_length: Optional[int] = None,
) -> Dict[str, Any]:
    """`export_prompts` for the prompts a spacy-llm task (or an ``llm`` pipe) renders for docs."""
    task = getattr(task, "task", task)
    return export_prompts(iter_task_prompts(task, docs, context_length), cassette, model, out_path)


Validator = Callable[[str, str, str, str, Dict[str, Any]], int]


def import_responses(
    in_path: PathLike,
    cassette_path: PathLike,
    validator: Validator,
    model: Optional[str] = None,
) -> Dict[str, Any]:
    """Validate answered prompts (export lines + ``response`` + ``answered_by``) and append them.

    Each response must parse with its task's parser (``validator`` returns the
    number of examples, raises `SynthclinError` when it does not parse). Lines
    whose key is not sha256(model + "\\n" + prompt), or without ``answered_by``,
    are refused; keys already in the cassette are counted as duplicates.
    """
    in_path = Path(in_path)
    if not in_path.exists():
        raise ConfigError(f"File not found: {in_path}")
    cassette = Cassette(cassette_path, writable=True)
    imported = rejected = duplicates = 0
    by_reason: Dict[str, int] = {}
    examples: List[Dict[str, Any]] = []

    def reject(lineno: int, reason: str, detail: str) -> None:
        nonlocal rejected
        rejected += 1
        by_reason[reason] = by_reason.get(reason, 0) + 1
        if len(examples) < 20:
            examples.append({"line": lineno, "reason": reason, "detail": detail[:300]})

    try:
        with open(in_path, "rb") as f:
            for lineno, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                try:
                    line = json.loads(raw)
                    if not isinstance(line, dict):
                        raise ValueError("not an object")
                except ValueError as err:
                    reject(lineno, "invalid_json", str(err))
                    continue
                missing = [k for k in ("key", "model", "prompt", "response") if not isinstance(line.get(k), str)]
                if missing:
                    reject(lineno, "missing_field", f"missing or not text: {', '.join(missing)}")
                    continue
                if not str(line.get("answered_by") or "").strip():
                    reject(lineno, "missing_answered_by", "every imported response must name the model that wrote it")
                    continue
                if model is not None and line["model"] != model:
                    reject(lineno, "model_mismatch", f"model {line['model']!r}, expected {model!r}")
                    continue
                if prompt_sha256(line["model"], line["prompt"]) != line["key"]:
                    reject(lineno, "key_mismatch", "key is not sha256(model + '\\n' + prompt)")
                    continue
                if line["key"] in cassette:
                    duplicates += 1
                    continue
                if not line["response"].strip():
                    reject(lineno, "empty_response", "empty response")
                    continue
                meta = line.get("meta") or {}
                try:
                    n = validator(line.get("task", ""), line.get("template_version", ""), line["prompt"],
                                  line["response"], meta)
                except SynthclinError as err:
                    reject(lineno, "parse_error", getattr(err, "reason", None) or str(err))
                    continue
                if not n:
                    reject(lineno, "no_examples", "the response parsed into no examples")
                    continue
                usage = line.get("usage") or {}
                entry = {
                    "key": line["key"],
                    "model": line["model"],
                    "answered_by": str(line["answered_by"]).strip(),
                    "task": line.get("task", ""),
                    "template_version": line.get("template_version", ""),
                    "prompt": line["prompt"],
                    "response": line["response"],
                    "usage": {"prompt_tokens": usage.get("prompt_tokens"),
                              "completion_tokens": usage.get("completion_tokens")},
                    "timestamp": utc_now(),
                }
                if meta:
                    entry["meta"] = meta
                if cassette.append(entry):
                    imported += 1
                else:  # pragma: no cover - guarded by the check above
                    duplicates += 1
    finally:
        cassette.close()
    return {"imported": imported, "rejected": rejected, "rejected_by_reason": by_reason,
            "duplicates": duplicates, "cassette": str(cassette_path), "rejected_examples": examples}
