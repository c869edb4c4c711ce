"""The generation tasks inside spacy-llm's ordinary `llm` component (with a fake model)."""
from typing import Iterable, List

import spacy
from spacy_llm.registry import registry

from spacy_synthclin.llm.prompt import Prompt
from spacy_synthclin.tasks.base import prompt_key

SEEN: List[Prompt] = []

NER_ANSWER = """1. Children with [[{e}]] were followed for five years in a tertiary clinic.
2. No sign of [[{e}]] was seen on the follow-up scan of the patient.
3. The biopsy was read as possible [[{e}]] by two pathologists."""


@registry.llm_models("test.EchoSeed.v1")
def echo_seed_model():
    """Answers every prompt from its meta, with spacy-llm's Iterable signature (type check on)."""

    def call(prompts: Iterable[Iterable[str]]) -> Iterable[Iterable[str]]:
        out = []
        for group in prompts:
            answers = []
            for prompt in group:
                SEEN.append(prompt)
                answers.append(NER_ANSWER.format(e=prompt.meta["seed"]))
            out.append(answers)
        return out

    return call


def make_nlp(**task_args):
    nlp = spacy.blank("en")
    nlp.add_pipe("llm", config={
        "task": {"@llm_tasks": "synthclin.NERGeneration.v1", "n_sentences": 3, **task_args},
        "model": {"@llm_models": "test.EchoSeed.v1"},
        "validate_types": True,
    })
    return nlp


def test_ner_task_in_the_llm_component():
    SEEN.clear()
    nlp = make_nlp()
    docs = list(nlp.pipe(["psoriasis", "sickle cell anemia"]))
    assert len(SEEN) == 2 and all(isinstance(p, Prompt) for p in SEEN)
    assert SEEN[0].task == "synthclin.NERGeneration.v1" and SEEN[0].template_version == "v1"
    for doc in docs:
        assert len(doc._.synthetic) == 3
        report = doc._.synthetic_report
        assert report["parsed"] == 3 and report["failed"] == {} and report["prompt_key"] == prompt_key(SEEN[docs.index(doc)])
        for example in doc._.synthetic:
            assert example["seed"] == doc.text
            span = example["spans"][0]
            assert example["text"][span["start"]:span["end"]] == doc.text
            assert example["task"] == "synthclin.NERGeneration.v1" and example["prompt_key"] == report["prompt_key"]


def test_llm_component_serialisation_roundtrip(tmp_path):
    nlp = make_nlp(label="CHEMICAL", n_sentences=4)
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    task = loaded.get_pipe("llm").task
    assert task.label == "CHEMICAL" and task.n_sentences == 4 and task.template_version == "v1"
    assert task.render(loaded.make_doc("aspirin")) == nlp.get_pipe("llm").task.render(nlp.make_doc("aspirin"))


def test_custom_template_version():
    nlp = make_nlp(template="Write {{ n }} sentences about {{ entity }} ({{ label }}, {{ style }}).")
    task = nlp.get_pipe("llm").task
    assert task.template_version.startswith("custom-")
    assert task.render(nlp.make_doc("gout")) == "Write 3 sentences about gout (DISEASE, abstract)."


def test_rel_task_from_a_tab_separated_doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("llm", config={"task": {"@llm_tasks": "synthclin.RELGeneration.v1"}, "model": {"@llm_models": "test.EchoSeed.v1"}})
    prompt = nlp.get_pipe("llm").task.render(nlp.make_doc("APOE\tAlzheimer disease"))
    assert prompt.meta["gene"] == "APOE" and prompt.meta["disease"] == "Alzheimer disease" and prompt.meta["target_label"] == 1
