import json
from pathlib import Path

from .helpers import last_json, run_cli

REPO = Path(__file__).resolve().parents[2]


def test_stats_cli(tmp_path, shared_data):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in [
        {"text": "APOE was associated with Alzheimer disease.", "label": 1,
         "spans": [{"start": 0, "end": 4, "label": "GENE"}, {"start": 25, "end": 42, "label": "DISEASE"}]},
        {"text": "CFTR was not associated with asthma in adults.", "label": 0,
         "spans": [{"start": 0, "end": 4, "label": "GENE"}, {"start": 29, "end": 35, "label": "DISEASE"}]},
    ]))
    result = last_json(run_cli(["stats", corpus], cwd=REPO))
    assert result["docs"] == 2 and result["relation_labels"]["positive_fraction"] == 0.5
    assert result["unique_entities"] == {"DISEASE": 2, "GENE": 2}
    for key in ("distinct_1", "distinct_2", "distinct_3", "near_duplicate_rate", "misaligned_spans", "length_tokens"):
        assert key in result
    real = last_json(run_cli(["stats", shared_data / "BC5CDR-chem" / "test.tsv", "--label", "CHEMICAL"], cwd=REPO))
    assert real["entities_by_label"] == {"CHEMICAL": real["entities"]} and real["docs"] > 4000
