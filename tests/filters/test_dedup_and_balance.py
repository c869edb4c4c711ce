from spacy_synthclin.filters.balance import balance_plan, positive_fraction
from spacy_synthclin.filters.dedup import ExactDeduplicator, NearDuplicateFilter, near_duplicate_rate, normalise


def test_exact_dedup_normalises_case_space_and_punctuation():
    d = ExactDeduplicator()
    d.add("Gout flares were frequent.")
    assert d.seen("gout  flares were frequent") and not d.seen("Gout flares were rare.")
    assert normalise("A,  b!") == "a b"


def test_near_duplicates_by_minhash_lsh():
    f = NearDuplicateFilter(threshold=0.8)
    base = "In a cohort of 412 adults, psoriasis was associated with a higher risk of type 2 diabetes."
    assert not f.check_and_add(base)
    assert f.check_and_add(base.replace("412", "413"))
    assert not f.check_and_add("Carriers of the APOE e4 allele had earlier onset of Alzheimer disease in this study.")
    assert len(f) == 2


def test_near_duplicate_rate():
    texts = ["Patients with gout were treated with colchicine in the clinic.",
             "Patients with gout were treated with colchicine in the clinics.",
             "Patients with gout were treated with colchicine in the clinic.",
             "The APOE e4 allele was associated with Alzheimer disease."]
    assert near_duplicate_rate(texts) == 0.5
    assert near_duplicate_rate([]) == 0.0


def records(pos, neg):
    return [{"text": f"positive {i}", "label": 1} for i in range(pos)] + [{"text": f"negative {i}", "label": 0} for i in range(neg)]


def test_balance_plan_drops_only_the_majority():
    recs = records(70, 30)
    drop = balance_plan(recs, 0.45, 0.55)
    kept = [r for i, r in enumerate(recs) if i not in drop]
    assert all(recs[i]["label"] == 1 for i in drop)
    assert 0.45 <= positive_fraction([r["label"] for r in kept]) <= 0.55
    assert len(kept) == 30 + 36  # floor(0.55 * 30 / 0.45) positives
    assert balance_plan(recs, 0.45, 0.55) == drop  # deterministic
    recs = records(20, 80)
    drop = balance_plan(recs, 0.45, 0.55)
    assert all(recs[i]["label"] == 0 for i in drop)
    kept = [r["label"] for i, r in enumerate(recs) if i not in drop]
    assert 0.45 <= positive_fraction(kept) <= 0.55
    assert balance_plan(records(50, 50)) == set()
