"""Ranking the matched documents for one page: BM25F top-k within the allowed set, exact titles first.

Scores are BM25F (`bm25f.py`): computed with numpy over whole posting lists
(`vscore.py`) for queries made of words, or by Whoosh's collector (`FieldsTerm` matchers
for words, Whoosh's BM25 for phrases and wildcards) for any other query shape. On top
of that one known-item rule: among the best
KNOWN_ITEM_DEPTH documents, those whose analysed title equals the analysed query
(`query.title_match_key`: case, punctuation, stop words and spacing ignored) move to the
front, so typing an article's title finds that article first even when other articles
mention those words more often. Measured and rejected (README "Relevance"): RM3-style
pseudo-relevance feedback, which lowered nDCG@10 on SciFact train for every setting tried.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector
from whoosh.searching import Searcher, TimeLimit

import numpy as np

from . import vscore
from .model import QueryError
from .query import KnownItemQuery

SEARCH_TIME_LIMIT = 2.0
#: How deep in the BM25F ranking an exact-title match is looked for.
KNOWN_ITEM_DEPTH = 50
#: Queries longer than this (in characters of the match key) are not compared with titles.
MAX_TITLE_KEY = 200


def rank(searcher: Searcher, q: wq.Query, allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score) pairs for `q`, restricted to `allowed` when given."""
    if allowed is not None and not allowed:  # Whoosh reads an empty filter set as "no filter"
        return []
    key = q.key if isinstance(q, KnownItemQuery) and len(q.key) <= MAX_TITLE_KEY else ""
    hits = _top(searcher, q, allowed, max(limit, KNOWN_ITEM_DEPTH) if key else limit)
    if key:
        hits = titles_first(searcher, hits[:KNOWN_ITEM_DEPTH], key) + hits[KNOWN_ITEM_DEPTH:]
    return hits[:limit]


def _top(searcher: Searcher, q: wq.Query, allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
    try:
        score, match = vscore.scores(searcher, q)
    except vscore.Unsupported:
        return _top_whoosh(searcher, q, allowed, limit)
    return top_k(score, match, allowed, limit)


def top_k(score: np.ndarray, match: np.ndarray, allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
    """The `limit` best matching documents: score descending, then document number ascending (as Whoosh)."""
    if allowed is not None:
        keep = np.zeros(match.size, dtype=bool)
        keep[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
        match = match & keep
    docs = np.flatnonzero(match)
    if docs.size > limit:
        cut = docs[np.argpartition(-score[docs], limit - 1)[:limit]]
        threshold = score[cut].min()
        docs = docs[score[docs] >= threshold]  # keep every tie at the cut, then order exactly
    order = np.lexsort((docs, -score[docs]))[:limit]
    return [(int(d), float(score[d])) for d in docs[order]]


def _top_whoosh(searcher: Searcher, q: wq.Query, allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
    collector = TimeLimitCollector(searcher.collector(limit=limit, filter=allowed), timelimit=SEARCH_TIME_LIMIT)
    try:
        searcher.search_with_collector(q, collector)
    except TimeLimit:
        raise QueryError("This query took too long to rank; make it more specific.") from None
    return [(hit.docnum, float(hit.score or 0.0)) for hit in collector.results()]


def titles_first(searcher: Searcher, hits: list[tuple[int, float]], key: str) -> list[tuple[int, float]]:
    """Move hits whose analysed title equals `key` to the front, above every other score."""
    if not hits:
        return hits
    analyzer = searcher.schema["title"].analyzer
    exact = {docnum for docnum, _score in hits if _title_key(searcher, analyzer, docnum) == key}
    if not exact:
        return hits
    lift = hits[0][1] + 1.0
    front = [(docnum, score + lift) for docnum, score in hits if docnum in exact]
    return front + [hit for hit in hits if hit[0] not in exact]


def _title_key(searcher: Searcher, analyzer: object, docnum: int) -> str:
    title = searcher.stored_fields(docnum).get("title") or ""
    return "".join(t.text for t in analyzer(title))  # type: ignore[operator]
