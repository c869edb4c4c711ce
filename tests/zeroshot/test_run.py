"""Zero-/few-shot runs end to end: the loopback stub answers, the scores are checked by hand."""
import json

import pytest

from spacy_synthclin.errors import SynthclinError

from .conftest import CONFIGS, NER_REPLY, REL_REPLY
from .helpers import invoke, last_json, read_jsonl


def _record(kind, config, data, stub, cassette, *extra):
    return invoke(["zeroshot", kind, data, "--config", CONFIGS / config, "--backend", "record", "--n", 0,
                   "--set", f"synthclin.llm.base_url={stub.base_url}", "--set", f"paths.cassette={cassette}", *extra])


def test_zero_shot_ner_end_to_end_with_the_stub_then_offline(tmp_path, ner_tsv, stub_factory):
    stub = stub_factory(NER_REPLY)
    cassette = tmp_path / "zs_ner.jsonl"
    out = tmp_path / "metrics.json"
    result = last_json(_record("ner", "zeroshot_ner.cfg", ner_tsv, stub, cassette, "--output", out))
    # By hand: S1 predicts "cancer" inside gold "breast cancer" (fp 1, fn 1); S2 "cancer" = gold (tp 1);
    # S3 misses "tumours" (fn 1); S4 has none and the False span BRCA1 is not an entity.
    # tp 1, fp 1, fn 2 -> P 1/2, R 1/3, F 2PR/(P+R) = 0.4
    assert (result["tp"], result["n_pred"], result["n_gold"]) == (1, 2, 3)
    assert result["p"] == pytest.approx(0.5) and result["r"] == pytest.approx(1 / 3) and result["f"] == pytest.approx(0.4)
    assert result["f_ci_low"] <= result["f"] <= result["f_ci_high"]
    assert result["task"] == "ner" and result["n"] == 4 and result["label"] == "DISEASE"
    assert result["answered_by"] == "stub-annotator" and result["model"] == "synthclin-reference-llm"
    assert result["mode"] == "zeroshot" and result["llm_task"] == "spacy.NER.v3"
    assert result["endpoints"] == [stub.base_url]
    assert json.loads(out.read_text()) == result
    entries = read_jsonl(cassette)
    assert len(entries) == 4 and {e["answered_by"] for e in entries} == {"stub-annotator"}
    assert all("Paragraph:" in e["prompt"] and e["response"] == NER_REPLY for e in entries)

    stub.stop()  # offline: the default backend replays what was recorded
    replayed = last_json(invoke(["zeroshot", "ner", ner_tsv, "--config", CONFIGS / "zeroshot_ner.cfg", "--n", 0,
                                 "--set", f"paths.cassette={cassette}"]))
    for key in ("p", "r", "f", "f_ci_low", "f_ci_high", "n", "answered_by"):
        assert replayed[key] == result[key]
    assert replayed["usage"]["cassette_hits"] == 4 and replayed["endpoints"] == []


def test_zero_shot_rel_counts_either_direction_and_scores_by_hand(tmp_path, gad_tsv, stub_factory):
    stub = stub_factory(REL_REPLY)
    result = last_json(_record("rel", "zeroshot_rel.cfg", gad_tsv, stub, tmp_path / "zs_rel.jsonl"))
    # Every row answered "ENT0 -> ENT1 ASSOCIATED" (row 1 has the disease as ENT0: still the pair).
    # gold 1 1 0 1 0 -> tp 3, fp 2, fn 0: P 0.6, R 1, F 0.75
    assert (result["tp"], result["fp"], result["fn"], result["tn"]) == (3, 2, 0, 0)
    assert result["p"] == pytest.approx(0.6) and result["r"] == pytest.approx(1.0) and result["f"] == pytest.approx(0.75)
    assert result["f_ci_low"] <= result["f"] <= result["f_ci_high"]
    assert result["task"] == "rel" and result["n"] == 5 and result["llm_task"] == "spacy.REL.v1"


def test_a_none_answer_is_a_negative(tmp_path, gad_tsv, stub_factory):
    stub = stub_factory("none")
    result = last_json(_record("rel", "fewshot_rel.cfg", gad_tsv, stub, tmp_path / "fs_rel.jsonl"))
    assert (result["tp"], result["fp"], result["fn"], result["tn"]) == (0, 0, 3, 2)
    assert result["f"] == 0.0 and result["f_ci_low"] == result["f_ci_high"] == 0.0
    assert result["mode"] == "fewshot"


def test_sample_size_and_seed(tmp_path, gad_tsv, stub_factory):
    stub = stub_factory(REL_REPLY)
    cassette = tmp_path / "c.jsonl"
    a = last_json(_record("rel", "zeroshot_rel.cfg", gad_tsv, stub, cassette, "--n", 3, "--seed", 5))
    assert a["n"] == 3 and a["n_total"] == 5 and a["sample_seed"] == 5
    assert len(read_jsonl(cassette)) == 3


def test_export_import_then_replay(tmp_path, gad_tsv):
    """Offline answering: export what the cassette lacks, import checked answers, score from the cassette."""
    cassette = tmp_path / "zs_rel.jsonl"
    missing = tmp_path / "missing.jsonl"
    base = ["zeroshot", "rel", gad_tsv, "--config", CONFIGS / "zeroshot_rel.cfg", "--n", 0, "--set", f"paths.cassette={cassette}"]
    exported = last_json(invoke(base + ["--export-prompts", missing]))
    assert exported["missing"] == exported["prompts"] == 5 and not cassette.exists()
    lines = read_jsonl(missing)
    assert [line["meta"]["doc_index"] for line in lines] == [0, 1, 2, 3, 4]
    assert {line["task"] for line in lines} == {"spacy.REL.v1"} and all("[ENT0:" in line["prompt"] for line in lines)
    # test fixture answers: rows 0-2 associated, row 3 "none", row 4 unparsable (must be refused)
    answers = {0: REL_REPLY, 1: '{"dep": 1, "dest": 0, "relation": "ASSOCIATED"}', 2: REL_REPLY, 3: "none", 4: "maybe?"}
    answered = tmp_path / "answered.jsonl"
    answered.write_text("".join(json.dumps({**line, "response": answers[line["meta"]["doc_index"]],
                                            "answered_by": "test-fixture"}) + "\n" for line in lines))
    imported = last_json(invoke(["prompts", "import", answered, "--cassette", cassette]))
    assert imported["imported"] == 4 and imported["rejected_by_reason"] == {"parse_error": 1}
    assert [r["detail"] for r in imported["rejected_examples"]] == ["no_relation_lines"]

    again = last_json(invoke(base + ["--export-prompts", missing]))
    assert again["missing"] == 1 and read_jsonl(missing)[0]["meta"]["doc_index"] == 4
    result = invoke(base, ok=False)
    assert isinstance(result.exception, SynthclinError) and "--export-prompts" in str(result.exception)

    fixed = {**read_jsonl(missing)[0], "response": "none", "answered_by": "test-fixture"}
    answered.write_text(json.dumps(fixed) + "\n")
    assert last_json(invoke(["prompts", "import", answered, "--cassette", cassette]))["imported"] == 1
    scored = last_json(invoke(base))
    # predictions 1 1 1 0 0 vs gold 1 1 0 1 0: tp 2, fp 1, fn 1 -> P = R = F = 2/3
    assert (scored["tp"], scored["fp"], scored["fn"], scored["tn"]) == (2, 1, 1, 1)
    assert scored["f"] == pytest.approx(2 / 3) and scored["answered_by"] == "test-fixture"
    assert scored["f_ci_low"] <= scored["f"] <= scored["f_ci_high"]


def test_ner_import_accepts_span_lines_and_none_and_refuses_the_rest(tmp_path, ner_tsv):
    cassette = tmp_path / "fs_ner.jsonl"
    missing = tmp_path / "missing.jsonl"
    invoke(["zeroshot", "ner", ner_tsv, "--config", CONFIGS / "fewshot_ner.cfg", "--n", 0,
            "--set", f"paths.cassette={cassette}", "--export-prompts", missing])
    lines = read_jsonl(missing)
    assert len(lines) == 4 and {line["task"] for line in lines} == {"spacy.NER.v3"}
    # the synthetic demonstrations are in every prompt
    assert all("Paragraph: Women with Turner syndrome were screened for" in line["prompt"] for line in lines)
    answers = [NER_REPLY, "None.", "", "I could not find anything useful here."]
    answered = tmp_path / "answered.jsonl"
    answered.write_text("".join(json.dumps({**line, "response": a, "answered_by": "test-fixture"}) + "\n"
                                for line, a in zip(lines, answers)))
    imported = last_json(invoke(["prompts", "import", answered, "--cassette", cassette]))
    assert imported["imported"] == 2
    assert imported["rejected_by_reason"] == {"empty_response": 1, "parse_error": 1}
    assert {r["detail"] for r in imported["rejected_examples"]} == {"empty response", "no_span_lines"}
