"""The privacy guard: local URLs pass, everything else is refused, decided from the URL alone."""

import pytest

from spacy_synthclin.errors import ConfigError
from spacy_synthclin.llm.privacy import check_model_block, check_url, is_local_url, redact_url

LOCAL = [
    "http://127.0.0.1:8000/v1",
    "http://127.10.20.30/v1",
    "http://localhost:11434/v1",
    "http://LocalHost/v1",
    "http://localhost./v1",
    "http://[::1]:8000/v1",
    "http://10.0.0.1/v1",
    "http://10.255.255.255/v1",
    "http://172.16.0.1/v1",
    "http://172.31.255.254:8080/v1",
    "https://192.168.1.20/v1",
    "http://[fd12:3456::1]:8000/v1",
    "http://[fc00::1]/v1",
    "http://[::ffff:127.0.0.1]/v1",
    "http://[::ffff:10.1.2.3]/v1",
]
REMOTE = [
    "http://example.com/v1",
    "http://8.8.8.8/v1",
    "https://api.openai.com/v1",
    "http://172.15.255.255/v1",  # just below 172.16/12
    "http://172.32.0.1/v1",  # just above it
    "http://192.169.0.1/v1",
    "http://11.0.0.1/v1",
    "http://0.0.0.0:8000/v1",
    "http://169.254.169.254/latest",  # link-local (cloud metadata): not in the allowed list
    "http://[2001:4860:4860::8888]/v1",
    "http://[fe80::1]/v1",
    "http://[::ffff:8.8.8.8]/v1",
    "http://localhost.example.com/v1",
    "http://127.0.0.1.nip.io/v1",  # resolves to 127.0.0.1, but names are never resolved
    "http://2130706433/v1",  # 127.0.0.1 as an integer: not a literal address here
    "http://myserver/v1",
]


@pytest.mark.parametrize("url", LOCAL)
def test_local_urls_pass(url, network_calls):
    assert is_local_url(url)
    check_url(url)
    assert network_calls == []


@pytest.mark.parametrize("url", REMOTE)
def test_other_urls_are_refused_without_any_lookup(url, network_calls):
    assert not is_local_url(url)
    with pytest.raises(ConfigError, match="not on loopback or a private network"):
        check_url(url)
    check_url(url, allow_remote=True)  # the explicit opt-in
    assert network_calls == []


def test_the_message_names_the_url_but_never_a_key():
    url = "https://user:sk-live-SECRET@api.example.com:8443/v1?api-key=sk-live-SECRET#frag"
    with pytest.raises(ConfigError) as err:
        check_url(url)
    message = str(err.value)
    assert "https://api.example.com:8443/v1" in message
    assert "SECRET" not in message and "user" not in message
    assert "--allow-remote" in message
    assert redact_url(url) == "https://api.example.com:8443/v1"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/v1", "127.0.0.1:8000", "http:///v1", ""])
def test_malformed_urls_are_refused(url):
    with pytest.raises(ConfigError):
        check_url(url)
    with pytest.raises(ConfigError):  # allow_remote does not make a URL out of nothing
        check_url(url, allow_remote=True)


def _oai(url):
    return {"@llm_models": "synthclin.OpenAICompatible.v1", "base_url": url, "model": "m"}


def test_model_blocks_are_walked_through_wrappers():
    local, remote = _oai("http://127.0.0.1:8000/v1"), _oai("http://example.com/v1")
    assert check_model_block(local) == ["http://127.0.0.1:8000/v1"]
    record = {"@llm_models": "synthclin.Record.v1", "path": "c.jsonl", "backend": remote}
    with pytest.raises(ConfigError, match="http://example.com/v1"):
        check_model_block(record)
    # Replay answers from the cassette only unless it falls through to its backend
    replay = {"@llm_models": "synthclin.Replay.v1", "path": "c.jsonl", "model": "m", "on_miss": "error", "backend": remote}
    assert check_model_block(replay) == []
    with pytest.raises(ConfigError, match="http://example.com/v1"):
        check_model_block({**replay, "on_miss": "backend"})
    assert check_model_block({"@llm_models": "synthclin.PromptsOnly.v1"}) == []
    assert check_model_block(record, allow_remote=True) == ["http://example.com/v1"]


def test_models_whose_destination_is_unknown_are_refused():
    # spacy-llm's REST models default to the public vendor host when no endpoint is given
    with pytest.raises(ConfigError, match="cannot be checked"):
        check_model_block({"@llm_models": "spacy.GPT-4.v3", "name": "gpt-4"})
    with pytest.raises(ConfigError, match="api.openai.com"):
        check_model_block({"@llm_models": "spacy.GPT-4.v3", "endpoint": "https://api.openai.com/v1/chat/completions"})
    check_model_block({"@llm_models": "spacy.GPT-4.v3", "endpoint": "http://127.0.0.1:8000/v1/chat/completions"})
    # Hugging Face models run in this process
    assert check_model_block({"@llm_models": "spacy.Dolly.v1", "name": "dolly-v2-3b"}) == []
