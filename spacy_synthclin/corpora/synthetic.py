"""Synthetic examples (JSONL written by `synthclin generate`) -> ordinary spaCy Docs -> DocBin shards.

NER record: ``{"text", "spans": [{"start", "end", "label"}], ...}`` -> ``doc.ents``.
RE record: ``{"text", "spans": [GENE span, DISEASE span], "label": 1|0, ...}`` ->
``doc.ents`` (GENE, DISEASE) and the gold relation
``doc._.rel = {(gene.start, disease.start): {"ASSOCIATED": 1.0|0.0}}``.
With ``mask=True`` the two mentions are replaced by ``@GENE$`` / ``@DISEASE$``
and tokenised exactly as the GAD/EU-ADR reader does, so synthetic and real
relation Docs look alike.

The tokenizer is ``nlp``'s (the same blank pipeline the generation parser
aligned the spans to). A span that does not align is an error by default,
never snapped to another token boundary.
"""
import hashlib
import random
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..components.extensions import ensure_extensions
from ..errors import InputFormatError
from ..filters.alignment import tokenize_for_spans
from ..jsonl import iter_jsonl_lines
from .docbin import ShardedDocBinWriter
from .readers import DISEASE_MASK, GENE_MASK, REL_LABEL, make_re_doc

PathLike = Union[str, Path]
MISALIGNED_POLICIES = ("error", "skip")


def read_synthetic_jsonl(path: PathLike) -> Iterator[Dict[str, Any]]:
    """Records of a synthetic JSONL file, each with ``_line`` (1-based) for error messages."""
    path = Path(path)
    if not path.exists():
        raise InputFormatError(path, None, "file not found")
    for number, record in iter_jsonl_lines(path):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not isinstance(record.get("spans"), list):
            raise InputFormatError(path, number, "expected an object with 'text' (string) and 'spans' (list)")
        record["_source"] = str(path)
        record["_line"] = number
        yield record


def is_relation_record(record: Dict[str, Any]) -> bool:
    return "label" in record and isinstance(record.get("label"), int) and any(
        s.get("label") == "GENE" for s in record["spans"]
    )


def _where(record: Dict[str, Any]):
    return record.get("_source", "<records>"), record.get("_line")


def _ner_doc(nlp: Language, record: Dict[str, Any]) -> Doc:
    doc = tokenize_for_spans(nlp, record["text"], [(s["start"], s["end"]) for s in record["spans"]])
    ents: List[Span] = []
    for span in record["spans"]:
        ent = doc.char_span(int(span["start"]), int(span["end"]), label=str(span["label"]), alignment_mode="strict")
        if ent is None:
            path, line = _where(record)
            raise InputFormatError(path, line, f"span {span['start']}-{span['end']} "
                                               f"{record['text'][span['start']:span['end']]!r} is not on token boundaries")
        ents.append(ent)
    try:
        doc.ents = ents
    except ValueError as err:  # overlapping spans
        path, line = _where(record)
        raise InputFormatError(path, line, f"overlapping spans ({err})") from None
    return doc


def _rel_spans(record: Dict[str, Any]):
    genes = [s for s in record["spans"] if s.get("label") == "GENE"]
    diseases = [s for s in record["spans"] if s.get("label") == "DISEASE"]
    if len(genes) != 1 or len(diseases) != 1:
        path, line = _where(record)
        raise InputFormatError(path, line, "a relation record needs exactly one GENE and one DISEASE span")
    return genes[0], diseases[0]


def _rel_doc(nlp: Language, record: Dict[str, Any], mask: bool) -> Doc:
    label = record.get("label")
    if label not in (0, 1):
        path, line = _where(record)
        raise InputFormatError(path, line, f"relation label must be 0 or 1, not {label!r}")
    gene, disease = _rel_spans(record)
    if mask:
        text = record["text"]
        parts = sorted([(gene, GENE_MASK), (disease, DISEASE_MASK)], key=lambda p: p[0]["start"])
        out, pos = [], 0
        for span, placeholder in parts:
            out.append(text[pos : span["start"]])
            out.append(placeholder)
            pos = span["end"]
        out.append(text[pos:])
        path, line = _where(record)
        return make_re_doc(nlp, "".join(out), int(label), path=path, line=line)
    doc = _ner_doc(nlp, record)
    by_label = {e.label_: e for e in doc.ents}
    doc._.rel = {(by_label["GENE"].start, by_label["DISEASE"].start): {REL_LABEL: float(label)}}
    return doc


def synthetic_to_docs(records: Iterable[Dict[str, Any]], nlp: Language, mask: bool = False,
                      on_misaligned: str = "error", labels: Optional[Sequence[str]] = None) -> Iterator[Doc]:
    """Docs with gold entities (and the gold relation for RE records).

    ``mask``: RE records only; mentions become ``@GENE$`` / ``@DISEASE$`` (GAD style).
    ``on_misaligned``: "error" (default) or "skip" a record whose spans do not align.
    ``labels``: keep only entities of these labels (and no relation): RE sentences then
    serve as NER data, e.g. DISEASE mentions next to unmarked gene symbols.
    Meta fields of the record (seed, style, form, ...) go to ``doc.user_data["synthetic"]``.
    """
    if on_misaligned not in MISALIGNED_POLICIES:
        raise ValueError(f"on_misaligned must be one of {MISALIGNED_POLICIES}")
    ensure_extensions()
    for record in records:
        try:
            if is_relation_record(record):
                doc = _rel_doc(nlp, record, mask)
            else:
                doc = _ner_doc(nlp, record)
        except InputFormatError:
            if on_misaligned == "skip":
                continue
            raise
        if labels is not None:
            doc.ents = [ent for ent in doc.ents if ent.label_ in labels]
            doc._.rel = {}
        doc.user_data["synthetic"] = {k: v for k, v in record.items() if k not in ("text", "spans") and not k.startswith("_")}
        yield doc


def seed_docs_to_records(docs: Iterable[Doc]) -> Iterator[Dict[str, Any]]:
    """The examples stored on seed Docs by a generation task (``doc._.synthetic``), as records."""
    ensure_extensions()
    for doc in docs:
        for example in doc._.synthetic or []:
            yield dict(example)


def write_docbin_shards(docs: Iterable[Doc], out: PathLike, shard_size: int = 5000) -> Dict[str, Any]:
    """Stream Docs into ``out.spacy`` or ``out/shard-NNNNN.spacy`` (user data kept, so ``doc._.rel`` survives)."""
    writer = ShardedDocBinWriter(out, shard_size=shard_size)
    n_ents = 0
    for doc in docs:
        writer.add(doc)
        n_ents += len(doc.ents)
    paths = writer.close()
    return {"docs": writer.n_docs, "entities": n_ents, "files": [str(p) for p in paths]}


def record_group(record: Dict[str, Any]) -> str:
    """The seed a record was generated from: dev/train splits keep a seed's sentences together."""
    for key in ("seed_index", "seed"):
        if record.get(key) is not None:
            return f"{key}={record[key]}"
    if record.get("gene") is not None:
        return f"pair={record['gene']}\t{record.get('disease')}"
    return f"text={record.get('text')}"


def is_dev_record(record: Dict[str, Any], dev_fraction: float) -> bool:
    """Deterministic, seed-grouped split: no seed has sentences on both sides."""
    digest = hashlib.md5(record_group(record).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) / 0xFFFFFFFF < dev_fraction


def sample_records(records: Iterable[Dict[str, Any]], limit: int, seed: int = 0) -> List[Dict[str, Any]]:
    """A uniform random sample of ``limit`` records (file order kept), for learning curves."""
    records = list(records)
    if limit <= 0 or limit >= len(records):
        return records
    keep = set(random.Random(seed).sample(range(len(records)), limit))
    return [r for i, r in enumerate(records) if i in keep]
