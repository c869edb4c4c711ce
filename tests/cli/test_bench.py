"""`synthclin bench generate`: both clients against one loopback stub, result as the last stdout line."""
from .helpers import last_json, run_cli


def test_bench_generate_small_run():
    proc = run_cli(["bench", "generate", "--latency", "0.05", "--requests", "64", "--concurrency", "8",
                    "--spacy-llm-requests", "6"], timeout=120)
    result = last_json(proc)
    for key in ("ours_rps", "spacy_llm_rps", "ratio", "efficiency"):
        assert isinstance(result[key], (int, float)), key
    assert result["ours_ok"] == 64 and result["ours_failed"] == 0
    assert result["spacy_llm_ok"] == 6 and result["spacy_llm_requests"] == 6  # it really reached the stub
    assert result["server_max_inflight"] == 8
    # 8 in flight at 0.05 s vs one at a time: several times faster even on a busy machine.
    assert result["ratio"] > 3
    assert 0.3 < result["efficiency"] <= 1.05
    assert "api.openai.com" in result["spacy_llm_patch"]
    assert proc.stdout.strip().count("\n") == 0  # nothing else on stdout


def test_bench_rejects_bad_arguments():
    proc = run_cli(["bench", "generate", "--latency", "0"], check=False)
    assert proc.returncode == 1 and "latency" in proc.stderr
