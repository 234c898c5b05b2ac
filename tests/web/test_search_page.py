"""The search page over the real corpus index: hits, snippets, facet counts, chips, paging, sorting, ways out."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from flask.testing import FlaskClient

from indexer.model import SearchRequest
from indexer.parse import decode, parse
from indexer.extract import extract
from indexer.reader import IndexHandle
from indexer.search import search
from tests.helpers import CORPUS
from tests.web.pages import Page, scan
from webui.params import parse_request

KHP = "King's Health Partners"
KHP_ID = "000_c979882d02ee9a42"


def page(client: FlaskClient, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    return scan(response.get_data(as_text=True))


def core(index: Path, url: str):
    """What the core search function answers for the same URL parameters."""
    return search(IndexHandle(index), parse_request(parse_qsl(urlsplit(url).query)))


def test_typing_asthma_finds_kings_health_partners(client: FlaskClient) -> None:
    html = client.get("/search?q=asthma").get_data(as_text=True)
    found = scan(html)
    assert found.hits[0] == KHP
    assert found.hit_links[0] == f"/articles/{KHP_ID}"
    assert "<mark>Asthma</mark>" in html
    assert f'From the section <a href="/articles/{KHP_ID}#s-research">Research</a>' in html
    assert found.status.startswith("1 article · ") and found.status.endswith(" ms")


def test_the_home_page_browses_every_article(client: FlaskClient, corpus_index: Path) -> None:
    found = page(client, "/")
    total = core(corpus_index, "/search").total
    assert found.status.startswith(f"{total} articles · page 1 of {-(-total // 10)}")
    assert len(found.hits) == 10


@pytest.mark.parametrize(
    "url",
    [
        "/search",
        "/search?q=research",
        "/search?topics=Cancer",
        "/search?q=research&topics=Cancer&topics=Allergy",
        "/search?topics=Cancer&country=United+Kingdom&founded_from=1990&founded_to=2009",
        "/search?q=hospital&type=NHS+foundation+trust&expand=organisations",
    ],
)
def test_every_facet_count_on_the_page_is_the_core_count(client: FlaskClient, corpus_index: Path, url: str) -> None:
    found = page(client, url)
    result = core(corpus_index, url)
    expected = {(f.name, v.value): (v.count, v.selected) for f in result.facets if f.kind == "keyword" for v in f.values}
    assert found.checkboxes == expected
    assert found.hits == [hit.title for hit in result.hits]


def _corpus_facts() -> list[dict[str, set[str]]]:
    """Per corpus article: topics and infobox facet values, straight from the files (no index)."""
    facts = []
    for path in sorted(CORPUS.glob("*.txt")):
        extraction = extract(parse(decode(path.read_bytes(), str(path)), str(path)))
        values = {"topics": set(extraction.entities.topics)}
        for facet in extraction.facets:
            values.setdefault(facet.name, set()).update(facet.values)
        facts.append(values)
    return facts


def test_counts_are_disjunctive_documents_computed_from_the_corpus_files(client: FlaskClient) -> None:
    facts = _corpus_facts()
    found = page(client, "/search?topics=Cancer&topics=Allergy&country=United+Kingdom")
    in_topics = [f for f in facts if f["topics"] & {"Cancer", "Allergy"}]
    in_country = [f for f in facts if "United Kingdom" in f.get("country", ())]
    # another country's count ignores the country selection but keeps the topic selection
    for country in {c for f in in_topics for c in f.get("country", ())}:
        assert found.count("country", country) == sum(country in f.get("country", ()) for f in in_topics)
    # topic counts ignore the topic selection but keep the country selection
    for topic, count in found.facet("topics").items():
        assert count == sum(topic in f["topics"] for f in in_country), topic
    # and type counts honour both selections
    both = [f for f in in_topics if "United Kingdom" in f.get("country", ())]
    for kind, count in found.facet("type").items():
        assert count == sum(kind in f.get("type", ()) for f in both), kind


def test_ticking_a_value_leaves_its_own_facet_counts_alone(client: FlaskClient) -> None:
    before, after = page(client, "/search?q=research"), page(client, "/search?q=research&topics=Cancer")
    assert after.facet("topics") == before.facet("topics")
    assert after.checkboxes[("topics", "Cancer")][1] is True
    assert after.facet("country") != before.facet("country")


def test_selected_filters_show_as_chips_with_remove_and_clear_all_links(client: FlaskClient) -> None:
    found = page(client, "/search?q=research&topics=Cancer&country=United+Kingdom&founded_from=1990")
    assert found.chips == ["Topics: Cancer × (remove)", "Country: United Kingdom × (remove)",
                           "Founded: from 1990 × (remove)"]
    remove_cancer = next(href for href, text in found.links if text.startswith("Topics: Cancer"))
    assert dict(parse_qsl(urlsplit(remove_cancer).query)) == {"q": "research", "country": "United Kingdom",
                                                              "founded_from": "1990"}
    assert found.link_to("Clear all filters") == "/search?q=research"


def test_year_facet_is_a_range_with_decade_counts(client: FlaskClient, corpus_index: Path) -> None:
    html = client.get("/search").get_data(as_text=True)
    result = core(corpus_index, "/search")
    [founded] = [f for f in result.facets if f.name == "founded"]
    decades: dict[int, int] = {}
    for value in founded.values:
        decades[int(value.value) // 10 * 10] = decades.get(int(value.value) // 10 * 10, 0) + value.count
    for decade, count in decades.items():
        assert (f"founded_from={decade}&amp;founded_to={decade + 9}" in html
                and f'<span class="bucket-label">{decade}s</span>' in html), decade
        assert f"<span class=\"bucket-label\">{decade}s</span><span class=\"bar" in html
    assert 'name="founded_from"' in html and 'name="founded_to"' in html


def test_a_year_range_filters_the_results(client: FlaskClient, corpus_index: Path) -> None:
    found = page(client, "/search?founded_from=2000&founded_to=2009&per_page=100")
    assert found.hits == [h.title for h in core(corpus_index, "/search?founded_from=2000&founded_to=2009&per_page=100").hits]
    assert 0 < len(found.hits) < core(corpus_index, "/search").total


def test_show_all_expands_a_truncated_facet(client: FlaskClient) -> None:
    short = page(client, "/search")
    assert len(short.facet("organisations")) == 10
    link = short.link_to("Show all organisations")
    full = page(client, link)
    assert len(full.facet("organisations")) > 10
    assert "expand=organisations" in link
    assert 'name="expand" value="organisations"' in client.get(link).get_data(as_text=True)


def test_pages_follow_each_other(client: FlaskClient, corpus_index: Path) -> None:
    first, second = page(client, "/search"), page(client, "/search?page=2")
    assert set(first.hits).isdisjoint(second.hits)
    assert second.hits == [h.title for h in core(corpus_index, "/search?page=2").hits]
    assert first.link_to("Next") == "/search?page=2"
    assert second.link_to("Previous") == "/search"


def test_a_page_past_the_end_says_so(client: FlaskClient) -> None:
    html = client.get("/search?page=900").get_data(as_text=True)
    assert "There is no page 900 of these results." in html


@pytest.mark.parametrize(("sort", "key"), [("title", None), ("founded", "asc"), ("-founded", "desc")])
def test_sorting_orders_the_hits(client: FlaskClient, corpus_index: Path, sort: str, key: str | None) -> None:
    found = page(client, f"/search?sort={sort}&per_page=100")
    assert found.hits == [h.title for h in core(corpus_index, f"/search?sort={sort}&per_page=100").hits]
    if key is None:
        assert found.hits == sorted(found.hits, key=str.casefold)


def test_a_misspelled_query_shows_results_for_the_correction(client: FlaskClient) -> None:
    html = client.get("/search?q=astma").get_data(as_text=True)
    assert "No results for “astma”. Showing results for “<strong>asthma</strong>”." in html
    assert scan(html).hits[0] == KHP


def test_zero_results_offer_each_filter_to_drop_with_its_count(client: FlaskClient, corpus_index: Path) -> None:
    url = "/search?q=asthma&country=The+Gambia&topics=Cancer"
    html = client.get(url).get_data(as_text=True)
    found = scan(html)
    assert "No articles match" in html and found.status.startswith("0 articles")
    assert found.hits == []
    drop_country = core(corpus_index, "/search?q=asthma&topics=Cancer").total
    assert drop_country == 1
    assert f"Drop Country: The Gambia</a> — {drop_country} article" in html
    assert found.link_to("Drop Country: The Gambia") == "/search?" + urlencode({"q": "asthma", "topics": "Cancer"})
    assert "Drop Topics: Cancer" not in html  # dropping it still gives nothing, so it is not offered
    drop_query = core(corpus_index, "/search?country=The+Gambia&topics=Cancer").total
    assert ("Drop the query" in html) == (drop_query > 0)


def test_the_query_is_echoed_escaped_in_the_box_and_heading(client: FlaskClient) -> None:
    html = client.get("/search", query_string={"q": '"><b>x</b> asthma'}).get_data(as_text=True)
    assert 'value="&#34;&gt;&lt;b&gt;x&lt;/b&gt; asthma"' in html
    assert "<b>x</b>" not in html


def test_the_page_links_its_json_twin(client: FlaskClient) -> None:
    html = client.get("/search?q=asthma&topics=Cancer").get_data(as_text=True)
    assert '<link rel="alternate" type="application/json" href="/api/search?q=asthma&amp;topics=Cancer">' in html
