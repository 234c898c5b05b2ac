"""The JSON API: the CLI's --json result, articles, OpenAPI document, health, and the error shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from indexer.model import ENTITY_KINDS
from tests.helpers import ROOT

KHP_ID = "000_c979882d02ee9a42"


def cli_json(index: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "indexer", "search", *args, "--index", str(index), "--json"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


def without_timing(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "elapsed_ms"}


@pytest.mark.parametrize(
    ("query_string", "cli_args"),
    [
        ("q=asthma", ["asthma"]),
        ("", [""]),
        ("q=research&topics=Cancer&topics=Allergy&country=United+Kingdom",
         ["research", "--filter", "topics=Cancer", "--filter", "topics=Allergy", "--filter", "country=United Kingdom"]),
        ("topics=Cancer&founded_from=1990&founded_to=2009&sort=-founded&page=2&per_page=3",
         ["", "--filter", "topics=Cancer", "--range", "founded=1990..2009", "--sort", "-founded", "--page", "2",
          "--limit", "3"]),
        ("q=astma", ["astma"]),
    ],
)
def test_api_search_returns_what_the_cli_prints(client: FlaskClient, corpus_index: Path, query_string: str,
                                                cli_args: list[str]) -> None:
    response = client.get(f"/api/search?{query_string}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert without_timing(response.get_json()) == without_timing(cli_json(corpus_index, *cli_args))


def test_api_search_result_shape(client: FlaskClient) -> None:
    data = client.get("/api/search?q=asthma&topics=Cancer").get_json()
    assert data["total"] == 1 and data["hits"][0]["id"] == KHP_ID
    assert data["facets"]["topics"][0] == {"value": "Cancer", "count": 1, "selected": True} or \
        {"value": "Cancer", "count": 1, "selected": True} in data["facets"]["topics"]
    assert data["facet_info"]["founded"]["kind"] == "year"
    assert set(data) >= {"query", "total", "hits", "facets", "facet_info", "suggestion", "corrected", "page",
                         "per_page", "elapsed_ms", "generation"}


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ("q=*", "A bare * matches everything: leave the search box empty to browse all articles."),
        ("q=?*?*?*", "The wildcard '?*?*?*' needs at least 2 letters before * or ?, e.g. 'canc*'."),
        ('q=words:"cancer+research"', "The field 'words' has no word positions, so it cannot search a phrase in "
                                      "quotes; search the words without quotes, or the phrase without words:."),
        ("q=" + "a" * 10_000, "The query is too long (10,000 characters; the limit is 1,000)."),
        ("page=1001", "The page number must be between 1 and 1000."),
        ("per_page=500", "Results per page must be between 1 and 100."),
        ("sort=bogus", "Unknown sort 'bogus'; use one of: relevance, title, founded, -founded."),
        ("page=two", "page must be a whole number, got 'two'."),
        ("colour=red", None),
        ("country_from=1990", None),
    ],
)
def test_bad_searches_are_400_with_a_message(client: FlaskClient, query_string: str, message: str | None) -> None:
    response = client.get(f"/api/search?{query_string}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["code"] == "bad_request"
    if message:
        assert error["message"] == message
    else:
        assert error["message"].startswith(("Unknown facet 'colour'.", "'country' is not a year facet"))


def test_the_same_bad_searches_are_a_400_page(client: FlaskClient) -> None:
    for url in ("/search?q=*", "/search?q=%3F*%3F*%3F*", "/search?q=" + "a" * 10_000, "/search?colour=red"):
        response = client.get(url)
        assert response.status_code == 400, url
        html = response.get_data(as_text=True)
        assert "This search cannot be run" in html and 'role="alert"' in html
        assert "Traceback" not in html


def test_api_article_returns_the_stored_article_with_related(client: FlaskClient) -> None:
    response = client.get(f"/api/articles/{KHP_ID}")
    assert response.status_code == 200
    data = response.get_json()
    assert data["id"] == KHP_ID and data["article"]["title"] == "King's Health Partners"
    assert "Cancer" in data["entities"]["topics"]
    assert len(data["entities"]["centres"]) == 8
    assert data["related"] and all(set(r) == {"id", "title", "score", "shared"} for r in data["related"])
    assert all(set(r["shared"]) <= set(ENTITY_KINDS) for r in data["related"])


@pytest.mark.parametrize("doc_id", ["nope", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/etc/passwd",
                                    "000_c979882d02ee9a42/../../x", "/etc/passwd", "x" * 2000])
def test_unknown_or_traversing_ids_are_404(client: FlaskClient, doc_id: str) -> None:
    for prefix in ("/api/articles/", "/articles/"):
        response = client.get(prefix + doc_id, follow_redirects=True)  # "//" is merged by a redirect first
        assert response.status_code == 404, prefix + doc_id
        if prefix.startswith("/api"):
            assert response.get_json()["error"]["code"] == "not_found"
        else:
            assert "root:" not in response.get_data(as_text=True)


def test_health_reports_the_index(client: FlaskClient, corpus_index: Path) -> None:
    data = client.get("/health").get_json()
    assert data["status"] == "ok" and data["documents"] == len(list((ROOT / "corpus").glob("*.txt")))
    assert data["generation"] == (corpus_index / "CURRENT").read_text().strip()


def test_openapi_document_describes_the_real_parameters(client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {"/api/search", "/api/articles/{id}", "/health"}
    params = {p["name"]: p for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    facets = client.get("/api/search").get_json()["facet_info"]
    for name, info in facets.items():
        if info["kind"] == "year":
            assert params[f"{name}_from"]["schema"]["type"] == "integer" and f"{name}_to" in params
        else:
            assert params[name]["schema"]["type"] == "array" and params[name]["explode"] is True
    assert params["sort"]["schema"]["enum"] == ["relevance", "title", "founded", "-founded"]
    result_schema = doc["components"]["schemas"]["SearchResult"]
    assert set(result_schema["properties"]) == set(client.get("/api/search").get_json())
    for path in doc["paths"].values():
        for response in path["get"]["responses"].values():
            ref = response.get("$ref") or response["content"]["application/json"]["schema"]["$ref"]
            name = ref.rsplit("/", 1)[-1]
            assert name in doc["components"]["schemas"] or name in doc["components"]["responses"]


def test_unknown_api_paths_are_json_404(client: FlaskClient) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"status": 404, "code": "not_found",
                                             "message": "There is no page at this address."}}


def test_posting_to_the_api_is_405_not_500(client: FlaskClient) -> None:
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    page = client.post("/search")
    assert page.status_code == 405 and "GET" in page.headers["Allow"] and "Method Not Allowed" in page.get_data(True)
