"""'Did you mean': corrections from the index's own words, judged by context and edit distance."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.reader import IndexHandle
from indexer.spelling import MAX_WORDS, edit_distance, suggest


@pytest.mark.parametrize(
    "a, b, expected",
    [("", "", 0), ("abc", "abc", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("swings", "swigns", 1),
     ("strng", "strong", 1), ("ca", "abc", 3), ("partners", "patrners", 1)],
)
def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit(a: str, b: str, expected: int) -> None:
    assert edit_distance(a, b) == expected


words = st.text(alphabet="abcde", max_size=8)


@given(words, words)
def test_edit_distance_is_symmetric_and_bounded(a: str, b: str) -> None:
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))
    assert (d == 0) == (a == b)


def suggestion(index_dir: Path, text: str) -> str | None:
    with IndexHandle(index_dir).snapshot() as snap:
        return suggest(snap.searcher.reader(), text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Wellcme Trust", "Wellcome Trust"),  # capitalisation kept
        ("Wellcom Trust", "Wellcome Trust"),  # found through its stem, but still a typo worth pointing out
        ("kings helth partners", "king's health partners"),  # the index spells it "king's"
        ("Imperail College London", "Imperial College London"),  # a swap, in a long word
        ('"tropical medcine"', '"tropical medicine"'),  # a phrase with an unknown word can never match
        ("maudsley AND psychaitry", "maudsley AND psychiatry"),  # operators stay
        ("asthma", None),  # every word known
        ("xqzvw", None),  # nothing close
    ],
)
def test_unknown_words_are_corrected_from_the_index_vocabulary(corpus_index: Path, text: str, expected) -> None:
    assert suggestion(corpus_index, text) == expected


def test_long_queries_get_no_suggestion(corpus_index: Path) -> None:
    sentence = " ".join(["research"] * MAX_WORDS + ["reserch"])
    assert suggestion(corpus_index, sentence) is None
    assert suggestion(corpus_index, " ".join(["research"] * (MAX_WORDS - 1) + ["reserch"])) is not None
