"""The one search function: matching, disjunctive facet counts, sorting, paging, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.model import QueryError, SearchRequest
from indexer.reader import IndexHandle
from indexer.search import search


def run(index_dir: Path, **kwargs) -> dict:
    result = search(IndexHandle(index_dir), SearchRequest(**kwargs))
    return {
        "total": result.total,
        "ids": [h.id for h in result.hits],
        "facets": {f.name: {v.value: v.count for v in f.values} for f in result.facets},
        "result": result,
    }


def test_empty_query_browses_every_document_in_title_order(tiny_index: Path) -> None:
    out = run(tiny_index)
    assert out["total"] == 3
    assert out["ids"] == ["alpha", "beta", "gamma"]


def test_facet_counts_are_document_counts(tiny_index: Path) -> None:
    out = run(tiny_index)
    assert out["facets"]["topics"] == {"Cancer": 2, "Allergy": 1, "Genomics": 1, "Vaccines": 1,
                                       "Infection and immunity": 1}
    assert out["facets"]["country"] == {"United Kingdom": 2, "The Gambia": 1}


def test_values_within_a_facet_combine_with_or(tiny_index: Path) -> None:
    out = run(tiny_index, filters=(("topics", ("Allergy", "Vaccines")),))
    assert sorted(out["ids"]) == ["alpha", "gamma"]


def test_facets_combine_with_and(tiny_index: Path) -> None:
    out = run(tiny_index, filters=(("topics", ("Cancer",)), ("region", ("London",))))
    assert out["ids"] == ["alpha"]


def test_each_facets_counts_ignore_its_own_selection(tiny_index: Path) -> None:
    out = run(tiny_index, filters=(("topics", ("Allergy",)),))
    assert out["total"] == 1
    # topics still shows what ticking another topic would add; other facets count the selection
    assert out["facets"]["topics"]["Vaccines"] == 1 and out["facets"]["topics"]["Cancer"] == 2
    assert out["facets"]["country"] == {"United Kingdom": 1}


def test_selected_values_are_marked_and_kept_even_without_matches(tiny_index: Path) -> None:
    result = run(tiny_index, q="malaria", filters=(("topics", ("Allergy",)),))["result"]
    topics = next(f for f in result.facets if f.name == "topics")
    assert result.total == 0
    assert [(v.value, v.count, v.selected) for v in topics.values if v.selected] == [("Allergy", 0, True)]


@pytest.mark.parametrize("q", ["cancer", "canc*", "cancer~1", '"cancer"', "title:alpha OR cancer"])
def test_filters_that_exclude_everything_leave_no_hits(tiny_index: Path, q: str) -> None:
    """Whichever ranker a query shape takes (numpy or Whoosh's collector, which reads an empty filter as none)."""
    out = run(tiny_index, q=q, filters=(("country", ("The Gambia",)),))
    assert (out["total"], out["ids"]) == (0, [])


def test_year_range_filters_and_sorts_by_founded(tiny_index: Path) -> None:
    out = run(tiny_index, ranges=(("founded", 1900, None),), sort="founded")
    assert out["ids"] == ["gamma", "alpha"]
    assert run(tiny_index, sort="-founded")["ids"] == ["alpha", "gamma", "beta"]
    assert out["facets"]["founded"] == {"1824": 1, "1947": 1, "2009": 1}


def test_query_and_facets_use_the_same_matched_set(tiny_index: Path) -> None:
    out = run(tiny_index, q="cancer")
    assert sorted(out["ids"]) == ["alpha", "beta"]
    assert out["facets"]["topics"]["Cancer"] == 2 and "Vaccines" not in out["facets"]["topics"]


def test_paging_splits_the_ranked_list(tiny_index: Path) -> None:
    first = run(tiny_index, per_page=2)
    second = run(tiny_index, per_page=2, page=2)
    assert first["ids"] + second["ids"] == ["alpha", "beta", "gamma"]


def test_snippet_comes_from_the_best_matching_section_with_marked_matches(tiny_index: Path) -> None:
    hit = run(tiny_index, q="genomics")["result"].hits[0]
    assert hit.id == "beta" and hit.section == "Research"
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["Genomics"]


def test_a_misspelled_query_is_corrected_and_says_so(tiny_index: Path) -> None:
    result = run(tiny_index, q="vacines")["result"]
    assert (result.corrected, [h.id for h in result.hits]) == ("vaccines", ["gamma"])


@pytest.mark.parametrize(
    "request_kwargs, message",
    [
        ({"q": "*"}, "A bare * matches everything"),
        ({"q": "?*?*?*"}, "needs at least 2 letters before * or ?"),
        ({"q": 'words:"cancer research"'}, "The field 'words' has no word positions, so it cannot search a phrase"),
        ({"q": "x" * 10_000}, "The query is too long (10,000 characters; the limit is 1,000)."),
        ({"q": "(" * 400 + "a" + ")" * 400}, "The query nests parentheses 400 deep; the limit is 20."),
        ({"q": " ".join(f"w{i}" for i in range(100))}, "The query has 100 terms; the limit is 64."),
        ({"filters": (("nosuchfacet", ("x",)),)}, "Unknown facet 'nosuchfacet'."),
        ({"ranges": (("country", 1, 2),)}, "'country' is not a year facet"),
        ({"sort": "random"}, "Unknown sort 'random'"),
        ({"per_page": 0}, "Results per page must be between 1 and 100."),
        ({"page": 5000}, "The page number must be between 1 and 1000."),
    ],
)
def test_bad_requests_raise_query_error_with_a_message(tiny_index: Path, request_kwargs: dict, message: str) -> None:
    with pytest.raises(QueryError) as err:
        run(tiny_index, **request_kwargs)
    assert message in str(err.value)


def test_facet_query_syntax_reaches_facet_fields(tiny_index: Path) -> None:
    assert run(tiny_index, q='country:"The Gambia"')["ids"] == ["gamma"]
    assert sorted(run(tiny_index, q="topics:Cancer")["ids"]) == ["alpha", "beta"]


def test_asthma_finds_kings_health_partners_first(corpus_index: Path) -> None:
    result = run(corpus_index, q="asthma")["result"]
    assert result.hits[0].title == "King's Health Partners"
    centres = next(f for f in result.facets if f.name == "centres")
    assert "MRC-Asthma UK Centre in Allergic Mechanisms of Asthma" in [v.value for v in centres.values]


def test_narrowing_asthma_by_topic_and_country_keeps_kings_health_partners(corpus_index: Path) -> None:
    out = run(corpus_index, q="asthma", filters=(("topics", ("Cancer",)), ("country", ("United Kingdom",))))
    assert out["ids"][:1] == ["000_c979882d02ee9a42"]
