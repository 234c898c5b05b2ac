"""Ranking the matched documents for one page: BM25F top-k within the allowed set."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector
from whoosh.searching import Searcher, TimeLimit

from .model import QueryError

SEARCH_TIME_LIMIT = 2.0


def rank(searcher: Searcher, q: wq.Query, allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score) pairs for `q`, restricted to `allowed` when given."""
    collector = TimeLimitCollector(searcher.collector(limit=limit, filter=allowed), timelimit=SEARCH_TIME_LIMIT)
    try:
        searcher.search_with_collector(q, collector)
    except TimeLimit:
        raise QueryError("This query took too long to rank; make it more specific.") from None
    return [(hit.docnum, float(hit.score or 0.0)) for hit in collector.results()]
