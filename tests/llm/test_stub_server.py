"""The loopback stub server over real HTTP: endpoints, faults, determinism, bounds."""
import json
import time

import httpx
import pytest

from spacy_synthclin.llm.stub_server import StubConfig


def _chat(client: httpx.Client, base_url: str, prompt: str, **kw) -> httpx.Response:
    return client.post(f"{base_url}/chat/completions",
                       json={"model": "m", "messages": [{"role": "user", "content": prompt}]}, **kw)


def test_binds_loopback_and_answers_like_openai(echo_stub):
    assert echo_stub.base_url.startswith("http://127.0.0.1:")
    with httpx.Client(timeout=10) as client:
        r = _chat(client, echo_stub.base_url, "hello there world")
        assert r.status_code == 200
        body = r.json()
        assert body["choices"][0]["message"]["content"] == "hello there world"
        assert body["model"] == "m"
        assert body["usage"] == {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6}
        r = client.post(f"{echo_stub.base_url}/completions", json={"model": "m", "prompt": ["a b", "c"]})
        assert [c["text"] for c in r.json()["choices"]] == ["a b", "c"]
        models = client.get(f"{echo_stub.base_url}/models").json()
        assert "gpt-3.5-turbo" in [m["id"] for m in models["data"]]
        assert client.get(f"{echo_stub.url}/nope").status_code == 404
        assert client.post(f"{echo_stub.base_url}/chat/completions", content=b"{").status_code == 400


def test_rejects_invalid_fault_rates():
    with pytest.raises(ValueError):
        StubConfig(error_rate=0.7, drop_rate=0.5)


def _statuses(stub, prompts, repeats):
    out = []
    with httpx.Client(timeout=10) as client:
        for _ in range(repeats):
            for p in prompts:
                try:
                    out.append(_chat(client, stub.base_url, p).status_code)
                except httpx.TransportError as err:
                    out.append(type(err).__name__)
    return out


def test_faults_are_deterministic_per_seed(make_stub):
    prompts = [f"prompt {i}" for i in range(12)]
    cfg = dict(error_rate=0.3, malformed_rate=0.1, drop_rate=0.1, mode="thread")
    first = _statuses(make_stub(seed=7, **cfg), prompts, 2)
    again = _statuses(make_stub(seed=7, **cfg), prompts, 2)
    other = _statuses(make_stub(seed=8, **cfg), prompts, 2)
    assert first == again
    assert first != other
    assert any(s != 200 for s in first) and any(s == 200 for s in first)


def test_each_fault_class_is_produced(make_stub):
    stub = make_stub(mode="thread", seed=1, error_rate=0.2, rate_limit_rate=0.15, malformed_rate=0.15,
                     truncated_rate=0.15, drop_rate=0.15, slow_body_rate=0.1, slow_body_seconds=0.05,
                     retry_after=0.25)
    seen = set()
    with httpx.Client(timeout=10) as client:
        for i in range(60):
            try:
                r = _chat(client, stub.base_url, f"p{i}")
            except httpx.RemoteProtocolError:
                seen.add("dropped_or_truncated")
                continue
            if r.status_code == 429:
                assert r.headers["retry-after"] == "1" and r.headers["retry-after-ms"] == "250"
                seen.add("429")
            elif r.status_code >= 500:
                seen.add("5xx")
            else:
                try:
                    json.loads(r.content)
                    seen.add("ok")
                except ValueError:
                    seen.add("malformed")
    assert seen == {"ok", "429", "5xx", "malformed", "dropped_or_truncated"}
    outcomes = stub.stats()["outcomes"]
    assert {"drop", "truncated", "slow_body"} <= set(outcomes)


def test_rate_limit_bursts_cover_a_time_window(make_stub):
    stub = make_stub(mode="thread", burst_every=3, burst_seconds=0.3)
    with httpx.Client(timeout=10) as client:
        codes = [_chat(client, stub.base_url, f"p{i}").status_code for i in range(4)]
        assert codes[:2] == [200, 200] and codes[2:] == [429, 429]  # request 3 opens the window
        time.sleep(0.35)
        assert _chat(client, stub.base_url, "later").status_code == 200


def test_api_key_is_checked_from_an_env_var(make_stub):
    stub = make_stub(api_key_env="STUB_EXPECTED_KEY", env={"STUB_EXPECTED_KEY": "k-123456"})
    with httpx.Client(timeout=10) as client:
        assert _chat(client, stub.base_url, "x").status_code == 401
        ok = _chat(client, stub.base_url, "x", headers={"Authorization": "Bearer k-123456"})
        assert ok.status_code == 200


def test_bounded_in_requests(make_stub):
    stub = make_stub(max_requests=3)
    with httpx.Client(timeout=10) as client:
        assert [_chat(client, stub.base_url, "x").status_code for _ in range(3)] == [200] * 3
        assert _chat(client, stub.base_url, "x").status_code == 503
        proc = stub._proc
        proc.wait(10)  # the server process exits once its budget is spent
        assert proc.returncode == 0


def test_bounded_in_time(make_stub):
    stub = make_stub(max_seconds=0.5)
    stub._proc.wait(10)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{stub.base_url}/models", timeout=2)
