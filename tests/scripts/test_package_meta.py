"""scripts/package_meta.py: a package meta from a template and the evaluate step's metrics files."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "package_meta.py"


def _run(*args, cwd):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_performance_comes_from_the_metrics_files_and_globs_are_averaged(tmp_path):
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics/rel_gad_blurb.json").write_text(json.dumps({"p": 0.6, "r": 0.9, "f": 0.72, "accuracy": 0.63}))
    for i, f in enumerate((0.70, 0.74), 1):
        (tmp_path / f"metrics/rel_gad_fold{i}.json").write_text(json.dumps({"p": 0.5, "r": 0.8, "f": f, "accuracy": 0.6}))
    stale = tmp_path / "packages/en_synthclin_rel-0.1.0"
    stale.mkdir(parents=True)
    (stale / "README.md").write_text("old scores")
    proc = _run(REPO / "configs/meta_rel.json", tmp_path / "out/meta.json", "--clean", stale, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists()
    meta = json.loads((tmp_path / "out/meta.json").read_text())
    assert "performance_from" not in meta and meta["license"] == "MIT" and meta["description"]
    assert meta["performance"]["gad_blurb_test_f"] == 0.72
    assert meta["performance"]["gad_blurb_test_accuracy"] == 0.63
    assert meta["performance"]["gad_10fold_mean_f"] == pytest.approx(0.72)
    assert json.loads(proc.stdout.strip().splitlines()[-1])["performance"] == meta["performance"]


def test_missing_or_broken_metrics_are_named(tmp_path):
    proc = _run(REPO / "configs/meta_ner.json", tmp_path / "meta.json", cwd=tmp_path)
    assert proc.returncode != 0 and "metrics/package_ner_ncbi.json" in proc.stderr and "evaluate" in proc.stderr
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics/package_ner_ncbi.json").write_text('{"f": 0.7,\n oops}')
    (tmp_path / "metrics/package_ner_bc5cdr.json").write_text('{"f": 0.7}')
    proc = _run(REPO / "configs/meta_ner.json", tmp_path / "meta.json", cwd=tmp_path)
    assert proc.returncode != 0 and "package_ner_ncbi.json:2" in proc.stderr
