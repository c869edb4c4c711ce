"""The few-shot examples are synthetic (from the committed synthetic cassettes) and render like test rows."""
import json
import re

import pytest
import spacy

from spacy_synthclin.corpora.readers import read_ner_tsv, read_re_tsv
from spacy_synthclin.errors import ConfigError
from spacy_synthclin.zeroshot.examples import EXAMPLES_DIR, fewshot_examples_v1
from spacy_synthclin.zeroshot.runner import input_doc, load_zeroshot_pipeline, rendered_prompts

from .conftest import CONFIGS, ROOT

_MARK = re.compile(r"\[\[(?:[GD]:)?(.*?)\]\]")


def _cassette_sentence(cassette, key, number):
    for line in (ROOT / cassette).read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["key"] == key:
            for text in entry["response"].splitlines():
                m = re.match(r"\s*(\d+)\.\s*(.*)$", text)
                if m and int(m.group(1)) == number:
                    return m.group(2)
    raise AssertionError(f"{cassette}: no sentence {number} under key {key}")


def test_ner_examples_are_sentences_of_the_synthetic_cassette():
    tokenizer = spacy.blank("en")
    data = json.loads((EXAMPLES_DIR / "ner_disease_synthetic.json").read_text())
    assert len(data) >= 3
    for eg in data:
        source = eg["source"]
        assert source["cassette"] == "assets/cassettes/ner_disease.jsonl"
        marked = _cassette_sentence(source["cassette"], source["key"], source["sentence"])
        plain = _MARK.sub(r"\1", marked)
        assert eg["text"] == " ".join(t.text for t in tokenizer.make_doc(plain) if t.text.strip())
        marks = [" ".join(t.text for t in tokenizer.make_doc(m) if t.text.strip()) for m in _MARK.findall(marked)]
        assert [s["text"] for s in eg["spans"] if s["is_entity"]] == marks  # the LLM's own marks, in order


def test_rel_examples_are_masked_sentences_of_the_synthetic_cassette():
    data = json.loads((EXAMPLES_DIR / "gad_synthetic.json").read_text())
    assert {eg["label"] for eg in data} == {0, 1}
    for eg in data:
        source = eg["source"]
        marked = _cassette_sentence(source["cassette"], source["key"], source["sentence"])
        masked = re.sub(r"\[\[D:.*?\]\]", "@DISEASE$", re.sub(r"\[\[G:.*?\]\]", "@GENE$", marked))
        assert eg["text"] == masked


def test_examples_are_not_real_test_sentences(shared_data):
    nlp = spacy.blank("en")
    real = {d.text for d in read_ner_tsv(shared_data / "NCBI-disease" / "test.tsv", nlp.vocab, label="DISEASE")}
    real |= {d.text for d in read_re_tsv(shared_data / "GAD" / "BLURB" / "test.tsv")}
    examples = [eg["text"] for name in ("ner_disease_synthetic", "gad_synthetic")
                for eg in fewshot_examples_v1(name=name)()]
    assert examples and not set(examples) & real


def test_masked_rel_examples_render_like_a_test_row(tmp_path, gad_tsv):
    nlp, settings = load_zeroshot_pipeline(CONFIGS / "fewshot_rel.cfg", {"synthclin.backend": "prompts_only"})
    golds = list(read_re_tsv(gad_tsv))
    prompt = next(iter(rendered_prompts(nlp, settings, golds[:1], [0], 0, gad_tsv)))
    assert "Germline pathogenic mutations of @GENE$[ENT0:GENE] were detected" in prompt
    assert "@DISEASE$[ENT0:DISEASE] and 1,143 healthy controls" in prompt
    assert prompt.rstrip().endswith("@GENE$[ENT0:GENE] variants increase the risk of @DISEASE$[ENT1:DISEASE].\n'''")
    assert prompt.meta["doc_index"] == 0 and prompt.task == "spacy.REL.v1"


@pytest.mark.parametrize("name,kind,task", [
    ("zeroshot_ner", "ner", "spacy.NER.v3"), ("fewshot_ner", "ner", "spacy.NER.v3"),
    ("zeroshot_rel", "rel", "spacy.REL.v1"), ("fewshot_rel", "rel", "spacy.REL.v1"),
])
def test_the_configs_load_and_replay_their_cassette_by_default(name, kind, task):
    nlp, settings = load_zeroshot_pipeline(CONFIGS / f"{name}.cfg", {"synthclin.backend": "prompts_only"})
    assert settings.kind == kind and settings.task_name == task
    assert settings.mode == name.split("_")[0]
    assert settings.cassette == f"assets/cassettes/{name}.jsonl" and settings.model_name == "synthclin-reference-llm"
    assert settings.get("n") == 300 and settings.get("seed") == 0 and settings.get("bootstrap_resamples") == 1000
    assert settings.get("allow_remote") is False


def test_rel_output_keeps_the_input_tokens(gad_tsv):
    """spacy.REL.v1 hands back its marked-up Doc; the scores component restores the input tokens."""
    from spacy_synthclin.zeroshot.components import LLMRelScores
    from spacy_llm.tasks.rel.task import RELTask
    from spacy_llm.tasks.rel.items import RelationItem

    for gold in read_re_tsv(gad_tsv):
        marked = RELTask._preannotate(input_doc(gold, "rel"), return_as_doc=True)
        assert len(marked) == len(gold) + 2
        marked._.rel = [RelationItem(dep=1, dest=0, relation="ASSOCIATED")]
        out = LLMRelScores()(marked)
        assert [t.text for t in out] == [t.text for t in gold] and out.text == gold.text
        assert out._.rel == {pair: {"ASSOCIATED": 1.0} for pair in gold._.rel}


def test_unknown_example_set():
    with pytest.raises(ConfigError, match="known: gad_synthetic, ner_disease_synthetic"):
        fewshot_examples_v1(name="real_sentences")
