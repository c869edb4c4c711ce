"""Fixtures: a real loopback stub server (child process) per test that needs one."""
import contextlib
import socket
from typing import Iterator

import pytest

from spacy_synthclin.llm.stub_server import StubConfig, StubServer


@pytest.fixture
def make_stub():
    """make_stub(mode="process", env=None, **StubConfig fields) -> a started StubServer (stopped after the test)."""
    servers = []

    def make(mode: str = "process", env=None, **config) -> StubServer:
        config.setdefault("max_seconds", 120.0)
        server = StubServer(StubConfig(**config), mode=mode, env=env).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def echo_stub() -> Iterator[StubServer]:
    """A fault-free echo stub shared by a test module."""
    with StubServer(StubConfig(latency=0.0, max_seconds=300.0)) as server:
        yield server


@pytest.fixture
def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
