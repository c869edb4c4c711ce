from spacy_synthclin.evaluate.error_types import classify_errors, summarize_errors


def span(start, end, text):
    return {"start": start, "end": end, "label": "DISEASE", "text": text}


def test_each_error_gets_one_type():
    record = {
        "fp": [span(0, 3, "familial breast cancer"), span(10, 11, "fever")],
        "fn": [span(1, 3, "breast cancer"), span(5, 6, "DMD"), span(7, 11, "breast and ovarian cancer"), span(20, 22, "cystic fibrosis")],
    }
    kinds = sorted(k for k, _ in classify_errors(record))
    # the FP overlapping "breast and ovarian cancer" (7-11) is a boundary error, not spurious
    assert kinds == ["boundary_longer", "boundary_shorter", "missed_abbreviation", "missed_other"]
    summary = summarize_errors([record])
    assert summary["total"] == 4
    assert summary["top"]["boundary_longer"][0][0] == "familial breast cancer -> breast cancer"


def test_spurious_and_composite():
    record = {"fp": [span(0, 1, "pain")], "fn": [span(3, 7, "breast and ovarian cancer")]}
    assert sorted(k for k, _ in classify_errors(record)) == ["missed_composite", "spurious"]
