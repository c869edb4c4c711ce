"""Binary relation evaluation: P/R/F of the positive class (association).

Every gold pair (``doc._.rel`` key) is one instance; it is predicted positive
when the model's score for the label reaches the threshold. The given
entities (e.g. the GAD masks) are inputs, so NER components are switched off.
"""
import json
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..components.extensions import ensure_extensions
from .metrics import prf
from .ner import NER_FACTORIES, copy_words

REL_LABEL = "ASSOCIATED"


def default_threshold(nlp: Language) -> float:
    for _, pipe in nlp.pipeline:
        if hasattr(pipe, "threshold") and pipe.__class__.__name__ == "RelationExtractor":
            return float(pipe.threshold)
    return 0.5


def evaluate_rel(
    nlp: Language,
    gold_docs: Iterable[Doc],
    label: str = REL_LABEL,
    threshold: Optional[float] = None,
    batch_size: int = 64,
    errors_path: Optional[Path] = None,
    progress=None,
) -> Dict:
    ensure_extensions()
    if threshold is None:
        threshold = default_threshold(nlp)
    gold_list: List[Doc] = []

    def inputs(docs):
        for gold in docs:
            gold_list.append(gold)
            pred = copy_words(gold)
            pred.ents = [Span(pred, e.start, e.end, label=e.label_) for e in gold.ents]
            yield pred

    ner_like = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory in NER_FACTORIES]
    tp = fp = fn = tn = 0
    errors = errors_path.open("w", encoding="utf8") if errors_path else None
    try:
        with nlp.select_pipes(disable=ner_like):
            preds = nlp.pipe(inputs(gold_docs), batch_size=batch_size)
            if progress is not None:
                preds = progress(preds)
            for pred in preds:
                gold = gold_list.pop(0)
                for pair, labels in (gold._.rel or {}).items():
                    truth = labels.get(label, 0.0) >= 0.5
                    score = ((pred._.rel or {}).get(pair) or {}).get(label, 0.0)
                    guess = score >= threshold
                    tp += truth and guess
                    fp += guess and not truth
                    fn += truth and not guess
                    tn += not truth and not guess
                    if errors is not None and truth != guess:
                        errors.write(json.dumps({"text": gold.text, "gold": int(truth), "score": score}) + "\n")
    finally:
        if errors is not None:
            errors.close()
    n = tp + fp + fn + tn
    return {"task": "rel", **prf(tp, fp, fn), "n": n, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "accuracy": (tp + tn) / n if n else 0.0, "threshold": threshold}
