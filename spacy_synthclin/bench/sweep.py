"""``bench generate`` over concurrency x latency (loopback stub only), and the benchmark plots.

Request counts are bounded so that a cell takes a few seconds: ours sends
``max(64, min(max_requests, 8 * concurrency))`` prompts (at least 8 waves of a full
window), spacy-llm's sequential client ``max(4, min(64, round(8 / latency)))``
(about 8 s of its time).
"""
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

DEFAULT_CONCURRENCY = (8, 32, 128)
DEFAULT_LATENCY = (0.05, 0.2, 1.0)


def sweep_requests(concurrency: int, latency: float, max_requests: int = 1024) -> Dict[str, int]:
    return {"requests": max(64, min(max_requests, 8 * concurrency)),
            "spacy_llm_requests": max(4, min(64, round(8 / latency)))}


def run_generation_sweep(concurrency: Iterable[int] = DEFAULT_CONCURRENCY, latency: Iterable[float] = DEFAULT_LATENCY,
                         max_requests: int = 1024, log=lambda msg: None) -> Dict[str, Any]:
    from ..llm.bench import run_generation_bench

    cells: List[Dict[str, Any]] = []
    for lat in latency:
        for conc in concurrency:
            counts = sweep_requests(conc, lat, max_requests)
            result = run_generation_bench(latency=lat, concurrency=conc, **counts)
            keep = ("concurrency", "latency_s", "requests", "spacy_llm_requests", "ours_rps", "spacy_llm_rps", "ratio",
                    "efficiency", "ideal_rps", "ours_failed", "ours_rss_growth_mb", "server_max_inflight")
            cells.append({k: result[k] for k in keep})
            log(f"concurrency {conc:>3}, latency {lat:g} s: ours {result['ours_rps']:.1f} req/s "
                f"(efficiency {result['efficiency']:.3f}), spacy-llm {result['spacy_llm_rps']:.2f} req/s")
    return {
        "bench": "generate-sweep",
        "cells": cells,
        "min_efficiency": min(c["efficiency"] for c in cells),
        "min_ratio": min(c["ratio"] for c in cells if c["ratio"] is not None),
        "note": "loopback stub server (fixed latency, no faults); efficiency = ours_rps / (concurrency / latency)",
    }


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def _save_figure(plt: Any, fig: Any, out: Path) -> Path:
    """Lay out, write (creating the folder) and close a figure; returns its path."""
    fig.tight_layout()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def plot_sweep(result: Dict[str, Any], out: Path, title: Optional[str] = None) -> Path:
    """Throughput vs concurrency, one line per latency; the ideal (concurrency / latency) dashed."""
    plt = _pyplot()
    cells = result["cells"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, lat in enumerate(sorted({c["latency_s"] for c in cells})):
        row = sorted((c for c in cells if c["latency_s"] == lat), key=lambda c: c["concurrency"])
        xs = [c["concurrency"] for c in row]
        color = f"C{i}"
        ax.plot(xs, [c["ours_rps"] for c in row], "o-", color=color, label=f"synthclin, latency {lat:g} s")
        ax.plot(xs, [c["ideal_rps"] for c in row], ":", color=color, alpha=0.6)
        ax.plot(xs, [c["spacy_llm_rps"] for c in row], "x--", color=color, alpha=0.8, label=f"spacy-llm, latency {lat:g} s")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("client concurrency (requests in flight)")
    ax.set_ylabel("requests / s")
    ax.set_title(title or "Generation client: throughput vs concurrency (loopback stub; dotted: ideal)", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    return _save_figure(plt, fig, out)


def plot_convert_rss(result: Dict[str, Any], out: Path, title: Optional[str] = None) -> Path:
    """Peak RSS of the conversion vs corpus size (sharded, and single-file if measured)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for mode, style, offset in (("shards", "o-", (4, -12)), ("single", "s--", (-60, 6))):
        runs = sorted((r for r in result["runs"] if r["mode"] == mode), key=lambda r: r["size"])
        if runs:
            label = "DocBin shards (streamed)" if mode == "shards" else "one .spacy file"
            ax.plot([r["size"] for r in runs], [r["peak_rss_mb"] for r in runs], style, label=label)
            for r in runs:
                ax.annotate(f"{r['docs_per_s']:.0f} docs/s", (r["size"], r["peak_rss_mb"]), fontsize=7,
                            textcoords="offset points", xytext=offset)
    ax.set_xscale("log")
    ax.margins(x=0.12)  # room for the labels at both ends
    ax.set_ylim(bottom=0)
    ax.set_xlabel("synthetic docs converted")
    ax.set_ylabel("peak RSS of the process (MB)")
    ax.set_title(title or "synthclin convert synthetic: peak memory vs corpus size", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return _save_figure(plt, fig, out)
