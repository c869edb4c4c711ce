"""`synthclin prompts export|import` with a real generation config and the real task parsers.

The responses below are hand-written test fixtures for the NER parser (never training data).
"""
import json
from pathlib import Path

from typer.testing import CliRunner

from spacy_synthclin.cli import app

from .helpers import last_json, run_cli

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "generate_ner_disease.cfg"

GOOD = """1. In the cohort, [[{seed}]] was more frequent among smokers treated with salbutamol.
2. No sign of [[{seed}]] was found on the follow-up CT scan.
3. The IL6 level may predict [[{seed}]] in some patients, although the evidence is weak.
4. Children with [[{seed}]] had more visits to the clinic than their siblings.
5. Both [[{seed}]] and [[hypertension]] were recorded in the discharge note."""


def invoke(args):
    """In-process (one spaCy import for the whole test); the error test below uses a real subprocess."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def _export(tmp_path, cassette, n=3):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("asthma\ncystic fibrosis\npsoriasis\nmigraine\n")
    out = tmp_path / "missing.jsonl"
    proc = invoke(["prompts", "export", "--config", CONFIG, "--out", out, "--n", n, "--cassette", cassette,
                    "--set", f"paths.seeds={seeds}"])
    return out, last_json(proc)


def test_export_then_import_round_trip(tmp_path):
    cassette = tmp_path / "cassette.jsonl"
    out, result = _export(tmp_path, cassette)
    assert result["prompts"] == 3 and result["missing"] == 3 and result["model"] == "synthclin-reference-llm"
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["meta"]["seed"] for line in lines] == ["asthma", "cystic fibrosis", "psoriasis"]
    assert all(line["task"] == "synthclin.NERGeneration.v1" for line in lines)

    answers = tmp_path / "answers.jsonl"
    rows = [
        {**lines[0], "response": GOOD.format(seed="asthma"), "answered_by": "fixture-writer"},
        {**lines[1], "response": "I'm sorry, I can't help with that.", "answered_by": "fixture-writer"},
        {**lines[2], "response": GOOD.format(seed="psoriasis")},  # no answered_by
    ]
    answers.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = last_json(invoke(["prompts", "import", answers, "--cassette", cassette]))
    assert result["imported"] == 1 and result["rejected"] == 2 and result["duplicates"] == 0
    assert result["rejected_by_reason"] == {"parse_error": 1, "missing_answered_by": 1}
    recorded = [json.loads(line) for line in cassette.read_text().splitlines()]
    assert len(recorded) == 1 and recorded[0]["answered_by"] == "fixture-writer"
    assert recorded[0]["meta"]["seed"] == "asthma"

    # Only what is still missing is exported now; importing again finds duplicates.
    _, result = _export(tmp_path, cassette)
    assert result["missing"] == 2 and result["in_cassette"] == 1
    assert last_json(invoke(["prompts", "import", answers, "--cassette", cassette]))["duplicates"] == 1


def test_import_needs_a_cassette(tmp_path):
    answers = tmp_path / "answers.jsonl"
    answers.write_text("")
    proc = run_cli(["prompts", "import", answers], check=False)
    assert proc.returncode == 1 and "--cassette" in proc.stderr and "Traceback" not in proc.stderr
