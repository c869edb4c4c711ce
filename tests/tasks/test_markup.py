import pytest

from spacy_synthclin.tasks.util.markup import MarkupError, strip_markup
from spacy_synthclin.tasks.util.responses import last_is_truncated, split_response


def test_strip_markup_offsets_and_tags():
    text, marks = strip_markup("In [[ Huntington disease ]] ([[HD]]), [[G:HTT]] repeats expand; [[[3H]thymidine]] uptake fell.")
    assert text == "In Huntington disease (HD), HTT repeats expand; [3H]thymidine uptake fell."
    assert [(text[m.start:m.end], m.tag) for m in marks] == [
        ("Huntington disease", None), ("HD", None), ("HTT", "G"), ("[3H]thymidine", None),
    ]


def test_colon_inside_a_name_is_not_a_tag():
    text, marks = strip_markup("[[trisomy 21: Down syndrome]] was confirmed.")
    assert marks[0].tag is None and marks[0].text == "trisomy 21: Down syndrome"


@pytest.mark.parametrize("bad,reason", [
    ("[[a [[b]] c]]", "unbalanced_markup"),
    ("a]] b", "unbalanced_markup"),
    ("[[a b", "unbalanced_markup"),
    ("[[  ]] b", "empty_mention"),
    ("[[[a]] b", "unbalanced_markup"),
])
def test_bad_markup(bad, reason):
    with pytest.raises(MarkupError) as err:
        strip_markup(bad)
    assert err.value.reason == reason


def test_split_response_numbering_styles():
    response = "Intro:\n1. one [[a]].\n2) two [[b]].\n**3.** three [[c]].\n(4) four [[d]].\nSentence 5: five [[e]].\nBye"
    split = split_response(response)
    assert [c.number for c in split.candidates] == [1, 2, 3, 4, 5]
    assert split.candidates[2].text == "three [[c]]."
    assert split.ignored == ["Intro:", "Bye"]


def test_numbers_inside_sentences_are_not_numbering():
    split = split_response("5-Fluorouracil ([[5-FU]]) was given.\n1.5 mg/kg of [[cisplatin]] was infused.")
    assert [c.number for c in split.candidates] == [None, None]
    assert split.candidates[1].text.startswith("1.5 mg/kg")


def test_truncation_heuristic():
    ok = split_response("1. A [[b]].\n2. C [[d]].\n3. E [[f]].").candidates
    cut = split_response("1. A [[b]].\n2. C [[d]].\n3. E [[f]] and").candidates
    assert not last_is_truncated(ok) and last_is_truncated(cut)
    notes = split_response("1. pt w/ hx [[COPD]]\n2. r/o [[PE]]").candidates  # clinical fragments: no punctuation anywhere
    assert not last_is_truncated(notes)
