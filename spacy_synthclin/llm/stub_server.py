"""A loopback OpenAI-compatible stub server for tests, benchmarks and demos.

It answers ``POST /v1/chat/completions``, ``POST /v1/completions`` and
``GET /v1/models`` like an OpenAI-compatible server (vLLM, llama.cpp, ...), with
configurable latency and injected faults, so that the client can be tested over
real HTTP without any LLM. It binds 127.0.0.1 only and is bounded in requests
and lifetime, so a forgotten server cannot linger.

Built on ``asyncio.start_server`` with a minimal HTTP/1.1 keep-alive parser:
one event loop serves thousands of requests per second, which keeps the stub
out of the way when the client's throughput is measured. Standard library only,
so ``python -m spacy_synthclin.llm.stub_server`` starts fast.

Faults are deterministic for a seed: whether a request fails depends on
(seed, sha256 of the prompt, how many times this prompt was seen), not on the
arrival order, so concurrent runs inject the same faults into the same prompts.
429 bursts are the exception: they are triggered by the request count (every
``burst_every`` requests a window of ``burst_seconds`` opens in which every
request is answered 429 with ``Retry-After``), as a real rate limiter would.

Response text ("reply"):
- ``echo`` (default): the prompt itself, so tests can check ordering;
- ``fixed:<text>``: always ``<text>``.
"""
import argparse
import asyncio
import dataclasses
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

HOST = "127.0.0.1"
_MAX_HEADER_BYTES = 64 * 1024
_MAX_BODY_BYTES = 16 * 1024 * 1024
_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
# Order matters: one uniform draw per request walks these cumulative rates.
_FAULTS = ("error", "rate_limit", "slow_body", "malformed", "truncated", "drop", "hang")


@dataclass
class StubConfig:
    latency: float = 0.0  # seconds before answering a completion request
    latency_jitter: float = 0.0  # extra uniform [0, jitter) seconds
    error_rate: float = 0.0  # 500/502/503/504 responses
    error_statuses: Tuple[int, ...] = (500, 502, 503, 504)
    rate_limit_rate: float = 0.0  # single 429s with Retry-After
    burst_every: int = 0  # every N requests a 429 burst window opens (0: never)
    burst_seconds: float = 0.5  # length of a burst window
    retry_after: float = 0.2  # Retry-After of single 429s (seconds)
    slow_body_rate: float = 0.0  # body trickled out in pieces
    slow_body_seconds: float = 0.3  # total time of a slow body
    malformed_rate: float = 0.0  # 200 with a body that is not JSON
    truncated_rate: float = 0.0  # Content-Length promises more than is sent, then close
    drop_rate: float = 0.0  # connection closed without a response
    hang_rate: float = 0.0  # answers only after hang_seconds (client times out first)
    hang_seconds: float = 5.0
    seed: int = 0
    reply: str = "echo"
    models: Tuple[str, ...] = ("stub-model", "gpt-3.5-turbo", "gpt-4")
    answered_by: str = ""  # model name reported in responses ("" = the requested one)
    api_key_env: str = ""  # env var holding the expected key ("" = no auth)
    max_requests: int = 1_000_000  # the server stops after this many requests
    max_seconds: float = 900.0  # ... or after this long

    def __post_init__(self) -> None:
        total = sum(getattr(self, f"{name}_rate") for name in _FAULTS)
        if total > 1.0 + 1e-9:
            raise ValueError(f"fault rates add up to {total:.3f} > 1")
        self.error_statuses = tuple(int(s) for s in self.error_statuses)
        self.models = tuple(self.models)

    def to_args(self) -> List[str]:
        args: List[str] = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = ",".join(str(v) for v in value)
            args += [f"--{f.name.replace('_', '-')}", str(value)]
        return args


@dataclass
class _Stats:
    requests: int = 0  # every HTTP request received
    completions: int = 0  # completion requests answered successfully
    inflight: int = 0
    max_inflight: int = 0
    connections: int = 0
    outcomes: Dict[str, int] = field(default_factory=dict)
    unique_prompts_ok: int = 0

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class _Stop(Exception):
    pass


class StubApp:
    """The request handler; one instance per server (state: stats, attempts, bursts)."""

    def __init__(self, config: StubConfig):
        self.config = config
        self.stats = _Stats()
        self._attempts: Dict[str, int] = {}
        self._ok_prompts: set = set()
        self._burst_until = 0.0
        self._expected_auth: Optional[bytes] = None
        if config.api_key_env:
            key = os.environ.get(config.api_key_env)
            if not key:
                raise SystemExit(f"stub server: env var {config.api_key_env} is empty")
            self._expected_auth = f"Bearer {key}".encode()
        self.started = time.monotonic()
        self.on_exhausted = lambda: None  # set by serve(): stops the server

    # --- connection handling -------------------------------------------------
    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stats.connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                except asyncio.LimitOverrunError:
                    await self._send(writer, 413, {"error": {"message": "headers too large"}}, close=True)
                    return
                method, path, headers = _parse_head(head)
                if method is None:
                    await self._send(writer, 400, {"error": {"message": "bad request line"}}, close=True)
                    return
                if headers.get(b"transfer-encoding"):
                    await self._send(writer, 411, {"error": {"message": "chunked bodies not supported"}}, close=True)
                    return
                length = int(headers.get(b"content-length", b"0") or 0)
                if length > _MAX_BODY_BYTES:
                    await self._send(writer, 413, {"error": {"message": "body too large"}}, close=True)
                    return
                body = await reader.readexactly(length) if length else b""
                close = headers.get(b"connection", b"").lower() == b"close"
                keep = await self._dispatch(method, path, headers, body, writer, close)
                if not keep:
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        except _Stop:
            return
        finally:
            try:
                writer.close()
            except Exception:  # pragma: no cover - already closed
                pass

    async def _dispatch(self, method: bytes, path: bytes, headers: Dict[bytes, bytes], body: bytes,
                        writer: asyncio.StreamWriter, close: bool) -> bool:
        """Answer one request; returns False when the connection must be closed."""
        stats = self.stats
        stats.requests += 1
        if stats.requests > self.config.max_requests:
            await self._send(writer, 503, {"error": {"message": "stub server request budget spent"}}, close=True)
            self.on_exhausted()
            return False
        path = path.split(b"?", 1)[0].rstrip(b"/")
        if method == b"GET" and path == b"/stats":
            await self._send(writer, 200, self.stats_dict(), close=close)
            return not close
        if self._expected_auth is not None and headers.get(b"authorization") != self._expected_auth:
            stats.count("unauthorized")
            await self._send(writer, 401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error"}}, close=close)
            return not close
        if method == b"GET" and path in (b"/v1/models", b"/models"):
            data = [{"id": m, "object": "model", "owned_by": "stub"} for m in self.config.models]
            await self._send(writer, 200, {"object": "list", "data": data}, close=close)
            return not close
        if path in (b"/v1/chat/completions", b"/chat/completions"):
            chat = True
        elif path in (b"/v1/completions", b"/completions"):
            chat = False
        else:
            await self._send(writer, 404, {"error": {"message": f"no route {path.decode('latin-1')}"}}, close=close)
            return not close
        if method != b"POST":
            await self._send(writer, 405, {"error": {"message": "use POST"}}, close=close)
            return not close
        try:
            request = json.loads(body)
            prompts = _prompts_of(request, chat)
        except (ValueError, KeyError, TypeError) as err:
            stats.count("bad_request")
            await self._send(writer, 400, {"error": {"message": f"invalid request: {err}"}}, close=close)
            return not close
        stats.inflight += 1
        stats.max_inflight = max(stats.max_inflight, stats.inflight)
        try:
            return await self._complete(request, prompts, chat, writer, close)
        finally:
            stats.inflight -= 1

    async def _complete(self, request: Dict[str, Any], prompts: List[str], chat: bool,
                        writer: asyncio.StreamWriter, close: bool) -> bool:
        cfg = self.config
        stats = self.stats
        now = time.monotonic()
        # Rate-limit bursts: count-triggered windows in which every request gets 429.
        if cfg.burst_every and stats.requests % cfg.burst_every == 0:
            self._burst_until = now + cfg.burst_seconds
        if now < self._burst_until:
            stats.count("rate_limit_burst")
            await self._send_429(writer, self._burst_until - now, close)
            return not close
        sha = hashlib.sha256("\x00".join(prompts).encode("utf-8")).hexdigest()
        attempt = self._attempts.get(sha, 0)
        self._attempts[sha] = attempt + 1
        rng = random.Random(f"{cfg.seed}:{sha}:{attempt}")
        fault = _pick_fault(cfg, rng.random())
        delay = cfg.latency + (rng.random() * cfg.latency_jitter if cfg.latency_jitter else 0.0)
        if fault == "hang":
            delay = max(delay, cfg.hang_seconds)
        if delay > 0:
            await asyncio.sleep(delay)
        stats.count(fault or "ok")
        if fault == "error":
            status = cfg.error_statuses[rng.randrange(len(cfg.error_statuses))]
            await self._send(writer, status, {"error": {"message": f"injected {status}", "type": "server_error"}}, close=close)
            return not close
        if fault == "rate_limit":
            await self._send_429(writer, cfg.retry_after, close)
            return not close
        if fault == "drop":
            writer.transport.abort()
            return False
        if fault == "malformed":
            await self._send_raw(writer, 200, b'{"id": "stub", "choices": [{"message": {"content": "unterminated', close=close)
            return not close
        payload = self._completion_body(request, prompts, chat)
        if fault == "truncated":
            head = _head(200, len(payload), close=False)
            writer.write(head + payload[: len(payload) // 2])
            await writer.drain()
            writer.transport.abort()
            return False
        if fault == "slow_body":
            writer.write(_head(200, len(payload), close))
            pieces = 4
            step = max(1, math.ceil(len(payload) / pieces))
            for i in range(0, len(payload), step):
                await asyncio.sleep(cfg.slow_body_seconds / pieces)
                writer.write(payload[i : i + step])
                await writer.drain()
        else:
            writer.write(_head(200, len(payload), close) + payload)
            await writer.drain()
        stats.completions += 1
        if sha not in self._ok_prompts:
            self._ok_prompts.add(sha)
            stats.unique_prompts_ok += 1
        return not close

    def _completion_body(self, request: Dict[str, Any], prompts: List[str], chat: bool) -> bytes:
        cfg = self.config
        model = cfg.answered_by or str(request.get("model", "stub-model"))
        texts = [_reply(cfg.reply, p) for p in prompts]
        prompt_tokens = sum(len(p.split()) for p in prompts)
        completion_tokens = sum(len(t.split()) for t in texts)
        if chat:
            choices = [{"index": 0, "message": {"role": "assistant", "content": texts[0]}, "finish_reason": "stop"}]
            obj = "chat.completion"
        else:
            choices = [{"index": i, "text": t, "finish_reason": "stop"} for i, t in enumerate(texts)]
            obj = "text_completion"
        body = {
            "id": f"stub-{self.stats.requests}",
            "object": obj,
            "created": int(time.time()),
            "model": model,
            "choices": choices,
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
        return json.dumps(body).encode("utf-8")

    async def _send_429(self, writer: asyncio.StreamWriter, seconds: float, close: bool) -> None:
        seconds = max(seconds, 0.001)
        extra = {
            b"Retry-After": str(max(1, math.ceil(seconds))).encode(),
            b"retry-after-ms": str(int(seconds * 1000)).encode(),
        }
        body = json.dumps({"error": {"message": "Rate limit reached", "type": "rate_limit_error"}}).encode()
        writer.write(_head(429, len(body), close, extra) + body)
        await writer.drain()

    async def _send(self, writer: asyncio.StreamWriter, status: int, obj: Any, close: bool) -> None:
        await self._send_raw(writer, status, json.dumps(obj).encode("utf-8"), close)

    async def _send_raw(self, writer: asyncio.StreamWriter, status: int, body: bytes, close: bool) -> None:
        writer.write(_head(status, len(body), close) + body)
        await writer.drain()

    def stats_dict(self) -> Dict[str, Any]:
        out = dataclasses.asdict(self.stats)
        out["uptime_s"] = round(time.monotonic() - self.started, 3)
        return out


def _pick_fault(cfg: StubConfig, u: float) -> Optional[str]:
    acc = 0.0
    for name in _FAULTS:
        acc += getattr(cfg, f"{name}_rate")
        if u < acc:
            return name
    return None


def _prompts_of(request: Dict[str, Any], chat: bool) -> List[str]:
    if chat:
        messages = request["messages"]
        user = [m for m in messages if m.get("role") == "user"]
        content = (user or messages)[-1]["content"]
        if isinstance(content, list):  # content parts
            content = "".join(part.get("text", "") for part in content)
        return [str(content)]
    prompt = request["prompt"]
    return [str(p) for p in prompt] if isinstance(prompt, list) else [str(prompt)]


def _reply(reply: str, prompt: str) -> str:
    if reply == "echo":
        return prompt
    if reply.startswith("fixed:"):
        return reply[len("fixed:") :]
    raise ValueError(f"unknown reply mode {reply!r}")


def _parse_head(head: bytes) -> Tuple[Optional[bytes], bytes, Dict[bytes, bytes]]:
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        return None, b"", {}
    headers: Dict[bytes, bytes] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    return parts[0].upper(), parts[1], headers


def _head(status: int, length: int, close: bool, extra: Optional[Dict[bytes, bytes]] = None) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}".encode(),
        b"Content-Type: application/json",
        f"Content-Length: {length}".encode(),
        b"Connection: close" if close else b"Connection: keep-alive",
    ]
    for k, v in (extra or {}).items():
        lines.append(k + b": " + v)
    return b"\r\n".join(lines) + b"\r\n\r\n"


async def serve(config: StubConfig, port: int = 0, ready=None, stop_event: Optional[asyncio.Event] = None) -> None:
    """Serve until stopped, the request budget is spent or max_seconds have passed.

    ``ready(port)`` is called once the socket is listening.
    """
    app = StubApp(config)
    stop = stop_event or asyncio.Event()
    app.on_exhausted = stop.set
    server = await asyncio.start_server(app.handle, HOST, port, limit=_MAX_HEADER_BYTES, backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    if ready is not None:
        ready(bound, app)
    try:
        await asyncio.wait_for(stop.wait(), timeout=config.max_seconds)
    except asyncio.TimeoutError:
        pass
    finally:
        server.close()


class StubServer:
    """Start/stop the stub, in a child process (default) or a thread of this process.

    A child process keeps the stub off the client's CPU core and event loop,
    which is what benchmarks need; a thread starts faster.

        with StubServer(StubConfig(latency=0.05)) as stub:
            url = stub.base_url  # http://127.0.0.1:<port>/v1
    """

    def __init__(self, config: Optional[StubConfig] = None, mode: str = "process", env: Optional[Dict[str, str]] = None):
        if mode not in ("process", "thread"):
            raise ValueError("mode must be 'process' or 'thread'")
        self.config = config or StubConfig()
        self.mode = mode
        self.port: Optional[int] = None
        self._env = env
        self._proc: Optional[subprocess.Popen] = None
        self._thread: Optional[threading.Thread] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._stop: Optional[asyncio.Event] = None
        self._app: Optional[StubApp] = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def start(self, timeout: float = 20.0) -> "StubServer":
        if self.mode == "process":
            cmd = [sys.executable, "-m", "spacy_synthclin.llm.stub_server", "--port", "0"] + self.config.to_args()
            env = dict(os.environ)
            env.update(self._env or {})
            self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=None, env=env, text=True)
            line = self._read_line(timeout)
            if not line.startswith("LISTENING "):
                self.stop()
                raise RuntimeError(f"stub server did not start: {line!r}")
            self.port = int(line.split()[1])
        else:
            started = threading.Event()

            def ready(port: int, app: StubApp) -> None:
                self.port = port
                self._app = app
                started.set()

            def run() -> None:
                loop = asyncio.new_event_loop()
                self._loop = loop
                self._stop = asyncio.Event()
                try:
                    loop.run_until_complete(serve(self.config, 0, ready, self._stop))
                finally:
                    loop.close()

            self._thread = threading.Thread(target=run, name="stub-server", daemon=True)
            self._thread.start()
            if not started.wait(timeout):
                raise RuntimeError("stub server thread did not start")
        return self

    def _read_line(self, timeout: float) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        result: List[str] = []
        reader = threading.Thread(target=lambda: result.append(self._proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        return result[0].strip() if result else ""

    def stats(self) -> Dict[str, Any]:
        """Server-side counters (requests, outcomes, max_inflight, ...)."""
        if self._app is not None:
            return self._app.stats_dict()
        import urllib.request

        with urllib.request.urlopen(f"{self.url}/stats", timeout=10) as resp:
            return json.loads(resp.read())

    def stop(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.terminate()
                try:
                    self._proc.wait(10)
                except subprocess.TimeoutExpired:  # pragma: no cover
                    self._proc.kill()
                    self._proc.wait(10)
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc = None
        if self._thread is not None:
            if self._loop is not None and self._stop is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> "StubServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _arg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m spacy_synthclin.llm.stub_server",
        description="Loopback OpenAI-compatible stub server (127.0.0.1 only) with injectable faults.",
    )
    parser.add_argument("--port", type=int, default=8089, help="port on 127.0.0.1 (0: any free port)")
    for f in dataclasses.fields(StubConfig):
        default = f.default if f.default is not dataclasses.MISSING else None
        if isinstance(default, tuple):
            kind: Any = str
            default = ",".join(str(v) for v in default)
        else:
            kind = type(default)
        parser.add_argument(f"--{f.name.replace('_', '-')}", type=kind, default=default)
    return parser


def config_from_args(ns: argparse.Namespace) -> StubConfig:
    values: Dict[str, Any] = {}
    for f in dataclasses.fields(StubConfig):
        value = getattr(ns, f.name)
        if isinstance(f.default, tuple):
            items = [v for v in str(value).split(",") if v]
            value = tuple(int(v) for v in items) if f.name == "error_statuses" else tuple(items)
        values[f.name] = value
    return StubConfig(**values)


def main(argv: Optional[List[str]] = None) -> None:
    ns = _arg_parser().parse_args(argv)
    config = config_from_args(ns)

    def ready(port: int, app: StubApp) -> None:
        # The parent reads this line to learn the port.
        sys.stdout.write(f"LISTENING {port}\n")
        sys.stdout.flush()
        print(f"stub server on http://{HOST}:{port}/v1 (seed {config.seed})", file=sys.stderr, flush=True)

    try:
        asyncio.run(serve(config, ns.port, ready))
    except KeyboardInterrupt:  # pragma: no cover
        pass


if __name__ == "__main__":
    main()
