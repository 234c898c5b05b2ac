"""The JSON API: /api/search (the CLI's --json result), /api/articles/<id>, /api/openapi.json, /health."""

from __future__ import annotations

from importlib import metadata
from typing import Any

from flask import Blueprint, request

from indexer.facets import label_of
from indexer.model import DocumentNotFound, IndexerError
from indexer.related import related
from indexer.search import get_document, search, stats
from indexer.serialize import result_to_json

from . import openapi
from .jsonresp import json_response
from .lookup import checked_id, index_handle
from .params import parse_request

bp = Blueprint("api", __name__)



@bp.get("/api/search", endpoint="search")
def search_api() -> Any:
    """Same parameters as the page; same body as `indexer search --json`. Errors: see errors.py."""
    result = search(index_handle(), parse_request(request.args.items(multi=True)))
    return json_response(result_to_json(result))


@bp.get("/api/articles/<path:doc_id>")
def article(doc_id: str) -> Any:
    """The stored article as `indexer show --json` gives it, plus related articles."""
    doc_id = checked_id(doc_id)
    handle = index_handle()
    doc = get_document(handle, doc_id)
    with handle.snapshot() as snap:
        try:
            similar = [r.to_json() for r in related(snap, doc_id)]
        except DocumentNotFound:
            similar = []
    return json_response(doc | {"related": similar})


@bp.get("/api/openapi.json")
def openapi_document() -> Any:
    """The OpenAPI 3.1 document, listing the facet parameters of the index being served."""
    try:
        with index_handle().snapshot() as snap:
            facets = [(name, label_of(name, snap.labels), table.kind) for name, table in snap.tables.facets.items()]
    except IndexerError:
        facets = []
    return json_response(openapi.document(facets, _version()))


@bp.get("/health")
def health() -> Any:
    """200 with the document count when the index can be read; 503 with the reason otherwise."""
    data = stats(index_handle())
    return json_response({"status": "ok", "documents": data["documents"], "generation": data["generation"],
                          "schema_version": data["schema_version"]})


def _version() -> str:
    try:
        return metadata.version("faceted-articles")
    except metadata.PackageNotFoundError:
        return "0"
