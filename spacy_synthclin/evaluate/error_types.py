"""Error types of NER predictions, from the ``--errors`` JSONL of ``synthclin evaluate ner``.

Each false positive/negative gets one type: a predicted span overlapping a gold span
without matching it is a *boundary* error (too long, too short, shifted); a gold span no
prediction touches is *missed* (an abbreviation, a composite mention, other); a prediction
touching no gold span is *spurious*. A boundary pair counts once, not as FP + FN.
"""
import json
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

ERROR_TYPES = ("boundary_longer", "boundary_shorter", "boundary_shifted",
               "missed_abbreviation", "missed_composite", "missed_other", "spurious")


def _overlaps(a: Dict, b: Dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _is_abbreviation(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 0 < len(text) <= 8 and " " not in text and sum(c.isupper() for c in letters) >= max(2, len(letters) // 2)


def _is_composite(text: str) -> bool:
    words = text.lower().split()
    return any(w in ("and", "or", "and/or") for w in words) or "/" in text


def classify_errors(record: Dict) -> List[Tuple[str, Dict]]:
    """(type, span) for every error of one sentence."""
    out: List[Tuple[str, Dict]] = []
    fps, fns = list(record.get("fp", [])), list(record.get("fn", []))
    paired_fn = set()
    for fp in fps:
        partner = next((i for i, fn in enumerate(fns) if _overlaps(fp, fn) and i not in paired_fn), None)
        if partner is None:
            out.append(("spurious", fp))
            continue
        paired_fn.add(partner)
        fn = fns[partner]
        if fp["start"] <= fn["start"] and fp["end"] >= fn["end"]:
            kind = "boundary_longer"
        elif fp["start"] >= fn["start"] and fp["end"] <= fn["end"]:
            kind = "boundary_shorter"
        else:
            kind = "boundary_shifted"
        out.append((kind, {**fn, "predicted": fp["text"]}))
    for i, fn in enumerate(fns):
        if i in paired_fn:
            continue
        if _is_abbreviation(fn["text"]):
            out.append(("missed_abbreviation", fn))
        elif _is_composite(fn["text"]):
            out.append(("missed_composite", fn))
        else:
            out.append(("missed_other", fn))
    return out


def summarize_errors(records: Iterable[Dict], top: int = 15) -> Dict:
    counts: Counter = Counter()
    examples: Dict[str, Counter] = {t: Counter() for t in ERROR_TYPES}
    for record in records:
        for kind, span in classify_errors(record):
            counts[kind] += 1
            label = span["text"] if "predicted" not in span else f"{span['predicted']} -> {span['text']}"
            examples[kind][label] += 1
    return {"counts": {t: counts.get(t, 0) for t in ERROR_TYPES}, "total": sum(counts.values()),
            "top": {t: examples[t].most_common(top) for t in ERROR_TYPES}}


def summarize_error_file(path: Path, top: int = 15) -> Dict:
    with Path(path).open(encoding="utf-8") as fh:
        return summarize_errors((json.loads(line) for line in fh if line.strip()), top=top)
