"""URL parameters <-> SearchRequest: parsing, canonical form, round trips and refusals."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.model import SORTS, QueryError, SearchRequest
from webui.params import MAX_FILTER_VALUES, parse_request, to_pairs


def test_filters_repeat_per_facet_and_keep_url_order() -> None:
    request = parse_request(parse_qsl("q=asthma&topics=Cancer&country=United+Kingdom&topics=Allergy&founded_from=1990"))
    assert request == SearchRequest(
        q="asthma",
        filters=(("topics", ("Cancer", "Allergy")), ("country", ("United Kingdom",))),
        ranges=(("founded", 1990, None),),
    )


def test_known_parameters_are_not_facets() -> None:
    request = parse_request([("page", "3"), ("per_page", "20"), ("sort", "-founded"), ("expand", "topics"),
                             ("expand", "centres"), ("founded_to", "2000")])
    assert request == SearchRequest(page=3, per_page=20, sort="-founded", expand=("topics", "centres"),
                                     ranges=(("founded", None, 2000),))


def test_blank_form_fields_are_ignored() -> None:
    request = parse_request([("q", ""), ("founded_from", ""), ("founded_to", " "), ("topics", ""), ("sort", "")])
    assert request == SearchRequest()


def test_a_repeated_value_counts_once() -> None:
    assert parse_request([("topics", "Cancer"), ("topics", "Cancer")]).filters == (("topics", ("Cancer",)),)


def test_canonical_pairs_leave_defaults_out() -> None:
    assert to_pairs(SearchRequest()) == []
    assert to_pairs(SearchRequest(q="x", page=2, ranges=(("founded", 1990, 1999),))) == [
        ("q", "x"), ("founded_from", "1990"), ("founded_to", "1999"), ("page", "2")]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("page", "abc")], "page must be a whole number, got 'abc'."),
        ([("page", "-1")], "page must be a whole number, got '-1'."),
        ([("per_page", "1e3")], "per_page must be a whole number, got '1e3'."),
        ([("page", "9" * 50)], "page must be a whole number, got '" + "9" * 40 + "'."),
        ([("founded_from", "nineteen")], "founded_from must be a year, got 'nineteen'."),
        ([("q", "a" * 10_000)], "The query is too long (10,000 characters; the limit is 1,000)."),
        ([("topics", "x" * 1001)], "The value of 'topics' is too long (1,001 characters; the limit is 1,000)."),
        ([("topics", str(i)) for i in range(MAX_FILTER_VALUES + 1)], "Too many filter values (51; the limit is 50)."),
        ([("t", "v")] * 201, "Too many parameters (201; the limit is 200)."),
        ([("q", "a\x00b")], "A parameter contains a NUL character."),
    ],
)
def test_bad_parameters_are_refused_with_a_message(pairs: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_request(pairs)
    assert str(caught.value) == message


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).map(str.strip).filter(bool)
_facet = st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True).filter(
    lambda n: n not in ("q", "page", "per_page", "sort", "expand") and not n.endswith(("_from", "_to")))
_year = st.one_of(st.none(), st.integers(-9999, 99999))


@st.composite
def requests(draw: st.DrawFn) -> SearchRequest:
    names = draw(st.lists(_facet, unique=True, max_size=4))
    filters = tuple((name, tuple(draw(st.lists(_text, min_size=1, max_size=4, unique=True)))) for name in names)
    ranges = []
    for name in draw(st.lists(_facet, unique=True, max_size=2)):
        low, high = draw(_year), draw(_year)
        if low is not None or high is not None:
            ranges.append((name, low, high))
    return SearchRequest(
        q=draw(st.one_of(st.just(""), _text)),
        filters=filters,
        ranges=tuple(ranges),
        page=draw(st.integers(1, 1000)),
        per_page=draw(st.integers(1, 100)),
        sort=draw(st.sampled_from(SORTS)),
        expand=tuple(draw(st.lists(_facet, unique=True, max_size=3))),
    )


@given(requests())
def test_request_survives_a_round_trip_through_the_url(request: SearchRequest) -> None:
    query_string = urlencode(to_pairs(request))
    assert parse_request(parse_qsl(query_string, keep_blank_values=True)) == request


@given(requests())
def test_canonical_pairs_are_a_fixed_point(request: SearchRequest) -> None:
    pairs = to_pairs(request)
    assert to_pairs(parse_request(pairs)) == pairs
