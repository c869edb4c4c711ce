"""`synthclin annotate`: streamed, resumable batch inference over JSONL / Parquet."""
import json

import pytest
import spacy

from spacy_synthclin.errors import InputFormatError
from spacy_synthclin.inference.annotate import annotate_collection
from spacy_synthclin.inference.io import done_keys, repair_partial_line

from ..inference.tiny_pipeline import build_tiny_pipeline
from .helpers import last_json, run_cli

TEXTS = [
    "BRCA1 mutations were found in women with breast cancer .",
    "No wheeze : asthma was ruled out .",
    "TP53 and BRCA1 were sequenced in 40 patients with breast cancer .",
    "The patient was discharged on day 3 .",
]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return build_tiny_pipeline(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="module")
def nlp(model):
    return spacy.load(model)


def _collection(path, n, with_id=True, key="text"):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            row = {key: TEXTS[i % len(TEXTS)]}
            if with_id:
                row["id"] = f"note-{i}"
            fh.write(json.dumps(row) + "\n")
    return path


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_annotate_jsonl_entities_and_relations(model, tmp_path):
    inp = _collection(tmp_path / "notes.jsonl", 10)
    out = tmp_path / "out.jsonl"
    proc = run_cli(["annotate", model, inp, out, "--batch-size", "3"], timeout=120)
    result = last_json(proc)
    assert proc.stdout.strip().count("\n") == 0  # only the JSON object on stdout
    assert result["rows"] == 10 and result["skipped"] == 0
    assert result["words_per_s"] > 0 and result["seconds"] > 0
    lines = _lines(out)
    assert [r["row"] for r in lines] == list(range(10))
    assert [r["id"] for r in lines] == [f"note-{i}" for i in range(10)]
    first = lines[0]
    assert first["entities"] == [
        {"text": "BRCA1", "label": "GENE", "start_char": 0, "end_char": 5},
        {"text": "breast cancer", "label": "DISEASE", "start_char": 41, "end_char": 54},
    ]
    assert TEXTS[0][41:54] == "breast cancer"
    # the relation_extractor scored the one GENE-DISEASE pair, by entity index
    assert len(first["rel"]) == 1 and first["rel"][0]["head"] == 0 and first["rel"][0]["tail"] == 1
    assert 0.0 <= first["rel"][0]["scores"]["ASSOCIATED"] <= 1.0
    assert lines[3]["entities"] == [] and lines[3]["rel"] == []
    assert "annotate" in proc.stderr  # progress bar on stderr


def test_annotate_resumes_after_a_truncated_output(nlp, tmp_path):
    inp = _collection(tmp_path / "notes.jsonl", 12)
    full = tmp_path / "full.jsonl"
    annotate_collection(nlp, inp, full)
    expected = full.read_text(encoding="utf-8")
    # An interrupted run: 5 whole lines and half of the 6th.
    lines = expected.splitlines(keepends=True)
    partial = tmp_path / "partial.jsonl"
    partial.write_text("".join(lines[:5]) + lines[5][: len(lines[5]) // 2], encoding="utf-8")
    result = annotate_collection(nlp, inp, partial, batch_size=4)
    assert result["skipped"] == 5 and result["rows"] == 7
    assert partial.read_text(encoding="utf-8") == expected
    # Run again: everything is done.
    again = annotate_collection(nlp, inp, partial)
    assert again["rows"] == 0 and again["skipped"] == 12
    assert partial.read_text(encoding="utf-8") == expected
    # resume=False (--no-resume) starts afresh
    fresh = annotate_collection(nlp, inp, partial, resume=False)
    assert fresh["rows"] == 12 and fresh["skipped"] == 0
    assert partial.read_text(encoding="utf-8") == expected


def test_resume_by_row_index_without_ids_and_custom_text_key(nlp, tmp_path):
    inp = _collection(tmp_path / "notes.jsonl", 6, with_id=False, key="note")
    out = tmp_path / "out.jsonl"
    first = annotate_collection(nlp, inp, out, text_key="note", limit=4)
    assert first["rows"] == 4
    rest = annotate_collection(nlp, inp, out, text_key="note")
    assert rest["skipped"] == 4 and rest["rows"] == 2
    assert [r["row"] for r in _lines(out)] == list(range(6)) and "id" not in _lines(out)[0]


def test_n_process_2_gives_the_same_output_as_1(model, tmp_path):
    inp = _collection(tmp_path / "notes.jsonl", 40)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    annotate_collection(spacy.load(model), inp, one, batch_size=4)
    result = annotate_collection(spacy.load(model), inp, two, batch_size=4, n_process=2)
    assert result["n_process"] == 2 and result["rows"] == 40
    assert result["pipeline"] == ["entity_ruler", "relation_extractor"]
    assert any(line["rel"] for line in _lines(two))  # the relations made it back from the workers
    assert two.read_text(encoding="utf-8") == one.read_text(encoding="utf-8")


def test_bad_input_names_file_and_line(model, nlp, tmp_path):
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"text": "BRCA1 ."}\n\n{"text": "fine"}\n{not json}\n', encoding="utf-8")
    proc = run_cli(["annotate", model, bad_json, tmp_path / "o1.jsonl"], check=False, timeout=120)
    assert proc.returncode == 1
    assert f"{bad_json}:4: not valid JSON" in proc.stderr and "Traceback" not in proc.stderr

    no_key = tmp_path / "nokey.jsonl"
    no_key.write_text('{"text": "BRCA1 ."}\n{"body": "no text here"}\n', encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"nokey\.jsonl:2: missing text key 'text'"):
        annotate_collection(nlp, no_key, tmp_path / "o2.jsonl")
    not_str = tmp_path / "notstr.jsonl"
    not_str.write_text('{"text": 3}\n', encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"notstr\.jsonl:1: 'text' must be a string"):
        annotate_collection(nlp, not_str, tmp_path / "o3.jsonl")
    with pytest.raises(InputFormatError, match="file not found"):
        annotate_collection(nlp, tmp_path / "absent.jsonl", tmp_path / "o4.jsonl")


def test_parquet_input(nlp, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"doc_id": [10, 11, 12], "body": TEXTS[:3]})
    inp = tmp_path / "notes.parquet"
    pq.write_table(table, inp, row_group_size=2)
    out = tmp_path / "out.jsonl"
    result = annotate_collection(nlp, inp, out, text_key="body", id_key="doc_id")
    assert result["rows"] == 3 and result["input_format"] == "parquet"
    lines = _lines(out)
    assert [r["id"] for r in lines] == [10, 11, 12]
    assert lines[2]["entities"][0] == {"text": "TP53", "label": "GENE", "start_char": 0, "end_char": 4}
    again = annotate_collection(nlp, inp, out, text_key="body", id_key="doc_id")
    assert again["skipped"] == 3 and again["rows"] == 0


def test_repair_partial_line_and_done_keys(tmp_path):
    path = tmp_path / "o.jsonl"
    path.write_bytes(b'{"row": 0}\n{"row": 1, "id": 7}\n{"row": 2, "id"')
    assert repair_partial_line(path) == len(b'{"row": 2, "id"')
    assert path.read_bytes() == b'{"row": 0}\n{"row": 1, "id": 7}\n'
    assert repair_partial_line(path) == 0
    assert done_keys(path) == {("row", 0), ("id", 7)}
    only_partial = tmp_path / "p.jsonl"
    only_partial.write_bytes(b'{"row": 0' * 20000)  # longer than one scan block, no newline at all
    repair_partial_line(only_partial)
    assert only_partial.read_bytes() == b""
