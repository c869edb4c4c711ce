"""Mean of several metrics files' scores (the GAD 10-fold figure), shared by the report and package meta."""
import statistics
from typing import Any, Dict, Sequence

SCORES = ("p", "r", "f", "accuracy")


def mean_metrics(metrics: Sequence[Dict[str, Any]], scores: Sequence[str] = SCORES) -> Dict[str, Any]:
    """The mean of each score that every one of ``metrics`` has (a score some lack is left out, not
    averaged over fewer runs), ``f_sd`` (population sd of F1), ``folds`` (the F1s, in order) and ``n``
    (summed, when all have it)."""
    if not metrics:
        raise ValueError("mean_metrics needs at least one metrics dict")
    result: Dict[str, Any] = {}
    for score in scores:
        values = [m.get(score) for m in metrics]
        if all(isinstance(v, (int, float)) for v in values):
            result[score] = statistics.mean(values)
    if "f" in result:
        result["folds"] = [m["f"] for m in metrics]
        result["f_sd"] = statistics.pstdev(result["folds"]) if len(metrics) > 1 else 0.0
    if all(isinstance(m.get("n"), int) for m in metrics):
        result["n"] = sum(m["n"] for m in metrics)
    return result
