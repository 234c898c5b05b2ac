"""The article page: infobox, lead, sections with anchors, lists, entity links, related articles."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from flask.testing import FlaskClient

from indexer.reader import IndexHandle
from indexer.related import related
from indexer.search import get_document
from tests.web.pages import scan
from webui.article import link_names
from webui.params import parse_request

KHP_ID = "000_c979882d02ee9a42"


def test_the_article_shows_infobox_lead_sections_and_lists(client: FlaskClient) -> None:
    response = client.get(f"/articles/{KHP_ID}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>King&#39;s Health Partners</h1>" in html
    assert '<th scope="row">Founded</th><td><a href="/search?founded_from=2009&amp;founded_to=2009">2009 (London)</a>' \
        in html
    assert '<th scope="row">Country</th><td><a href="/search?country=United+Kingdom">United Kingdom</a>' in html
    for heading in ("History", "Research", "Teaching"):
        anchor = f"s-{heading.lower()}"
        assert f'<h2 id="{anchor}">{heading}</h2>' in html and f'<a href="#{anchor}">{heading}</a>' in html
    assert '<li><a href="/search?topics=Cancer">Cancer</a></li>' in html
    assert "is an academic health science centre located in London" in html


def test_every_entity_links_to_the_search_filtered_by_it(client: FlaskClient, corpus_index: Path) -> None:
    doc = get_document(IndexHandle(corpus_index), KHP_ID)
    links = scan(client.get(f"/articles/{KHP_ID}").get_data(as_text=True)).links
    for kind in ("organisations", "centres", "topics"):
        for value in doc["entities"][kind]:
            targets = [href for href, text in links if text == value and href.startswith("/search?")]
            assert targets, (kind, value)
            request = parse_request(parse_qsl(urlsplit(targets[-1]).query))
            assert request.filters == ((kind, (value,)),)


def test_an_entity_link_leads_to_a_search_that_finds_the_article(client: FlaskClient) -> None:
    links = scan(client.get(f"/articles/{KHP_ID}").get_data(as_text=True)).links
    centre = next(href for href, text in links if text == "MRC Centre for Transplantation")
    found = scan(client.get(centre).get_data(as_text=True))
    assert "King's Health Partners" in found.hits
    assert found.checkboxes[("centres", "MRC Centre for Transplantation")][1] is True


def test_related_articles_are_listed_with_what_they_share(client: FlaskClient, corpus_index: Path) -> None:
    with IndexHandle(corpus_index).snapshot() as snap:
        expected = related(snap, KHP_ID)
    assert expected
    html = client.get(f"/articles/{KHP_ID}").get_data(as_text=True)
    section = html[html.index('id="related-heading"'):]
    titles = [text for href, text in scan(section).links if href.startswith("/articles/")]
    assert titles == [r.title for r in expected]
    first = expected[0]
    kind, values = first.shared[0]
    assert f"Shares {kind}: {', '.join(values[:6])}".replace("'", "&#39;") in section


def test_section_anchors_are_unique_when_headings_repeat(tiny_corpus: Path, tmp_path: Path) -> None:
    from indexer.build import build
    from tests.helpers import article_text, write_article
    from webui import create_app

    write_article(tiny_corpus, "twice", article_text("Twice", {"Country": "X"}, "Lead.",
                                                   [("Notes", "One."), ("Notes", "Two.")]))
    build([tiny_corpus], tmp_path / "ix", workers=1)
    html = create_app({"INDEX_DIR": tmp_path / "ix"}).test_client().get("/articles/twice").get_data(as_text=True)
    assert '<h2 id="s-notes">Notes</h2>' in html and '<h2 id="s-notes-2">Notes</h2>' in html


def test_names_are_linked_once_per_block_longest_first_on_word_edges() -> None:
    names = [("King's College London", "/k"), ("King's College", "/kc"), ("Cancer", "/c")]
    segments = link_names("King's College London and King's College Hospital study Cancer; Cancerous too.", names)
    assert segments == (("King's College London", "/k"), (" and ", None), ("King's College", "/kc"),
                        (" Hospital study ", None), ("Cancer", "/c"), ("; Cancerous too.", None))
    assert link_names("Cancerous", [("Cancer", "/c")]) == (("Cancerous", None),)
    assert link_names("", [("x", "/x")]) == (("", None),)
