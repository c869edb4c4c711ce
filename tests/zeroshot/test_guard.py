"""The privacy guard on `synthclin zeroshot`: a non-local endpoint is refused before any connection."""

import pytest
import spacy

from spacy_synthclin.errors import ConfigError

from .conftest import CONFIGS
from .helpers import invoke

SECRET = "sk-zeroshot-test-secret"


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    """A key in the environment: the guard's messages must never show it."""
    monkeypatch.setenv("ZS_TEST_KEY", SECRET)


@pytest.fixture
def builds(monkeypatch):
    """Records every pipeline build (the guard must run before it)."""
    calls = []
    real = spacy.util.load_model_from_config

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(spacy.util, "load_model_from_config", spy)
    return calls


def _run(data, url, *extra, backend="live", config="zeroshot_ner.cfg", kind="ner"):
    return invoke(["zeroshot", kind, data, "--config", CONFIGS / config, "--backend", backend, "--n", 0,
                   "--set", f"synthclin.llm.base_url={url}", "--set", "synthclin.llm.api_key_env=ZS_TEST_KEY",
                   "--set", "synthclin.backends.live.max_retries=0", "--set", "synthclin.backends.live.timeout=2", *extra],
                  ok=False)


@pytest.mark.parametrize("url", [
    "http://example.com/v1",
    "http://8.8.8.8/v1",
    "https://api.openai.com/v1",
    f"http://user:{SECRET}@93.184.216.34:8000/v1?api-key={SECRET}",
])
@pytest.mark.parametrize("backend", ["live", "record"])
def test_a_remote_endpoint_is_refused_before_anything_connects(url, backend, ner_tsv, network_calls, builds, tmp_path):
    result = _run(ner_tsv, url, "--set", f"paths.cassette={tmp_path / 'c.jsonl'}", backend=backend)
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError), repr(result.exception)
    message = str(result.exception)
    assert "refusing to send real corpus text" in message and "--allow-remote" in message
    assert url.split("?")[0].replace(f"user:{SECRET}@", "") in message
    assert SECRET not in message and SECRET not in result.stdout and SECRET not in result.stderr
    assert network_calls == [] and builds == []
    assert not (tmp_path / "c.jsonl").exists()


def test_the_rel_baseline_is_guarded_too(gad_tsv, network_calls, builds):
    result = _run(gad_tsv, "http://203.0.113.7:8000/v1", config="fewshot_rel.cfg", kind="rel")
    assert isinstance(result.exception, ConfigError) and "http://203.0.113.7:8000/v1" in str(result.exception)
    assert network_calls == [] and builds == []


@pytest.mark.parametrize("opt_in", [["--allow-remote"], ["--set", "synthclin.allow_remote=true"]])
def test_allow_remote_lets_it_through_and_the_instrument_sees_the_connection(opt_in, ner_tsv, network_calls, builds):
    """The other side of the test above: with the opt-in, the same run does try to connect (so the
    instrument would have caught a connection made before the guard)."""
    result = _run(ner_tsv, "http://192.0.2.1:9/v1", *opt_in)  # TEST-NET-1: never routed anyway
    assert result.exit_code != 0 and "refusing" not in str(result.exception)
    assert network_calls, "with the opt-in the backend should have tried to connect"
    assert SECRET not in str(result.exception) and SECRET not in result.stderr
    assert builds == [1]


def test_a_local_endpoint_passes_the_guard(ner_tsv, network_calls, builds):
    result = _run(ner_tsv, "http://127.0.0.1:9/v1")
    assert result.exit_code != 0 and "refusing" not in str(result.exception)
    assert network_calls and builds == [1]


def test_export_prompts_never_connects(ner_tsv, network_calls, tmp_path):
    out = tmp_path / "missing.jsonl"
    result = invoke(["zeroshot", "ner", ner_tsv, "--config", CONFIGS / "zeroshot_ner.cfg", "--n", 0,
                     "--set", "synthclin.llm.base_url=http://example.com/v1", "--set", f"paths.cassette={tmp_path / 'c.jsonl'}",
                     "--export-prompts", out])
    assert result.exit_code == 0 and len(out.read_text().splitlines()) == 4
    assert network_calls == []
