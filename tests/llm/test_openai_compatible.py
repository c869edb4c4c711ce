"""synthclin.OpenAICompatible.v1 against the real stub server over loopback HTTP."""
import asyncio
import logging
import threading
import time

from typing import Iterable

import pytest
import spacy
from spacy.tokens import Doc
from spacy_llm.registry import registry

from spacy_synthclin.errors import ConfigError, SynthclinError
from spacy_synthclin.llm.openai_compatible import GenerationError, OpenAICompatible

FAST = dict(backoff_base=0.01, backoff_max=0.05)


def _model(stub, **kw):
    kw = {**FAST, **kw}
    kw.setdefault("concurrency", 8)
    return OpenAICompatible(stub.base_url, kw.pop("model", "stub-model"), **kw)


def test_registered_and_resolvable():
    factory = registry.llm_models.get("synthclin.OpenAICompatible.v1")
    model = factory(base_url="http://127.0.0.1:9/v1", model="m", concurrency=4)
    assert isinstance(model, OpenAICompatible)
    assert model.url == "http://127.0.0.1:9/v1/chat/completions"
    assert factory(base_url="http://h/v1/completions", model="m", endpoint="completions").url == "http://h/v1/completions"
    with pytest.raises(ConfigError):
        factory(base_url="127.0.0.1:8000", model="m")
    with pytest.raises(ConfigError):
        factory(base_url="http://h", model="m", config={"messages": []})


def test_responses_come_back_in_prompt_order(make_stub):
    # Latency jitter makes answers arrive out of order; the groups and order must survive.
    stub = make_stub(latency=0.0, latency_jitter=0.05, seed=3)
    model = _model(stub, concurrency=16)
    groups = [[f"doc {d} shard {s}" for s in range(d % 3 + 1)] for d in range(40)]
    order = [c.index for c in model.stream([p for g in groups for p in g])]
    assert order != sorted(order)  # they really did complete out of order
    assert model(groups) == groups  # the stub echoes the prompt
    assert model([]) == []
    assert model([[]]) == [[]]


def test_requests_really_overlap_and_concurrency_is_bounded(make_stub):
    stub = make_stub(latency=0.2)
    model = _model(stub, concurrency=8)
    model.connect()
    prompts = [[f"p{i}"] for i in range(32)]
    start = time.perf_counter()
    assert model(prompts) == prompts
    elapsed = time.perf_counter() - start
    stats = stub.stats()
    assert stats["max_inflight"] == 8  # 8 at once, never more
    assert elapsed < 1.6  # 4 waves of 0.2 s; one at a time would take 6.4 s
    assert stats["connections"] <= 8 + 1  # pooled keep-alive connections (+1: the stats call)
    assert model.usage.requests == 32 and model.usage.retries == 0


def test_usage_is_counted(echo_stub):
    model = _model(echo_stub)
    model([["one two three"], ["four five"]])
    model([["six"]])
    usage = model.usage.as_dict()
    assert usage["prompts"] == 3 and usage["prompts_ok"] == 3 and usage["requests"] == 3
    assert usage["prompt_tokens"] == 6 and usage["completion_tokens"] == 6


def test_completions_endpoint_and_generation_params(echo_stub):
    model = _model(echo_stub, endpoint="completions", config={"temperature": 0.7, "max_tokens": 20})
    assert model([["a b c"]]) == [["a b c"]]
    assert model.url.endswith("/v1/completions")


@pytest.mark.parametrize("fault,kind,extra", [
    ("error_rate", "http_5", {}),
    ("rate_limit_rate", "rate_limited", {"retry_after": 0.05}),
    ("malformed_rate", "malformed_response", {}),
    ("truncated_rate", "connection_dropped", {}),
    ("drop_rate", "connection_dropped", {}),
    ("hang_rate", "timeout", {"hang_seconds": 1.0}),
])
def test_every_fault_class_is_retried(make_stub, fault, kind, extra):
    stub = make_stub(seed=5, **{fault: 0.4}, **extra)
    model = _model(stub, timeout=0.3, max_retries=8)
    prompts = [[f"{fault} {i}"] for i in range(20)]
    assert model(prompts) == prompts
    reasons = model.usage.retry_reasons
    assert sum(n for k, n in reasons.items() if k.startswith(kind)) > 0, reasons
    assert model.usage.prompts_failed == 0


def test_slow_bodies_are_waited_for(make_stub):
    stub = make_stub(slow_body_rate=1.0, slow_body_seconds=0.2)
    model = _model(stub, timeout=5.0)
    assert model([["slow one"], ["slow two"]]) == [["slow one"], ["slow two"]]
    assert model.usage.retries == 0


def test_retry_after_is_honoured_in_a_429_burst(make_stub):
    # Backoff alone (10 ms) would spend both retries inside the 0.6 s burst; only waiting for
    # Retry-After gets every prompt through.
    stub = make_stub(burst_every=20, burst_seconds=0.6)
    model = _model(stub, concurrency=4, max_retries=2, backoff_base=0.01, backoff_max=0.01)
    prompts = [[f"burst {i}"] for i in range(24)]
    start = time.perf_counter()
    assert model(prompts) == prompts
    assert model.usage.retry_reasons["rate_limited"] > 0
    assert time.perf_counter() - start >= 0.6


def test_zero_lost_prompts_under_ten_percent_faults(make_stub):
    stub = make_stub(seed=11, latency=0.005, error_rate=0.03, rate_limit_rate=0.02, retry_after=0.05,
                     malformed_rate=0.01, truncated_rate=0.01, drop_rate=0.02, hang_rate=0.01, hang_seconds=1.0,
                     slow_body_rate=0.02, slow_body_seconds=0.05)
    model = _model(stub, concurrency=16, timeout=0.5, max_retries=8)
    prompts = [[f"prompt number {i}"] for i in range(300)]
    assert model(prompts) == prompts
    stats = stub.stats()
    assert stats["unique_prompts_ok"] == 300
    assert model.usage.prompts_ok == 300 and model.usage.retries > 10


def test_failed_prompts_are_reported_not_dropped(make_stub):
    stub = make_stub(error_rate=1.0)
    model = _model(stub, max_retries=1)
    with pytest.raises(GenerationError) as err:
        model([["a"], ["b", "c"]])
    assert len(err.value.failures) == 3
    message = str(err.value)
    assert "3 of 3 prompts failed" in message and "HTTP 5" in message and "prompt #2" in message
    lenient = _model(stub, max_retries=1, on_error="empty")
    assert lenient([["a"], ["b"]]) == [[""], [""]]
    assert [f.index for f in lenient.failures] == [0, 1]
    assert lenient.usage.prompts_failed == 2


def test_partial_failures_name_the_failed_prompts(make_stub):
    stub = make_stub(error_rate=0.5, seed=2)
    model = _model(stub, max_retries=0)
    prompts = [[f"q{i}"] for i in range(20)]
    with pytest.raises(GenerationError) as err:
        model(prompts)
    failed = {f.index for f in err.value.failures}
    assert 0 < len(failed) < 20
    assert model.usage.prompts_ok == 20 - len(failed)


def test_unreachable_server_names_the_url(free_port):
    url = f"http://127.0.0.1:{free_port}/v1"
    model = OpenAICompatible(url, "m", max_retries=1, **FAST)
    with pytest.raises(ConfigError) as err:
        model([["x"]])
    assert url in str(err.value) and "Cannot reach" in str(err.value)
    # Without the preflight the same error comes from the completion requests.
    model = OpenAICompatible(url, "m", max_retries=1, preflight=False, **FAST)
    with pytest.raises(ConfigError) as err:
        model([["x"], ["y"]])
    assert f"{url}/chat/completions" in str(err.value)


SECRET = "sk-test-DO-NOT-LEAK-4f8a2c"


def test_wrong_or_missing_key_says_which_env_var(make_stub, monkeypatch):
    stub = make_stub(api_key_env="STUB_EXPECTED_KEY", env={"STUB_EXPECTED_KEY": SECRET})
    monkeypatch.setenv("MY_LLM_KEY", "sk-wrong-key-0000")
    model = _model(stub, api_key_env="MY_LLM_KEY")
    with pytest.raises(ConfigError) as err:
        model([["x"]])
    assert "401" in str(err.value) and "'MY_LLM_KEY'" in str(err.value)
    assert "sk-wrong-key-0000" not in str(err.value)
    monkeypatch.delenv("MY_LLM_KEY")
    with pytest.raises(ConfigError, match="MY_LLM_KEY"):
        _model(stub, api_key_env="MY_LLM_KEY")([["x"]])
    no_key = _model(stub, preflight=False)
    with pytest.raises(ConfigError, match="api_key_env"):
        no_key([["x"]])


def test_key_never_appears_in_logs_errors_or_cassettes(make_stub, monkeypatch, caplog, tmp_path):
    from spacy_synthclin.llm.cassette import Record

    stub = make_stub(api_key_env="STUB_EXPECTED_KEY", env={"STUB_EXPECTED_KEY": SECRET}, error_rate=0.3, seed=4)
    monkeypatch.setenv("MY_LLM_KEY", SECRET)
    caplog.set_level(logging.DEBUG)  # httpx, httpcore and our own loggers at their most verbose
    model = _model(stub, api_key_env="MY_LLM_KEY", max_retries=0)
    recorder = Record(model, tmp_path / "c.jsonl")
    texts = []
    for attempt in range(3):  # with no retries some prompts fail: error messages are produced too
        try:
            recorder([[f"p{i}"] for i in range(10)])
        except GenerationError as err:
            texts.append(str(err))
            texts.extend(f.error for f in err.failures)
    assert texts, "expected some failures to check their messages"
    assert recorder([[f"p{i}"] for i in range(10)])  # the cassette has them by now or they are retried
    texts += [caplog.text, repr(model), (tmp_path / "c.jsonl").read_text()]
    assert len(caplog.records) > 0 and (tmp_path / "c.jsonl").stat().st_size > 0
    for text in texts:
        assert SECRET not in text


def test_callable_from_threads_and_from_inside_an_event_loop(echo_stub):
    model = _model(echo_stub)
    results = {}

    def run(name):
        results[name] = model([[name]])

    threads = [threading.Thread(target=run, args=(f"t{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {f"t{i}": [[f"t{i}"]] for i in range(3)}

    async def inside_a_loop():  # e.g. a notebook: a running loop in this thread must not matter
        return model([["from a loop"]])

    assert asyncio.run(inside_a_loop()) == [["from a loop"]]
    model.close()
    assert model([["after close"]]) == [["after close"]]  # restarts on demand


class EchoTask:
    """A minimal spacy-llm task: prompt = "Say: " + doc text; the response goes to doc.user_data."""

    def generate_prompts(self, docs: Iterable[Doc]) -> Iterable[str]:
        for doc in docs:
            yield f"Say: {doc.text}"

    def parse_responses(self, docs: Iterable[Doc], responses: Iterable[str]) -> Iterable[Doc]:
        for doc, response in zip(docs, responses):
            doc.user_data["response"] = list(response)[0]
            yield doc


def test_drives_a_spacy_llm_pipeline(echo_stub):
    from spacy_llm.ty import validate_type_consistency

    model = _model(echo_stub, concurrency=4)
    validate_type_consistency(EchoTask(), model)  # spacy-llm's own signature check accepts the model
    nlp = spacy.blank("en")
    llm = nlp.add_pipe("llm", config={"task": {"@llm_tasks": "spacy.NoOp.v1"},
                                      "model": {"@llm_models": "spacy.NoOp.v1"}})
    llm._task = EchoTask()
    llm._model = model
    texts = [f"sentence {i}" for i in range(25)]
    docs = list(nlp.pipe(texts, batch_size=10))
    assert [d.user_data["response"] for d in docs] == [f"Say: {t}" for t in texts]


def test_not_a_synthclin_error_leaks_as_traceback(free_port):
    # Every failure the user can act on is a SynthclinError (the CLI prints it without a traceback).
    model = OpenAICompatible(f"http://127.0.0.1:{free_port}/v1", "m", max_retries=0, **FAST)
    with pytest.raises(SynthclinError):
        model([["x"]])
