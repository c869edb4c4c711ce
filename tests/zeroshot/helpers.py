import json

from typer.testing import CliRunner

from spacy_synthclin.cli import app


def invoke(args, ok: bool = True):
    """The CLI in-process (one spaCy import per test session)."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, f"{result.exception!r}\n{result.stderr[-3000:]}"
    return result


def last_json(result) -> dict:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines, result.stderr[-2000:]
    return json.loads(lines[-1])


def read_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
