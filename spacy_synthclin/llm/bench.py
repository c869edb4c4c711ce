"""Throughput benchmark: our client vs spacy-llm's OpenAI model, against one loopback stub.

Both clients send the same prompts to the same stub server (a child process,
fixed latency, no faults). Ours streams every answer into a cassette on disk,
as a real recording run does. spacy-llm's ``spacy.GPT-3-5.v3`` is used as
shipped, with exactly two things pointed at the stub:

- its ``endpoint`` argument (a documented parameter) = the stub's
  ``/v1/chat/completions``;
- its auth check, which always calls ``https://api.openai.com/v1/models``
  whatever the endpoint: the ``requests`` module seen by
  ``spacy_llm.models.rest.openai.model`` is replaced, for the duration of the
  run, by a proxy that rewrites that host to the stub and passes everything
  else through unchanged.

``OPENAI_API_KEY`` is set to a dummy value for its constructor if unset (the
stub checks no key). spacy-llm sends one request at a time, so it can be run
on fewer prompts (``spacy_llm_requests``); rates are comparable.

``gc.freeze()`` is called once after setup, before both timed sections (see
below). The timed sections are the generation calls only: our preflight (GET /models,
which also opens the pooled connections) and spacy-llm's constructor (its auth
check) both run before the clock starts.
"""
import contextlib
import gc
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from .cassette import Cassette, record_stream
from .openai_compatible import OpenAICompatible
from .stub_server import StubConfig, StubServer

_OPENAI_HOST = "https://api.openai.com"
SPACY_LLM_MODEL = "spacy.GPT-3-5.v3"
SPACY_LLM_PATCH = (
    "spacy.GPT-3-5.v3 used as shipped; endpoint argument = the stub's /v1/chat/completions; its auth check's "
    "hard-coded host https://api.openai.com rewritten to the stub (requests proxy in "
    "spacy_llm.models.rest.openai.model, during the run only); nothing else changed"
)


def bench_prompts(n: int, offset: int = 0) -> Iterator[str]:
    """Benchmark prompts (never training data: the stub echoes them)."""
    genes = ("BRCA1", "TP53", "EGFR", "APOE", "CFTR", "HBB", "MLH1", "KRAS")
    for i in range(offset, offset + n):
        yield (
            f"Benchmark prompt {i}. Write one sentence for a clinical note that mentions the gene "
            f"{genes[i % len(genes)]} and a disease, and mark the disease name with [[double brackets]]."
        )


class _PeakRSS:
    """Peak resident memory of this process over a block, without a sampling thread.

    ``ru_maxrss`` is the process's lifetime peak; growth = peak after the block
    minus the resident size before it, an upper bound on what the block added.
    (A sampling thread would compete with the client's event loop for the GIL
    and lower the throughput being measured.)
    """

    def __enter__(self) -> "_PeakRSS":
        import psutil

        self.start_rss = psutil.Process().memory_info().rss
        return self

    def __exit__(self, *exc: Any) -> None:
        import resource

        self.peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
        self.growth = max(0, self.peak_rss - self.start_rss)


class _RequestsToStub:
    """Stands in for the `requests` module inside spacy-llm's OpenAI model: rewrites the OpenAI host."""

    def __init__(self, real: Any, stub_url: str):
        self._real = real
        self._stub_url = stub_url

    def _rewrite(self, url: str) -> str:
        return self._stub_url + url[len(_OPENAI_HOST):] if url.startswith(_OPENAI_HOST) else url

    def get(self, url: str, **kwargs: Any) -> Any:
        return self._real.get(self._rewrite(url), **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self._real.post(self._rewrite(url), **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@contextlib.contextmanager
def spacy_llm_pointed_at(stub_url: str) -> Iterator[None]:
    import spacy_llm.models.rest.openai.model as openai_model

    real = openai_model.requests
    key_was = os.environ.get("OPENAI_API_KEY")
    openai_model.requests = _RequestsToStub(real, stub_url)
    if key_was is None:
        os.environ["OPENAI_API_KEY"] = "sk-dummy-for-the-loopback-stub"
    try:
        yield
    finally:
        openai_model.requests = real
        if key_was is None:
            os.environ.pop("OPENAI_API_KEY", None)


def run_generation_bench(
    latency: float = 0.2,
    requests: int = 512,
    concurrency: int = 32,
    spacy_llm_requests: Optional[int] = None,
    seed: int = 0,
    workdir: Optional[Path] = None,
    log=lambda msg: None,
) -> Dict[str, Any]:
    from spacy_llm.registry import registry

    n_spacy = min(requests, 64) if spacy_llm_requests is None else min(spacy_llm_requests, requests)
    stub_cfg = StubConfig(latency=latency, seed=seed, max_requests=requests + n_spacy + concurrency + 100,
                          max_seconds=max(300.0, (n_spacy + 10) * (latency + 1.0) + requests))
    with contextlib.ExitStack() as stack:
        tmp = Path(workdir) if workdir else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        stub = stack.enter_context(StubServer(stub_cfg))
        log(f"stub server on {stub.base_url} (latency {latency:g} s)")

        # --- ours: concurrent, streamed into a cassette --------------------------
        ours = OpenAICompatible(stub.base_url, "stub-model", concurrency=concurrency,
                                timeout=max(30.0, 20 * latency), max_retries=2)
        ours.connect()
        cassette = Cassette(tmp / "bench-cassette.jsonl", writable=True)
        # Everything alive now (spaCy, the registries...) goes to the collector's permanent
        # generation: otherwise a full collection that walks that heap can stall the event
        # loop mid-run. A CLI process can afford this; `synthclin generate` should do the same.
        gc.collect()
        gc.freeze()
        log(f"ours: {requests} prompts, concurrency {concurrency} ...")
        with _PeakRSS() as rss:
            t0 = time.perf_counter()
            counts = record_stream(ours, bench_prompts(requests), cassette, "stub-model")
            ours_s = time.perf_counter() - t0
        cassette.close()
        ours.close()
        ours_rps = counts["written"] / ours_s

        # --- spacy-llm's OpenAI model, sequential -----------------------------------
        log(f"spacy-llm {SPACY_LLM_MODEL}: {n_spacy} prompts, one at a time ...")
        with spacy_llm_pointed_at(stub.url):
            model = registry.llm_models.get(SPACY_LLM_MODEL)(
                name="gpt-3.5-turbo", endpoint=stub.base_url + "/chat/completions",
                max_request_time=max(30.0, 20 * latency),
            )
            prompts = list(bench_prompts(n_spacy, offset=requests))
            t0 = time.perf_counter()
            responses = model([[p] for p in prompts])
            spacy_s = time.perf_counter() - t0
        answered = sum(1 for r, p in zip(responses, prompts) if list(r) == [p])
        spacy_rps = answered / spacy_s
        server = stub.stats()
        gc.unfreeze()

    ideal = concurrency / latency
    return {
        "ours_rps": round(ours_rps, 2),
        "spacy_llm_rps": round(spacy_rps, 2),
        "ratio": round(ours_rps / spacy_rps, 2) if spacy_rps else None,
        "efficiency": round(ours_rps / ideal, 3),
        "ideal_rps": round(ideal, 2),
        "concurrency": concurrency,
        "latency_s": latency,
        "requests": requests,
        "ours_ok": counts["written"],
        "ours_failed": counts["failed"],
        "ours_seconds": round(ours_s, 3),
        "ours_peak_rss_mb": round(rss.peak_rss / 2**20, 1),
        "ours_rss_growth_mb": round(rss.growth / 2**20, 1),
        "ours_usage": ours.usage.as_dict(),
        "spacy_llm_model": SPACY_LLM_MODEL,
        "spacy_llm_requests": n_spacy,
        "spacy_llm_ok": answered,
        "spacy_llm_seconds": round(spacy_s, 3),
        "spacy_llm_patch": SPACY_LLM_PATCH,
        "server_max_inflight": server.get("max_inflight"),
        "cpu_count": os.cpu_count(),
        "gc_frozen": True,
        "timed": "generation calls only; our preflight and spacy-llm's constructor auth check run before the clock",
    }
