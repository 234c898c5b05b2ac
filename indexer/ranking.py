"""Ranking the matched documents for one page: BM25F top-k within the allowed set, exact titles first.

Scores are BM25F (`bm25f.py`): computed with numpy over whole posting lists
(`vscore.py`) for queries made of words, or by Whoosh's collector (`FieldsTerm` matchers
for words, Whoosh's BM25 for phrases and wildcards) for any other query shape. On top
of that one known-item rule: a matching document whose title has exactly the query's
analysed words (`vscore.title_docs`: case, punctuation and stop words do not matter)
comes first, so typing an article's title finds that article even when other articles
use those words more often. Measured and rejected (README "Relevance"): RM3-style
pseudo-relevance feedback, which lowered nDCG@10 on SciFact train for every setting tried.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector
from whoosh.searching import Searcher, TimeLimit

from . import vscore
from .model import QueryError
from .query import KnownItemQuery, analysed_words

SEARCH_TIME_LIMIT = 2.0
#: Queries of more analysed words than this are not compared with titles.
MAX_TITLE_WORDS = 24
#: How deep in a Whoosh-ranked list (queries with syntax) an exact title is looked for.
KNOWN_ITEM_DEPTH = 50


def rank(searcher: Searcher, q: wq.Query, allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score) pairs for `q`, restricted to `allowed` when given."""
    titled = exact_titles(searcher, q)
    try:
        score, match = vscore.scores(searcher, q)
    except vscore.Unsupported:
        hits = _top_whoosh(searcher, q, allowed, max(limit, KNOWN_ITEM_DEPTH) if titled.size else limit)
        return _titles_first(hits, set(titled.tolist()))[:limit]
    if titled.size:
        score = score.copy()
        score[titled] += score.max() + 1.0
    return top_k(score, match, allowed, limit)


def exact_titles(searcher: Searcher, q: wq.Query) -> np.ndarray:
    """Documents whose title is exactly the query's words (none for long or non-text queries)."""
    if not isinstance(q, KnownItemQuery) or not 0 < len(q.words) <= MAX_TITLE_WORDS:
        return np.zeros(0, dtype=np.int64)
    return vscore.title_docs(searcher, q.words)


def top_k(score: np.ndarray, match: np.ndarray, allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
    """The `limit` best matching documents: score descending, then document number ascending (as Whoosh)."""
    if allowed is not None:
        keep = np.zeros(match.size, dtype=bool)
        keep[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
        match = match & keep
    docs = np.flatnonzero(match)
    if docs.size > limit:
        cut = docs[np.argpartition(-score[docs], limit - 1)[:limit]]
        docs = docs[score[docs] >= score[cut].min()]  # keep every tie at the cut, then order exactly
    order = np.lexsort((docs, -score[docs]))[:limit]
    return [(int(d), float(score[d])) for d in docs[order]]


def _top_whoosh(searcher: Searcher, q: wq.Query, allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
    if allowed is not None and not allowed:
        return []  # Whoosh reads an empty filter set as no filter at all
    collector = TimeLimitCollector(searcher.collector(limit=limit, filter=allowed), timelimit=SEARCH_TIME_LIMIT)
    try:
        searcher.search_with_collector(q, collector)
    except TimeLimit:
        raise QueryError("This query took too long to rank; make it more specific.") from None
    return [(hit.docnum, float(hit.score or 0.0)) for hit in collector.results()]


def _titles_first(hits: list[tuple[int, float]], titled: set[int]) -> list[tuple[int, float]]:
    """Hits with an exact title move to the front, lifted above every other score."""
    if not hits or not titled.intersection(d for d, _s in hits):
        return hits
    lift = hits[0][1] + 1.0
    front = [(docnum, score + lift) for docnum, score in hits if docnum in titled]
    return front + [hit for hit in hits if hit[0] not in titled]


def names_title(searcher: Searcher, text: str) -> bool:
    """True when the text, analysed, is exactly some article's title (see `vscore.title_docs`)."""
    words = tuple(analysed_words(text, searcher.schema))
    return 0 < len(words) <= MAX_TITLE_WORDS and vscore.title_docs(searcher, words).size > 0


def corrects_to_title(searcher: Searcher, typed: str, corrected: str) -> bool:
    """The spelling correction names a title that the text as typed does not: a known item with a typo."""
    return names_title(searcher, corrected) and not names_title(searcher, typed)
