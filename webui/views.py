"""HTML pages: the search page (also at /) and the article page. They only call the core and render."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, render_template, request, url_for

from indexer.model import DocumentNotFound, QueryError, SearchRequest, SearchResult
from indexer.related import Related, related
from indexer.search import MAX_PAGE, get_document, search

from .article import article_view
from .facetlinks import (
    chips,
    clear_all_url,
    facet_views,
    href,
    last_page,
    page_links,
    query_url,
    with_range,
)
from .hits import hit_view
from .lookup import checked_id, index_handle
from .params import parse_request
from .relax import counting, relaxations

bp = Blueprint("web", __name__)

SORT_LABELS = {"relevance": "Best match", "title": "Title (A–Z)", "founded": "Founded (oldest first)",
               "-founded": "Founded (newest first)"}



@bp.get("/")
def home() -> Any:
    return search_page()


@bp.get("/search")
def search_page() -> Any:
    """The search page: results, facets, chips; a bad query is a message in the page (HTTP 400)."""
    base = url_for("web.search_page")
    try:
        req = parse_request(request.args.items(multi=True))
        result = search(index_handle(), req)
    except QueryError as exc:
        return render_template("search.html", error=str(exc), q=request.args.get("q", ""), base=base,
                               sorts=SORT_LABELS, sort=request.args.get("sort", "relevance")), 400
    return render_template("search.html", **_search_context(base, req, result))


def _search_context(base: str, req: SearchRequest, result: SearchResult) -> dict[str, Any]:
    labels = {facet.name: facet.label for facet in result.facets}
    ways = _ways_out(base, req, labels) if result.total == 0 else ()
    first = (req.page - 1) * req.per_page
    return {
        "q": req.q,
        "req": req,
        "result": result,
        "base": base,
        "hits": [hit_view(hit) for hit in result.hits] if result.total else [],  # never hits beside "0 articles"
        "first": first,
        "facets": facet_views(base, req, result),
        "chips": chips(base, req, labels),
        "clear_all": clear_all_url(base, req),
        "pages": page_links(base, req, result.total, MAX_PAGE),
        "last_page": last_page(req, result.total, MAX_PAGE),
        "prev_url": href(base, _page(req, req.page - 1)) if req.page > 1 else None,
        "next_url": href(base, _page(req, req.page + 1)) if req.page < last_page(req, result.total, MAX_PAGE) else None,
        "first_url": href(base, _page(req, 1)),
        "suggestion_url": query_url(base, req, result.suggestion) if result.suggestion else None,
        "ways_out": ways,
        "browse_url": base,
        "sorts": SORT_LABELS,
        "sort": req.sort,
        "api_url": href(url_for("api.search"), req),
        "expand": req.expand,
    }


def _page(req: SearchRequest, page: int) -> SearchRequest:
    return replace(req, page=page)


def _ways_out(base: str, req: SearchRequest, labels: dict[str, str]) -> tuple[tuple[Any, int, str], ...]:
    """Each one-step relaxation that would give results, with its count."""
    out = []
    for way in relaxations(req, labels):
        try:
            total = search(index_handle(), counting(way.request)).total
        except QueryError:
            continue
        if total:
            out.append((way, total, href(base, way.request)))
    return tuple(out)


@bp.get("/articles/<path:doc_id>")
def article_page(doc_id: str) -> Any:
    """One article with linked entities and related articles; unknown ids are a 404 page."""
    doc_id = checked_id(doc_id)
    handle = index_handle()
    doc = get_document(handle, doc_id)
    with handle.snapshot() as snap:
        facet_names, year_names = set(snap.tables.facets), set(snap.tables.years)
        try:
            similar: tuple[Related, ...] = related(snap, doc_id)
        except DocumentNotFound:  # deleted by a rebuild between the two snapshots
            similar = ()
    base = url_for("web.search_page")
    view = article_view(
        doc,
        link=lambda facet, value: href(base, SearchRequest(filters=((facet, (value,)),))),
        year_link=lambda facet, year: href(base, with_range(SearchRequest(), facet, year, year)),
        facet_names=facet_names,
        year_names=year_names,
    )
    return render_template("article.html", article=view, related=similar, base=base, q="",
                           api_url=url_for("api.article", doc_id=doc_id))
