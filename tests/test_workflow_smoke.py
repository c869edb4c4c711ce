"""The `all` workflow end to end on tiny sizes (scripts/smoke.py): corpora fetched over a
loopback mirror of the upstream URLs, synthetic data replayed from the bundled cassettes,
NER + REL trained, evaluated on the real test sets, reported, packaged; then the two wheels
are installed, `spacy.load`-ed and sourced into a blank pipeline."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(1800)  # the whole workflow in a subprocess; pyproject's 600 s default is per ordinary test
def test_smoke_workflow_builds_installs_and_uses_the_pipelines(tmp_path, asset_mirror):
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "smoke.py"), "--dest", str(tmp_path / "smoke"),
                           "--asset-base", asset_mirror], capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(result["wheels"]) == 2
    assert any(w.startswith("en_synthclin_ner-0.0.1") for w in result["wheels"])
    assert any(w.startswith("en_synthclin_rel-0.0.1") for w in result["wheels"])
    # every evaluation ran and wrote a score (tiny training: the value itself is not the point)
    for name in ("ner_disease_ncbi", "ner_chemical_bc5cdr", "rel_gad_blurb", "package_ner_ncbi", "package_ner_bc5cdr"):
        assert 0.0 <= result["metrics_f"][name] <= 1.0, result["metrics_f"]
    assert result["contamination"] and all(v == 0 for v in result["contamination"].values())
    assert result["report"] is True
    assert result["labels"] == ["CHEMICAL", "DISEASE"]
    assert result["host_pipes"] == ["sentencizer", "ner_disease", "relation_extractor"]
    assert len(result["rel"]) == 1  # one GENE-DISEASE candidate pair, scored
    scores = next(iter(result["rel"].values()))
    assert set(scores) == {"ASSOCIATED"} and 0.0 <= scores["ASSOCIATED"] <= 1.0
    assert (tmp_path / "smoke" / "reports" / "scores.png").exists()
    # the packages carry their meta: description, license and the scores measured by the workflow
    # (the NER package's own scores: the assembled pipeline, both components in order)
    for pkg, key, metrics in (("ner", "ncbi_disease_test_f", "package_ner_ncbi"), ("ner", "bc5cdr_chem_test_f", "package_ner_bc5cdr"),
                              ("rel", "gad_blurb_test_f", "rel_gad_blurb")):
        meta = result["meta"][pkg]
        assert meta["description"] and meta["license"] == "MIT"
        assert meta["performance"][key] == pytest.approx(result["metrics_f"][metrics], abs=1e-4)
    assert 0.0 <= result["meta"]["rel"]["performance"]["gad_10fold_mean_accuracy"] <= 1.0
