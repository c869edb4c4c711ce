"""Corpus statistics for `synthclin stats`: size, entities, diversity, duplicates, balance, lengths."""
import json
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from .alignment import blank_nlp
from .corpus_io import iter_corpus, sniff_format
from .dedup import ExactDeduplicator, NearDuplicateFilter
from .ngrams import ngrams, tokens

PathLike = Union[str, Path]
LENGTH_BINS = (10, 20, 30, 40, 60, 80)


def _percentile(sorted_values: List[int], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return float(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo))


def _histogram(values: List[int]) -> Dict[str, int]:
    edges = (0,) + LENGTH_BINS
    hist = {f"{a}-{b - 1}": 0 for a, b in zip(edges, edges[1:])}
    hist[f"{LENGTH_BINS[-1]}+"] = 0
    for v in values:
        for a, b in zip(edges, edges[1:]):
            if a <= v < b:
                hist[f"{a}-{b - 1}"] += 1
                break
        else:
            hist[f"{LENGTH_BINS[-1]}+"] += 1
    return hist


def _ledger_of(path: Path) -> Optional[Path]:
    if path.suffix != ".jsonl":
        return None
    ledger = path.with_name(path.name[: -len(".jsonl")] + ".ledger.jsonl")
    return ledger if ledger.exists() else None


def corpus_stats(path: PathLike, label: Optional[str] = None, near_threshold: float = 0.8) -> Dict[str, Any]:
    path = Path(path)
    fmt = sniff_format(path)
    nlp = blank_nlp("en")
    n_docs = 0
    ent_counts: Counter = Counter()
    unique_ents: Dict[str, set] = {}
    lengths: List[int] = []
    grams = {1: [set(), 0], 2: [set(), 0], 3: [set(), 0]}
    exact = ExactDeduplicator()
    near = NearDuplicateFilter(threshold=near_threshold)
    n_exact = n_near = 0
    misaligned = 0
    docs_without_ents = 0
    rel_labels: Counter = Counter()
    by_meta: Dict[str, Counter] = {"style": Counter(), "form": Counter(), "mode": Counter()}
    for item in iter_corpus(path, label=label):
        n_docs += 1
        doc = nlp.make_doc(item.text)
        lengths.append(len(doc))
        toks = tokens(item.text)
        for n, entry in grams.items():
            for gram in ngrams(toks, n):
                entry[0].add(gram)
                entry[1] += 1
        if exact.seen(item.text):
            n_exact += 1
        elif near.check_and_add(item.text):
            n_near += 1
        exact.add(item.text)
        if not item.spans:
            docs_without_ents += 1
        for start, end, lab in item.spans:
            ent_counts[lab] += 1
            unique_ents.setdefault(lab, set()).add(item.text[start:end].lower())
            # only raw-text corpora (JSONL) are tokenised here; tsv/DocBin keep their own tokens
            if fmt == "jsonl" and doc.char_span(start, end, alignment_mode="strict") is None:
                misaligned += 1
        if item.rel_label is not None:
            rel_labels[int(item.rel_label)] += 1
        for key in by_meta:
            if item.meta.get(key) is not None:
                by_meta[key][str(item.meta[key])] += 1
    lengths_sorted = sorted(lengths)
    stats: Dict[str, Any] = {
        "corpus": str(path),
        "format": fmt,
        "docs": n_docs,
        "entities": sum(ent_counts.values()),
        "entities_by_label": dict(sorted(ent_counts.items())),
        "unique_entities": {k: len(v) for k, v in sorted(unique_ents.items())},
        "docs_without_entities": docs_without_ents,
        "distinct_1": len(grams[1][0]) / grams[1][1] if grams[1][1] else 0.0,
        "distinct_2": len(grams[2][0]) / grams[2][1] if grams[2][1] else 0.0,
        "distinct_3": len(grams[3][0]) / grams[3][1] if grams[3][1] else 0.0,
        "exact_duplicate_rate": n_exact / n_docs if n_docs else 0.0,
        "near_duplicate_rate": (n_exact + n_near) / n_docs if n_docs else 0.0,
        "near_duplicate_threshold": near_threshold,
        "misaligned_spans": misaligned,
        "length_tokens": {
            "min": lengths_sorted[0] if lengths_sorted else 0,
            "p10": _percentile(lengths_sorted, 0.10),
            "median": _percentile(lengths_sorted, 0.50),
            "mean": sum(lengths) / len(lengths) if lengths else 0.0,
            "p90": _percentile(lengths_sorted, 0.90),
            "max": lengths_sorted[-1] if lengths_sorted else 0,
            "histogram": _histogram(lengths),
        },
    }
    if rel_labels:
        total = sum(rel_labels.values())
        stats["relation_labels"] = {"positive": rel_labels[1], "negative": rel_labels[0],
                                    "positive_fraction": rel_labels[1] / total if total else 0.0}
    for key, counter in by_meta.items():
        if counter:
            stats[f"by_{key}"] = dict(sorted(counter.items()))
    ledger = _ledger_of(path)
    if ledger is not None:
        # generation-time accounting: what was dropped before the corpus was written
        failed: Counter = Counter()
        filtered: Counter = Counter()
        latest: Dict[str, Dict[str, Any]] = {}
        for line in ledger.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("type") == "prompt":
                latest[record["prompt_key"]] = record
            elif record.get("type") == "balance":
                filtered["balance"] += int(record["dropped"])
        for record in latest.values():
            failed.update(record.get("failed", {}))
            filtered.update(record.get("filtered", {}))
        stats["generation"] = {
            "prompts": len(latest),
            "requested": sum(int(r["requested"]) for r in latest.values()),
            "parsed": sum(int(r["parsed"]) for r in latest.values()),
            "failed": dict(sorted(failed.items())),
            "alignment_failures": failed.get("misaligned", 0),
            "filtered": dict(sorted(filtered.items())),
        }
    return stats
