"""The offline path: export the prompts a cassette lacks, import validated answers for them.

Uses a tiny spacy-llm task defined here (the real generation tasks are tested
through the CLI in tests/cli/test_prompts.py).
"""
import json
from typing import Any, Dict, Iterable

import pytest
import spacy
from spacy.tokens import Doc

from spacy_synthclin.errors import SynthclinError
from spacy_synthclin.llm.cassette import (
    Cassette,
    Replay,
    export_missing_prompts,
    import_responses,
    make_entry,
    prompt_sha256,
)
from spacy_synthclin.llm.prompt import Prompt

TASK = "tests.ListDiseases.v1"


class ListDiseasesTask:
    """Prompt: list diseases related to the doc text; response: "- name" lines."""

    def generate_prompts(self, docs: Iterable[Doc]) -> Iterable[str]:
        for doc in docs:
            yield Prompt(f"List three diseases related to {doc.text}, one per line starting with '- '.",
                         task=TASK, template_version="v1", meta={"seed": doc.text})

    def parse_responses(self, docs: Iterable[Doc], responses: Iterable[str]) -> Iterable[Doc]:
        for doc, response in zip(docs, responses):
            doc.user_data["diseases"] = _parse(list(response)[0])
            yield doc


class NotAList(SynthclinError):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _parse(response: str):
    return [line[2:].strip() for line in response.splitlines() if line.startswith("- ") and line[2:].strip()]


def validate(task: str, template_version: str, prompt: str, response: str, meta: Dict[str, Any]) -> int:
    assert task == TASK and template_version == "v1" and meta.get("seed")
    found = _parse(response)
    if not found:
        raise NotAList("no_list_items")
    return len(found)


@pytest.fixture
def docs():
    nlp = spacy.blank("en")
    return [nlp.make_doc(t) for t in ("lung", "kidney", "liver", "lung")]


def _answer(line: Dict[str, Any], response: str, answered_by: str = "a-large-model") -> Dict[str, Any]:
    return {**line, "response": response, "answered_by": answered_by}


def test_export_then_import_fills_the_cassette(tmp_path, docs):
    cassette = tmp_path / "c.jsonl"
    task = ListDiseasesTask()
    known = next(iter(task.generate_prompts(docs[:1])))
    Cassette(cassette, writable=True).append(make_entry("m", known, "- asthma", "earlier-model"))

    out = tmp_path / "missing.jsonl"
    counts = export_missing_prompts(task, docs, cassette, "m", out)
    assert counts == {"prompts": 4, "in_cassette": 2, "missing": 2, "repeated": 0, "out": str(out)}
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["meta"]["seed"] for e in exported] == ["kidney", "liver"]
    assert all(e["task"] == TASK and e["template_version"] == "v1" and e["model"] == "m" for e in exported)
    assert all(e["key"] == prompt_sha256("m", e["prompt"]) for e in exported)

    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(json.dumps(_answer(e, f"- {e['meta']['seed']} disease A\n- B")) for e in exported))
    result = import_responses(answers, cassette, validate)
    assert (result["imported"], result["rejected"], result["duplicates"]) == (2, 0, 0)

    # The whole pipeline now replays offline, each response with the model that wrote it.
    nlp = spacy.blank("en")
    llm = nlp.add_pipe("llm", config={"task": {"@llm_tasks": "spacy.NoOp.v1"},
                                      "model": {"@llm_models": "spacy.NoOp.v1"}})
    llm._task = task
    llm._model = Replay(cassette, model="m")
    out_docs = list(nlp.pipe([d.text for d in docs]))
    assert [d.user_data["diseases"] for d in out_docs] == [["asthma"], ["kidney disease A", "B"],
                                                          ["liver disease A", "B"], ["asthma"]]
    lines = [json.loads(line) for line in cassette.read_text().splitlines()]
    assert [line["answered_by"] for line in lines] == ["earlier-model", "a-large-model", "a-large-model"]
    assert lines[1]["meta"] == {"seed": "kidney"} and lines[1]["task"] == TASK

    again = import_responses(answers, cassette, validate)
    assert (again["imported"], again["duplicates"]) == (0, 2)
    assert export_missing_prompts(task, docs, cassette, "m", out)["missing"] == 0


def test_import_refuses_bad_lines_with_reasons(tmp_path, docs):
    cassette = tmp_path / "c.jsonl"
    out = tmp_path / "missing.jsonl"
    export_missing_prompts(ListDiseasesTask(), docs[:3], None, "m", out)
    lung, kidney, liver = [json.loads(line) for line in out.read_text().splitlines()]
    tampered = _answer(kidney, "- x")
    tampered["prompt"] += " (edited)"
    rows = [
        json.dumps(_answer(lung, "- pneumonia")),  # good
        json.dumps({k: v for k, v in _answer(kidney, "- x").items() if k != "answered_by"}),  # who wrote it?
        json.dumps(_answer(liver, "- x", answered_by="  ")),
        json.dumps(tampered),  # key no longer matches the prompt
        json.dumps(_answer(liver, "I cannot help with that.")),  # does not parse
        json.dumps(_answer(liver, "   ")),
        "{broken json",
        json.dumps({"key": liver["key"], "response": "- y", "answered_by": "x"}),  # no prompt/model
        json.dumps(_answer(lung, "- pneumonia again")),  # its key is now in the cassette
    ]
    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(rows) + "\n")
    result = import_responses(answers, cassette, validate)
    assert result["imported"] == 1 and result["duplicates"] == 1 and result["rejected"] == 7
    assert result["rejected_by_reason"] == {"missing_answered_by": 2, "key_mismatch": 1, "parse_error": 1,
                                            "empty_response": 1, "invalid_json": 1, "missing_field": 1}
    parse_error = next(e for e in result["rejected_examples"] if e["reason"] == "parse_error")
    assert parse_error["line"] == 5 and parse_error["detail"] == "no_list_items"
    assert [json.loads(line)["response"] for line in cassette.read_text().splitlines()] == ["- pneumonia"]

    only_other = import_responses(answers, tmp_path / "c2.jsonl", validate, model="other-model")
    assert only_other["imported"] == 0 and only_other["rejected_by_reason"]["model_mismatch"] >= 1
