"""Run the `synthclin` CLI in a subprocess, as a user would."""
import json
import subprocess
import sys
from typing import List, Optional


def run_cli(args: List[str], cwd=None, env=None, check: bool = True, timeout: float = 300):
    proc = subprocess.run([sys.executable, "-m", "spacy_synthclin", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"synthclin {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc


def last_json(proc) -> dict:
    """The CLI contract: the last stdout line is one JSON object."""
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines, f"no stdout; stderr:\n{proc.stderr[-2000:]}"
    return json.loads(lines[-1])
