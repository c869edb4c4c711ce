"""The fixed sample and the bootstrap interval."""
import pytest

from spacy_synthclin.evaluate.metrics import prf
from spacy_synthclin.zeroshot.bootstrap import bootstrap_f1
from spacy_synthclin.zeroshot.sample import sample_indices


def test_the_sample_is_fixed_by_its_seed():
    a = sample_indices(940, 300, seed=0)
    assert a == sample_indices(940, 300, seed=0)
    assert len(a) == 300 and len(set(a)) == 300 and a == sorted(a) and 0 <= a[0] and a[-1] < 940
    assert a != sample_indices(940, 300, seed=1)
    # the recorded baseline's sample (NCBI-disease test: 940 sentences, seed 0): pinned, so that a
    # change of the draw cannot silently move the cassette's prompts
    assert a[:8] == [1, 12, 13, 14, 16, 22, 23, 27] and sum(a) == 145797
    gad = sample_indices(534, 300, seed=0)  # GAD BLURB test: 534 rows
    assert gad[:8] == [0, 6, 7, 8, 9, 11, 12, 13] and sum(gad) == 83538


def test_small_splits_and_zero_take_everything():
    assert sample_indices(5, 0) == [0, 1, 2, 3, 4]
    assert sample_indices(5, 5) == [0, 1, 2, 3, 4]
    assert sample_indices(5, 50) == [0, 1, 2, 3, 4]


def test_point_estimate_is_micro_f1_of_the_summed_counts():
    counts = [(0, 1, 1), (1, 0, 0), (0, 0, 1), (0, 0, 0)]  # the tiny NER case: tp 1, fp 1, fn 2
    ci = bootstrap_f1(counts, n_resamples=1000, seed=0)
    assert ci["f"] == pytest.approx(prf(1, 1, 2)["f"]) == pytest.approx(0.4)
    assert 0.0 <= ci["f_ci_low"] <= ci["f"] <= ci["f_ci_high"] <= 1.0
    assert bootstrap_f1(counts, seed=0) == ci  # fixed seed, same interval
    assert ci["n_resamples"] == 1000 and ci["level"] == 0.95


def test_interval_contains_the_estimate_and_narrows_with_more_documents():
    import random

    rng = random.Random(7)
    docs = [(rng.randint(0, 3), rng.randint(0, 1), rng.randint(0, 2)) for _ in range(300)]
    wide = bootstrap_f1(docs[:30], seed=0)
    narrow = bootstrap_f1(docs, seed=0)
    tp, fp, fn = (sum(d[i] for d in docs) for i in range(3))
    assert narrow["f"] == pytest.approx(prf(tp, fp, fn)["f"])
    for ci in (wide, narrow):
        assert ci["f_ci_low"] < ci["f"] < ci["f_ci_high"]
    assert narrow["f_ci_high"] - narrow["f_ci_low"] < wide["f_ci_high"] - wide["f_ci_low"]


def test_degenerate_cases():
    assert bootstrap_f1([(2, 0, 0), (1, 0, 0)])["f_ci_low"] == 1.0
    zero = bootstrap_f1([(0, 1, 0), (0, 0, 2)])
    assert zero["f"] == zero["f_ci_low"] == zero["f_ci_high"] == 0.0
    with pytest.raises(ValueError):
        bootstrap_f1([(1, 0, 0)], level=1.5)
