"""Regenerate tests/tasks/data/cassette_ner.jsonl (run from the repository root).

    python -m tests.tasks.data.make_cassette

The cassette pairs the prompts that generate_ner_test.cfg renders with the
hand-written fixture answers in ner_responses.json. If a v1 template or the
test config changes, the committed cassette no longer matches and the replay
test fails: prompts are versioned, a changed prompt needs new cassette entries.
"""
import json
from pathlib import Path

from spacy_synthclin.llm.cassette import make_entry
from spacy_synthclin.tasks.runner import iter_prompts, load_generation_pipeline

HERE = Path(__file__).parent


def build(out: Path = HERE / "cassette_ner.jsonl") -> int:
    responses = json.loads((HERE / "ner_responses.json").read_text())
    nlp, settings = load_generation_pipeline(HERE / "generate_ner_test.cfg", {
        "synthclin.backend": "prompts_only", "paths.seeds": str(HERE / "seeds_ner.txt")})
    lines = []
    for prompt in iter_prompts(nlp, settings):
        entry = make_entry(settings.model_name, prompt, responses[prompt.meta["seed"]]["response"],
                           answered_by="hand-written test fixture")
        entry["timestamp"] = "2026-01-01T00:00:00+00:00"
        lines.append(json.dumps(entry, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


if __name__ == "__main__":
    print(build())
