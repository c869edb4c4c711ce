"""scripts/gad_label_cues.py: positive rates per cue, counted on a hand-made split."""
import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "gad_label_cues.py"


def _module():
    spec = importlib.util.spec_from_file_location("gad_label_cues", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_positive_rate_per_cue(tmp_path):
    tsv = tmp_path / "train.tsv"
    tsv.write_text(
        "index\tsentence\tlabel\n"
        "0\tNo significant association of @GENE$ with @DISEASE$ was found.\t1\n"
        "1\tNo association between @GENE$ and @DISEASE$ was seen.\t0\n"
        "2\t@GENE$ is associated with @DISEASE$ risk.\t1\n"
        "3\tWe genotyped @GENE$ in @DISEASE$.\t0\n"
    )
    result = _module().label_cues(tsv)
    assert result["rows"] == 4 and result["positive_rate"] == 0.5
    assert result["cues"]["no (significant) association"] == {"rows": 2, "positive_rate": 0.5}
    assert result["cues"]["is/are associated with"] == {"rows": 1, "positive_rate": 1.0}
    assert result["cues"]["mutation"] == {"rows": 0, "positive_rate": None}


def test_mask_neighbours_rank_the_words_beside_the_masks_by_label():
    rows = [("the @DISEASE$ pressure of @GENE$ carriers", False)] * 20 + [("@GENE$ raises sporadic @DISEASE$ risk", True)] * 20
    result = _module().mask_neighbours(rows, min_rows=15, top=3)
    negative = [item["words"] for item in result["negative"]]
    positive = [item["words"] for item in result["positive"]]
    assert "@DISEASE$ _pressure" in negative and "sporadic_ @DISEASE$" in positive
    assert all(item["log_odds"] < 0 for item in result["negative"]) and result["negative"][0]["rows"] == 20
    assert _module().mask_neighbours(rows, min_rows=41)["negative"] == []  # below the row threshold
