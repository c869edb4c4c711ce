"""Cassettes, Record and Replay, over real HTTP against the stub server."""
import gzip
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc

import pytest
from spacy_llm.registry import registry

from spacy_synthclin.errors import ConfigError, InputFormatError, SynthclinError
from spacy_synthclin.llm.cassette import (
    Cassette,
    CassetteSet,
    Record,
    Replay,
    cassette_file_v1,
    make_entry,
    prompt_sha256,
    record_stream,
)
from spacy_synthclin.llm.openai_compatible import GenerationError, OpenAICompatible
from spacy_synthclin.llm.prompt import Prompt

FAST = dict(backoff_base=0.01, backoff_max=0.05)


def _backend(stub, **kw):
    return OpenAICompatible(stub.base_url, kw.pop("model", "stub-model"), concurrency=kw.pop("concurrency", 8),
                            **{**FAST, **kw})


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_key_is_sha256_of_model_newline_prompt():
    expected = hashlib.sha256("m\nhello".encode("utf-8")).hexdigest()
    assert prompt_sha256("m", "hello") == expected
    assert prompt_sha256("m", Prompt("hello", task="t")) == expected
    assert prompt_sha256("other", "hello") != expected


def test_registered():
    assert registry.llm_models.get("synthclin.Replay.v1")
    assert registry.llm_models.get("synthclin.Record.v1")
    assert registry.llm_misc.get("synthclin.CassetteFile.v1")


def test_record_then_replay_round_trip(make_stub, tmp_path):
    stub = make_stub(answered_by="served-model-7b")
    path = tmp_path / "cassettes" / "c.jsonl"
    prompts = [[Prompt("write about asthma", task="synthclin.NERGeneration.v1", template_version="v2",
                       meta={"seed": "asthma", "i": 0})], ["a plain prompt", "a second shard"]]
    recorder = registry.llm_models.get("synthclin.Record.v1")(backend=_backend(stub), path=str(path))
    assert recorder(prompts) == [["write about asthma"], ["a plain prompt", "a second shard"]]
    lines = _lines(path)
    assert len(lines) == 3
    first = lines[0] if lines[0]["prompt"] == "write about asthma" else next(
        line for line in lines if line["prompt"] == "write about asthma")
    assert first["key"] == prompt_sha256("stub-model", "write about asthma")
    assert first["model"] == "stub-model" and first["answered_by"] == "served-model-7b"
    assert first["task"] == "synthclin.NERGeneration.v1" and first["template_version"] == "v2"
    assert first["meta"] == {"seed": "asthma", "i": 0}
    assert first["usage"] == {"prompt_tokens": 3, "completion_tokens": 3}
    assert first["timestamp"].endswith("+00:00")
    assert set(first) == {"key", "model", "answered_by", "task", "template_version", "prompt", "response", "usage",
                          "timestamp", "meta"}

    served_before = stub.stats()["completions"]
    replay = registry.llm_models.get("synthclin.Replay.v1")(path=str(path), model="stub-model")
    assert replay(prompts) == [["write about asthma"], ["a plain prompt", "a second shard"]]
    assert replay.hits == 3
    assert stub.stats()["completions"] == served_before  # the server was not asked again


def test_record_answers_known_prompts_from_the_cassette(make_stub, tmp_path):
    stub = make_stub()
    path = tmp_path / "c.jsonl"
    recorder = Record(_backend(stub), path)
    recorder([["a"], ["b"]])
    recorder([["a"], ["b"], ["c"], ["c"]])
    assert stub.stats()["completions"] == 3  # a, b, then only c (once, though asked twice)
    assert sorted(line["prompt"] for line in _lines(path)) == ["a", "b", "c"]
    report = recorder.usage_report()
    assert report["cassette_hits"] == 2 and report["cassette_misses"] == 3
    assert report["backend"]["requests"] == 3 and report["backend"]["completion_tokens"] == 3


class PlainBackend:
    """Any spacy-llm model (no streaming, no usage): one response list per doc."""

    _name = "plain-model-name"

    def __init__(self):
        self.calls = 0

    def __call__(self, prompts):
        self.calls += 1
        return [[p.upper() for p in doc] for doc in prompts]


def test_record_wraps_any_spacy_llm_model(tmp_path):
    backend = PlainBackend()
    recorder = Record(backend, tmp_path / "c.jsonl")
    assert recorder([["a", "b"], ["c"]]) == [["A", "B"], ["C"]]
    assert recorder([["a"], ["d"]]) == [["A"], ["D"]]
    lines = _lines(tmp_path / "c.jsonl")
    assert [line["response"] for line in lines] == ["A", "B", "C", "D"]
    assert {line["model"] for line in lines} == {"plain-model-name"} == {line["answered_by"] for line in lines}
    assert lines[0]["usage"] == {"prompt_tokens": None, "completion_tokens": None}  # unknown, not made up
    assert recorder.usage_report() == {"cassette_hits": 1, "cassette_misses": 4}
    named = Record(PlainBackend(), tmp_path / "d.jsonl", model="key-model", answered_by="the-real-writer")
    named([["x"]])
    line = _lines(tmp_path / "d.jsonl")[0]
    assert line["model"] == "key-model" and line["answered_by"] == "the-real-writer"
    assert line["key"] == prompt_sha256("key-model", "x")


def test_replay_miss_names_the_hash_and_the_cassette(tmp_path):
    path = tmp_path / "c.jsonl"
    c = Cassette(path, writable=True)
    c.append(make_entry("m", "known", "answer", "m"))
    c.close()
    replay = Replay(path, model="m")
    assert replay([["known"]]) == [["answer"]]
    with pytest.raises(SynthclinError) as err:
        replay([["known"], [Prompt("unknown", task="synthclin.RELGeneration.v1", template_version="v1")]])
    message = str(err.value)
    assert prompt_sha256("m", "unknown") in message
    assert str(path) in message and "synthclin prompts export" in message
    assert "synthclin.RELGeneration.v1" in message
    with pytest.raises(SynthclinError):  # the same prompt under another model name is a miss too
        Replay(path, model="other")([["known"]])


def test_replay_falls_through_to_a_backend_and_records(make_stub, tmp_path):
    stub = make_stub()
    path = tmp_path / "c.jsonl"
    Cassette(path, writable=True).append(make_entry("stub-model", "old", "recorded answer", "someone"))
    replay = Replay(path, model="stub-model", on_miss="backend", backend=_backend(stub), record=True)
    assert replay([["old"], ["new"]]) == [["recorded answer"], ["new"]]
    assert [line["prompt"] for line in _lines(path)] == ["old", "new"]
    no_record = Replay(path, model="stub-model", on_miss="backend", backend=_backend(stub))
    assert no_record([["newer"]]) == [["newer"]]
    assert len(_lines(path)) == 2
    with pytest.raises(ConfigError):
        Replay(path, model="stub-model", on_miss="backend")


def test_replay_export_mode_lists_what_is_missing(tmp_path):
    path = tmp_path / "c.jsonl"
    Cassette(path, writable=True).append(make_entry("m", "known", "answer", "m"))
    out = tmp_path / "missing.jsonl"
    replay = Replay(path, model="m", on_miss="export", export_path=out)
    prompts = [["known"], [Prompt("x", task="t", template_version="v1", meta={"k": 1})], ["y"], ["x"]]
    assert replay(prompts) == [["answer"], [""], [""], [""]]
    assert replay([["y"]]) == [[""]]  # listed once, however often it is asked
    lines = _lines(out)
    assert [line["prompt"] for line in lines] == ["x", "y"]
    assert lines[0] == {"key": prompt_sha256("m", "x"), "model": "m", "task": "t", "template_version": "v1",
                        "prompt": "x", "meta": {"k": 1}}
    with pytest.raises(ConfigError):
        Replay(path, model="m", on_miss="export")


def test_replay_reads_folders_globs_and_gzip(tmp_path):
    folder = tmp_path / "cassettes"
    folder.mkdir()
    Cassette(folder / "a.jsonl", writable=True).append(make_entry("m", "p1", "r1", "m"))
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps(make_entry("m", "p2", "r2", "m")) + "\n")
    (folder / "notes.txt").write_text("not a cassette")
    for spec in (folder, str(folder / "*.jsonl*"), [folder / "a.jsonl", folder / "b.jsonl.gz"]):
        assert Replay(spec, model="m")([["p1"], ["p2"]]) == [["r1"], ["r2"]]
    assert len(CassetteSet(folder)) == 2
    with pytest.raises(ConfigError):
        Cassette(folder / "b.jsonl.gz", writable=True)
    with pytest.raises(ConfigError):
        Replay(tmp_path / "absent.jsonl", model="m")


def test_torn_last_line_is_skipped_and_cut_before_the_next_append(tmp_path, caplog):
    path = tmp_path / "c.jsonl"
    c = Cassette(path, writable=True)
    c.append(make_entry("m", "p1", "r1", "m"))
    c.append(make_entry("m", "p2", "r2", "m"))
    c.close()
    whole = path.read_bytes()
    path.write_bytes(whole + json.dumps(make_entry("m", "p3", "r3", "m")).encode()[:40])  # a crash mid-write
    with caplog.at_level(logging.WARNING):
        reopened = Cassette(path, writable=True)
    assert "torn last line 3" in caplog.text
    assert len(reopened) == 2 and "r2" == reopened.get(prompt_sha256("m", "p2"))["response"]
    reopened.append(make_entry("m", "p3", "r3", "m"))
    reopened.close()
    assert [line["prompt"] for line in _lines(path)] == ["p1", "p2", "p3"]


def test_complete_last_line_without_newline_is_kept(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(make_entry("m", "p1", "r1", "m")))  # no trailing newline
    c = Cassette(path, writable=True)
    assert len(c) == 1
    c.append(make_entry("m", "p2", "r2", "m"))
    c.close()
    assert [line["prompt"] for line in _lines(path)] == ["p1", "p2"]


def test_corrupt_or_edited_lines_are_errors_with_their_line_number(tmp_path):
    path = tmp_path / "c.jsonl"
    good = json.dumps(make_entry("m", "p1", "r1", "m"))
    path.write_text(good + "\n{not json\n" + good + "\n")
    with pytest.raises(InputFormatError, match=r"c\.jsonl:2"):
        Cassette(path)
    edited = make_entry("m", "p1", "r1", "m")
    edited["prompt"] = "p1 edited by hand"
    path.write_text(json.dumps(edited) + "\n")
    with pytest.raises(InputFormatError, match="edited"):
        Cassette(path)


def test_cassette_file_helper(tmp_path, monkeypatch):
    path = tmp_path / "c.jsonl"
    Cassette(path, writable=True).append(make_entry("m", "p", "r", "m"))
    monkeypatch.setenv("CASSETTE_DIR", str(tmp_path))
    assert cassette_file_v1("$CASSETTE_DIR/c.jsonl") == path
    with pytest.raises(ConfigError):
        cassette_file_v1(str(tmp_path / "nope.jsonl"))
    assert cassette_file_v1(str(tmp_path / "new.jsonl"), must_exist=False) == tmp_path / "new.jsonl"


def test_failed_prompts_leave_every_completed_answer_on_disk(make_stub, tmp_path):
    stub = make_stub(error_rate=0.5, seed=9)
    path = tmp_path / "c.jsonl"
    recorder = Record(_backend(stub, max_retries=0), path)
    prompts = [[f"q{i}"] for i in range(20)]
    with pytest.raises(GenerationError) as err:
        recorder(prompts)
    n_failed = len(err.value.failures)
    assert len(_lines(path)) == 20 - n_failed > 0
    # Re-running sends only the failed ones (now with retries) and completes the cassette.
    retry = Record(_backend(stub, max_retries=10), path)
    assert retry(prompts) == prompts
    keys = [line["key"] for line in _lines(path)]
    assert len(keys) == len(set(keys)) == 20


_RECORDER_SCRIPT = textwrap.dedent("""
    import sys
    from spacy_synthclin.llm.cassette import Cassette, record_stream
    from spacy_synthclin.llm.openai_compatible import OpenAICompatible
    base_url, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    backend = OpenAICompatible(base_url, "stub-model", concurrency=4)
    print(record_stream(backend, (f"prompt {i}" for i in range(n)), Cassette(path, writable=True), "stub-model"),
          flush=True)
""")


def test_resume_after_an_interrupted_recording_without_duplicates(make_stub, tmp_path):
    stub = make_stub(latency=0.05)
    path = tmp_path / "c.jsonl"
    n = 120
    proc = subprocess.Popen([sys.executable, "-c", _RECORDER_SCRIPT, stub.base_url, str(path), str(n)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and (not path.exists() or path.read_bytes().count(b"\n") < 20):
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)  # no cleanup of any kind: as hard as a crash gets
    proc.wait(10)
    kept = path.read_bytes().count(b"\n")
    assert 20 <= kept < n, "the run should have been interrupted half-way"

    # requests the killed client had in flight still complete on the server: let them drain
    served_before, stable_since = stub.stats()["completions"], time.time()
    while time.time() - stable_since < 0.5:
        time.sleep(0.05)
        now = stub.stats()["completions"]
        if now != served_before:
            served_before, stable_since = now, time.time()
    result = record_stream(_backend(stub, concurrency=8), (f"prompt {i}" for i in range(n)),
                           Cassette(path, writable=True), "stub-model")
    lines = _lines(path)
    keys = [line["key"] for line in lines]
    assert len(keys) == len(set(keys)) == n
    assert sorted(line["prompt"] for line in lines) == sorted(f"prompt {i}" for i in range(n))
    assert result["skipped_in_cassette"] == kept and result["written"] == n - kept
    assert stub.stats()["completions"] - served_before == n - kept  # only the missing ones were sent


def test_streaming_memory_is_flat_in_the_number_of_prompts(echo_stub, tmp_path):
    # Answers of 8 KB are streamed to disk, not held: what may grow with the number of prompts is the
    # cassette's key index (~200 bytes a prompt). The stub answers at once, faster than the writer, so
    # this also checks the backpressure: without it the answers waiting for the writer piled up
    # (~0.3 bytes a prompt byte, worse under CPU load).
    def peak(n):
        backend = _backend(echo_stub, concurrency=16)
        backend.connect()
        cassette = Cassette(tmp_path / f"mem{n}.jsonl", writable=True, fsync=False)
        tracemalloc.start()
        record_stream(backend, (f"memory prompt {i} " + "x" * 8000 for i in range(n)), cassette, "stub-model")
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        backend.close()
        cassette.close()
        return top

    small, large = peak(150), peak(1200)
    per_prompt = (large - small) / (1200 - 150)
    # Holding answers would cost >= 8,000 bytes a prompt; measured ~200.
    assert per_prompt < 1500, (small, large, per_prompt)
