"""Learning curve: F1 on a real test set vs the number of synthetic training sentences.

    python scripts/learning_curve.py ner corpus/synthetic/ner_disease.clean.jsonl \
        --test assets/corpora/NCBI-disease/test.tsv --label DISEASE --config configs/ner_trf.cfg \
        --sizes 250,500,1000,2000,0 --series "DISEASE, one-pass" --out metrics/learning_curve.json

Each point: `synthclin convert synthetic --limit N` (a random sample; 0 = all, the synthetic dev
split held out by seed as in the workflow), `spacy train`, `synthclin evaluate`. The point is
merged into OUT under its series (re-running a size replaces it), so several runs build one
curve file that `synthclin report` plots. Last stdout line: the curve JSON.
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def run(cmd):
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("task", choices=["ner", "rel"])
    p.add_argument("jsonl", type=Path, help="filtered synthetic JSONL (synthclin generate + decontamination)")
    p.add_argument("--test", type=Path, required=True, help="real test set (tsv or .spacy)")
    p.add_argument("--label", default=None, help="NER label to score (DISEASE, CHEMICAL)")
    p.add_argument("--config", type=Path, required=True)
    p.add_argument("--sizes", default="250,500,1000,2000,0", help="comma-separated; 0 = all")
    p.add_argument("--series", required=True, help="curve name in the plot, e.g. 'DISEASE, one-pass'")
    p.add_argument("--max-steps", type=int, default=1000)
    p.add_argument("--dev-fraction", type=float, default=0.1)
    p.add_argument("--gpu-id", type=int, default=-1)
    p.add_argument("--work", type=Path, default=Path("training/learning_curve"))
    p.add_argument("--out", type=Path, default=Path("metrics/learning_curve.json"))
    p.add_argument("--override", action="append", default=[], help="extra `spacy train` overrides, e.g. --vars.transformer=...")
    args = p.parse_args(argv)

    slug = "".join(c if c.isalnum() else "_" for c in args.series).strip("_").lower()
    py = sys.executable
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        work = args.work / slug / str(size or "all")
        work.mkdir(parents=True, exist_ok=True)
        convert = [py, "-m", "spacy_synthclin", "convert", "synthetic", str(args.jsonl), str(work / "train.spacy"),
                   "--dev", str(work / "dev.spacy"), "--dev-fraction", str(args.dev_fraction), "--limit", str(size)]
        if args.task == "rel":
            convert.append("--mask")
        converted = run(convert)
        start = time.time()
        train = [py, "-m", "spacy", "train", str(args.config), "--output", str(work / "model"),
                 "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "dev.spacy"),
                 "--training.max_steps", str(args.max_steps), "--gpu-id", str(args.gpu_id), *args.override]
        print("$ " + " ".join(train), file=sys.stderr, flush=True)
        subprocess.run(train, check=True, stdout=sys.stderr)
        train_s = time.time() - start
        evaluate = [py, "-m", "spacy_synthclin", "evaluate", args.task, str(work / "model" / "model-best"), str(args.test),
                    "--gpu-id", str(args.gpu_id)]
        if args.label:
            evaluate += ["--label", args.label]
        scores = run(evaluate)
        point = {"size": converted["docs"], "requested": size, "p": scores["p"], "r": scores["r"], "f": scores["f"],
                 "train_seconds": round(train_s, 1), "max_steps": args.max_steps, "config": str(args.config),
                 "test": str(args.test), "date": time.strftime("%Y-%m-%d")}
        curve = json.loads(args.out.read_text()) if args.out.exists() else {"series": []}
        series = next((s for s in curve["series"] if s["name"] == args.series), None)
        if series is None:
            series = {"name": args.series, "task": args.task, "points": []}
            curve["series"].append(series)
        series["points"] = [q for q in series["points"] if q.get("requested") != size] + [point]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(curve, indent=2) + "\n")
        print(f"✔ {args.series}: {point['size']} sentences -> F1 {point['f']:.4f}", file=sys.stderr, flush=True)
    # re-read: points are merged into OUT as they finish (other runs may add series meanwhile)
    print(json.dumps(json.loads(args.out.read_text()) if args.out.exists() else {"series": []}))


if __name__ == "__main__":
    main()
