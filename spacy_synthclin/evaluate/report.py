"""The workflow report: metrics/ (+ synthetic corpus stats) -> reports/index.md, index.html and PNG plots.

Reads what the workflow's commands wrote (``synthclin evaluate --output``, ``stats --output``,
``check-contamination --output``, ``--errors`` files, optional learning-curve JSON); a missing
file leaves its part out. Nothing here computes a score itself except aggregations
(10-fold mean and standard deviation) and the error typing of ``error_types``.
"""
import html
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from .aggregate import mean_metrics
from .error_types import ERROR_TYPES, summarize_error_file

# arXiv 2303.04360 (Tang et al., AMIA 2023), abstract: ChatGPT zero-shot vs a local model
# trained on ChatGPT-written data.
PAPER = {"ner": {"zero-shot (paper)": 0.2337, "synthetic (paper)": 0.6399},
         "rel": {"zero-shot (paper)": 0.7586, "synthetic (paper)": 0.8359}}

DATASETS = [  # (key, title, task, metrics file, errors file)
    ("ncbi", "NCBI-disease test (DISEASE)", "ner", "ner_disease_ncbi.json", "errors_ner_disease_ncbi.jsonl"),
    ("bc5cdr", "BC5CDR-chem test (CHEMICAL)", "ner", "ner_chemical_bc5cdr.json", "errors_ner_chemical_bc5cdr.jsonl"),
    ("gad_blurb", "GAD BLURB test", "rel", "rel_gad_blurb.json", None),
]
REFERENCES = {"ncbi": [("supervised tok2vec (ours)", "reference_cpu_ncbi.json"),
                       ("supervised transformer (ours)", "reference_trf_ncbi.json"),
                       # `spacy project run zeroshot`: the recorded LLM on a 300-sentence sample
                       ("LLM zero-shot (ours)", "zeroshot_ner.json"),
                       ("LLM few-shot (ours)", "zeroshot_fewshot_ner.json")],
              "gad_blurb": [("LLM zero-shot (ours)", "zeroshot_rel.json"),
                            ("LLM few-shot (ours)", "zeroshot_fewshot_rel.json")]}


def _load(path: Path) -> Optional[Dict[str, Any]]:
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def collect(metrics_dir: Path, learning_curve: Optional[Path] = None) -> Dict[str, Any]:
    metrics_dir = Path(metrics_dir)
    rows = []
    for key, title, task, fname, errors in DATASETS:
        m = _load(metrics_dir / fname)
        if m is None:
            continue
        refs = {name: r["f"] for name, f in REFERENCES.get(key, []) if (r := _load(metrics_dir / f))}
        rows.append({"key": key, "title": title, "task": task, "p": m["p"], "r": m["r"], "f": m["f"],
                     "accuracy": m.get("accuracy"), "n": m.get("n_gold", m.get("n")), "model": m.get("model"), "references": refs,
                     "errors": summarize_error_file(metrics_dir / errors) if errors and (metrics_dir / errors).exists() else None})
    folds = [m for k in range(1, 11) if (m := _load(metrics_dir / f"rel_gad_fold{k}.json"))]
    if folds:
        rows.append({"key": "gad_folds", "title": f"GAD {len(folds)}-fold test (mean)", "task": "rel",
                     **mean_metrics(folds), "references": {}, "errors": None})
    stats = {p.stem[len("stats_"):]: json.loads(p.read_text()) for p in sorted(metrics_dir.glob("stats_*.json"))}
    decontamination = {p.stem[len("decontamination_"):]: json.loads(p.read_text())
                       for p in sorted(metrics_dir.glob("decontamination_*.json"))}
    contamination = {p.stem[len("contamination_"):]: json.loads(p.read_text()) for p in sorted(metrics_dir.glob("contamination_*.json"))}
    curve = _load(Path(learning_curve) if learning_curve else metrics_dir / "learning_curve.json")
    return {"rows": rows, "stats": stats, "contamination": contamination, "decontamination": decontamination,
            "learning_curve": curve}


# --- plots ---------------------------------------------------------------------


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_scores(rows: List[Dict], out: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(max(6, 2.2 * len(rows)) + 2.5, 4.2))
    width = 0.25
    for i, metric in enumerate(("p", "r", "f")):
        xs = [j + (i - 1) * width for j in range(len(rows))]
        bars = ax.bar(xs, [r[metric] for r in rows], width, label={"p": "precision", "r": "recall", "f": "F1"}[metric])
        if metric == "f":
            ax.bar_label(bars, fmt="%.2f", fontsize=8)
    for j, row in enumerate(rows):
        for k, (name, value) in enumerate(list(PAPER[row["task"]].items()) + list(row["references"].items())):
            style = {"zero-shot (paper)": ":", "synthetic (paper)": "--"}.get(name, "-.")
            ax.hlines(value, j - 0.45, j + 0.45, colors=f"C{3 + k}", linestyles=style,
                      label=name if name not in ax.get_legend_handles_labels()[1] else None)
    ax.set_xticks(range(len(rows)), [r["title"].replace(" test", "\ntest") for r in rows], fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("score (strict entities / binary relation)")
    ax.set_title("Synthetic-only models on the real test sets")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # outside: never over a bar
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def plot_learning_curve(curve: Dict, out: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    for series in curve["series"]:
        points = sorted(series["points"], key=lambda p: p["size"])
        ax.plot([p["size"] for p in points], [p["f"] for p in points], marker="o", label=series["name"])
    ax.set_xscale("log")
    sizes = [p["size"] for series in curve["series"] for p in series["points"]]
    ticks = [t for t in (100, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000) if min(sizes) / 1.5 <= t <= max(sizes) * 1.5]
    ax.set_xticks(ticks, [f"{t:,}" for t in ticks])  # plain round numbers, not 3x10^2
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    ax.set_xlabel("synthetic training sentences")
    ax.set_ylabel("F1 on the real test set")
    ax.set_ylim(0, 1)
    ax.set_title("Learning curve")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def plot_stats(stats: Dict[str, Dict], out: Path) -> None:
    plt = _plt()
    names = list(stats)
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    axes[0].bar(names, [s["docs"] for s in stats.values()], color="C0")
    axes[0].set_title("sentences")
    axes[1].bar(names, [sum(s["unique_entities"].values()) for s in stats.values()], color="C1")
    axes[1].set_title("unique entity strings")
    for k, metric in enumerate(("distinct_3", "near_duplicate_rate")):
        axes[2].bar([j + 0.4 * k for j in range(len(names))], [s[metric] for s in stats.values()], 0.4, label=metric)
    axes[2].set_xticks([j + 0.2 for j in range(len(names))], names)
    axes[2].set_ylim(0, 1.25)
    axes[2].set_title("diversity")
    axes[2].legend(fontsize=7, loc="upper center", ncol=2)
    for ax in axes:
        ax.tick_params(axis="x", labelsize=8, rotation=15)
    fig.suptitle("Synthetic corpora (after filtering)")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def plot_error_types(rows: List[Dict], out: Path) -> None:
    plt = _plt()
    rows = [r for r in rows if r.get("errors")]
    fig, ax = plt.subplots(figsize=(9, 1.6 + 0.8 * len(rows)))
    left = [0] * len(rows)
    for k, kind in enumerate(ERROR_TYPES):
        values = [r["errors"]["counts"][kind] for r in rows]
        ax.barh([r["title"] for r in rows], values, left=left, label=kind.replace("_", " "), color=f"C{k}")
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel("errors (a boundary error counts once)")
    ax.set_title("NER error types")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


# --- page ----------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100 * x:.2f}"


def render_markdown(data: Dict, images: Dict[str, str]) -> str:
    lines = ["# spacy-synthclin report", "",
             "Models trained on LLM-written synthetic data only, scored on real human-annotated test sets "
             "(strict entity match for NER, binary P/R/F of the positive class for relations).", ""]
    if data["rows"]:
        # accuracy beside F1 for relations: on GAD, predicting every row positive already scores F1 0.69
        lines += ["## Scores", "", "| test set | P | R | F1 | accuracy | n | references (F1) |", "|---|---|---|---|---|---|---|"]
        for r in data["rows"]:
            refs = {**PAPER[r["task"]], **r["references"]}
            ref_text = "; ".join(f"{k} {_pct(v)}" for k, v in refs.items())
            f1 = _pct(r["f"]) + (f" ± {_pct(r['f_sd'])}" if "f_sd" in r else "")
            accuracy = _pct(r["accuracy"]) if r.get("accuracy") is not None else "—"
            lines.append(f"| {r['title']} | {_pct(r['p'])} | {_pct(r['r'])} | {f1} | {accuracy} | {r.get('n')} | {ref_text} |")
        lines += ["", "Paper figures: arXiv 2303.04360, abstract (NER and RE as reported there).", ""]
    for key, title in (("scores", "Scores"), ("learning_curve", "Learning curve"), ("stats", "Synthetic corpora"),
                       ("errors", "Error types")):
        if key in images:
            lines += [f"![{title}]({images[key]})", ""]
    if data["stats"]:
        lines += ["## Synthetic corpora", "", "| corpus | sentences | entities | unique entities | distinct-3 | near-dup rate | misaligned |",
                  "|---|---|---|---|---|---|---|"]
        for name, s in data["stats"].items():
            lines.append(f"| {name} | {s['docs']} | {s['entities']} | {sum(s['unique_entities'].values())} | "
                         f"{s['distinct_3']:.3f} | {s['near_duplicate_rate']:.4f} | {s.get('misaligned_spans', 0)} |")
        lines.append("")
    if data["contamination"]:
        lines += ["## Contamination (8-gram overlap with every test split)", ""]
        for name, c in data["contamination"].items():
            dropped = data.get("decontamination", {}).get(name)
            before = f" (before decontamination {dropped['overlapping']} overlapped and were dropped)" if dropped else ""
            lines.append(f"- {name}: {c['overlapping']} of {c['synthetic_sentences']} synthetic sentences overlap{before}")
        lines.append("")
    for r in data["rows"]:
        if r.get("errors"):
            lines += [f"## Errors: {r['title']}", "", "| type | count | most frequent |", "|---|---|---|"]
            for kind in ERROR_TYPES:
                top = ", ".join(f"{html.escape(t)} ({n})" for t, n in r["errors"]["top"][kind][:6])
                lines.append(f"| {kind.replace('_', ' ')} | {r['errors']['counts'][kind]} | {top} |")
            lines.append("")
    return "\n".join(lines) + "\n"


def markdown_to_html(markdown: str) -> str:
    """Just enough Markdown (headings, tables, images, lists, paragraphs) for this report."""
    body, table = [], []

    def flush_table():
        if table:
            head, *rest = table
            cells = lambda row, tag: "".join(f"<{tag}>{c.strip()}</{tag}>" for c in row.strip("|").split("|"))  # noqa: E731
            body.append("<table><tr>" + cells(head, "th") + "</tr>" +
                        "".join("<tr>" + cells(row, "td") + "</tr>" for row in rest if not set(row) <= set("|-")) + "</table>")
            table.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        flush_table()
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{html.escape(line[level:].strip())}</h{level}>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](", 1)
            body.append(f'<p><img src="{src.rstrip(")")}" alt="{html.escape(alt)}" style="max-width:100%"></p>')
        elif line.startswith("- "):
            body.append(f"<li>{html.escape(line[2:])}</li>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    flush_table()
    style = "body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:90%}"
    return f"<!doctype html><html><head><meta charset='utf-8'><title>spacy-synthclin report</title><style>{style}</style></head><body>{''.join(body)}</body></html>\n"


def write_report(metrics_dir: Path, out_dir: Path, learning_curve: Optional[Path] = None) -> Dict[str, Any]:
    """``learning_curve``: the curve JSON of scripts/learning_curve.py (default: METRICS/learning_curve.json)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = collect(metrics_dir, learning_curve)
    images: Dict[str, str] = {}
    if data["rows"]:
        plot_scores(data["rows"], out_dir / "scores.png")
        images["scores"] = "scores.png"
    if data["learning_curve"]:
        plot_learning_curve(data["learning_curve"], out_dir / "learning_curve.png")
        images["learning_curve"] = "learning_curve.png"
    if data["stats"]:
        plot_stats(data["stats"], out_dir / "synthetic_stats.png")
        images["stats"] = "synthetic_stats.png"
    if any(r.get("errors") for r in data["rows"]):
        plot_error_types(data["rows"], out_dir / "error_types.png")
        images["errors"] = "error_types.png"
    markdown = render_markdown(data, images)
    (out_dir / "index.md").write_text(markdown, encoding="utf-8")
    (out_dir / "index.html").write_text(markdown_to_html(markdown), encoding="utf-8")
    (out_dir / "summary.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return {"out": str(out_dir), "datasets": [r["key"] for r in data["rows"]], "images": sorted(images.values()),
            "scores": {r["key"]: round(r["f"], 4) for r in data["rows"]}}
