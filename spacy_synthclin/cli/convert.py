"""`synthclin convert ner|rel|synthetic IN OUT`: any supported format -> DocBin."""
from pathlib import Path
from typing import Optional

import spacy
import typer

from ..corpora.docbin import ShardedDocBinWriter
from ..corpora.readers import read_docs
from ._app import app
from ._output import emit_result, info, progress

convert_app = typer.Typer(help="Convert benchmark tsv or synthetic JSONL to .spacy DocBins (streamed).", no_args_is_help=True)
app.add_typer(convert_app, name="convert")


def _comma_list(value: Optional[str]) -> list:
    """``"A, B,"`` -> ``["A", "B"]`` (comma-separated option values; empty items dropped)."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _write(docs, out: Path, shard_size: int, desc: str) -> dict:
    writer = ShardedDocBinWriter(out, shard_size=shard_size)
    n_ents = 0
    for doc in progress(docs, desc=desc, unit="doc"):
        writer.add(doc)
        n_ents += len(doc.ents)
    paths = writer.close()
    info(f"✔ wrote {writer.n_docs} docs ({n_ents} entities) to {out}")
    return {"out": str(out), "docs": writer.n_docs, "entities": n_ents, "files": len(paths)}


@convert_app.command("ner")
def convert_ner(
    input_path: Path = typer.Argument(..., help="BioBERT tsv (token<TAB>B/I/O) or MTL typed IOB tsv"),
    out: Path = typer.Argument(..., help="OUT.spacy, or a directory for sharded output"),
    label: Optional[str] = typer.Option(None, "--label", "-l", help="Label of untyped B/I/O tags (e.g. DISEASE, CHEMICAL)"),
    i_after_o: str = typer.Option("error", help="'error' or 'begin': how to read an I tag that follows O"),
    shard_size: int = typer.Option(5000, help="Docs per shard when OUT is a directory"),
) -> None:
    """NER tsv -> DocBin with gold tokenisation and doc.ents."""
    nlp = spacy.blank("en")
    docs = read_docs(input_path, nlp, "ner", label=label, i_after_o=i_after_o)
    emit_result({"task": "ner", "input": str(input_path), **_write(docs, out, shard_size, "convert ner")})


@convert_app.command("rel")
def convert_rel(
    input_path: Path = typer.Argument(..., help="GAD / EU-ADR tsv (with or without the index header)"),
    out: Path = typer.Argument(..., help="OUT.spacy, or a directory for sharded output"),
    shard_size: int = typer.Option(5000, help="Docs per shard when OUT is a directory"),
) -> None:
    """RE tsv -> DocBin; masks become GENE/DISEASE entities, gold in doc._.rel."""
    nlp = spacy.blank("en")
    docs = read_docs(input_path, nlp, "rel")
    emit_result({"task": "rel", "input": str(input_path), **_write(docs, out, shard_size, "convert rel")})


@convert_app.command("synthetic")
def convert_synthetic(
    input_path: Path = typer.Argument(..., help="Synthetic examples JSONL written by `synthclin generate`"),
    out: Path = typer.Argument(..., help="OUT.spacy, or a directory for sharded output"),
    mask: bool = typer.Option(False, "--mask", help="Replace gene/disease mentions by @GENE$/@DISEASE$ (GAD style)"),
    dev: Optional[Path] = typer.Option(None, "--dev", help="Also write a synthetic dev set here (split by seed)"),
    dev_fraction: float = typer.Option(0.1, help="Share of seeds whose sentences go to --dev"),
    limit: int = typer.Option(0, help="Train on a random sample of N examples (learning curves); 0 = all"),
    seed: int = typer.Option(0, help="Random seed of --limit"),
    shard_size: int = typer.Option(5000, help="Docs per shard when OUT is a directory"),
    labels: Optional[str] = typer.Option(None, "--labels", help="Keep only these entity labels, comma-separated "
                                         "(no relations): e.g. RE sentences as DISEASE NER data"),
    exclude_forms: Optional[str] = typer.Option(None, "--exclude-forms", help="Drop records of these generation "
                                                "forms, comma-separated (e.g. other_disease: RE sentences whose "
                                                "second disease is unmarked, so unusable as NER data)"),
    positive_forms: Optional[str] = typer.Option(None, "--positive-forms", help="RE: label the records of these "
                                                 "generation forms 1, comma-separated (GAD's convention: a gene-"
                                                 "disease pair a study tested is positive whatever it found, e.g. "
                                                 "no_association)"),
) -> None:
    """Synthetic JSONL -> DocBin with doc.ents (and the gold relation for RE).

    With --dev, whole seeds go to the dev set (about --dev-fraction of them), so early
    stopping never sees a seed it trained on; the real test sets are never involved.
    """
    from ..corpora.synthetic import is_dev_record, read_synthetic_jsonl, sample_records, synthetic_to_docs

    if not 0.0 <= dev_fraction < 1.0:
        raise typer.BadParameter("--dev-fraction must be in [0, 1)")
    keep = _comma_list(labels) if labels else None
    if keep is not None and mask:
        raise typer.BadParameter("--labels and --mask do not go together: masks are the RE entities")
    nlp = spacy.blank("en")
    records = read_synthetic_jsonl(input_path)
    drop = set(_comma_list(exclude_forms))
    if drop:
        records = (r for r in records if r.get("form") not in drop)
    relabel = set(_comma_list(positive_forms))
    if relabel & drop:
        raise typer.BadParameter(f"forms both excluded and relabelled: {', '.join(sorted(relabel & drop))}")
    if relabel:
        records = ({**r, "label": 1} if r.get("form") in relabel and "label" in r else r for r in records)
    result = {"task": "synthetic", "input": str(input_path), "mask": mask, "labels": keep,
              "exclude_forms": sorted(drop), "positive_forms": sorted(relabel)}
    if dev is not None:
        records = list(records)
        dev_records = [r for r in records if is_dev_record(r, dev_fraction)]
        records = [r for r in records if not is_dev_record(r, dev_fraction)]
        dev_result = _write(synthetic_to_docs(dev_records, nlp, mask=mask, labels=keep), dev, shard_size,
                            "convert synthetic (dev)")
        result["dev"] = {k: dev_result[k] for k in ("out", "docs", "entities")}
    if limit:
        records = sample_records(records, limit, seed)
    docs = synthetic_to_docs(records, nlp, mask=mask, labels=keep)
    emit_result({**result, **_write(docs, out, shard_size, "convert synthetic")})
