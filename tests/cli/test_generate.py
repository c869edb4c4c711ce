"""`synthclin generate` as a user runs it: JSON last line, progress on stderr, clear errors, resume."""
import json
from pathlib import Path

from .helpers import last_json, run_cli

REPO = Path(__file__).resolve().parents[2]
TEST_CONFIG = REPO / "tests" / "tasks" / "data" / "generate_ner_test.cfg"


def test_generate_ner_replay_and_resume(tmp_path):
    out = tmp_path / "ner.jsonl"
    proc = run_cli(["generate", "ner", "--config", TEST_CONFIG, "--out", out, "--n", "2"], cwd=REPO)
    result = last_json(proc)
    assert result["prompts"] == 2 and result["requested"] == 10 and result["ran"] == 2
    assert set(result) >= {"requested", "parsed", "kept", "failed", "filtered", "extra", "out"}
    assert "prompt" in proc.stderr  # the progress bar / log is on stderr
    assert len([l for l in proc.stdout.splitlines() if l.strip()]) == 1
    again = last_json(run_cli(["generate", "ner", "--config", TEST_CONFIG, "--out", out], cwd=REPO))
    assert again["skipped"] == 2 and again["ran"] == 2 and again["prompts"] == 4
    texts = [json.loads(l)["text"] for l in out.read_text().splitlines()]
    assert len(texts) == len(set(texts)) == again["kept"]


def test_generate_errors_are_one_clear_line(tmp_path):
    proc = run_cli(["generate", "rel", "--config", TEST_CONFIG, "--out", tmp_path / "x.jsonl"], cwd=REPO, check=False)
    assert proc.returncode == 1 and "use `synthclin generate ner`" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli(["generate", "ner", "--config", REPO / "configs" / "generate_ner_disease.cfg", "--out", tmp_path / "x.jsonl",
                    "--set", f"paths.cassette={tmp_path / 'none.jsonl'}"], cwd=REPO, check=False)
    assert proc.returncode == 1 and "Cassette not found" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli(["generate", "ner", "--config", TEST_CONFIG, "--out", tmp_path / "x.jsonl", "--backend", "nope"],
                   cwd=REPO, check=False)
    assert proc.returncode == 1 and "unknown backend" in proc.stderr
