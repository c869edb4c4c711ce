"""`synthclin bench ...`: every subcommand's last stdout line is one JSON object with machine facts.

- generate: our client vs spacy-llm's, against a loopback stub server;
- sweep: generate over concurrency x latency, with a plot;
- replay: cassette replay through spacy-llm's llm component (synthetic docs/s);
- convert: synthetic JSONL -> DocBin shards, docs/s and peak RSS per corpus size, with a plot;
- inference / train: words/s of a NER pipeline (config or trained model) on NCBI-disease.
"""
import json
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from ._app import app
from ._output import emit_result, info

bench_app = typer.Typer(help="Benchmarks.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("generate")
def bench_generate(
    latency: float = typer.Option(0.2, "--latency", help="Stub server latency per request (seconds)."),
    requests: int = typer.Option(512, "--requests", help="Prompts sent through our client."),
    concurrency: int = typer.Option(32, "--concurrency", help="Our client's requests in flight."),
    spacy_llm_requests: Optional[int] = typer.Option(
        None, "--spacy-llm-requests", help="Prompts sent through spacy-llm's sequential client (default min(N, 64))."
    ),
    seed: int = typer.Option(0, "--seed", help="Stub server seed."),
) -> None:
    """Same prompts through our backend and spacy-llm's spacy.GPT-3-5.v3, both against one loopback stub.

    spacy-llm's model is pointed at the stub through its `endpoint` argument, and its auth check's
    hard-coded api.openai.com host is rewritten to the stub for the run; nothing else is patched.
    Last stdout line: {"ours_rps", "spacy_llm_rps", "ratio", "efficiency", ...}, where
    efficiency = ours_rps / (concurrency / latency).
    """
    from ..bench.machine import Machine
    from ..errors import ConfigError
    from ..llm.bench import run_generation_bench

    machine = Machine()
    if latency <= 0 or requests < 1 or concurrency < 1:
        raise ConfigError("--latency must be > 0, --requests and --concurrency >= 1")
    result = run_generation_bench(
        latency=latency, requests=requests, concurrency=concurrency,
        spacy_llm_requests=spacy_llm_requests, seed=seed, log=info,
    )
    info(
        f"ours {result['ours_rps']:.1f} req/s (efficiency {result['efficiency']:.3f}), "
        f"spacy-llm {result['spacy_llm_rps']:.2f} req/s, ratio {result['ratio']}"
    )
    emit_result({**result, "machine": machine.finish()})


def _numbers(values: Optional[List[str]], default: List[Any], cast: Callable[[str], Any] = int) -> List[Any]:
    """Repeatable or comma-separated number options (``--batch-size 64,256``)."""
    out = [cast(v) for value in values or [] for v in str(value).split(",") if v.strip()]
    return out or default


def _save_and_emit(result: dict, json_out: Optional[Path]) -> None:
    """Write the result to --json-out (if given), then print it as the last stdout line."""
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        info(f"✔ saved {json_out}")
    emit_result(result)


_JSON_OUT = typer.Option(None, "--json-out", help="Also write the result to this JSON file")


@bench_app.command("sweep")
def bench_sweep(
    concurrency: Optional[List[str]] = typer.Option(None, "--concurrency", help="Concurrency values (default 8,32,128)"),
    latency: Optional[List[str]] = typer.Option(None, "--latency", help="Stub latencies in seconds (default 0.05,0.2,1.0)"),
    max_requests: int = typer.Option(1024, "--max-requests", help="Upper bound of our prompts per cell"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="PNG of throughput vs concurrency"),
    json_out: Optional[Path] = _JSON_OUT,
) -> None:
    """`bench generate` over concurrency x latency, bounded request counts, loopback stub only."""
    from ..bench.machine import Machine
    from ..bench.sweep import DEFAULT_CONCURRENCY, DEFAULT_LATENCY, plot_sweep, run_generation_sweep

    machine = Machine()
    conc = _numbers(concurrency, list(DEFAULT_CONCURRENCY))
    lats = _numbers(latency, list(DEFAULT_LATENCY), float)
    if min(conc) < 1 or min(lats) <= 0 or max_requests < 1:
        raise typer.BadParameter("concurrency and --max-requests must be >= 1, latency > 0")
    result = run_generation_sweep(conc, lats, max_requests=max_requests, log=info)
    result["machine"] = machine.finish()
    if plot is not None:
        result["plot"] = str(plot_sweep(result, plot))
        info(f"✔ plot {plot}")
    _save_and_emit(result, json_out)


@bench_app.command("replay")
def bench_replay(
    config: Path = typer.Option(Path("configs/generate_ner_disease.cfg"), "--config", "-c", help="Generation config (its Replay cassette)"),
    rounds: int = typer.Option(3, "--rounds", help="Timed passes over the seeds"),
    n: Optional[int] = typer.Option(None, "--n", help="First N seeds only (default: the config's max_seeds)"),
    batch_size: int = typer.Option(128, "--batch-size", help="Docs per llm-component batch"),
    json_out: Optional[Path] = _JSON_OUT,
) -> None:
    """Cassette replay through spacy-llm's llm component: synthetic docs (parsed examples) per second."""
    from ..bench.machine import Machine
    from ..bench.replay import run_replay_bench

    machine = Machine()
    if rounds < 1 or batch_size < 1:
        raise typer.BadParameter("--rounds and --batch-size must be >= 1")
    result = run_replay_bench(config, rounds=rounds, n=n, batch_size=batch_size, log=info)
    result["machine"] = machine.finish()
    info(f"✔ {result['synthetic_docs_per_s']:.0f} synthetic docs/s ({result['prompts_per_s']:.0f} prompts/s)")
    _save_and_emit(result, json_out)


@bench_app.command("convert")
def bench_convert(
    sizes: Optional[List[str]] = typer.Option(None, "--sizes", help="Corpus sizes in docs (default 10000,100000)"),
    shard_size: int = typer.Option(5000, "--shard-size", help="Docs per DocBin shard"),
    single: bool = typer.Option(False, "--single", help="Also measure one .spacy file (not streamed), for contrast"),
    config: Path = typer.Option(Path("configs/generate_ner_disease.cfg"), "--config", "-c", help="Generation config replayed for the base records"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="PNG of peak RSS vs corpus size"),
    json_out: Optional[Path] = _JSON_OUT,
) -> None:
    """Synthetic JSONL -> DocBin shards: docs/s and peak RSS per corpus size (each size in a fresh process)."""
    from ..bench.convert import run_convert_bench
    from ..bench.machine import Machine
    from ..bench.sweep import plot_convert_rss

    machine = Machine()
    values = _numbers(sizes, [10_000, 100_000])
    if min(values) < 1 or shard_size < 1:
        raise typer.BadParameter("--sizes and --shard-size must be >= 1")
    result = run_convert_bench(values, shard_size=shard_size, single=single, config=config, log=info)
    result["machine"] = machine.finish()
    if plot is not None:
        result["plot"] = str(plot_convert_rss(result, plot))
        info(f"✔ plot {plot}")
    _save_and_emit(result, json_out)


_PIPE_CONFIG = typer.Option(Path("configs/ner_cpu.cfg"), "--config", "-c", help="Pipeline config (ner_cpu.cfg, ner_trf.cfg)")
_DATA = typer.Option(None, "--data", help="NER tsv (default: NCBI-disease from assets/corpora or ../shared/data)")
_GPU = typer.Option(-1, "--gpu-id", help="GPU to run on (-1 = CPU)")
_TORCH_THREADS = typer.Option(0, "--torch-threads", help="torch threads per process (0 = torch's default; 1 is needed "
                              "for --n-process > 1 with a transformer)")


def _on_device(gpu_id: int, torch_threads: int, run: Callable[[], dict]) -> dict:
    """``run()`` with the torch threads and the device set; the result gets the gpu id and the machine facts."""
    from ..bench.machine import Machine
    from ..util import use_gpu

    machine = Machine()
    if torch_threads > 0:
        import torch

        torch.set_num_threads(torch_threads)
    use_gpu(gpu_id)
    result = run()
    result.update({"gpu_id": gpu_id, "machine": machine.finish()})
    return result


@bench_app.command("inference")
def bench_inference(
    config: Path = _PIPE_CONFIG,
    model: Optional[str] = typer.Option(None, "--model", "-m", help="A trained pipeline (default: the config, initialised untrained)"),
    data: Optional[Path] = _DATA,
    batch_size: Optional[List[str]] = typer.Option(None, "--batch-size", help="Batch sizes (default 64,256)"),
    n_process: Optional[List[str]] = typer.Option(None, "--n-process", help="nlp.pipe n_process values (default 1)"),
    limit: int = typer.Option(0, "--limit", help="First N sentences of the data only (0 = all)"),
    gpu_id: int = _GPU,
    torch_threads: int = _TORCH_THREADS,
    json_out: Optional[Path] = _JSON_OUT,
) -> None:
    """nlp.pipe words/s on the NCBI-disease test text, for each batch size x n_process."""
    from ..bench.pipelines import run_inference_bench

    batch_sizes, n_processes = _numbers(batch_size, [64, 256]), _numbers(n_process, [1])
    result = _on_device(gpu_id, torch_threads, lambda: run_inference_bench(
        config=None if model else config, model=model, data=data, batch_sizes=batch_sizes, n_processes=n_processes,
        limit=limit, log=info))
    info(f"✔ best {result['words_per_s']:.0f} words/s ({result['weights']})")
    _save_and_emit(result, json_out)


@bench_app.command("train")
def bench_train(
    config: Path = _PIPE_CONFIG,
    data: Optional[Path] = typer.Option(None, "--data", help="NER tsv to train on (default: NCBI-disease train)"),
    steps: int = typer.Option(200, "--steps", help="Timed update steps"),
    warmup_steps: int = typer.Option(5, "--warmup-steps", help="Untimed steps first"),
    limit: int = typer.Option(0, "--limit", help="First N training sentences only (0 = all)"),
    gpu_id: int = _GPU,
    torch_threads: int = _TORCH_THREADS,
    json_out: Optional[Path] = _JSON_OUT,
) -> None:
    """Training words/s: nlp.update with the config's batcher, optimizer and dropout."""
    from ..bench.pipelines import run_train_bench

    if steps < 1 or warmup_steps < 0:
        raise typer.BadParameter("--steps must be >= 1, --warmup-steps >= 0")
    result = _on_device(gpu_id, torch_threads, lambda: run_train_bench(
        config, data=data, steps=steps, warmup_steps=warmup_steps, limit=limit, log=info))
    info(f"✔ {result['words_per_s']:.0f} training words/s over {steps} steps")
    _save_and_emit(result, json_out)
