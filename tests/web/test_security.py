"""Escaping of corpus and query text in HTML, attributes and JSON; security headers; no index; never debug."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import EVIL_ID, XSS_ATTR, XSS_SCRIPT
from webui import create_app
from webui.security import CSP

INJECTED = ("<script>", "<img src=x", 'onerror=alert(1)>')


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """No injected tag or attribute survives as markup; the only script is our own local file."""
    for raw in INJECTED:
        assert raw not in html
    parser = _Tags()
    parser.feed(html)
    assert [attrs for tag, attrs in parser.tags if tag == "script"] == [{"src": "/static/app.js", "defer": None}]
    assert not [tag for tag, _a in parser.tags if tag in ("img", "iframe", "object", "embed", "style")]
    for tag, attrs in parser.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # inline styles are forbidden by the CSP


@pytest.mark.parametrize(
    "url",
    ["/search?q=evil", "/search?q=asthma", "/search", f"/articles/{EVIL_ID}", "/search?q=evil&expand=type",
     "/search?q=injection&type=Trap+%3Cscript%3Ealert(1)%3C%2Fscript%3E"],
)
def test_corpus_text_is_escaped_in_every_page(evil_client: FlaskClient, url: str) -> None:
    response = evil_client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_inert(html)


def test_the_hostile_article_renders_as_text(evil_client: FlaskClient) -> None:
    html = evil_client.get(f"/articles/{EVIL_ID}").get_data(as_text=True)
    assert "<h1>Evil &lt;script&gt;alert(1)&lt;/script&gt; Institute</h1>" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # the infobox value, as text
    assert "Evilland" in html and "Trap &lt;script&gt;" in html
    search = evil_client.get("/search?q=evil").get_data(as_text=True)
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; Institute</a>" in search


def test_hostile_values_in_attributes_stay_inside_their_quotes(evil_client: FlaskClient) -> None:
    html = evil_client.get("/search?q=evil&expand=country&expand=type").get_data(as_text=True)
    assert 'value="Evilland &#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
    assert 'value="Trap &lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_reflected_query_text_is_escaped(evil_client: FlaskClient) -> None:
    for q in (XSS_SCRIPT, XSS_ATTR, "*" + XSS_ATTR):
        html = evil_client.get("/search", query_string={"q": q}).get_data(as_text=True)
        assert_inert(html)
    html = evil_client.get("/search", query_string={XSS_ATTR: "x"}).get_data(as_text=True)  # as a facet name
    assert_inert(html)


def test_json_never_carries_raw_angle_brackets_but_parses_to_the_text(evil_client: FlaskClient) -> None:
    for url in ("/api/search?q=evil", f"/api/articles/{EVIL_ID}", "/api/search?colour=%3Cscript%3E"):
        response = evil_client.get(url)
        body = response.get_data(as_text=True)
        assert "<" not in body and ">" not in body, url
        assert response.headers["Content-Type"] == "application/json"
    data = json.loads(evil_client.get(f"/api/articles/{EVIL_ID}").get_data(as_text=True))
    assert data["article"]["title"] == f"Evil {XSS_SCRIPT} Institute"
    assert data["article"]["infobox"][0][1] == f"Evilland {XSS_ATTR}"


@pytest.mark.parametrize("url", ["/", "/search?q=*", "/articles/nope", "/static/app.js", "/static/style.css",
                                 "/api/search", "/api/articles/nope", "/api/openapi.json", "/health", "/missing"])
def test_every_response_carries_the_security_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_csp_allows_only_this_origin() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["default-src"] == directives["script-src"] == directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CSP and "http" not in CSP


def test_pages_load_nothing_from_another_origin(client: FlaskClient) -> None:
    for url in ("/", "/search?q=asthma", "/articles/000_c979882d02ee9a42", "/articles/nope"):
        html = client.get(url).get_data(as_text=True)
        for attr in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert attr.startswith(("/", "#", "?")), (url, attr)


def test_no_index_gives_a_page_with_the_command_to_build_one(missing_client: FlaskClient, tmp_path: Path) -> None:
    response = missing_client.get("/")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "No index yet" in html
    assert f"<code>indexer build corpus --index {tmp_path / 'no-index-here'}</code>" in html
    api = missing_client.get("/api/search?q=asthma")
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "index_missing"
    assert missing_client.get("/health").status_code == 503
    assert missing_client.get("/articles/x").status_code == 503
    doc = missing_client.get("/api/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"  # still served, with only the fixed parameters


def test_an_index_of_another_schema_gives_the_fix(tiny_index: Path) -> None:
    generation = tiny_index / (tiny_index / "CURRENT").read_text().strip()
    meta = json.loads((generation / "META.json").read_text())
    meta["schema_version"] = 999
    (generation / "META.json").write_text(json.dumps(meta))
    client = create_app({"INDEX_DIR": tiny_index}).test_client()
    response = client.get("/search?q=x")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert f"indexer build corpus --index {tiny_index} --full" in html
    assert client.get("/api/search").get_json()["error"]["code"] == "index_outdated"


def test_debug_mode_stays_off_whatever_the_config_says(corpus_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app({"INDEX_DIR": corpus_index, "DEBUG": True})
    assert app.debug is False and app.config["DEBUG"] is False


def test_an_unexpected_error_is_a_plain_500_page(app, monkeypatch: pytest.MonkeyPatch) -> None:
    import webui.views

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(webui.views, "search", boom)
    response = app.test_client().get("/search?q=x")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html and "secret internals" not in html and "Traceback" not in html
