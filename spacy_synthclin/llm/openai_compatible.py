"""`synthclin.OpenAICompatible.v1`: a concurrent client for any OpenAI-compatible server.

spacy-llm hands a model all prompts of a minibatch at once; its own REST models
then post them one by one. This model sends them concurrently instead
(``concurrency`` requests in flight, pooled keep-alive connections, httpx),
retries transient failures with exponential backoff + jitter (honouring
``Retry-After``), counts token usage, and returns the responses in prompt
order. A prompt that still fails after its retries is never dropped: by default
the call raises a `GenerationError` listing every failed prompt and why
(``on_error = "empty"`` returns "" for it instead and keeps the failure in
``model.failures``). Wrapped in `synthclin.Record.v1`, every completed answer is
on disk before the error is raised, so a re-run sends only what is missing.

The event loop runs in a private daemon thread, so the model can be called from
any thread, including from code that already runs an event loop (notebooks).
The API key is read from the environment variable named by ``api_key_env``
when the first request is made; it lives only in the request headers and
is never logged, cached, written to a cassette or put in an error message.
"""
import asyncio
import importlib.util
import json
import logging
import math
import os
import queue
import random
import ssl
import sys
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import httpx
from confection import SimpleFrozenDict
from spacy_llm.registry import registry

from ..errors import ConfigError, SynthclinError
from ._transport import asyncio_http_transport
from .cassette import prompt_sha256
from .retry import RetryPolicy, is_retryable_status, parse_retry_after

logger = logging.getLogger("spacy_synthclin.llm")

# httpcore asks sniffio which async library runs; when sniffio is not installed
# that import fails -- and a failed import is not cached, so Python rescans
# sys.path several times per request (measured: ~0.3 ms, a third of the client's
# CPU per request). A negative cache entry makes the failing import instant;
# httpcore then assumes asyncio, which is what we run.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

# httpcore's pool does O(connections²) work per request; beyond ~8 connections
# per pool that dominates the client's CPU. We shard the connections over
# several pools of at most this many connections.
_CONNECTIONS_PER_POOL = 8
_ASYNCIO_BACKEND = True
_RUNTIME_LOCK = threading.RLock()
_ENDPOINT_PATHS = {"chat": "/chat/completions", "completions": "/completions"}


class GenerationError(SynthclinError):
    """Some prompts still failed after all retries; ``failures`` says which and why."""

    def __init__(self, message: str, failures: Sequence["Completion"]):
        super().__init__(message)
        self.failures = list(failures)


@dataclass
class Completion:
    """Outcome of one prompt: its text, or the reason it failed."""

    index: int
    prompt: str
    text: Optional[str] = None
    error: Optional[str] = None
    error_kind: Optional[str] = None
    answered_by: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: int = 0
    finish_reason: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class UsageCounter:
    """Running totals over the life of a model (all calls)."""

    prompts: int = 0
    prompts_ok: int = 0
    prompts_failed: int = 0
    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retry_reasons: Counter = field(default_factory=Counter)
    failure_reasons: Counter = field(default_factory=Counter)

    def add_completion(self, c: Completion) -> None:
        self.prompts += 1
        if c.ok:
            self.prompts_ok += 1
            self.prompt_tokens += c.prompt_tokens
            self.completion_tokens += c.completion_tokens
        else:
            self.prompts_failed += 1
            self.failure_reasons[c.error_kind or "error"] += 1

    def as_dict(self) -> Dict[str, Any]:
        return {
            "prompts": self.prompts,
            "prompts_ok": self.prompts_ok,
            "prompts_failed": self.prompts_failed,
            "requests": self.requests,
            "retries": self.retries,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "retry_reasons": dict(self.retry_reasons),
            "failure_reasons": dict(self.failure_reasons),
        }


class _Fatal(Exception):
    """A failure that no retry or other prompt can fix (bad key, wrong URL): stop the batch."""

    def __init__(self, error: SynthclinError):
        self.error = error


class _LoopThread:
    """An event loop running forever in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="synthclin-llm-loop", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coro) -> "asyncio.Future":
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def stop(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
        if not self.loop.is_running() and not self.loop.is_closed():
            self.loop.close()


def _shutdown(runtime: Dict[str, Any]) -> None:
    loop_thread: Optional[_LoopThread] = runtime.get("loop")
    pools = runtime.get("pools") or []
    if loop_thread is None or runtime.get("pid") != os.getpid():
        return
    if pools and loop_thread.loop.is_running():
        async def close_all() -> None:
            await asyncio.gather(*(p.aclose() for p in pools), return_exceptions=True)

        try:
            loop_thread.submit(close_all()).result(5)
        except Exception:  # pragma: no cover - best effort at exit
            pass
    loop_thread.stop()
    runtime.clear()


class OpenAICompatible:
    """Concurrent client for an OpenAI-compatible chat or completions endpoint."""

    def __init__(
        self,
        base_url: str,
        model: str,
        endpoint: str = "chat",
        config: Optional[Dict[str, Any]] = None,
        api_key_env: Optional[str] = None,
        concurrency: int = 16,
        timeout: float = 60.0,
        max_retries: int = 5,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        context_length: Optional[int] = None,
        system_prompt: Optional[str] = None,
        on_error: str = "raise",
        preflight: bool = True,
        seed: Optional[int] = None,
    ):
        if endpoint not in _ENDPOINT_PATHS:
            raise ConfigError(f"endpoint must be 'chat' or 'completions', not {endpoint!r}")
        if on_error not in ("raise", "empty"):
            raise ConfigError(f"on_error must be 'raise' or 'empty', not {on_error!r}")
        if concurrency < 1:
            raise ConfigError("concurrency must be >= 1")
        if timeout <= 0:
            raise ConfigError("timeout must be > 0")
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(f"base_url must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.model_name = model
        self.endpoint = endpoint
        self.url = self._endpoint_url(self.base_url, endpoint)
        self._url_obj = httpx.URL(self.url)  # parsed once, not per request
        self.config = dict(config or {})
        for reserved in ("model", "messages", "prompt", "stream", "n"):
            if reserved in self.config:
                raise ConfigError(f"config may not set {reserved!r}: the model sets it per request")
        self.api_key_env = api_key_env or None
        self.concurrency = int(concurrency)
        self.timeout = float(timeout)
        try:
            self.retry = RetryPolicy(max_retries=max_retries, base_delay=backoff_base, max_delay=backoff_max)
        except ValueError as err:
            raise ConfigError(str(err)) from None
        self._context_length = context_length
        self.system_prompt = system_prompt
        self.on_error = on_error
        self.preflight = preflight
        self.usage = UsageCounter()
        self.failures: List[Completion] = []
        self._rng = random.Random(seed)
        self._runtime: Dict[str, Any] = {}
        self._finalizer = weakref.finalize(self, _shutdown, self._runtime)
        self._ever_succeeded = False

    # --- spacy-llm model interface -------------------------------------------------
    @property
    def context_length(self) -> Optional[int]:
        return self._context_length

    def __call__(self, prompts: Iterable[Iterable[str]]) -> Iterable[Iterable[str]]:
        """Responses for spacy-llm: same nesting and order as the prompts."""
        groups = [list(group) for group in prompts]
        flat = [p for group in groups for p in group]
        texts: List[str] = [""] * len(flat)
        failures: List[Completion] = []
        for c in self.stream(flat):
            if c.ok:
                texts[c.index] = c.text or ""
            else:
                failures.append(c)
        self.raise_or_keep(failures, len(flat))
        out: List[List[str]] = []
        pos = 0
        for group in groups:
            out.append(texts[pos : pos + len(group)])
            pos += len(group)
        return out

    def __repr__(self) -> str:
        return f"OpenAICompatible(url={self.url!r}, model={self.model_name!r}, concurrency={self.concurrency})"

    def __getstate__(self) -> Dict[str, Any]:  # threads and sockets do not travel (n_process)
        state = dict(self.__dict__)
        state["_runtime"] = {}
        state.pop("_finalizer", None)
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._finalizer = weakref.finalize(self, _shutdown, self._runtime)

    def close(self) -> None:
        """Close connections and stop the loop thread (also done at exit)."""
        self._finalizer()
        self._runtime = {}
        self._finalizer = weakref.finalize(self, _shutdown, self._runtime)

    # --- streaming core -------------------------------------------------------------
    def stream(self, prompts: Iterable[str]) -> Iterator[Completion]:
        """Yield one `Completion` per prompt, in completion order (``.index`` = position).

        At most ``concurrency`` prompts are read ahead of the answers, so memory is
        flat in the number of prompts. Raises `SynthclinError` on fatal errors
        (rejected key, wrong URL, unreachable server); failed prompts are yielded
        with ``.error`` set, the caller decides (see `raise_or_keep`).
        """
        runtime = self._ensure_runtime()
        results: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        done = object()
        # Backpressure: a prompt is started only while fewer than 2 x concurrency answers are in flight
        # or waiting here, so a server faster than the caller (who writes each answer to disk) cannot
        # pile answers up in the queue.
        # (asyncio primitives bind to the loop at first use, Python >= 3.10: made here, used there.)
        credits = asyncio.Semaphore(2 * self.concurrency)
        future = runtime["loop"].submit(self._run(enumerate(prompts), results.put, credits))
        future.add_done_callback(lambda _f: results.put(done))
        finished = False
        try:
            while True:
                item = results.get()
                if item is done:
                    break
                runtime["loop"].loop.call_soon_threadsafe(credits.release)
                self.usage.add_completion(item)
                if item.ok:
                    self._ever_succeeded = True
                yield item
            finished = True
            future.result()  # re-raise a fatal error
        finally:
            if not finished and not future.done():
                runtime["loop"].loop.call_soon_threadsafe(future.cancel)
            self._log_usage()

    def raise_or_keep(self, failures: Sequence[Completion], n_prompts: int) -> None:
        """Apply ``on_error`` to the prompts that failed after their retries."""
        if not failures:
            return
        failures = sorted(failures, key=lambda c: c.index)
        self.failures.extend(failures)
        message = self._failure_message(failures, n_prompts)
        if self.on_error == "raise":
            kinds = {f.error_kind for f in failures}
            if kinds == {"connect"} and not self._ever_succeeded:
                raise ConfigError(self._unreachable_message(failures[0]))
            raise GenerationError(message, failures)
        logger.warning("%s -- returning '' for them (on_error = 'empty')", message)

    def _failure_message(self, failures: Sequence[Completion], n_prompts: int) -> str:
        kinds = Counter(f.error_kind or "error" for f in failures)
        summary = ", ".join(f"{n}x {k}" for k, n in kinds.most_common())
        lines = [
            f"{len(failures)} of {n_prompts} prompts failed after {self.retry.max_retries} retries "
            f"at {self.url} ({summary}):"
        ]
        for f in sorted(failures, key=lambda c: c.index)[:10]:
            lines.append(f"  prompt #{f.index} (sha256 {prompt_sha256(self.model_name, f.prompt)[:16]}…): {f.error}")
        if len(failures) > 10:
            lines.append(f"  ... and {len(failures) - 10} more")
        return self._redact("\n".join(lines))

    def _unreachable_message(self, failure: Completion) -> str:
        return self._redact(
            f"Cannot reach the LLM server at {self.url} ({failure.error}). "
            f"Is the server running and is base_url = {self.base_url!r} right?"
        )

    def _log_usage(self) -> None:
        u = self.usage
        logger.info(
            "%s: %d prompts (%d failed), %d requests, %d retries, tokens: %d prompt + %d completion",
            self.model_name, u.prompts, u.prompts_failed, u.requests, u.retries, u.prompt_tokens, u.completion_tokens,
        )

    # --- internals --------------------------------------------------------------------
    @staticmethod
    def _endpoint_url(base_url: str, endpoint: str) -> str:
        path = _ENDPOINT_PATHS[endpoint]
        if base_url.endswith(path):  # a full endpoint URL was given
            return base_url
        return base_url + path

    def _api_key(self) -> Optional[str]:
        if not self.api_key_env:
            return None
        key = os.environ.get(self.api_key_env)
        if not key:
            raise ConfigError(
                f"The environment variable {self.api_key_env!r} (api_key_env) is not set or empty. "
                f"Export the API key in it, or set api_key_env = null for a server without authentication."
            )
        return key

    def _redact(self, text: str) -> str:
        if self.api_key_env:
            key = os.environ.get(self.api_key_env)
            if key and len(key) >= 4:
                text = text.replace(key, "***")
        return text

    def _ensure_runtime(self) -> Dict[str, Any]:
        runtime = self._runtime
        if runtime.get("pid") == os.getpid():
            return runtime
        with _RUNTIME_LOCK:  # several threads may make the first call at once
            return self._start_runtime()

    def _start_runtime(self) -> Dict[str, Any]:
        runtime = self._runtime
        if runtime.get("pid") != os.getpid():  # first use, or we are a forked child
            runtime.clear()
            headers = {"Content-Type": "application/json", "Accept": "application/json"}
            key = self._api_key()
            if key is not None:
                headers["Authorization"] = f"Bearer {key}"
            loop_thread = _LoopThread()
            n_pools = math.ceil(self.concurrency / _CONNECTIONS_PER_POOL)
            per_pool = math.ceil(self.concurrency / n_pools)
            timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, 30.0))

            # One SSL context for all pools: building one costs ~20 ms (CA bundle), per pool that adds up.
            verify: Any = ssl.create_default_context() if self.url.startswith("https://") else False

            async def make_pools() -> List[httpx.AsyncHTTPTransport]:
                limits = httpx.Limits(max_connections=per_pool, max_keepalive_connections=per_pool)
                return [
                    asyncio_http_transport(limits, verify) if _ASYNCIO_BACKEND
                    else httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False)
                    for _ in range(n_pools)
                ]

            runtime["pools"] = loop_thread.submit(make_pools()).result()
            runtime["headers"] = httpx.Headers(headers)
            runtime["timeout"] = timeout.as_dict()
            runtime["per_pool"] = per_pool
            runtime["loop"] = loop_thread
            runtime["pid"] = os.getpid()
            if self.preflight:
                try:
                    loop_thread.submit(self._preflight()).result()
                except BaseException:
                    self.close()
                    raise
        return runtime

    def connect(self) -> "OpenAICompatible":
        """Start the client now: check the server (and key) and open the pooled connections."""
        self._ensure_runtime()
        return self

    async def _preflight(self) -> None:
        """GET {base_url}/models: fail early and clearly on a wrong URL or key; open the pool.

        Opening all ``concurrency`` connections up front (one small GET each)
        spares the first batch the cost of connecting while it is being sent.
        """
        pools: List[httpx.AsyncHTTPTransport] = self._runtime["pools"]
        per_pool: int = self._runtime["per_pool"]
        url = self.base_url + "/models"
        url_obj = httpx.URL(url)
        attempt = 0
        while True:
            try:
                response = await self._send(pools[0], "GET", url_obj)
                break
            except httpx.TransportError as err:
                if attempt >= self.retry.max_retries:
                    failed = Completion(index=-1, prompt="", error=f"cannot connect to {url}: {_err_text(err)}")
                    raise ConfigError(self._unreachable_message(failed)) from None
                await asyncio.sleep(self.retry.delay(attempt, None, self._rng))
                attempt += 1
        if response.status_code in (401, 403):
            raise ConfigError(self._auth_message(response.status_code))
        if response.status_code == 200:
            try:
                served = [m.get("id") for m in response.json().get("data", [])]
            except (ValueError, AttributeError, TypeError):
                served = []
            if served and self.model_name not in served:
                logger.warning("%s does not list model %r (it serves: %s)", url, self.model_name,
                               ", ".join(map(str, served[:10])))
        # Servers without /models (404) are fine: the first completion request will tell.
        await asyncio.gather(
            *(self._send(pool, "GET", url_obj) for pool in pools for _ in range(per_pool)), return_exceptions=True
        )

    async def _send(self, pool: httpx.AsyncHTTPTransport, method: str, url: httpx.URL,
                    content: Optional[bytes] = None) -> httpx.Response:
        """One request straight on a pool, body read. (httpx.AsyncClient's per-request layers --
        auth flow, redirects, cookie jar, event hooks -- cost a quarter of our CPU per request and
        do nothing for a JSON POST to a fixed URL.)"""
        request = httpx.Request(method, url, headers=self._runtime["headers"], content=content,
                                extensions={"timeout": self._runtime["timeout"]})
        response = await pool.handle_async_request(request)
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response

    async def _run(self, items: Iterator[Tuple[int, str]], emit: Callable[[Completion], None],
                   credits: asyncio.Semaphore) -> None:
        """``concurrency`` workers pull prompts from one iterator: bounded in-flight, lazy input."""
        pools: List[httpx.AsyncHTTPTransport] = self._runtime["pools"]
        per_pool: int = self._runtime["per_pool"]
        state = {"fatal": None}

        async def worker(w: int) -> None:
            pool = pools[w // per_pool]
            while state["fatal"] is None:
                await credits.acquire()
                try:
                    index, prompt = next(items)
                except StopIteration:
                    return
                try:
                    emit(await self._complete(pool, index, prompt))
                except _Fatal as fatal:
                    state["fatal"] = fatal.error
                    return

        tasks = [asyncio.ensure_future(worker(w)) for w in range(self.concurrency)]
        try:
            await asyncio.gather(*tasks)
        finally:
            for t in tasks:
                t.cancel()
        if state["fatal"] is not None:
            raise state["fatal"]

    def _body(self, prompt: str) -> bytes:
        body: Dict[str, Any] = {"model": self.model_name, **self.config}
        if self.endpoint == "chat":
            messages = []
            if self.system_prompt:
                messages.append({"role": "system", "content": self.system_prompt})
            messages.append({"role": "user", "content": str(prompt)})
            body["messages"] = messages
        else:
            body["prompt"] = str(prompt)
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    async def _complete(self, pool: httpx.AsyncHTTPTransport, index: int, prompt: str) -> Completion:
        body = self._body(prompt)
        attempt = 0
        while True:
            retry_after: Optional[float] = None
            self.usage.requests += 1
            try:
                response = await self._send(pool, "POST", self._url_obj, body)
            except httpx.TimeoutException:
                kind, reason = "timeout", f"no answer within timeout = {self.timeout:g} s"
            except httpx.ConnectError as err:
                kind, reason = "connect", f"cannot connect to {self.url}: {_err_text(err)}"
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.CloseError) as err:
                kind, reason = "connection_dropped", f"connection dropped: {_err_text(err)}"
            except httpx.TransportError as err:
                kind, reason = "transport", f"{type(err).__name__}: {_err_text(err)}"
            else:
                status = response.status_code
                if status == 200:
                    parsed = self._parse(response)
                    if isinstance(parsed, Completion):
                        parsed.index, parsed.prompt, parsed.attempts = index, prompt, attempt + 1
                        return parsed
                    kind, reason = "malformed_response", parsed
                elif status in (401, 403):
                    raise _Fatal(ConfigError(self._auth_message(status)))
                elif status == 404:
                    raise _Fatal(ConfigError(self._redact(
                        f"The server answered 404 Not Found for {self.url} (model {self.model_name!r}): "
                        f"{_server_message(response)}. Check base_url, endpoint and model."
                    )))
                elif is_retryable_status(status):
                    kind = "rate_limited" if status == 429 else f"http_{status}"
                    reason = f"HTTP {status}: {_server_message(response)}"
                    retry_after = parse_retry_after(response.headers)
                else:  # 400, 413, 422...: this prompt is wrong, retrying cannot help
                    return Completion(
                        index=index, prompt=prompt, attempts=attempt + 1, error_kind=f"http_{status}",
                        error=self._redact(f"HTTP {status}: {_server_message(response)}"),
                    )
            if attempt >= self.retry.max_retries:
                if kind == "connect" and not self._ever_succeeded:
                    # Nothing has ever got through: the server is down or the URL is wrong.
                    failed = Completion(index=index, prompt=prompt, error=reason)
                    raise _Fatal(ConfigError(self._unreachable_message(failed)))
                return Completion(
                    index=index, prompt=prompt, attempts=attempt + 1, error_kind=kind,
                    error=self._redact(f"{reason} (gave up after {attempt + 1} attempts)"),
                )
            delay = self.retry.delay(attempt, retry_after, self._rng)
            attempt += 1
            self.usage.retries += 1
            self.usage.retry_reasons[kind] += 1
            logger.debug("retry %d for prompt #%d in %.2f s: %s", attempt, index, delay, kind)
            await asyncio.sleep(delay)

    def _parse(self, response: httpx.Response) -> Any:
        """A `Completion` (without index/prompt), or the reason the body is unusable."""
        try:
            data = json.loads(response.content)
            choice = data["choices"][0]
            if self.endpoint == "chat":
                text = choice["message"]["content"]
            else:
                text = choice["text"]
        except (ValueError, KeyError, IndexError, TypeError) as err:
            return f"malformed response body ({type(err).__name__}: {_err_text(err)[:80]})"
        if text is None:
            text = ""
        if not isinstance(text, str):
            return f"malformed response body (content is {type(text).__name__}, not text)"
        usage = data.get("usage") or {}
        return Completion(
            index=-1, prompt="", text=text,
            answered_by=str(data.get("model") or self.model_name),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=choice.get("finish_reason"),
        )

    def _auth_message(self, status: int) -> str:
        what = "401 Unauthorized" if status == 401 else "403 Forbidden"
        if self.api_key_env:
            how = (f"The API key is read from the environment variable {self.api_key_env!r}; "
                   f"check that it holds a valid key for this server.")
        else:
            how = ("No API key was sent (api_key_env is not set); set api_key_env to the name of "
                   "the environment variable that holds the key.")
        return f"The server at {self.url} answered {what}. {how}"


def _err_text(err: BaseException) -> str:
    text = str(err).strip()
    return text or type(err).__name__


def _server_message(response: httpx.Response) -> str:
    try:
        data = response.json()
        message = data.get("error", {}).get("message") if isinstance(data, dict) else None
        if message:
            return str(message)[:300]
    except (ValueError, AttributeError):
        pass
    return (response.reason_phrase or "")[:300]


@registry.llm_models("synthclin.OpenAICompatible.v1")
def openai_compatible_v1(
    base_url: str,
    model: str,
    endpoint: str = "chat",
    config: Dict[str, Any] = SimpleFrozenDict(),
    api_key_env: Optional[str] = None,
    concurrency: int = 16,
    timeout: float = 60.0,
    max_retries: int = 5,
    backoff_base: float = 0.5,
    backoff_max: float = 30.0,
    context_length: Optional[int] = None,
    system_prompt: Optional[str] = None,
    on_error: str = "raise",
    preflight: bool = True,
) -> OpenAICompatible:
    """Any OpenAI-compatible server (vLLM, llama.cpp, Ollama, TGI, LiteLLM, OpenAI, Azure).

    base_url (str): e.g. "http://127.0.0.1:8000/v1" (a full ".../chat/completions" URL works too).
    model (str): model name sent to the server.
    endpoint (str): "chat" (/chat/completions) or "completions" (/completions).
    config (Dict[str, Any]): generation parameters sent with every request (temperature, max_tokens, top_p, seed, stop...).
    api_key_env (Optional[str]): NAME of the environment variable holding the API key (the key itself never goes in a config).
    concurrency (int): requests in flight at once.
    timeout (float): seconds per request attempt.
    max_retries (int): retries after the first attempt, on 429, 5xx, timeouts and dropped connections.
    backoff_base, backoff_max (float): exponential backoff with full jitter, in seconds.
    context_length (Optional[int]): for spacy-llm tasks that shard long documents.
    system_prompt (Optional[str]): system message for the chat endpoint.
    on_error (str): "raise" (default) or "empty" for prompts that still fail after retries.
    preflight (bool): on first use, GET {base_url}/models to check URL and key early and open the pool.
    """
    return OpenAICompatible(
        base_url=base_url, model=model, endpoint=endpoint, config=dict(config), api_key_env=api_key_env,
        concurrency=concurrency, timeout=timeout, max_retries=max_retries, backoff_base=backoff_base,
        backoff_max=backoff_max, context_length=context_length, system_prompt=system_prompt, on_error=on_error,
        preflight=preflight,
    )
