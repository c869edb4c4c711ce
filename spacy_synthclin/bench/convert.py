"""Convert throughput and peak memory: synthetic JSONL -> DocBin shards, at several corpus sizes.

The input is a performance fixture, not training data: the real synthetic examples
of the replayed cassette (``configs/generate_ner_disease.cfg``, ~4,000 sentences),
repeated with generated ids (``perf-000123``) up to each size. Each size is
converted in a fresh child process (``python -m spacy_synthclin.bench.convert``)
running the code of ``synthclin convert synthetic`` (read_synthetic_jsonl ->
synthetic_to_docs -> ShardedDocBinWriter), so every peak RSS is that size's own.
Streaming into shards keeps the peak flat in corpus size; a single ``.spacy``
file (``--single``) holds the whole corpus in one DocBin, for contrast.
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

from .replay import DEFAULT_CONFIG


def replayed_records(config: Path = DEFAULT_CONFIG, n_seeds: Optional[int] = None) -> List[Dict[str, Any]]:
    """The synthetic examples a replay of ``config`` produces (what `synthclin generate` would keep, unfiltered)."""
    from ..corpora.synthetic import seed_docs_to_records
    from ..tasks.runner import iter_seed_docs, load_generation_pipeline

    nlp, settings = load_generation_pipeline(Path(config))
    return list(seed_docs_to_records(nlp.pipe(iter_seed_docs(nlp, settings, n_seeds), batch_size=128)))


def write_perf_corpus(records: List[Dict[str, Any]], n: int, path: Path) -> Path:
    """``n`` lines cycling through ``records``, each with a generated id (streamed to disk)."""
    if not records:
        raise ValueError("no records to repeat")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            record = dict(records[i % len(records)])
            record["id"] = f"perf-{i:07d}"
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def convert_in_child(jsonl: Path, out: Path, shard_size: int, isolation: str = "process",
                     timeout: float = 1800) -> Dict[str, Any]:
    """Convert in a child: a fresh interpreter ("process": absolute peak RSS is the conversion's own)
    or a fork of this one ("fork": no import cost, for tests; compare ``rss_growth_mb`` only)."""
    if isolation == "fork":
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(1) as pool:
            return pool.apply(_child, (str(jsonl), str(out), shard_size))
    proc = subprocess.run([sys.executable, "-m", "spacy_synthclin.bench.convert", str(jsonl), str(out), str(shard_size)],
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"convert child failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_convert_bench(sizes: Iterable[int] = (10_000, 100_000), shard_size: int = 5000, single: bool = False,
                      config: Path = DEFAULT_CONFIG, n_seeds: Optional[int] = None, isolation: str = "process",
                      workdir: Optional[Path] = None, log=lambda msg: None) -> Dict[str, Any]:
    sizes = sorted(set(int(s) for s in sizes))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(workdir) if workdir else Path(tmp)
        log(f"replaying {config} for the base records ...")
        records = replayed_records(config, n_seeds)
        log(f"{len(records)} real synthetic records; building corpora of {', '.join(map(str, sizes))} docs")
        runs = []
        for n in sizes:
            jsonl = write_perf_corpus(records, n, work / f"perf-{n}.jsonl")
            modes = [("shards", work / f"out-{n}")] + ([("single", work / f"out-{n}.spacy")] if single else [])
            for mode, out in modes:
                result = convert_in_child(jsonl, out, shard_size, isolation=isolation)
                result.update({"size": n, "mode": mode, "input_mb": round(jsonl.stat().st_size / 2**20, 1)})
                log(f"{mode} {n}: {result['docs_per_s']:.0f} docs/s, peak RSS {result['peak_rss_mb']} MB "
                    f"(+{result['rss_growth_mb']} MB over the imports)")
                runs.append(result)
                _remove(out)
            jsonl.unlink()
    shards = [r for r in runs if r["mode"] == "shards"]
    return {
        "bench": "convert",
        "runs": runs,
        "docs_per_s": {str(r["size"]): r["docs_per_s"] for r in shards},
        "peak_rss_mb": {str(r["size"]): r["peak_rss_mb"] for r in shards},
        "peak_rss_ratio_largest_smallest": round(shards[-1]["peak_rss_mb"] / shards[0]["peak_rss_mb"], 3) if shards else None,
        "shard_size": shard_size,
        "isolation": isolation,
        "base_records": len(records),
        "config": str(config),
        "input": "the replayed cassette's synthetic examples repeated with generated ids (a perf fixture, not training data)",
    }


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _child(jsonl: str, out: str, shard_size: int) -> Dict[str, Any]:
    import psutil
    import spacy

    from ..corpora.synthetic import read_synthetic_jsonl, synthetic_to_docs, write_docbin_shards
    from .machine import peak_rss_mb

    nlp = spacy.blank("en")
    base = psutil.Process().memory_info().rss / 2**20  # after the imports: what the conversion adds is above this
    start = time.perf_counter()
    written = write_docbin_shards(synthetic_to_docs(read_synthetic_jsonl(jsonl), nlp), out, shard_size=shard_size)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    return {"docs": written["docs"], "entities": written["entities"], "files": len(written["files"]),
            "seconds": round(seconds, 2), "docs_per_s": round(written["docs"] / seconds, 1),
            "peak_rss_mb": peak, "rss_after_imports_mb": round(base, 1), "rss_growth_mb": round(peak - base, 1),
            "output_mb": round(sum(Path(f).stat().st_size for f in written["files"]) / 2**20, 1)}


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
