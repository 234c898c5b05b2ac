"""Text analysis shared by documents and queries: what becomes an index term."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.query import analysed_words
from indexer.schema import STOP_WORDS, build_schema, text_analyzer


def terms(text: str) -> list[str]:
    return [t.text for t in text_analyzer()(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Studies of running mice", ["studi", "run", "mice"]),  # Porter2 (Snowball English)
        ("TGF-β and TGFβ and TGF-beta", ["tgf", "beta", "tgf", "beta", "tgf", "beta"]),  # Greek letters spelled out
        ("NF-κB", ["nf", "kappa", "b"]),
        ("What'd I Say", ["whatd", "i", "say"]),  # apostrophes inside a word are dropped
        ("Whatd I Say", ["whatd", "i", "say"]),
        ("Bein’ Green", ["bein", "green"]),
        ("R&B and AT&T", ["rb", "att"]),  # so are ampersands
        ("Sweet & Sour", ["sweet", "sour"]),
        ("IL-6 raises 0-dimensional 3.5 mg", ["il", "6", "rais", "0", "dimension", "3.5", "mg"]),  # digits kept
        ("Café Zürich", ["cafe", "zurich"]),  # accents folded
        ("It is not in the", []),  # Lucene's English stop words
    ],
)
def test_text_becomes_these_terms(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_greek_tokens_keep_their_place_in_the_text_for_highlighting() -> None:
    tokens = [(t.text, t.startchar, t.endchar) for t in text_analyzer()("TGFβ rises", chars=True)]
    assert tokens == [("tgf", 0, 3), ("beta", 3, 4), ("rise", 5, 10)]


@given(st.text(max_size=200))
def test_any_text_analyses_to_lower_case_terms_without_joiners_or_stop_words(text: str) -> None:
    for term in terms(text):
        assert term and term == term.lower()
        assert not set(term) & {"'", "’", "&", " "}
        assert term not in STOP_WORDS


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=60))
def test_queries_analyse_exactly_like_documents(text: str) -> None:
    assert analysed_words(text, build_schema()) == terms(text)
