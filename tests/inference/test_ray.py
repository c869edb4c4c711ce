"""The pipeline inside Ray Data map_batches (actor pool) on a local, loopback-only Ray cluster."""
import json

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from spacy_synthclin.inference.annotate import annotate_collection  # noqa: E402
from spacy_synthclin.inference.ray_batch import annotate_dataset  # noqa: E402

from .tiny_pipeline import build_tiny_pipeline  # noqa: E402

TEXTS = ["BRCA1 mutations in breast cancer .", "Nothing found .", "TP53 and asthma ."]


@pytest.fixture(scope="module")
def local_ray():
    # loopback only: the node address is 127.0.0.1, no dashboard
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             _node_ip_address="127.0.0.1")
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def test_map_batches_actor_pool_matches_annotate(local_ray, tmp_path):
    import spacy

    model = build_tiny_pipeline(tmp_path / "model")
    rows = [{"id": i, "text": TEXTS[i % 3]} for i in range(30)]
    ds = ray.data.from_items(rows, override_num_blocks=3)
    out = annotate_dataset(ds, str(model), pool_size=2, batch_size=4).take_all()
    assert len(out) == 30
    by_id = {r["id"]: r for r in out}
    # The same answers as synthclin annotate on the same rows (one process, no Ray).
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    annotate_collection(spacy.load(model), jsonl, tmp_path / "out.jsonl")
    expected = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    for exp in expected:
        got = by_id[exp["id"]]
        assert got["text"] == rows[exp["row"]]["text"]
        assert list(got["entities"]) == exp["entities"]
        rel = [{"head": x["head"], "tail": x["tail"], "scores": dict(x["scores"])} for x in got["rel"]]
        assert rel == exp["rel"]
    assert [e["label"] for e in by_id[0]["entities"]] == ["GENE", "DISEASE"] and by_id[1]["entities"] == []
