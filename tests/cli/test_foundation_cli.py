"""convert / evaluate / assets through the real console entry, as a user runs them."""
import hashlib
import os

import pytest
import spacy
from spacy.tokens import DocBin

from .helpers import last_json, run_cli


@pytest.fixture(scope="module")
def ruler_model(tmp_path_factory):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "DISEASE", "pattern": [{"LOWER": {"REGEX": "^.+(emia|itis|oma|cancer)s?$"}}]}])
    path = tmp_path_factory.mktemp("model") / "ruler"
    nlp.to_disk(path)
    return path


def test_convert_ner_and_rel(tmp_path, shared_data):
    res = last_json(run_cli(["convert", "ner", shared_data / "NCBI-disease/test.tsv", tmp_path / "t.spacy", "--label", "DISEASE"]))
    assert (res["docs"], res["entities"]) == (940, 960)
    docs = list(DocBin().from_disk(tmp_path / "t.spacy").get_docs(spacy.blank("en").vocab))
    assert sum(len(d.ents) for d in docs) == 960
    res = last_json(run_cli(["convert", "rel", shared_data / "GAD/BLURB/test.tsv", tmp_path / "gad", "--shard-size", "200"]))
    assert (res["docs"], res["files"]) == (534, 3)


def test_evaluate_ner_json_line(tmp_path, shared_data, ruler_model):
    proc = run_cli(["evaluate", "ner", ruler_model, shared_data / "NCBI-disease/test.tsv", "--label", "DISEASE",
                    "--output", tmp_path / "m.json"])
    res = last_json(proc)
    assert res["task"] == "ner" and res["n_gold"] == 960
    assert 0 <= res["p"] <= 1 and 0 < res["f"] < 1
    assert set(res) >= {"p", "r", "f", "n_gold", "n_pred"}
    # .spacy input gives the same numbers
    run_cli(["convert", "ner", shared_data / "NCBI-disease/test.tsv", tmp_path / "t.spacy", "--label", "DISEASE"])
    res2 = last_json(run_cli(["evaluate", "ner", ruler_model, tmp_path / "t.spacy"]))
    assert res2["f"] == pytest.approx(res["f"])


def test_bad_input_is_one_clear_line(tmp_path, ruler_model):
    bad = tmp_path / "bad.tsv"
    bad.write_text("the\tO\ncancer\tQ\n")
    proc = run_cli(["evaluate", "ner", ruler_model, bad, "--label", "DISEASE"], check=False)
    assert proc.returncode == 1
    assert f"{bad}:2: unknown tag 'Q'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_model_and_gpu_errors(tmp_path, shared_data, ruler_model):
    proc = run_cli(["evaluate", "ner", tmp_path / "nope", shared_data / "NCBI-disease/test.tsv"], check=False)
    assert proc.returncode == 1 and "neither an installed package nor a pipeline directory" in proc.stderr
    proc = run_cli(["evaluate", "ner", ruler_model, shared_data / "NCBI-disease/test.tsv", "--gpu-id", "0"], check=False)
    assert proc.returncode == 1 and "gpu_id=0" in proc.stderr and "Traceback" not in proc.stderr


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_assets_fetch_over_loopback_http(tmp_path, asset_mirror, shared_data):
    res = last_json(run_cli(["assets", "fetch", "--base", asset_mirror, "--dest", tmp_path / "c", "--corpus", "NCBI-disease", "--corpus", "GAD"]))
    assert res["fetched"] == 6 + 23
    assert _md5(tmp_path / "c/NCBI-disease/test.tsv") == _md5(shared_data / "NCBI-disease/test.tsv")
    again = last_json(run_cli(["assets", "fetch", "--base", asset_mirror, "--dest", tmp_path / "c", "--corpus", "NCBI-disease"]))
    assert (again["fetched"], again["skipped"]) == (0, 6)


def test_assets_fetch_local_mirror_and_checksum(tmp_path, shared_data):
    res = last_json(run_cli(["assets", "fetch", "--base", shared_data, "--dest", tmp_path / "c"]))
    assert res["fetched"] == 35
    # a corrupted mirror file is refused with the checksum named
    mirror = tmp_path / "mirror/NCBI-disease"
    mirror.mkdir(parents=True)
    (mirror / "train.tsv").write_text("x\tO\n")
    proc = run_cli(["assets", "fetch", "--base", tmp_path / "mirror", "--dest", tmp_path / "d", "--corpus", "NCBI-disease"], check=False)
    assert proc.returncode == 1 and "checksum mismatch" in proc.stderr


def test_project_yml_assets_match_manifest():
    """project.yml's assets section = the manifest: same URLs under ${vars.asset_base}, same checksums."""
    import srsly
    from pathlib import Path
    from spacy_synthclin.corpora.manifest import MANIFEST

    project = srsly.read_yaml(Path(__file__).resolve().parents[2] / "project.yml")
    assets = {a["dest"]: a for a in project["assets"]}
    for asset in MANIFEST:
        entry = assets[f"assets/corpora/{asset.local}"]
        assert entry["url"] == asset.url("${vars.asset_base}")
        assert entry.get("checksum") == asset.md5
