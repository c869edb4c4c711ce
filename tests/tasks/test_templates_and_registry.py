"""Prompt templates (versioned files), the task registry names, and the generation configs."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from spacy_synthclin.errors import ConfigError
from spacy_synthclin.tasks.runner import iter_prompts, iter_seed_docs, load_generation_pipeline

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "configs"
TASK_NAMES = ["synthclin.NERGeneration.v1", "synthclin.RELGeneration.v1", "synthclin.SeedProposal.v1"]


def test_template_files_exist_and_are_versioned():
    root = REPO / "spacy_synthclin" / "tasks"
    for path in ["ner_generation/templates/ner_generation.v1.jinja", "ner_generation/templates/ner_generation.v2.jinja",
                 "ner_generation/templates/ner_generation.v3.jinja", "ner_generation/templates/ner_generation.v4.jinja",
                 "ner_generation/templates/ner_generation_plain.v1.jinja",
                 "rel_generation/templates/rel_generation.v1.jinja", "rel_generation/templates/rel_generation_plain.v1.jinja",
                 "seed_proposal/templates/seed_proposal.v1.jinja"]:
        assert (root / path).exists(), path


def test_registry_names_resolve_without_importing_the_package():
    """After pip install, the entry points make the names resolvable in any user's config."""
    code = (
        "import json, sys; from spacy_llm.registry import registry\n"
        "names = %r\n"
        "found = {n: registry.llm_tasks.get(n).__module__ for n in names}\n"
        "print(json.dumps({'found': found, 'imported_early': 'spacy_synthclin.tasks' in sys.modules}))" % TASK_NAMES
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(result["found"]) == set(TASK_NAMES)
    assert result["found"]["synthclin.NERGeneration.v1"].startswith("spacy_synthclin.tasks.ner_generation")


@pytest.mark.parametrize("name", ["generate_ner_disease", "generate_ner_chemical", "generate_rel", "generate_seeds"])
def test_configs_build_and_reference_only_known_ids(name, tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("asthma\ngout\nlupus nephritis\n")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("gene\tdisease\nAPOE\tAlzheimer disease\nCFTR\tcystic fibrosis\nNOD2\tCrohn disease\n")
    overrides = {"synthclin.backend": "prompts_only", "paths.seeds": str(seeds), "paths.pairs": str(pairs)}
    nlp, settings = load_generation_pipeline(CONFIGS / f"{name}.cfg", overrides)
    assert settings.model_name and settings.cassette.startswith("assets/cassettes/")
    task = nlp.get_pipe("llm").task
    if settings.kind == "ner":
        assert set(settings.get("forms")) <= set(task.form_options())
        assert set(settings.get("styles")) <= set(task.style_options())
    elif settings.kind == "rel":
        assert set(settings.get("positive_forms")) <= set(task.form_options(1))
        assert set(settings.get("negative_forms")) <= set(task.form_options(0))
        assert set(settings.get("styles")) <= set(task.style_options())
    prompts = list(iter_prompts(nlp, settings))  # renders every prompt: fails on an unknown id
    assert prompts and all(p.task == task.NAME and p.template_version == "v1" for p in prompts)
    # deterministic: a second load renders identical prompts
    nlp2, settings2 = load_generation_pipeline(CONFIGS / f"{name}.cfg", overrides)
    assert [str(p) for p in iter_prompts(nlp2, settings2)] == [str(p) for p in prompts]


def test_seed_config_has_enough_categories_for_the_targets():
    nlp, settings = load_generation_pipeline(CONFIGS / "generate_seeds.cfg", {"synthclin.backend": "prompts_only"})
    n = nlp.get_pipe("llm").task.n_seeds
    cats = settings.get("categories")
    assert len(cats["disease"]) * n >= 1000 and len(cats["chemical"]) * n >= 700 and len(cats["gene_disease"]) * n >= 800


def test_ner_prompt_content(tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("\n".join(f"disease {i}" for i in range(12)) + "\n")
    nlp, settings = load_generation_pipeline(CONFIGS / "generate_ner_disease.cfg",
                                             {"synthclin.backend": "prompts_only", "paths.seeds": str(seeds)})
    prompts = list(iter_prompts(nlp, settings))
    first = prompts[0]
    assert '"disease 0"' in first and "[[" in first and "NCBI disease corpus" in first
    assert "Output exactly 5 lines" in first
    assert first.meta["seed"] == "disease 0" and first.meta["n_sentences"] == 5 and len(first.meta["forms"]) == 5
    # style follows the seed index; every form is used across seeds
    styles = [p.meta["style"] for p in prompts]
    assert styles[:6] == settings.get("styles")
    used = {f for p in prompts for f in p.meta["forms"]}
    assert used == set(settings.get("forms"))
    assert len({str(p) for p in prompts}) == len(prompts)


def test_chemical_prompt_has_chemical_guidelines(tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("cisplatin\n")
    nlp, settings = load_generation_pipeline(CONFIGS / "generate_ner_chemical.cfg",
                                             {"synthclin.backend": "prompts_only", "paths.seeds": str(seeds)})
    prompt = next(iter_prompts(nlp, settings))
    assert "CDR chemical guidelines" in prompt and "NCBI" not in prompt and prompt.meta["label"] == "CHEMICAL"


def _rendered_prompts(tmp_path, config: str, path_key: str, lines):
    """Every prompt a generation config renders for the given seed (or pair) lines, without a model."""
    seeds = tmp_path / "seed_lines.txt"
    seeds.write_text("".join(line + "\n" for line in lines))
    nlp, settings = load_generation_pipeline(CONFIGS / config, {"synthclin.backend": "prompts_only", path_key: str(seeds)})
    return list(iter_prompts(nlp, settings))


def test_rel_prompts_alternate_labels_and_share_conditioning(tmp_path):
    prompts = _rendered_prompts(tmp_path, "generate_rel.cfg", "paths.pairs", [f"GENE{i}\tdisease {i}" for i in range(40)])
    labels = [p.meta["target_label"] for p in prompts]
    assert labels == [1, 0] * 20
    for pos, neg in zip(prompts[::2], prompts[1::2]):
        assert pos.meta["style"] == neg.meta["style"] and pos.meta["context"] == neg.meta["context"]
    assert "[[G:GENE0]]" in prompts[0] and "ASSERT an association" in prompts[0]
    assert "No sentence may assert" in prompts[1]


def test_unknown_ids_and_missing_seeds_are_config_errors(tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("asthma\n")
    nlp, settings = load_generation_pipeline(
        CONFIGS / "generate_ner_disease.cfg",
        {"synthclin.backend": "prompts_only", "paths.seeds": str(seeds), "synthclin.forms": ["assertion", "sonnet"]},
    )
    with pytest.raises(ConfigError, match="sonnet"):
        list(iter_prompts(nlp, settings))
    nlp, settings = load_generation_pipeline(
        CONFIGS / "generate_ner_disease.cfg", {"synthclin.backend": "prompts_only", "paths.seeds": str(tmp_path / "nope.txt")}
    )
    with pytest.raises(ConfigError, match="not found"):
        list(iter_seed_docs(nlp, settings))
    with pytest.raises(ConfigError, match="unknown backend"):
        load_generation_pipeline(CONFIGS / "generate_ner_disease.cfg", {"synthclin.backend": "nope"})


def test_seeds_from_a_train_split_only(shared_data, tmp_path):
    nlp, settings = load_generation_pipeline(
        CONFIGS / "generate_ner_disease.cfg",
        {"synthclin.backend": "prompts_only", "synthclin.seeds_source": "corpus_train",
         "paths.seeds": str(shared_data / "NCBI-disease" / "test.tsv")},
    )
    with pytest.raises(ConfigError, match="train split"):
        list(iter_seed_docs(nlp, settings, n=1))
    nlp, settings = load_generation_pipeline(
        CONFIGS / "generate_ner_disease.cfg",
        {"synthclin.backend": "prompts_only", "synthclin.seeds_source": "corpus_train",
         "paths.seeds": str(shared_data / "NCBI-disease" / "train.tsv")},
    )
    docs = list(iter_seed_docs(nlp, settings, n=20))
    assert len(docs) == 20 and len({d.text.lower() for d in docs}) == 20


def test_ner_templates_v2_v3_keep_earlier_forms_and_add_the_error_analysis_forms():
    from spacy_synthclin.tasks.ner_generation.registry import make_ner_generation_task

    v1 = make_ner_generation_task(label="DISEASE", template_version="v1").form_options()
    v2 = make_ner_generation_task(label="DISEASE", template_version="v2").form_options()
    assert set(v1) < set(v2)
    assert {"gene_symbols", "carriers", "abbreviation_only", "class_word", "molecular"} <= set(v2) - set(v1)
    assert all(v2[form] == v1[form] for form in v1)  # v1's sentence forms read the same in v2
    v3 = make_ner_generation_task(label="DISEASE", template_version="v3").form_options()
    assert set(v2) < set(v3) and all(v3[form] == v2[form] for form in v2)
    assert {"homonym", "class_modifier", "hyphen_abbreviation"} == set(v3) - set(v2)
    chem_v1 = make_ner_generation_task(label="CHEMICAL", template_version="v1").form_options()
    for version in ("v2", "v3"):
        assert make_ner_generation_task(label="CHEMICAL", template_version=version).form_options() == chem_v1


def test_ner_template_v4_drops_the_homonym_rule_and_declares_its_mention_free_forms():
    from spacy_synthclin.tasks.ner_generation.registry import make_ner_generation_task

    v3 = make_ner_generation_task(label="DISEASE", template_version="v3")
    v4 = make_ner_generation_task(label="DISEASE", template_version="v4")
    forms3, forms4 = v3.form_options(), v4.form_options()
    # v3's homonym form (gene homonym unmarked) contradicts NCBI's convention that v4 follows
    assert "homonym" not in forms4 and {"disease_named_gene", "gene_only", "methods_only"} == set(forms4) - set(forms3)
    assert all(forms4[f] == forms3[f] for f in forms4 if f in forms3)
    assert v4.mention_free_forms() == ["gene_only", "methods_only"] and v3.mention_free_forms() == []


def test_v4_config_takes_the_seeds_after_the_first_200(tmp_path):
    prompts = _rendered_prompts(tmp_path, "generate_ner_disease_v4.cfg", "paths.seeds", [f"disease number {i}" for i in range(260)])
    assert len(prompts) == 60  # seeds 200..259 (skip_seeds = 200)
    assert prompts[0].meta["seed"] == "disease number 200" and prompts[0].meta["seed_index"] == 200
    assert prompts[0].meta["mention_free_forms"] == ["gene_only", "methods_only"]
    assert "names no disease" in str(prompts[0]) and prompts[0].template_version == "v4"


def test_rel_template_v2_adds_the_mismarked_and_patient_group_negatives():
    from spacy_synthclin.tasks.rel_generation.registry import make_rel_generation_task

    v1, v2 = make_rel_generation_task(template_version="v1"), make_rel_generation_task(template_version="v2")
    neg1, neg2 = v1.form_options(0), v2.form_options(0)
    assert {"gene_mark_not_gene", "disease_mark_not_disease", "process_word_mark", "gene_mark_on_number",
            "gene_mark_on_condition", "patient_group"} == set(neg2) - set(neg1)
    pos1, pos2 = v1.form_options(1), v2.form_options(1)
    assert all(neg2[f] == neg1[f] for f in neg1) and all(pos2[f] == pos1[f] for f in pos1)
    assert set(pos2) - set(pos1) == {"named_twice_gene", "named_twice_disease", "gene_in_list"}
    assert v2.repeated_forms() == {"named_twice_gene": "gene", "named_twice_disease": "disease"}
    assert v2.mismarked_forms() == {"gene_mark_not_gene": "gene", "disease_mark_not_disease": "disease",
                                    "process_word_mark": "disease", "gene_mark_on_number": "gene",
                                    "gene_mark_on_condition": "gene"}
    assert v1.mismarked_forms() == {}


def test_rel_v2_config_asks_every_pair_for_negatives(tmp_path):
    prompts = _rendered_prompts(tmp_path, "generate_rel_v2.cfg", "paths.pairs", [f"GENE{i}\tdisease {i}" for i in range(12)])
    assert len(prompts) == 12 and {p.meta["target_label"] for p in prompts} == {0}
    assert prompts[0].meta["mismarked_forms"]["gene_mark_not_gene"] == "gene"
    assert len({p.meta["style"] for p in prompts}) > 1  # one slot per pair, not per positive/negative couple
    assert "MARKED gene" in prompts[0] and prompts[0].template_version == "v2"
    used = [f for p in prompts for f in p.meta["forms"]]
    assert set(used) == {"gene_mark_not_gene", "disease_mark_not_disease", "patient_group"}


def test_rel_v2b_config_takes_the_pairs_after_the_first_200(tmp_path):
    prompts = _rendered_prompts(tmp_path, "generate_rel_v2b.cfg", "paths.pairs", [f"GENE{i}\tdisease {i}" for i in range(230)])
    assert len(prompts) == 30 and prompts[0].meta["gene"] == "GENE200" and prompts[0].meta["pair_index"] == 200
    used = [f for p in prompts for f in p.meta["forms"]]
    # listed three times of five; rotate() keeps the forms of one prompt distinct where it can
    assert max(set(used), key=used.count) == "process_word_mark" and {p.meta["target_label"] for p in prompts} == {0}


def test_rel_v2c_config_asks_for_positives_naming_the_seed_twice(tmp_path):
    prompts = _rendered_prompts(tmp_path, "generate_rel_v2c.cfg", "paths.pairs", [f"GENE{i}\tdisease {i}" for i in range(410)])
    assert len(prompts) == 10 and prompts[0].meta["pair_index"] == 400 and {p.meta["target_label"] for p in prompts} == {1}
    assert "mark only one of its two mentions" in prompts[0]
    # the sentence on repeated mentions is only rendered where a form asks for one (v2's recorded prompts stay as they were)
    negatives = _rendered_prompts(tmp_path, "generate_rel_v2.cfg", "paths.pairs", ["GENE0\tdisease 0"])
    assert "mark only one of its two mentions" not in negatives[0]


def test_rel_target_label_must_be_0_1_or_unset(tmp_path):
    seeds = tmp_path / "pairs.tsv"
    seeds.write_text("BRCA1\tbreast cancer\n")
    nlp, settings = load_generation_pipeline(
        CONFIGS / "generate_rel_v2.cfg",
        {"synthclin.backend": "prompts_only", "paths.pairs": str(seeds), "synthclin.target_label": 2},
    )
    with pytest.raises(ConfigError, match="target_label"):
        list(iter_prompts(nlp, settings))


def test_rel_v2d_config_alternates_labels_on_pairs_600_on(tmp_path):
    prompts = _rendered_prompts(tmp_path, "generate_rel_v2d.cfg", "paths.pairs", [f"GENE{i}\tdisease {i}" for i in range(610)])
    assert len(prompts) == 10 and prompts[0].meta["pair_index"] == 600
    assert [p.meta["target_label"] for p in prompts[:4]] == [1, 0, 1, 0]
    negative_forms = {f for p in prompts if p.meta["target_label"] == 0 for f in p.meta["forms"]}
    assert {"gene_mark_on_number", "gene_mark_on_condition"} <= negative_forms
    assert prompts[1].meta["mismarked_forms"]["gene_mark_on_number"] == "gene"
    assert "gene_in_list" in prompts[0].meta["forms"]
