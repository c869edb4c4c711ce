"""One view of a corpus, whatever its format, for the stats and the contamination check.

Formats: synthetic JSONL (``synthclin generate``), ``.spacy`` files or folders of
shards, BioBERT/MTL NER tsv (``token<TAB>tag``), GAD/EU-ADR tsv (with or without
the ``index sentence label`` header). The tsv and DocBin readers are the
corpora package's own (``spacy_synthclin.corpora.readers``).
"""
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

import spacy

from ..components.extensions import ensure_extensions
from ..errors import InputFormatError

PathLike = Union[str, Path]
_TAG_RE = re.compile(r"^(O|[BI](-.+)?)$")


@dataclass
class CorpusItem:
    text: str
    spans: List[Tuple[int, int, str]] = field(default_factory=list)
    rel_label: Optional[int] = None  # relation corpora: 1 / 0
    meta: Dict[str, Any] = field(default_factory=dict)


def sniff_format(path: PathLike) -> str:
    """'jsonl' | 'docbin' | 'ner_tsv' | 're_tsv'."""
    path = Path(path)
    if not path.exists():
        raise InputFormatError(path, None, "file not found")
    if path.is_dir() or path.suffix == ".spacy":
        return "docbin"
    if path.suffix == ".jsonl":
        return "jsonl"
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.strip():
                continue
            cols = line.rstrip("\r\n").split("\t")
            if cols == ["index", "sentence", "label"] or (len(cols) in (2, 3) and cols[-1].strip() in ("0", "1")):
                return "re_tsv"
            if len(cols) == 2 and _TAG_RE.match(cols[1].strip()):
                return "ner_tsv"
            break
    raise InputFormatError(path, None, "unknown corpus format (expected .jsonl, .spacy, NER tsv or RE tsv)")


def _doc_item(doc) -> CorpusItem:
    rel = None
    if isinstance(doc._.rel, dict) and doc._.rel:
        scores = next(iter(doc._.rel.values()))
        if isinstance(scores, dict) and scores:
            rel = int(round(float(next(iter(scores.values())))))
    return CorpusItem(doc.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents], rel)


def iter_corpus(path: PathLike, label: Optional[str] = None) -> Iterator[CorpusItem]:
    """Items of a corpus in any supported format (``label``: for untyped B/I/O tsv tags)."""
    from ..corpora.readers import read_docbin, read_ner_tsv, read_re_tsv, sniff_ner_format
    from ..corpora.synthetic import read_synthetic_jsonl

    ensure_extensions()
    path = Path(path)
    kind = sniff_format(path)
    if kind == "jsonl":
        for record in read_synthetic_jsonl(path):
            spans = [(int(s["start"]), int(s["end"]), str(s["label"])) for s in record["spans"]]
            rel = record.get("label") if isinstance(record.get("label"), int) else None
            meta = {k: v for k, v in record.items() if k not in ("text", "spans") and not k.startswith("_")}
            yield CorpusItem(record["text"], spans, rel, meta)
        return
    nlp = spacy.blank("en")
    if kind == "docbin":
        docs = read_docbin(path, nlp)
    elif kind == "re_tsv":
        docs = read_re_tsv(path)
    else:
        typed = sniff_ner_format(path) == "mtl"
        docs = read_ner_tsv(path, nlp.vocab, label=label or ("ENTITY" if not typed else None), typed=typed, i_after_o="begin")
    for doc in docs:
        yield _doc_item(doc)
