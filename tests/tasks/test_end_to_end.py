"""`synthclin generate ner` end to end, through the llm component, to DocBin:
against the committed test cassette, against the loopback stub server (recording a cassette,
then replaying it), and through the prompts export -> answer -> import path.

The DocBin must hold entities exactly where the markup was, and the failure
counts must add up to the faults injected into the (hand-written) answers.
"""
import json
import re
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from typer.testing import CliRunner

from spacy_synthclin.cli import app
from spacy_synthclin.llm.stub_server import StubConfig, StubServer

from ..cli.helpers import last_json, run_cli

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
CONFIG = DATA / "generate_ner_test.cfg"
FIXTURES = json.loads((DATA / "ner_responses.json").read_text())
LINE_RE = re.compile(r"^\s*\d+\.\s+(.*)$")


def reference_annotations(marked_line):
    """(text, [(start, end)]) from a [[...]]-marked line, computed independently of the parser."""
    text, spans, pos = "", [], 0
    for m in re.finditer(r"\[\[(.*?)\]\]", marked_line):
        text += marked_line[pos:m.start()]
        start = len(text)
        text += m.group(1)
        spans.append((start, len(text)))
        pos = m.end()
    return text + marked_line[pos:], spans


def good_fixture_lines():
    """Every fixture line that should survive, with its reference entities."""
    expected = {}
    for seed, fixture in FIXTURES.items():
        if seed.startswith("_"):
            continue
        for line in fixture["response"].splitlines():
            m = LINE_RE.match(line)
            if not m:
                continue
            body = m.group(1)
            text, spans = reference_annotations(body)
            if not spans or re.search(r"\]\]\w|\[\[[^\]]*$", body) or body.rstrip().endswith("[[hepatocellular"):
                continue  # the injected faults: no markup, misaligned, truncated
            expected[text] = spans
    return expected


def injected_faults():
    total = {}
    for seed, fixture in FIXTURES.items():
        if seed.startswith("_"):
            continue
        for reason, count in fixture["faults"].items():
            total[reason] = total.get(reason, 0) + count
    return total


def invoke(args, ok=True):
    """The CLI in-process (the subprocess path is covered once per test file: it costs ~3 s a call)."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    return result


def invoke_json(args):
    lines = [l for l in invoke(args).stdout.splitlines() if l.strip()]
    return json.loads(lines[-1])


def read_docbin(path):
    nlp = spacy.blank("en")
    files = sorted(Path(path).rglob("*.spacy")) if Path(path).is_dir() else [Path(path)]
    return [doc for f in files for doc in DocBin(store_user_data=True).from_disk(f).get_docs(nlp.vocab)]


def check_docbin_against_markup(docs, expected):
    assert len(docs) == len(expected)
    for doc in docs:
        assert doc.text in expected, doc.text
        assert [(e.start_char, e.end_char) for e in doc.ents] == expected[doc.text]
        assert all(e.label_ == "DISEASE" for e in doc.ents)


def test_cassette_replay_to_docbin(tmp_path):
    out = tmp_path / "ner.jsonl"
    result = last_json(run_cli(["generate", "ner", "--config", CONFIG, "--out", out], cwd=REPO))
    faults = injected_faults()
    expected = good_fixture_lines()
    assert result["prompts"] == 4 and result["requested"] == 20
    assert result["failed"] == faults
    assert result["parsed"] == 20 - sum(faults.values()) == len(expected)
    assert result["kept"] == result["parsed"] and result["filtered"] == {}
    # synthclin convert synthetic (the lead's CLI) and our own shard writer give the same Docs
    converted = invoke_json(["convert", "synthetic", out, tmp_path / "ner.spacy"])
    assert converted["docs"] == len(expected)
    check_docbin_against_markup(read_docbin(tmp_path / "ner.spacy"), expected)

    from spacy_synthclin.corpora.synthetic import read_synthetic_jsonl, synthetic_to_docs, write_docbin_shards

    info = write_docbin_shards(synthetic_to_docs(read_synthetic_jsonl(out), spacy.blank("en")), tmp_path / "shards", shard_size=6)
    assert info["docs"] == len(expected) and len(info["files"]) == 3
    check_docbin_against_markup(read_docbin(tmp_path / "shards"), expected)
    # a second run is a no-op
    again = invoke_json(["generate", "ner", "--config", CONFIG, "--out", out])
    assert again["ran"] == 0 and again["kept"] == result["kept"]


STUB_ANSWER = (
    "Sure, here are five sentences:\n"
    "1. In the trial, [[rheumatoid arthritis]] flares were fewer with tofacitinib than with placebo.\n"
    "2. Several [[tumor]]s were found on the CT scan of the abdomen.\n"
    "3. Pt denies hx of [[asthma]] or [[COPD]]; albuterol PRN was stopped.\n"
    "4. Patients received [[CHEMICAL: methotrexate]] for [[juvenile idiopathic arthritis]].\n"
    "5. [[Systemic lupus erythematosus]] ([[SLE]]) was ruled out by negative ANA testing."
)


@pytest.fixture()
def stub():
    with StubServer(StubConfig(reply="fixed:" + STUB_ANSWER, max_seconds=300), mode="thread") as server:
        yield server


def test_stub_server_record_then_replay(stub, tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("gout\nmigraine\nscabies\n")
    cassette = tmp_path / "recorded.jsonl"
    common = ["--set", f"paths.seeds={seeds}", "--set", f"paths.cassette={cassette}",
              "--set", "synthclin.filters.exact_dedup=false", "--set", "synthclin.filters.near_dedup=false"]
    out = tmp_path / "live.jsonl"
    live = last_json(run_cli(["generate", "ner", "--config", CONFIG, "--out", out, "--backend", "record",
                              "--set", f"synthclin.llm.base_url={stub.base_url}", "--set", "synthclin.llm.model=stub-model",
                              *common], cwd=REPO))
    # per prompt: 3 good lines, one misaligned ([[tumor]]s), one wrong label, and a preamble that is ignored
    assert live["prompts"] == 3 and live["requested"] == 15
    assert live["failed"] == {"misaligned": 3, "wrong_label": 3}
    assert live["parsed"] == live["kept"] == 9
    entries = [json.loads(line) for line in cassette.read_text().splitlines()]
    assert len(entries) == 3 and all(e["task"] == "synthclin.NERGeneration.v1" and e["response"] == STUB_ANSWER for e in entries)
    assert stub.stats()["completions"] == 3

    # replay the recorded cassette (the default backend): same examples, no request sent
    out2 = tmp_path / "replayed.jsonl"
    replayed = invoke_json(["generate", "ner", "--config", CONFIG, "--out", out2, "--set", "synthclin.llm.model=stub-model", *common])
    assert stub.stats()["completions"] == 3
    assert replayed["failed"] == live["failed"] and replayed["kept"] == live["kept"]
    strip = lambda p: [{k: v for k, v in json.loads(l).items()} for l in Path(p).read_text().splitlines()]
    assert strip(out) == strip(out2)

    invoke(["convert", "synthetic", out2, tmp_path / "stub.spacy"])
    docs = read_docbin(tmp_path / "stub.spacy")
    expected = {}
    for line in STUB_ANSWER.splitlines()[1:]:
        body = LINE_RE.match(line).group(1)
        if "]]s" in body or "CHEMICAL:" in body:
            continue
        text, spans = reference_annotations(body)
        expected[text] = spans
    assert len(docs) == 9
    for doc in docs:
        assert [(e.start_char, e.end_char) for e in doc.ents] == expected[doc.text]


def test_prompts_export_answer_import_generate(tmp_path):
    cassette = tmp_path / "cassette.jsonl"
    overrides = ["--set", f"paths.cassette={cassette}"]
    exported = invoke_json(["prompts", "export", "--config", CONFIG, "--out", tmp_path / "todo.jsonl", *overrides])
    assert exported["missing"] == 4
    answered = []
    for line in (tmp_path / "todo.jsonl").read_text().splitlines():
        item = json.loads(line)
        seed = item["meta"]["seed"]
        item["response"] = FIXTURES[seed]["response"] if seed != "psoriasis" else "I cannot write medical text."
        item["answered_by"] = "hand-written test fixture"
        answered.append(json.dumps(item))
    (tmp_path / "answers.jsonl").write_text("\n".join(answered) + "\n")
    imported = invoke_json(["prompts", "import", tmp_path / "answers.jsonl", "--cassette", cassette])
    # the refusal does not parse into a single sentence: refused by the task's own parser
    assert imported["imported"] == 3 and imported["rejected"] == 1
    result = invoke(["generate", "ner", "--config", CONFIG, "--out", tmp_path / "x.jsonl", *overrides], ok=False)
    assert result.exit_code != 0 and "Cassette miss" in str(result.exception)  # psoriasis is still missing
    # the three answered seeds come after it in the batch: nothing was written, and a run limited
    # to the answered ones is not possible by --n (seed order is fixed), so answer the last one
    fixed = [json.loads(l) for l in (tmp_path / "answers.jsonl").read_text().splitlines()]
    fixed[0]["response"] = FIXTURES["psoriasis"]["response"]
    (tmp_path / "answers2.jsonl").write_text(json.dumps(fixed[0]) + "\n")
    assert invoke_json(["prompts", "import", tmp_path / "answers2.jsonl", "--cassette", cassette])["imported"] == 1
    result = invoke_json(["generate", "ner", "--config", CONFIG, "--out", tmp_path / "x.jsonl", *overrides])
    assert result["failed"] == injected_faults() and result["kept"] == len(good_fixture_lines())
