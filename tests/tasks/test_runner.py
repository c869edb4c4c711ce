"""The resumable generation run: counts, resume without duplicates, interrupted writes, modes."""
import json
from pathlib import Path

import pytest

from spacy_synthclin.errors import SynthclinError
from spacy_synthclin.tasks.runner import OutputFiles, load_generation_pipeline, run_generation

from . import fakes

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "configs"
SCRIPTED = {"@llm_models": "test.Scripted.v1"}
DISEASES = ["psoriasis", "gout", "sarcoidosis", "lupus nephritis", "celiac disease", "retinoblastoma", "achalasia",
            "hemophilia A", "narcolepsy", "keratoconus", "Kawasaki disease", "pemphigus vulgaris"]


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


@pytest.fixture()
def seeds(tmp_path):
    path = tmp_path / "disease.txt"
    path.write_text("# a hand-written seed list\n" + "\n".join(DISEASES) + "\n")
    return path


# The fake answers are near-identical templates; near-duplicate removal has its own tests.
NO_NEAR = {"synthclin.filters.near_dedup": False}


def ner_pipeline(seeds, **extra):
    overrides = {"components.llm.model": SCRIPTED, "paths.seeds": str(seeds), **NO_NEAR, **extra}
    return load_generation_pipeline(CONFIGS / "generate_ner_disease.cfg", overrides)


def check_consistent(summary):
    assert summary["parsed"] + summary["failed_total"] == summary["requested"] + summary["extra"]
    assert summary["parsed"] == summary["kept"] + sum(summary["filtered"].values())


def test_counts_add_up_to_what_was_injected(seeds, tmp_path):
    nlp, settings = ner_pipeline(seeds)
    out = tmp_path / "ner.jsonl"
    summary = run_generation(nlp, settings, out)
    expected = fakes.expected_counts(range(len(DISEASES)), 5)
    parsed = expected.pop("_parsed")
    assert summary["prompts"] == len(DISEASES) and summary["requested"] == 5 * len(DISEASES)
    assert summary["failed"] == expected
    assert summary["parsed"] == parsed
    check_consistent(summary)
    files = OutputFiles.for_out(out, "ner")
    examples = read_jsonl(files.examples)
    assert len(examples) == summary["kept"]
    rejected = read_jsonl(files.rejected)
    assert sum(1 for r in rejected if r["kind"] == "parse") == summary["failed_total"]  # one line per dropped item
    ledger = read_jsonl(files.ledger)
    # the raw response is kept wherever something was dropped
    assert all(r["raw"] for r in ledger if r["failed"] and not r["retry"])
    for example in examples:
        for span in example["spans"]:
            assert example["text"][span["start"]:span["end"]] in example["text"]
        assert example["seed"] in DISEASES


def test_resume_skips_done_prompts_and_writes_no_duplicates(seeds, tmp_path):
    out = tmp_path / "ner.jsonl"
    nlp, settings = ner_pipeline(seeds)
    first = run_generation(nlp, settings, out, n=5)
    calls_before = len(fakes.CALLS)
    second = run_generation(nlp, settings, out, n=5)
    # only the prompt that was answered "" (seed 3) is asked again; the others are done
    assert len(fakes.CALLS) == calls_before + 1
    assert second["kept"] == first["kept"] and second["skipped"] == 4 and second["ran"] == 1
    assert second["prompts"] == 5 and second["to_retry"] == 1
    third = run_generation(nlp, settings, out, n=12)
    assert third["prompts"] == 12
    # prompt 3 answered "" the first time: it is retried, not counted as done
    assert third["skipped"] == 4 and third["ran"] == 8
    full = tmp_path / "full.jsonl"
    reference = run_generation(*ner_pipeline(seeds), full)
    assert read_jsonl(out) == read_jsonl(full)
    texts = [e["text"] for e in read_jsonl(out)]
    assert len(texts) == len(set(texts))
    for key in ("requested", "parsed", "kept", "failed", "filtered"):
        assert third[key] == reference[key]


def test_interrupted_write_is_repaired(seeds, tmp_path):
    out = tmp_path / "ner.jsonl"
    nlp, settings = ner_pipeline(seeds)
    reference = run_generation(nlp, settings, out, n=3)
    files = OutputFiles.for_out(out, "ner")
    # crash simulation: the last prompt's ledger line never got written, and a torn line follows
    ledger_lines = files.ledger.read_text().splitlines(keepends=True)
    files.ledger.write_text("".join(ledger_lines[:-1]) + '{"type": "prompt", "prompt_ke')
    with files.examples.open("a") as fh:
        fh.write('{"text": "torn')
    again = run_generation(nlp, settings, out, n=3)
    assert again["ran"] == 1 and again["kept"] == reference["kept"]
    assert read_jsonl(files.examples) == read_jsonl(out)  # every line parses
    texts = [e["text"] for e in read_jsonl(out)]
    assert len(texts) == len(set(texts))


def test_filters_are_counted(tmp_path):
    seeds = tmp_path / "s.txt"
    seeds.write_text("gout\nasthma\n")
    nlp, settings = ner_pipeline(seeds, **{"synthclin.filters.max_tokens": 15})
    summary = run_generation(nlp, settings, tmp_path / "o.jsonl")
    examples = read_jsonl(tmp_path / "o.jsonl")
    assert summary["filtered"]["too_long"] >= 1 and len(examples) == summary["kept"]
    check_consistent(summary)
    # near-duplicate removal: the answers for "gouts" differ from those for "gout" by two characters
    seeds.write_text("gout\ngouts\n")
    nlp, settings = ner_pipeline(seeds, **{"synthclin.filters.near_dedup": True})
    summary = run_generation(nlp, settings, tmp_path / "near.jsonl")
    assert summary["filtered"] == {"near_duplicate": 3}
    check_consistent(summary)


def test_rel_generation_labels_and_balance(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"GENE{i}\tdisease number {i}\n" for i in range(9)))
    nlp, settings = load_generation_pipeline(CONFIGS / "generate_rel.cfg",
                                             {"components.llm.model": SCRIPTED, "paths.pairs": str(pairs), **NO_NEAR,
                                              "synthclin.filters.max_positive": 0.5})
    out = tmp_path / "rel.jsonl"
    summary = run_generation(nlp, settings, out)
    examples = read_jsonl(out)
    # indices 2, 5, 8 have one untyped mark each
    assert summary["failed"] == {"wrong_label": 3}
    # 5 positive prompts, 4 negative: 23 + 19 parsed -> the balance filter trims positives to <= 50 %
    assert 0.45 <= summary["positive_fraction"] <= 0.5
    assert summary["filtered"] == {"balance": 4}
    labels = [e["label"] for e in examples]
    assert labels.count(1) == 19 and labels.count(0) == 19
    check_consistent(summary)
    for example in examples:
        gene, disease = example["spans"]
        assert example["text"][gene["start"]:gene["end"]] == example["gene"]
        assert example["text"][disease["start"]:disease["end"]] == example["disease"]
        assert example["label"] == example["target_label"]


def test_seed_generation_writes_the_seed_files(tmp_path):
    overrides = {"components.llm.model": SCRIPTED, "synthclin.categories": {
        "disease": ["eye", "skin"], "chemical": ["toxins"], "gene_disease": ["kidney"]}, "components.llm.task.n_seeds": 5}
    nlp, settings = load_generation_pipeline(CONFIGS / "generate_seeds.cfg", overrides)
    summary = run_generation(nlp, settings, tmp_path / "seeds")
    assert summary["prompts"] == 4 and summary["requested"] == 20 and summary["extra"] == 3
    assert summary["filtered"] == {"duplicate": 3}
    disease = (tmp_path / "seeds" / "disease.txt").read_text().splitlines()
    # round-robin over the categories, so a max_seeds cut keeps every category
    assert disease == [f"{cat} item {k}" for k in range(5) for cat in ("eye", "skin")]
    pairs = (tmp_path / "seeds" / "gene_disease.tsv").read_text().splitlines()
    assert len(pairs) == 5 and all(len(p.split("\t")) == 2 for p in pairs)
    assert (tmp_path / "seeds" / "chemical.txt").exists()
    # the lists are what the ner/rel configs read
    nlp2, settings2 = load_generation_pipeline(CONFIGS / "generate_rel.cfg", {
        "components.llm.model": SCRIPTED, "paths.pairs": str(tmp_path / "seeds" / "gene_disease.tsv")})
    assert run_generation(nlp2, settings2, tmp_path / "rel.jsonl")["prompts"] == 5


def test_generate_then_annotate_ner(seeds, tmp_path):
    fakes.KNOWN_DISEASES.update(DISEASES)
    nlp, settings = load_generation_pipeline(CONFIGS / "generate_ner_disease_annotate.cfg", {
        "synthclin.backend": "", "components.llm.model": SCRIPTED, "components.annotate_ner.model": SCRIPTED,
        "paths.seeds": str(seeds), **NO_NEAR})
    out = tmp_path / "annot.jsonl"
    summary = run_generation(nlp, settings, out, n=4)
    # the last plain sentence of each prompt mentions no disease: the annotator finds nothing
    assert summary["failed"] == {"annotator_no_entity": 4}
    check_consistent(summary)
    examples = read_jsonl(out)
    assert len(examples) == 16
    for example in examples:
        assert example["mode"] == "plain" and example["annotated_by"] == "annotate_ner"
        (span,) = example["spans"]
        assert example["text"][span["start"]:span["end"]] == example["seed"]


def test_generate_then_annotate_rel(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    genes = ["APOE", "CFTR", "NOD2", "HFE"]
    diseases = ["Alzheimer disease", "cystic fibrosis", "Crohn disease", "hemochromatosis"]
    pairs.write_text("".join(f"{g}\t{d}\n" for g, d in zip(genes, diseases)))
    fakes.KNOWN_GENES.update(genes)
    fakes.KNOWN_DISEASES.update(diseases)
    overrides = {"components.llm.model": SCRIPTED, "components.annotate_ner.model": SCRIPTED,
                 "components.annotate_rel.model": SCRIPTED, "paths.pairs": str(pairs),
                 "synthclin.filters.balance": False, **NO_NEAR}
    nlp, settings = load_generation_pipeline(CONFIGS / "generate_rel_annotate.cfg", overrides)
    summary = run_generation(nlp, settings, tmp_path / "rel.jsonl")
    check_consistent(summary)
    examples = read_jsonl(tmp_path / "rel.jsonl")
    assert len(examples) == 20
    for example in examples:
        assert example["label"] == example["target_label"]  # the fake annotator agrees with the request
        gene, disease = example["spans"]
        assert example["text"][gene["start"]:gene["end"]] == example["gene"]


def test_output_of_another_task_is_refused(seeds, tmp_path):
    out = tmp_path / "x.jsonl"
    nlp, settings = ner_pipeline(seeds)
    run_generation(nlp, settings, out, n=1)
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("APOE\tAlzheimer disease\n")
    nlp, settings = load_generation_pipeline(CONFIGS / "generate_rel.cfg", {"components.llm.model": SCRIPTED, "paths.pairs": str(pairs)})
    with pytest.raises(SynthclinError, match="written by"):
        run_generation(nlp, settings, out)
