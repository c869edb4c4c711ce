"""`synthclin bench replay|convert|inference|train|sweep` on tiny sizes: the JSON contract and what each measures."""
import json
from pathlib import Path

import pytest

from spacy_synthclin.bench.convert import run_convert_bench
from spacy_synthclin.bench.pipelines import run_inference_bench, run_train_bench
from spacy_synthclin.bench.replay import run_replay_bench
from spacy_synthclin.bench.sweep import plot_convert_rss, plot_sweep, run_generation_sweep, sweep_requests

from ..conftest import REPO
from .helpers import last_json, run_cli

MACHINE_KEYS = ("cpu_count", "load_avg_start", "load_avg_end", "date")
NCBI_TEST = "NCBI-disease/test.tsv"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_bench_replay_cli_contract():
    proc = run_cli(["bench", "replay", "--n", "30", "--rounds", "1"], cwd=REPO, timeout=120)
    result = last_json(proc)
    assert proc.stdout.strip().count("\n") == 0
    assert result["bench"] == "replay" and result["seed_docs"] == 30
    # 5 sentences a prompt, nearly all parse (the committed cassette answers every prompt)
    assert 140 <= result["synthetic_docs"] <= 150
    assert result["synthetic_docs_per_s"] > 0 and result["prompts_per_s"] > 0
    assert result["synthetic_docs_per_s"] == pytest.approx(result["prompts_per_s"] * result["synthetic_docs"] / 30, rel=0.01)
    for key in MACHINE_KEYS:
        assert result["machine"][key] is not None, key
    assert len(result["machine"]["load_avg_start"]) == 3


def test_replay_counts_every_round():
    result = run_replay_bench(REPO / "configs/generate_ner_disease.cfg", rounds=2, n=10, batch_size=4, warmup=2)
    assert [r["seed_docs"] for r in result["rounds"]] == [10, 10]
    assert result["rounds"][0]["synthetic_docs"] == result["rounds"][1]["synthetic_docs"]  # replay is deterministic


def test_convert_memory_stays_flat_in_corpus_size(tmp_path):
    result = run_convert_bench(sizes=[300, 2400], shard_size=100, single=True, config=REPO / "configs/generate_ner_disease.cfg",
                               n_seeds=20, isolation="fork", workdir=tmp_path)
    runs = {(r["mode"], r["size"]): r for r in result["runs"]}
    assert runs[("shards", 2400)]["docs"] == 2400 and runs[("shards", 2400)]["files"] == 24
    assert runs[("shards", 300)]["files"] == 3 and runs[("single", 300)]["files"] == 1
    assert result["base_records"] < 300  # the big corpus really repeats records (with generated ids)
    # Streamed shards: 8x the docs, (almost) no more memory; one DocBin holding the corpus grows.
    shard_growth = runs[("shards", 2400)]["rss_growth_mb"] - runs[("shards", 300)]["rss_growth_mb"]
    assert shard_growth < 6, result["runs"]
    assert runs[("single", 2400)]["rss_growth_mb"] > runs[("shards", 2400)]["rss_growth_mb"]
    png = plot_convert_rss(result, tmp_path / "rss.png")
    assert png.read_bytes()[:8] == PNG_MAGIC
    assert not list(tmp_path.glob("perf-*.jsonl"))  # the fixture corpora are removed


def test_inference_bench_untrained_config_and_variants(shared_data):
    result = run_inference_bench(config=REPO / "configs/ner_cpu.cfg", data=shared_data / NCBI_TEST,
                                 batch_sizes=[8, 32], n_processes=[1, 2], limit=24)
    assert result["weights"].startswith("initialised, untrained")
    assert [(r["batch_size"], r["n_process"]) for r in result["runs"]] == [(8, 1), (32, 1), (8, 2), (32, 2)]
    words = {r["words"] for r in result["runs"]}
    assert len(words) == 1 and words.pop() > 24 * 5  # every variant annotated the same 24 sentences
    assert result["words_per_s"] == max(r["words_per_s"] for r in result["runs"])


def test_inference_bench_with_a_model_path(shared_data, tmp_path):
    from ..inference.tiny_pipeline import build_tiny_pipeline

    model = build_tiny_pipeline(tmp_path / "tiny", relations=False)
    result = run_inference_bench(model=str(model), data=shared_data / NCBI_TEST, batch_sizes=[16], limit=10)
    assert result["weights"] == f"trained model {model}" and result["pipeline"] == ["entity_ruler"]


def test_train_bench_counts_the_timed_steps(shared_data):
    result = run_train_bench(REPO / "configs/ner_cpu.cfg", data=shared_data / "NCBI-disease/train.tsv", steps=4,
                             warmup_steps=1, limit=60)
    assert result["steps"] == 4 and result["train_docs"] == 60
    assert result["timed_words"] > 0 and result["words_per_s"] == pytest.approx(result["timed_words"] / result["seconds"], rel=0.02)
    assert result["losses"]["ner"] > 0
    json.dumps(result)  # JSON-ready (no numpy scalars)


def test_sweep_tiny_grid_and_plot(tmp_path):
    assert sweep_requests(128, 1.0) == {"requests": 1024, "spacy_llm_requests": 8}
    assert sweep_requests(8, 0.05) == {"requests": 64, "spacy_llm_requests": 64}
    result = run_generation_sweep(concurrency=[2, 4], latency=[0.02], max_requests=16)
    assert [c["concurrency"] for c in result["cells"]] == [2, 4]
    for cell in result["cells"]:
        assert cell["ours_failed"] == 0 and cell["server_max_inflight"] == cell["concurrency"]
        assert 0 < cell["efficiency"] <= 1.05
    png = plot_sweep(result, tmp_path / "sweep.png")
    assert png.read_bytes()[:8] == PNG_MAGIC
