"""`synthclin doctor`: bad settings stop the workflow with one clear line, good ones pass."""
import contextlib
import socket

import pytest

from spacy_synthclin.llm.stub_server import StubConfig, StubServer

from .helpers import last_json, run_cli


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cassettes(tmp_path):
    folder = tmp_path / "cassettes"
    folder.mkdir()
    for name in ("seeds", "ner_disease", "ner_chemical", "rel"):
        (folder / f"{name}.jsonl").write_text("")
    return folder


def test_replay_with_cassettes_passes(tmp_path):
    proc = run_cli(["doctor", "--cassettes", _cassettes(tmp_path)])
    assert last_json(proc)["llm"]["backend"] == "replay"


def test_missing_cassette_is_named(tmp_path):
    folder = _cassettes(tmp_path)
    (folder / "rel.jsonl").unlink()
    proc = run_cli(["doctor", "--cassettes", folder], check=False)
    assert proc.returncode == 1 and "rel.jsonl" in proc.stderr and "Traceback" not in proc.stderr


def test_gpu_id_on_cpu_machine_is_a_clear_error(tmp_path):
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    proc = run_cli(["doctor", "--gpu-id", "0", "--cassettes", _cassettes(tmp_path)], check=False)
    assert proc.returncode == 1 and "gpu_id=0" in proc.stderr and "Traceback" not in proc.stderr


def test_unreachable_server_names_url_not_key(tmp_path, monkeypatch):
    port = _free_port()
    env = {**__import__("os").environ, "OPENAI_API_KEY": "sk-secret-do-not-print"}
    proc = run_cli(["doctor", "--llm-backend", "record", "--llm-base-url", f"http://127.0.0.1:{port}/v1"],
                   env=env, check=False, timeout=60)
    assert proc.returncode == 1
    assert f"127.0.0.1:{port}/v1" in proc.stderr and "Cannot reach" in proc.stderr
    assert "sk-secret" not in proc.stderr + proc.stdout and "Traceback" not in proc.stderr


def test_reachable_stub_server_lists_models():
    with StubServer(StubConfig(latency=0.0, max_seconds=60.0)) as server:
        proc = run_cli(["doctor", "--llm-backend", "live", "--llm-base-url", server.base_url,
                        "--llm-model", "not-served"], timeout=60)
    result = last_json(proc)
    assert result["llm"]["status"] == 200 and "stub-model" in result["llm"]["models"]
    assert "not-served" in proc.stderr  # warned: the server does not list it


def test_unknown_backend_and_local_transformer(tmp_path):
    proc = run_cli(["doctor", "--llm-backend", "replay"], check=False)
    assert proc.returncode == 1 and "llm_backend" in proc.stderr
    proc = run_cli(["doctor", "--transformer", "local:no-such-model", "--cassettes", _cassettes(tmp_path)], check=False)
    assert proc.returncode == 1 and "local:no-such-model" in proc.stderr


def test_api_key_is_sent_only_when_named_like_the_client_does(monkeypatch):
    import os

    env = {**os.environ, "SYNTHCLIN_TEST_KEY": "sk-right-key", "OPENAI_API_KEY": "sk-secret-do-not-print"}
    with StubServer(StubConfig(latency=0.0, max_seconds=60.0, api_key_env="SYNTHCLIN_TEST_KEY"), env=env) as server:
        # no api_key_env: no key is sent (OPENAI_API_KEY is not picked up), the server refuses, doctor says why
        proc = run_cli(["doctor", "--llm-backend", "live", "--llm-base-url", server.base_url], env=env, check=False, timeout=60)
        assert proc.returncode == 1 and "no API key was sent" in proc.stderr and "llm_api_key_env" in proc.stderr
        assert "sk-" not in proc.stderr + proc.stdout
        proc = run_cli(["doctor", "--llm-backend", "live", "--llm-base-url", server.base_url,
                        "--api-key-env", "SYNTHCLIN_TEST_KEY"], env=env, timeout=60)
        assert last_json(proc)["llm"]["status"] == 200 and "sk-" not in proc.stderr + proc.stdout
    # a named variable that is not set is an error before any request
    proc = run_cli(["doctor", "--llm-backend", "live", "--api-key-env", "SYNTHCLIN_UNSET_VAR"], check=False, timeout=60)
    assert proc.returncode == 1 and "SYNTHCLIN_UNSET_VAR" in proc.stderr
