import json
from pathlib import Path

from .helpers import last_json, run_cli

REPO = Path(__file__).resolve().parents[2]


def test_check_contamination_cli(tmp_path, shared_data):
    test_set = shared_data / "NCBI-disease" / "test.tsv"
    words = []
    for line in test_set.read_text().splitlines():
        if not line.strip():
            if len(words) >= 10:
                break
            words = []
            continue
        words.append(line.split("\t")[0])
    synth = tmp_path / "s.jsonl"
    synth.write_text("".join(json.dumps({"text": t, "spans": []}) + "\n" for t in [
        "Adults with gout were given colchicine after their first flare in the clinic.",
        "We note that " + " ".join(words[:10]) + ".",
    ]))
    tests = [test_set, shared_data / "BC5CDR-chem" / "test.tsv", shared_data / "GAD" / "1" / "test.tsv"]
    proc = run_cli(["check-contamination", synth, *tests, "--clean-out", tmp_path / "clean.jsonl"], cwd=REPO)
    result = last_json(proc)
    assert result["overlapping"] == 1 and result["synthetic_sentences"] == 2
    assert result["by_test"][str(test_set)] == 1
    assert [json.loads(l)["text"] for l in (tmp_path / "clean.jsonl").read_text().splitlines()] == [
        "Adults with gout were given colchicine after their first flare in the clinic."]
    failing = run_cli(["check-contamination", synth, test_set, "--fail-on-overlap"], cwd=REPO, check=False)
    assert failing.returncode == 1 and last_json(failing)["overlapping"] == 1
