"""Query-time processing on the project's corpus: AND for short queries, OR for long ones, and
facet counts that stay document counts over exactly the matched set."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from indexer.model import QueryError, SearchRequest, SearchResult
from indexer.query import MAX_TERMS, SHORT_QUERY_TERMS, is_plain, relaxed_text
from indexer.reader import IndexHandle
from indexer.schema import build_schema
from indexer.search import get_document, search


def everything(index_dir: Path, query: str, **kwargs) -> tuple[SearchResult, list[str]]:
    """The first page's result and the ids of every matched document (all pages)."""
    handle = IndexHandle(index_dir)
    first = search(handle, SearchRequest(q=query, per_page=100, facet_limit=0, **kwargs))
    ids = [h.id for h in first.hits]
    page = 2
    while len(ids) < first.total:
        ids += [h.id for h in search(handle, SearchRequest(q=query, per_page=100, page=page, **kwargs)).hits]
        page += 1
    return first, ids


def matched(index_dir: Path, word: str) -> set[str]:
    return set(everything(index_dir, word)[1])


@pytest.mark.parametrize("query", ["cancer genomics", "research london cancer", "university manchester"])
def test_a_short_query_matches_documents_with_all_its_words(corpus_index: Path, query: str) -> None:
    result, ids = everything(corpus_index, query)
    expected = set.intersection(*(matched(corpus_index, w) for w in query.split()))
    assert result.total == len(ids) == len(expected) > 0
    assert set(ids) == expected and result.corrected is None


@pytest.mark.parametrize("query", ["asthma allergy research centre london", "malaria vaccines tuberculosis gambia uganda"])
def test_a_long_query_matches_documents_with_any_of_its_words(corpus_index: Path, query: str) -> None:
    result, ids = everything(corpus_index, query)
    expected = set.union(*(matched(corpus_index, w) for w in query.split()))
    assert result.total == len(ids) == len(expected)
    assert set(ids) == expected


@pytest.mark.parametrize("query", ["asthma allergy research centre london", "cancer genomics",
                                   "malaria vaccines tuberculosis gambia uganda"])
def test_facet_counts_are_document_counts_over_the_matched_set(corpus_index: Path, query: str) -> None:
    result, ids = everything(corpus_index, query)
    handle = IndexHandle(corpus_index)
    expected: dict[str, Counter[str]] = {}
    for doc_id in ids:
        doc = get_document(handle, doc_id)
        for kind, values in doc["entities"].items():
            expected.setdefault(kind, Counter()).update(set(values))
        for name, _key, values, _year in doc["facets"]:
            expected.setdefault(name, Counter()).update(set(values) or {"(blank)"})
    for facet in result.facets:
        if facet.kind == "year":
            continue
        assert {v.value: v.count for v in facet.values} == dict(expected[facet.name]), facet.name


def test_a_short_query_whose_words_never_meet_is_relaxed_to_or_and_says_so(corpus_index: Path) -> None:
    result, ids = everything(corpus_index, "uganda maudsley")
    assert result.corrected == "uganda OR maudsley" and result.query == "uganda maudsley"
    assert set(ids) == matched(corpus_index, "uganda") | matched(corpus_index, "maudsley")


def test_query_syntax_keeps_explicit_and_or_grouping(corpus_index: Path) -> None:
    both, _ = everything(corpus_index, "uganda AND maudsley")
    either, ids = everything(corpus_index, "uganda OR maudsley")
    assert both.total == 0 and both.corrected is None
    assert set(ids) == matched(corpus_index, "uganda") | matched(corpus_index, "maudsley")


def test_a_phrase_matches_only_documents_with_the_words_in_order(corpus_index: Path) -> None:
    _result, phrase = everything(corpus_index, '"tropical medicine"')
    _result, words = everything(corpus_index, "tropical medicine")
    assert phrase and set(phrase) <= set(words)


@pytest.mark.parametrize(
    "text, plain",
    [("cancer research", True), ("King's Health Partners (London)", True), ("TGF-β increases IL-6", True),
     ('"research centre"', False), ("canc*", False), ("topics:Cancer", False), ("cancer OR asthma", False),
     ("vaccine~", False), ("cancer^2 research", False)],
)
def test_plain_text_is_told_from_query_syntax(text: str, plain: bool) -> None:
    assert is_plain(text) is plain


@pytest.mark.parametrize(
    "text, relaxed",
    [("uganda maudsley", "uganda OR maudsley"), ("What'd I Say", "Whatd OR I OR Say"), ("cancer", None),
     ("one two three four", None), ("a OR b", None), ("the of and", None)],
)
def test_only_short_plain_queries_are_relaxed(text: str, relaxed: str | None) -> None:
    assert SHORT_QUERY_TERMS == 3
    assert relaxed_text(text, build_schema()) == relaxed


@pytest.mark.parametrize(
    "query, message",
    [
        (" ".join(f"word{i}" for i in range(MAX_TERMS + 1)), f"the limit is {MAX_TERMS}"),
        ("*", r"A bare \* matches everything"),
        ("x" * 1001, "The query is too long"),
        ("c*", "needs at least 2 letters"),
    ],
)
def test_unbounded_queries_are_still_refused_with_a_message(corpus_index: Path, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        search(IndexHandle(corpus_index), SearchRequest(q=query))


def test_an_exact_title_comes_first_only_within_the_selected_facets(corpus_index: Path) -> None:
    handle = IndexHandle(corpus_index)
    plain = search(handle, SearchRequest(q="university of oxford"))
    assert plain.hits[0].title == "University of Oxford"
    kept_out = search(handle, SearchRequest(q="university of oxford", filters=(("region", ("London",)),)))
    assert kept_out.hits and all(h.title != "University of Oxford" for h in kept_out.hits)


def test_stop_words_alone_match_nothing_rather_than_everything(corpus_index: Path) -> None:
    result = search(IndexHandle(corpus_index), SearchRequest(q="the of and"))
    assert result.total == 0 and result.hits == ()
