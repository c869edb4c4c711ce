"""How GAD's labels relate to what its sentences say: positive rate of rows with association / negation cues.

Reads a GAD split (BLURB tsv: index, sentence, label) -- use a *train* split; the point is to learn the
corpus's label convention, never to look at test rows. Prints one JSON line:
{"rows", "positive_rate", "cues": {name: {"rows", "positive_rate"}}, "mask_neighbours": {"negative": [...],
"positive": [...]}} -- the last: the words right beside a mask whose rows lean most to one label
(smoothed log-odds, words in >= 15 rows), e.g. "@DISEASE$ pressure" (a mask on the wrong word).

    python scripts/gad_label_cues.py assets/corpora/GAD/BLURB/train.tsv
"""
import csv
import json
import math
import re
import sys
from collections import Counter
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


def mask_neighbours(rows, min_rows: int = 15, top: int = 15) -> dict:
    """Words next to each mask ("@GENE$ _x", "x_ @DISEASE$"), ranked by smoothed log-odds of the row's label."""
    counts = Counter()
    for sentence, label in rows:
        tokens = [t.lower() for t in re.findall(r"@GENE\$|@DISEASE\$|\w+|[^\w\s]", sentence)]
        feats = set()
        for i, tok in enumerate(tokens):
            if tok in ("@gene$", "@disease$"):
                mask = tok.upper()
                if i > 0:
                    feats.add(f"{tokens[i - 1]}_ {mask}")
                if i + 1 < len(tokens):
                    feats.add(f"{mask} _{tokens[i + 1]}")
        for feat in feats:
            counts[feat, label] += 1
    n_pos = sum(label for _, label in rows)
    prior = math.log((n_pos + 1) / (len(rows) - n_pos + 1))
    scored = []
    for feat in {f for f, _ in counts}:
        pos, neg = counts[feat, True], counts[feat, False]
        if pos + neg >= min_rows:
            scored.append((round(math.log((pos + 1) / (neg + 1)) - prior, 2), feat, pos + neg))
    scored.sort()
    as_dict = lambda items: [{"words": f, "rows": n, "log_odds": lo} for lo, f, n in items]
    return {"negative": as_dict(scored[:top]), "positive": as_dict(scored[::-1][:top])}


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
    return {"data": str(path), "rows": len(rows), "positive_rate": rate(rows), "cues": cues,
            "mask_neighbours": mask_neighbours(rows)}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(json.dumps(label_cues(Path(sys.argv[1]))))
