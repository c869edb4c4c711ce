"""Shared fixtures: the real corpora beside the repo, a loopback asset mirror, and a network tripwire."""
import os
import socket
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    return Path(os.environ.get("SYNTHCLIN_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not (path / "NCBI-disease" / "test.tsv").exists():
        pytest.fail(f"the benchmark corpora are expected in {path} (../shared/data beside the repo, or $SYNTHCLIN_SHARED_DATA)")
    return path


class _UpstreamLayoutHandler(SimpleHTTPRequestHandler):
    """Serves ../shared/data under the upstream raw-GitHub paths of the manifest."""

    routes: dict = {}

    def translate_path(self, path):
        local = self.routes.get(path.split("?", 1)[0])
        return str(local) if local else "/nonexistent"

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def asset_mirror(shared_data):
    """http://127.0.0.1:PORT serving owner/repo/commit/path like raw GitHub does."""
    from spacy_synthclin.corpora.manifest import MANIFEST

    routes = {}
    for asset in MANIFEST:
        local = shared_data / asset.local
        if local.exists():
            routes["/" + asset.url("").lstrip("/")] = local
    handler = type("Handler", (_UpstreamLayoutHandler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(shared_data)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def network_calls(monkeypatch):
    """Every way out of the process fails the run and is recorded (name lookups included)."""
    calls = []

    def refuse(name):
        def fail(*args, **kwargs):
            calls.append(name)
            raise OSError(f"test: {name} is not allowed")
        return fail

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
        monkeypatch.setattr(socket, name, refuse(name))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse("httpx.handle_request"))
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", refuse("httpx.handle_async_request"))
    return calls
