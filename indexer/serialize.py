"""Search results as JSON-ready dicts: one shape for `indexer search --json` and `/api/search`."""

from __future__ import annotations

from typing import Any

from .model import SearchResult


def result_to_json(result: SearchResult) -> dict[str, Any]:
    """The documented result shape; `facets` maps each facet to its shown values."""
    return {
        "query": result.query,
        "total": result.total,
        "hits": [
            {
                "id": hit.id,
                "title": hit.title,
                "score": hit.score,
                "snippet": hit.snippet,
                "highlights": [list(span) for span in hit.highlights],
                "section": hit.section,
            }
            for hit in result.hits
        ],
        "facets": {
            facet.name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in facet.values]
            for facet in result.facets
        },
        "facet_info": {
            facet.name: {
                "label": facet.label,
                "kind": facet.kind,
                "truncated": facet.truncated,
                "documents": facet.documents,
            }
            for facet in result.facets
        },
        "suggestion": result.suggestion,
        "corrected": result.corrected,
        "page": result.page,
        "per_page": result.per_page,
        "elapsed_ms": round(result.elapsed_ms, 2),
        "generation": result.generation,
    }
