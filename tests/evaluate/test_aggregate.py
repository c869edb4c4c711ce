import pytest

from spacy_synthclin.evaluate.aggregate import mean_metrics


def test_mean_of_scores_every_run_has():
    folds = [{"p": 0.5, "r": 1.0, "f": 0.6, "accuracy": 0.5, "n": 10},
             {"p": 0.7, "r": 0.8, "f": 0.8, "accuracy": 0.7, "n": 12}]
    m = mean_metrics(folds)
    assert m["p"] == pytest.approx(0.6) and m["r"] == pytest.approx(0.9) and m["f"] == pytest.approx(0.7)
    assert m["accuracy"] == pytest.approx(0.6)
    assert m["f_sd"] == pytest.approx(0.1) and m["folds"] == [0.6, 0.8] and m["n"] == 22


def test_a_score_some_runs_lack_is_left_out_not_averaged_over_fewer():
    m = mean_metrics([{"p": 0.5, "r": 0.5, "f": 0.5, "accuracy": 0.9}, {"p": 0.7, "r": 0.7, "f": 0.7}])
    assert "accuracy" not in m and "n" not in m and m["f"] == pytest.approx(0.6)
    assert mean_metrics([{"f": 0.4}])["f_sd"] == 0.0
    with pytest.raises(ValueError):
        mean_metrics([])
