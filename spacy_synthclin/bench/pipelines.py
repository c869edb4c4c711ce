"""Inference and training words/s of a NER pipeline (CPU tok2vec or transformer) on the NCBI-disease text.

Without a trained model the pipeline is built from its config and initialised
(untrained, on a few gold sentences): the weights' values do not change the
speed, only their shapes do. Words are spaCy tokens (punctuation included), as in
``spacy train``'s and ``spacy benchmark speed``'s words/s.
"""
import itertools
import random
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

DEFAULT_DATA_CANDIDATES = ("assets/corpora/NCBI-disease/test.tsv", "../shared/data/NCBI-disease/test.tsv")
DEFAULT_TRAIN_CANDIDATES = ("assets/corpora/NCBI-disease/train.tsv", "../shared/data/NCBI-disease/train.tsv")


def _torch_threads() -> Optional[int]:
    try:
        import torch
    except ImportError:
        return None
    return torch.get_num_threads()


def default_data(candidates: Tuple[str, ...] = DEFAULT_DATA_CANDIDATES) -> Path:
    from ..errors import ConfigError

    for candidate in candidates:
        if Path(candidate).exists():
            return Path(candidate)
    raise ConfigError(f"no NCBI-disease data found at {' or '.join(candidates)}: run `spacy project run fetch-corpora` "
                      "or pass --data")


def gold_docs(path: Path, nlp, label: str = "DISEASE", limit: int = 0):
    from ..corpora.readers import read_docs

    docs = read_docs(path, nlp, "ner", label=label)
    return list(itertools.islice(docs, limit) if limit else docs)


def _examples(nlp, docs) -> List[Any]:
    from spacy.tokens import Doc
    from spacy.training import Example

    # gold_preproc: the predicted side keeps the corpus tokenisation, as the training configs do
    return [Example(Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]), d) for d in docs]


def build_pipeline(config: Optional[Path] = None, model: Optional[str] = None, init_docs=None, label: str = "DISEASE"):
    """(nlp, description): a trained model if given, else the config's pipeline initialised untrained."""
    import spacy

    if model:
        from ..util import load_model

        return load_model(model), f"trained model {model}"
    config_obj = spacy.util.load_config(Path(config), interpolate=True)  # nlp.initialize resolves [training] as is
    nlp = spacy.util.load_model_from_config(config_obj, auto_fill=True, validate=True)
    if "ner" in nlp.pipe_names:
        nlp.get_pipe("ner").add_label(label)
    examples = _examples(nlp, init_docs or [])
    nlp.initialize((lambda: examples) if examples else None)
    return nlp, f"initialised, untrained pipeline from {config}"


def run_inference_bench(config: Optional[Path] = None, model: Optional[str] = None, data: Optional[Path] = None,
                        batch_sizes: Iterable[int] = (64, 256), n_processes: Iterable[int] = (1,), limit: int = 0,
                        label: str = "DISEASE", log=lambda msg: None) -> Dict[str, Any]:
    import spacy

    from ..inference.annotate import check_fork_safe

    data = Path(data) if data else default_data()
    docs = gold_docs(data, spacy.blank("en"), label=label, limit=limit)
    texts = [d.text for d in docs]
    t0 = time.perf_counter()
    nlp, source = build_pipeline(config, model, init_docs=docs[:50], label=label)
    load_s = time.perf_counter() - t0
    for _ in nlp.pipe(texts[:16]):  # warm-up (allocations, lazy imports) before any clock
        pass
    runs = []
    for n_process in n_processes:
        for batch_size in batch_sizes:
            check_fork_safe(nlp, n_process)
            # Worker start-up is inside the clock: it is what a run pays.
            start = time.perf_counter()
            words = ents = 0
            for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
                words += len(doc)
                ents += len(doc.ents)
            seconds = time.perf_counter() - start
            run = {"batch_size": batch_size, "n_process": n_process, "words": words, "docs": len(texts),
                   "seconds": round(seconds, 3), "words_per_s": round(words / seconds, 1), "entities": ents}
            log(f"batch_size {batch_size}, n_process {n_process}: {run['words_per_s']:.0f} words/s ({seconds:.1f} s)")
            runs.append(run)
    best = max(runs, key=lambda r: r["words_per_s"])
    return {
        "bench": "inference",
        "words_per_s": best["words_per_s"],
        "torch_threads": _torch_threads(),
        "best": {k: best[k] for k in ("batch_size", "n_process")},
        "runs": runs,
        "pipeline": list(nlp.pipe_names),
        "weights": source,
        "config": str(config) if config else None,
        "model": model,
        "data": str(data),
        "docs": len(texts),
        "load_seconds": round(load_s, 2),
    }


def run_train_bench(config: Path, data: Optional[Path] = None, steps: int = 200, warmup_steps: int = 5,
                    limit: int = 0, label: str = "DISEASE", seed: int = 0, log=lambda msg: None) -> Dict[str, Any]:
    """``nlp.update`` with the config's batcher, optimizer and dropout, on gold NER sentences."""
    import spacy
    from spacy.util import registry

    data = Path(data) if data else default_data(DEFAULT_TRAIN_CANDIDATES)
    spacy.util.fix_random_seed(seed)
    config_obj = spacy.util.load_config(Path(config), interpolate=True)  # nlp.initialize resolves [training] as is
    nlp = spacy.util.load_model_from_config(config_obj, auto_fill=True, validate=True)
    training = registry.resolve(nlp.config.interpolate()["training"])
    batcher, optimizer, dropout = training["batcher"], training["optimizer"], training["dropout"]
    examples = _examples(nlp, gold_docs(data, nlp, label=label, limit=limit))
    t0 = time.perf_counter()
    nlp.initialize(lambda: examples, sgd=optimizer)
    init_s = time.perf_counter() - t0

    def stream():
        rng = random.Random(seed)
        while True:  # epochs of shuffled examples, as spacy train does
            order = list(examples)
            rng.shuffle(order)
            yield from order

    losses: Dict[str, float] = {}
    words = timed_words = 0
    start = None
    step_times = []
    for step, batch in enumerate(batcher(stream()), 1):
        if step == warmup_steps + 1:
            start = time.perf_counter()
        t_step = time.perf_counter()
        nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
        step_times.append(time.perf_counter() - t_step)
        n = sum(len(eg.predicted) for eg in batch)
        words += n
        if start is not None:
            timed_words += n
        if step % 50 == 0:
            log(f"step {step}/{steps + warmup_steps}: losses {', '.join(f'{k} {v:.1f}' for k, v in losses.items())}")
        if step >= steps + warmup_steps:
            break
    seconds = time.perf_counter() - start if start is not None else 0.0
    return {
        "bench": "train",
        "torch_threads": _torch_threads(),
        "words_per_s": round(timed_words / seconds, 1) if seconds else None,
        "steps": steps,
        "warmup_steps": warmup_steps,
        "timed_words": timed_words,
        "seconds": round(seconds, 2),
        "mean_words_per_batch": round(words / (steps + warmup_steps), 1),
        "median_step_s": round(sorted(step_times)[len(step_times) // 2], 4),
        "losses": {k: round(float(v), 2) for k, v in losses.items()},
        "pipeline": list(nlp.pipe_names),
        "config": str(config),
        "data": str(data),
        "train_docs": len(examples),
        "init_seconds": round(init_s, 2),
        "timed": f"nlp.update steps {warmup_steps + 1}..{steps + warmup_steps} (the config's batcher, optimizer, dropout)",
    }
