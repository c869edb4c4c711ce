import json

from spacy_synthclin.evaluate.report import write_report

from ..cli.helpers import last_json, run_cli


def _write(path, obj):
    path.write_text(json.dumps(obj))


def test_report_from_metrics_folder(tmp_path):
    m = tmp_path / "metrics"
    m.mkdir()
    _write(m / "ner_disease_ncbi.json", {"p": 0.7, "r": 0.6, "f": 0.646, "n_gold": 960, "model": "x"})
    _write(m / "reference_cpu_ncbi.json", {"p": 0.8, "r": 0.7, "f": 0.76})
    _write(m / "rel_gad_blurb.json", {"p": 0.6, "r": 0.9, "f": 0.72, "accuracy": 0.63, "n": 534})
    for k, f in ((1, 0.7), (2, 0.8)):
        _write(m / f"rel_gad_fold{k}.json", {"p": f, "r": f, "f": f, "accuracy": f - 0.1, "n": 500})
    _write(m / "stats_ner_disease.json", {"docs": 10, "entities": 12, "unique_entities": {"DISEASE": 9},
                                          "distinct_3": 0.9, "near_duplicate_rate": 0.0})
    _write(m / "contamination_ner_disease.json", {"overlapping": 0, "synthetic_sentences": 10})
    _write(m / "learning_curve.json", {"series": [{"name": "NER (NCBI)", "points": [{"size": 250, "f": 0.4}, {"size": 500, "f": 0.5}]}]})
    (m / "errors_ner_disease_ncbi.jsonl").write_text(json.dumps(
        {"text": "t", "fp": [{"start": 0, "end": 2, "label": "DISEASE", "text": "a b"}],
         "fn": [{"start": 1, "end": 2, "label": "DISEASE", "text": "b"}]}) + "\n")
    result = write_report(m, tmp_path / "reports")
    assert result["scores"] == {"ncbi": 0.646, "gad_blurb": 0.72, "gad_folds": 0.75}
    assert result["images"] == ["error_types.png", "learning_curve.png", "scores.png", "synthetic_stats.png"]
    for name in result["images"]:
        assert (tmp_path / "reports" / name).read_bytes()[:4] == b"\x89PNG"
    md = (tmp_path / "reports" / "index.md").read_text()
    assert "| NCBI-disease test (DISEASE) | 70.00 | 60.00 | 64.60 |" in md
    assert "GAD 2-fold test (mean) | 75.00 | 75.00 | 75.00 ± 5.00 | 65.00 | 1000 |" in md
    assert "| GAD BLURB test | 60.00 | 90.00 | 72.00 | 63.00 | 534 |" in md
    assert "| NCBI-disease test (DISEASE) | 70.00 | 60.00 | 64.60 | — | 960 |" in md
    assert "supervised tok2vec (ours) 76.00" in md and "synthetic (paper) 63.99" in md
    assert "boundary longer | 1 | a b -&gt; b (1)" in md
    html = (tmp_path / "reports" / "index.html").read_text()
    assert "<table>" in html and 'src="scores.png"' in html
    # the CLI contract
    out = last_json(run_cli(["report", "--metrics", m, "--out", tmp_path / "r2"]))
    assert out["scores"]["ncbi"] == 0.646
