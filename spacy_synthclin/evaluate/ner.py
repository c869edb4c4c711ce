"""Strict entity-level NER evaluation (exact token span + label, micro-averaged).

Gold tokenisation is kept: the model annotates Docs built from the gold words,
so boundaries are compared token for token, as BioBERT/BLURB evaluations do.
"""
import json
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from .metrics import prf

SpanKey = Tuple[int, int, str]


def copy_words(doc: Doc) -> Doc:
    """An unannotated Doc with the same words and spaces."""
    return Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])


def _spans(doc: Doc, label: Optional[str]) -> Set[SpanKey]:
    return {(e.start, e.end, e.label_) for e in doc.ents if label is None or e.label_ == label}


NER_FACTORIES = ("ner", "beam_ner", "entity_ruler", "span_ruler")


def ner_labels(nlp: Language) -> List[str]:
    """Entity labels the pipeline can predict."""
    labels: Set[str] = set()
    for name in nlp.pipe_names:
        if nlp.get_pipe_meta(name).factory in NER_FACTORIES:
            labels.update(getattr(nlp.get_pipe(name), "labels", ()))
    return sorted(labels)


def evaluate_ner(
    nlp: Language,
    gold_docs: Iterable[Doc],
    label: Optional[str] = None,
    batch_size: int = 64,
    errors_path: Optional[Path] = None,
    progress=None,
) -> Dict:
    """Score ``nlp`` on gold Docs; optionally write every FP/FN to a JSONL file."""
    tp = fp = fn = 0
    n_docs = 0
    per_label: Dict[str, Counter] = {}
    gold_list: List[Doc] = []

    def remember(docs):
        for doc in docs:
            gold_list.append(doc)
            yield copy_words(doc)

    errors = errors_path.open("w", encoding="utf8") if errors_path else None
    try:
        preds = nlp.pipe(remember(gold_docs), batch_size=batch_size)
        if progress is not None:
            preds = progress(preds)
        for pred in preds:
            gold = gold_list.pop(0)
            n_docs += 1
            g, p = _spans(gold, label), _spans(pred, label)
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
            for key_set, kind in ((g & p, "tp"), (p - g, "fp"), (g - p, "fn")):
                for start, end, lab in key_set:
                    per_label.setdefault(lab, Counter())[kind] += 1
            if errors is not None and (p - g or g - p):
                errors.write(json.dumps({
                    "text": gold.text,
                    "fp": [_describe(pred, s) for s in sorted(p - g)],
                    "fn": [_describe(gold, s) for s in sorted(g - p)],
                    "gold": [_describe(gold, s) for s in sorted(g)],
                    "pred": [_describe(pred, s) for s in sorted(p)],
                }) + "\n")
    finally:
        if errors is not None:
            errors.close()
    result = {"task": "ner", **prf(tp, fp, fn), "n_gold": tp + fn, "n_pred": tp + fp, "tp": tp, "n_docs": n_docs}
    result["per_label"] = {lab: {**prf(c["tp"], c["fp"], c["fn"]), "n_gold": c["tp"] + c["fn"]} for lab, c in sorted(per_label.items())}
    return result


def _describe(doc: Doc, key: SpanKey) -> Dict:
    start, end, lab = key
    return {"start": start, "end": end, "label": lab, "text": doc[start:end].text}
