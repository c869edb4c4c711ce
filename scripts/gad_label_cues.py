"""How GAD's labels relate to what its sentences say: positive rate of rows with association / negation cues.

Reads a GAD split (BLURB tsv: index, sentence, label) -- use a *train* split; the point is to learn the
corpus's label convention, never to look at test rows. Prints one JSON line:
{"rows", "positive_rate", "cues": {name: {"rows", "positive_rate"}}}.

    python scripts/gad_label_cues.py assets/corpora/GAD/BLURB/train.tsv
"""
import csv
import json
import re
import sys
from pathlib import Path

CUES = {
    "no (significant) association": r"\bno (statistically )?(significant )?association",
    "not (significantly) associated": r"\bnot (significantly )?associated",
    "did not / was not / were not": r"\b(did|was|were) not\b",
    "is/are associated with": r"\b(is|are) associated with",
    "was/were associated with": r"\b(was|were) associated with",
    "risk": r"\brisk\b",
    "susceptibility": r"susceptib",
    "polymorphism": r"polymorphism",
    "mutation": r"mutation",
}


def label_cues(path: Path) -> dict:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(row["sentence"], row["label"] == "1") for row in csv.DictReader(handle, delimiter="\t")]
    if not rows:
        raise SystemExit(f"{path}: no rows")

    def rate(selected):
        return round(sum(label for _, label in selected) / len(selected), 3) if selected else None

    cues = {}
    for name, pattern in CUES.items():
        hits = [row for row in rows if re.search(pattern, row[0], re.I)]
        cues[name] = {"rows": len(hits), "positive_rate": rate(hits)}
    return {"data": str(path), "rows": len(rows), "positive_rate": rate(rows), "cues": cues}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(json.dumps(label_cues(Path(sys.argv[1]))))
