"""`synthclin bench generate`: client throughput against a loopback stub server."""
from typing import Optional

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
    from ..errors import ConfigError
    from ..llm.bench import run_generation_bench

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
    emit_result(result)
