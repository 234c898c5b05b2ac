"""Links as data: toggles, chips, clear all, year buckets, pages, zero-result relaxations (pure)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from indexer.model import Facet, FacetValue, SearchRequest, SearchResult
from webui.facetlinks import (
    chips,
    clear_all_url,
    facet_views,
    input_id,
    page_links,
    toggled,
    year_buckets,
)
from webui.params import parse_request
from webui.relax import relaxations

BASE = "/search"
REQ = SearchRequest(q="asthma", filters=(("topics", ("Cancer",)), ("country", ("United Kingdom",))),
                    ranges=(("founded", 1990, 2009),), page=3, sort="title")


def request_of(url: str) -> SearchRequest:
    parts = urlsplit(url)
    assert parts.path == BASE
    return parse_request(parse_qsl(parts.query))


def test_ticking_a_value_adds_it_to_its_facet_and_goes_back_to_page_one() -> None:
    after = toggled(REQ, "topics", "Allergy")
    assert after.filters == (("topics", ("Cancer", "Allergy")), ("country", ("United Kingdom",)))
    assert (after.page, after.sort, after.q, after.ranges) == (1, "title", "asthma", REQ.ranges)


def test_unticking_the_last_value_removes_the_facet() -> None:
    assert toggled(REQ, "topics", "Cancer").filters == (("country", ("United Kingdom",)),)


def test_each_facet_value_carries_its_toggle_url() -> None:
    facet = Facet("topics", "Topics", "keyword", (FacetValue("Cancer", 4, True), FacetValue("Allergy", 2)))
    result = SearchResult("asthma", 1, (), (facet,))
    [view] = [v for v in facet_views(BASE, REQ, result) if v.name == "topics"]
    urls = {v.value: request_of(v.toggle_url).filter_map.get("topics", ()) for v in view.values}
    assert urls == {"Cancer": (), "Allergy": ("Cancer", "Allergy")}


def test_input_ids_are_stable_and_distinct() -> None:
    assert input_id("topics", "Cancer") == input_id("topics", "Cancer")
    assert len({input_id("topics", "Cancer"), input_id("organisations", "Cancer"), input_id("topics", "cancer")}) == 3


def test_chips_remove_exactly_their_own_filter() -> None:
    found = chips(BASE, REQ, {"topics": "Topics", "country": "Country", "founded": "Founded"})
    assert [(c.label, c.value) for c in found] == [("Topics", "Cancer"), ("Country", "United Kingdom"),
                                                   ("Founded", "1990–2009")]
    assert request_of(found[0].remove_url).filters == (("country", ("United Kingdom",)),)
    assert request_of(found[2].remove_url).ranges == ()
    assert request_of(found[2].remove_url).filters == REQ.filters


def test_clear_all_keeps_the_query_and_sort() -> None:
    assert request_of(clear_all_url(BASE, REQ)) == SearchRequest(q="asthma", sort="title")


def _years(*pairs: tuple[int, int]) -> Facet:
    return Facet("founded", "Founded", "year", tuple(FacetValue(str(y), c) for y, c in pairs))


def test_years_spanning_decades_are_counted_per_decade() -> None:
    buckets = year_buckets(BASE, SearchRequest(), _years((1947, 2), (1988, 1), (1993, 2), (1999, 1), (2009, 5)))
    assert [(b.label, b.count) for b in buckets] == [("1940s", 2), ("1980s", 1), ("1990s", 3), ("2000s", 5)]
    assert request_of(buckets[2].url).ranges == (("founded", 1990, 1999),)
    assert [b.bar for b in buckets] == [4, 2, 6, 10]


def test_a_narrow_selected_range_drills_down_to_its_years() -> None:
    request = SearchRequest(ranges=(("founded", 1990, 1999),))
    buckets = year_buckets(BASE, request, _years((1947, 1), (1993, 2), (1999, 1), (2009, 5)))
    assert [(b.label, b.count) for b in buckets] == [("1993", 2), ("1999", 1)]
    assert request_of(buckets[0].url).ranges == (("founded", 1993, 1993),)


def test_few_years_in_all_are_counted_per_year() -> None:
    buckets = year_buckets(BASE, SearchRequest(), _years((2004, 2), (2009, 5)))
    assert [(b.label, b.count) for b in buckets] == [("2004", 2), ("2009", 5)]


def test_the_selected_bucket_links_to_no_range() -> None:
    request = SearchRequest(ranges=(("founded", 1993, 1993),))
    [bucket] = year_buckets(BASE, request, _years((1993, 2), (1947, 1)))
    assert bucket.selected and bucket.label == "1993" and request_of(bucket.url).ranges == ()


@pytest.mark.parametrize(
    ("page", "total", "shown"),
    [(1, 5, []), (1, 38, [1, 2, 3, 4]), (1, 200, [1, 2, 3, 4, 5, 6, 7]), (10, 200, [7, 8, 9, 10, 11, 12, 13]),
     (20, 200, [14, 15, 16, 17, 18, 19, 20])],
)
def test_page_links_are_a_window_around_the_current_page(page: int, total: int, shown: list[int]) -> None:
    links = page_links(BASE, SearchRequest(q="x", page=page), total, max_page=1000)
    assert [link.number for link in links] == shown
    assert [link.number for link in links if link.current] == ([page] if shown else [])
    assert all(request_of(link.url).page == link.number for link in links)


def test_zero_results_relaxations_drop_one_thing_each() -> None:
    ways = relaxations(REQ, {"topics": "Topics", "country": "Country"})
    assert [(w.action, w.label, w.value) for w in ways] == [
        ("value", "Topics", "Cancer"), ("value", "Country", "United Kingdom"), ("range", "founded", "1990–2009"),
        ("query", "Query", "asthma")]
    assert ways[3].request.q == "" and ways[3].request.filters == REQ.filters
    assert ways[1].request.filters == (("topics", ("Cancer",)),)
