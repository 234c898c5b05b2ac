"""The set of documents a query matches, computed with numpy from whole posting lists.

Counting facets needs every matching document but no scores, so the query tree is
evaluated as boolean masks over document numbers: a term is its postings, And is &,
Or is |, AndNot removes, a phrase keeps documents where its words sit at consecutive
positions (what Whoosh's ordered, slop-1 span query matches). Wildcard, prefix and
fuzzy terms are expanded to the words they stand for in this index, as Whoosh does.
A query shape not listed here returns None and the caller asks Whoosh instead, so
the result is always Whoosh's own match set (a test compares the two).
"""

from __future__ import annotations

from functools import reduce
from typing import Any, Callable

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from .postings import Positions, PostingsCache, field_lengths, segment_key, term_docs, term_positions

try:  # the ranking module's one-word-in-several-fields query matches like an Or of its terms
    from .bm25f import FieldsTerm
except ImportError:  # pragma: no cover - the module is optional
    FieldsTerm = None  # type: ignore[assignment,misc]
try:  # a wrapper carrying the title-match key: matches what its child matches
    from .query import KnownItemQuery
except ImportError:  # pragma: no cover
    KnownItemQuery = None  # type: ignore[assignment,misc]

_OR_TYPES = tuple(t for t in (wq.Or, wq.DisjunctionMax, FieldsTerm) if t is not None)
_WRAPPERS = tuple(t for t in (wq.WrappingQuery, wq.ConstantScoreQuery, KnownItemQuery) if t is not None)
_EXPANDING = (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)
_POSITION_SHIFT = 32
_NO_DOCS = np.zeros(0, dtype=np.int32)


class Unsupported(Exception):
    """This query shape is not evaluated here; ask Whoosh."""


class Evaluator:
    """Evaluates queries over one searcher's segments into boolean masks of global document numbers."""

    def __init__(self, searcher: Searcher, size: int, live: np.ndarray, cache: PostingsCache) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = self.reader.leaf_readers()
        self.size = size
        self.live = live
        self.cache = cache

    def mask(self, q: wq.Query) -> np.ndarray | None:
        """Live documents matching q, or None when the query has a shape not handled here."""
        try:
            return self._eval(q) & self.live
        except Unsupported:
            return None

    # -- leaves -------------------------------------------------------------

    def _btext(self, field: str, text: Any) -> bytes:
        if isinstance(text, bytes):
            return text
        return self.searcher.schema[field].to_bytes(text)

    def _term(self, field: str, text: Any) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        if field not in self.searcher.schema:
            return out
        btext = self._btext(field, text)
        for leaf, base in self.leaves:
            key = ("docs", segment_key(leaf), field, btext)
            docs = self.cache.get(key, lambda leaf=leaf: term_docs(leaf, field, btext))
            out[docs.astype(np.int64) + base] = True
        return out

    def _positions(self, leaf: Any, field: str, btext: bytes) -> Positions:
        key = ("positions", segment_key(leaf), field, btext)
        return self.cache.get(key, lambda: term_positions(leaf, field, btext))

    term_positions = _positions

    def field_lengths(self, leaf: Any, field: str) -> np.ndarray:
        """The segment's field lengths per document, as the scorer reads them."""
        return self.cache.get(("lengths", segment_key(leaf), field), lambda: field_lengths(leaf, field))

    def _phrase(self, q: wq.Phrase) -> np.ndarray:
        if q.slop != 1 or q.fieldname not in self.searcher.schema:
            raise Unsupported
        field_obj = self.searcher.schema[q.fieldname]
        if not field_obj.format or not field_obj.format.supports("positions"):
            raise Unsupported
        out = np.zeros(self.size, dtype=bool)
        words = [self._btext(q.fieldname, w) for w in q.words]
        if not words:
            return out
        for leaf, base in self.leaves:
            docs = self._phrase_docs(leaf, q.fieldname, words)
            out[docs.astype(np.int64) + base] = True
        return out

    def _phrase_docs(self, leaf: Any, field: str, words: list[bytes]) -> np.ndarray:
        """Segment-local documents (deleted ones included) holding the words at consecutive positions."""
        if any((field, w) not in leaf for w in words):
            return _NO_DOCS
        key = ("phrase", segment_key(leaf), field, tuple(words))
        return self.cache.get(key, lambda: _consecutive([self._positions(leaf, field, w) for w in words]))

    def phrase_docs(self, leaf: Any, phrase: wq.Phrase) -> np.ndarray:
        """The phrase's live documents in one segment (for ranking only those)."""
        docs = self._phrase_docs(leaf, phrase.fieldname, [self._btext(phrase.fieldname, w) for w in phrase.words])
        deleted = getattr(leaf, "deleted_docs_set", None)
        if deleted and docs.size:
            docs = docs[~np.isin(docs, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))]
        return docs

    # -- the tree -----------------------------------------------------------

    def _eval(self, q: wq.Query) -> np.ndarray:
        kind = type(q)
        if kind is wq.Term:
            return self._term(q.fieldname, q.text)
        if kind is wq.Phrase:
            return self._phrase(q)
        if kind is wq.And or kind is wq.Require:
            return self._fold(q.children(), np.logical_and)
        if kind in _OR_TYPES:
            return self._fold(q.children(), np.logical_or)
        if kind in _WRAPPERS:
            return self._eval(q.child)
        if kind is wq.AndNot:
            return self._eval(q.a) & ~self._eval(q.b)
        if kind is wq.AndMaybe:
            return self._eval(q.a)
        if kind is wq.Not:
            return ~self._eval(q.query)
        if kind is wq.Every:
            return np.ones(self.size, dtype=bool)
        if q is wq.NullQuery or kind is type(wq.NullQuery):
            return np.zeros(self.size, dtype=bool)
        if kind in _EXPANDING:
            return self._expanded(q)
        raise Unsupported

    def _fold(self, children: Any, op: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        masks = [self._eval(c) for c in children]
        if not masks:
            return np.zeros(self.size, dtype=bool)
        return reduce(op, masks)

    def _expanded(self, q: wq.Query) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        for btext in q._btexts(self.reader):
            out |= self._term(q.fieldname, btext)
        return out


def _consecutive(lists: list[Positions]) -> np.ndarray:
    """Documents (segment-local) where word i occurs at position p + i for some p, for every word."""
    common = reduce(np.intersect1d, [p.docs for p in lists])
    if common.size == 0:
        return common
    keys = None
    for i, p in enumerate(lists):
        counts = np.diff(p.offsets)
        doc_of = np.repeat(p.docs.astype(np.int64), counts)
        keep = np.isin(doc_of, common)
        start = p.positions[keep].astype(np.int64) - i
        mine = (doc_of[keep] << _POSITION_SHIFT) | np.where(start >= 0, start, 0)
        mine = np.unique(mine[start >= 0])
        keys = mine if keys is None else np.intersect1d(keys, mine, assume_unique=True)
        if keys.size == 0:
            break
    return np.unique(keys >> _POSITION_SHIFT) if keys is not None else common
