"""The OpenAPI 3.1 document of the JSON API, with the facet parameters of the live index."""

from __future__ import annotations

from typing import Any, Iterable

from indexer.model import SORTS
from indexer.search import MAX_PAGE, MAX_PER_PAGE

from .params import MAX_FILTER_VALUES, MAX_VALUE_CHARS

FacetInfo = tuple[str, str, str]  # (name, label, kind)


def _param(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema} | extra


def search_parameters(facets: Iterable[FacetInfo]) -> list[dict[str, Any]]:
    """The query parameters of /api/search (and of the /search page)."""
    params = [
        _param("q", "Query in the Whoosh language (AND, OR, NOT, \"phrases\", prefix*, fuzzy~, field:value); "
               "empty browses every article.", {"type": "string", "maxLength": MAX_VALUE_CHARS}),
        _param("page", "Result page, from 1.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
        _param("per_page", "Hits per page.", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10}),
        _param("sort", "Order of hits: relevance (browse: by title), title, founded (oldest first), -founded.",
               {"type": "string", "enum": list(SORTS), "default": "relevance"}),
        _param("expand", "Facet to list in full instead of its top 10 values; repeatable.",
               {"type": "array", "items": {"type": "string"}}, style="form", explode=True),
    ]
    for name, label, kind in facets:
        if kind == "year":
            for suffix, word in (("_from", "from"), ("_to", "up to")):
                params.append(_param(f"{name}{suffix}", f"{label}: keep articles with a year {word} this one (inclusive).",
                                     {"type": "integer"}))
        else:
            params.append(_param(name, f"{label}: keep articles having any of these values (OR); "
                                 "different facets combine with AND.",
                                 {"type": "array", "items": {"type": "string"}, "maxItems": MAX_FILTER_VALUES},
                                 style="form", explode=True))
    return params


_ERROR = {"$ref": "#/components/responses/Error"}
_VALUE = {"type": "object", "required": ["value", "count", "selected"],
          "properties": {"value": {"type": "string"}, "count": {"type": "integer"}, "selected": {"type": "boolean"}}}
_HIT = {"type": "object", "required": ["id", "title", "score", "snippet", "highlights", "section"], "properties": {
    "id": {"type": "string"}, "title": {"type": "string"}, "score": {"type": "number"},
    "snippet": {"type": "string", "description": "Plain text from the best-matching section."},
    "highlights": {"type": "array", "description": "[start, end) character spans of the snippet to mark.",
                   "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}},
    "section": {"type": ["string", "null"], "description": "Heading of the snippet's section; null for the lead."}}}
_RESULT = {"type": "object", "required": ["query", "total", "hits", "facets", "facet_info", "page", "per_page"],
           "properties": {
    "query": {"type": "string"}, "total": {"type": "integer"},
    "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
    "facets": {"type": "object", "description": "Facet name -> shown values; each facet counted without its own "
               "selection (disjunctive). Year facets list one value per year.",
               "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}},
    "facet_info": {"type": "object", "additionalProperties": {"type": "object", "properties": {
        "label": {"type": "string"}, "kind": {"type": "string", "enum": ["keyword", "year"]},
        "truncated": {"type": "boolean"}, "documents": {"type": "integer"}}}},
    "suggestion": {"type": ["string", "null"], "description": "Did-you-mean query."},
    "corrected": {"type": ["string", "null"], "description": "The query actually run when the typed one found nothing."},
    "page": {"type": "integer"}, "per_page": {"type": "integer"}, "elapsed_ms": {"type": "number"},
    "generation": {"type": "string"}}}


def document(facets: Iterable[FacetInfo], version: str) -> dict[str, Any]:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Faceted article search", "version": version,
                 "description": "Keyword search with disjunctive facet counts over a local Whoosh index. "
                                "Filters are query parameters named by facet, repeated for several values."},
        "paths": {
            "/api/search": {"get": {
                "summary": "Search (the same result as `indexer search --json`)", "operationId": "search",
                "parameters": search_parameters(facets),
                "responses": {"200": {"description": "The result page with facet counts.",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
                              "400": _ERROR, "503": _ERROR}}},
            "/api/articles/{id}": {"get": {
                "summary": "One stored article with its entities, provenance and related articles",
                "operationId": "article",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                                "description": "Document id: the file's path under the corpus root, without .txt."}],
                "responses": {"200": {"description": "The article.",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Article"}}}},
                              "404": _ERROR, "503": _ERROR}}},
            "/health": {"get": {"summary": "Whether the index can be read", "operationId": "health",
                                "responses": {"200": {"description": "Serving.", "content": {"application/json": {
                                    "schema": {"$ref": "#/components/schemas/Health"}}}}, "503": _ERROR}}},
        },
        "components": {
            "schemas": {
                "SearchResult": _RESULT, "Hit": _HIT, "FacetValue": _VALUE,
                "Article": {"type": "object", "required": ["id", "article", "entities", "related"], "properties": {
                    "id": {"type": "string"}, "path": {"type": "string"}, "kind": {"type": "string"},
                    "article": {"type": "object", "description": "title, name, infobox [[key, value, line]], lead "
                                "[{p, line} | {ul: [[text, line]]}], sections [{heading, level, line, blocks}]"},
                    "entities": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                    "mentions": {"type": "array", "description": "[kind, value, section, line, rule] per extracted value"},
                    "facets": {"type": "array", "description": "[name, infobox key, values, year or null]"},
                    "related": {"type": "array", "items": {"$ref": "#/components/schemas/Related"}},
                    "generation": {"type": "string"}, "checksum": {"type": "string"}}},
                "Related": {"type": "object", "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"}, "score": {"type": "number"},
                    "shared": {"type": "object", "description": "centres / topics / organisations in common",
                               "additionalProperties": {"type": "array", "items": {"type": "string"}}}}},
                "Health": {"type": "object", "properties": {
                    "status": {"const": "ok"}, "documents": {"type": "integer"}, "generation": {"type": "string"},
                    "schema_version": {"type": "integer"}}},
                "ErrorBody": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["status", "code", "message"], "properties": {
                        "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}}}}},
            },
            "responses": {"Error": {"description": "A message for the user: bad query (400), unknown id (404), "
                                    "no or unreadable index (503).",
                                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}},
        },
    }
