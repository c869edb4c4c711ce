"""Annotate a JSONL or Parquet note collection with a packaged pipeline on a Ray cluster.

    pip install "spacy-synthclin[ray]"
    # a local cluster on this machine (loopback only):
    python examples/ray_annotate.py en_synthclin_ner notes.jsonl out/ --pool-size 2
    # an existing cluster: RAY_ADDRESS=ray://head:10001 python examples/ray_annotate.py ...

The pipeline (a package name, installed on every node, or a path every node can
read) is loaded once per actor; Ray Data streams the blocks through the pool and
writes Parquet (one file per block) to OUT. With no MODEL given, a tiny
rule-based demo pipeline is built first, so the script runs anywhere.
"""
import argparse
import json
import os
import tempfile
import time
from pathlib import Path


def demo_pipeline(path: Path) -> str:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "DISEASE", "pattern": [{"LOWER": "breast"}, {"LOWER": "cancer"}]},
        {"label": "DISEASE", "pattern": [{"LOWER": "asthma"}]},
    ])
    nlp.to_disk(path)
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", nargs="?", help="pipeline package or path (default: a tiny demo pipeline)")
    parser.add_argument("input", nargs="?", help="JSONL or Parquet with a text column (default: 200 demo notes)")
    parser.add_argument("out", nargs="?", default="ray-annotated", help="output folder (Parquet)")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--pool-size", type=int, default=2, help="actors, each holding one loaded pipeline")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--num-gpus", type=float, default=0, help="GPUs per actor (e.g. 1 for a transformer)")
    parser.add_argument("--num-cpus", type=int, default=None, help="local cluster size (default: all cores)")
    args = parser.parse_args()

    import ray

    from spacy_synthclin.inference.ray_batch import annotate_dataset

    tmp = Path(tempfile.mkdtemp(prefix="ray-annotate-"))
    model = args.model or demo_pipeline(tmp / "demo-model")
    source = args.input or None
    if source is None:
        source = str(tmp / "notes.jsonl")
        with open(source, "w", encoding="utf-8") as fh:
            for i in range(200):
                fh.write(json.dumps({"id": i, "text": f"Note {i}: no asthma; a history of breast cancer."}) + "\n")
    if "RAY_ADDRESS" not in os.environ:  # a local cluster, loopback only, no dashboard
        # The actors hold one CPU slot each for the whole run: the read and write tasks need one more,
        # or the pipeline waits forever for a free slot.
        num_cpus = max(args.num_cpus or os.cpu_count() or 1, args.pool_size + 1)
        ray.init(num_cpus=num_cpus, include_dashboard=False, _node_ip_address="127.0.0.1")
    ds = ray.data.read_parquet(source) if source.endswith((".parquet", ".pq")) else ray.data.read_json(source)
    start = time.perf_counter()
    out = annotate_dataset(ds, model, text_column=args.text_column, pool_size=args.pool_size,
                           batch_size=args.batch_size, num_gpus=args.num_gpus)
    out.write_parquet(args.out)
    seconds = time.perf_counter() - start
    rows = ray.data.read_parquet(args.out).count()
    print(json.dumps({"rows": rows, "seconds": round(seconds, 2), "out": args.out, "pool_size": args.pool_size}))


if __name__ == "__main__":
    main()
