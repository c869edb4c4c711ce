"""Cassette replay throughput: seed Docs through spacy-llm's ``llm`` component with ``synthclin.Replay.v1``.

The pipeline is the generation config as shipped (its task renders every prompt,
the Replay model looks the answers up in the cassette, the task parses them into
token-aligned examples on each seed Doc). No server, no disk writes: this is the
ceiling of an offline ``synthclin generate`` run. A *synthetic doc* is one parsed
example (a sentence with its spans); each seed Doc (one prompt) yields up to
``n_sentences`` of them.
"""
import gc
import time
from pathlib import Path
from typing import Any, Dict, Optional

DEFAULT_CONFIG = Path("configs/generate_ner_disease.cfg")


def run_replay_bench(config: Path = DEFAULT_CONFIG, rounds: int = 3, n: Optional[int] = None,
                     batch_size: int = 128, warmup: int = 32, log=lambda msg: None) -> Dict[str, Any]:
    from ..tasks.runner import iter_seed_docs, load_generation_pipeline

    t0 = time.perf_counter()
    nlp, settings = load_generation_pipeline(Path(config))
    load_s = time.perf_counter() - t0
    # A short warm-up (regex and template caches) before the clock: every round then measures the same steady state.
    for _ in nlp.pipe(list(iter_seed_docs(nlp, settings, warmup)), batch_size=batch_size):
        pass
    gc.collect()
    per_round = []
    for r in range(rounds):
        seeds = list(iter_seed_docs(nlp, settings, n))  # fresh Docs each round: nothing cached on them
        start = time.perf_counter()
        n_docs = n_examples = failed = 0
        for doc in nlp.pipe(seeds, batch_size=batch_size):
            n_docs += 1
            n_examples += len(doc._.synthetic or [])
            failed += sum((doc._.synthetic_report or {}).get("failed", {}).values())
        seconds = time.perf_counter() - start
        per_round.append({"seed_docs": n_docs, "synthetic_docs": n_examples, "failed_items": failed,
                          "seconds": round(seconds, 3), "synthetic_docs_per_s": round(n_examples / seconds, 1),
                          "prompts_per_s": round(n_docs / seconds, 1)})
        log(f"round {r + 1}/{rounds}: {n_examples} synthetic docs from {n_docs} prompts in {seconds:.2f} s "
            f"({n_examples / seconds:.0f} docs/s)")
    best = max(per_round, key=lambda x: x["synthetic_docs_per_s"])
    rates = sorted(x["synthetic_docs_per_s"] for x in per_round)
    return {
        "bench": "replay",
        "synthetic_docs_per_s": best["synthetic_docs_per_s"],
        "synthetic_docs_per_s_median": rates[len(rates) // 2],
        "prompts_per_s": best["prompts_per_s"],
        "target_docs_per_s": 2000,
        "synthetic_docs": best["synthetic_docs"],
        "seed_docs": best["seed_docs"],
        "rounds": per_round,
        "config": str(config),
        "cassette": settings.cassette,
        "model": settings.model_name,
        "batch_size": batch_size,
        "load_seconds": round(load_s, 2),
        "timed": "nlp.pipe over fresh seed Docs (render + cassette lookup + parse); config load and a warm-up excluded",
    }
