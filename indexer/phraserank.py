"""Ranking phrases without re-checking positions: Whoosh's phrase score, over the known phrase matches.

Whoosh ranks a phrase by walking every document that has all its words and comparing
positions in Python for each, which takes most of a second for common words in 100k
articles. The match set already knows which documents hold the phrase (`matchset`,
numpy over cached positions). This module swaps each such phrase for `KnownPhrase`,
whose matcher visits only those documents and gives each Whoosh's phrase score: computed
for all of them at once with numpy when the words are scored by BM25F (the same formula
on the same float64 values, summed in the same order), else by the very matchers Whoosh's
phrase uses (the words' term matchers in the same intersection tree, times the phrase
boost). Ranking, scores and tie order are unchanged (a test compares them).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, Protocol

import numpy as np
from whoosh import matching, scoring
from whoosh import query as wq
from whoosh.matching import binary
from whoosh.util import make_binary_tree

from .postings import Positions

_COMPOUND = (wq.And, wq.Or, wq.DisjunctionMax, wq.Require, wq.AndNot, wq.AndMaybe, wq.Not)


class PhraseSource(Protocol):
    """What ranking a known phrase needs from the match-set evaluator (per segment reader)."""

    def phrase_docs(self, reader: Any, phrase: wq.Phrase) -> np.ndarray: ...

    def term_positions(self, reader: Any, field: str, btext: bytes) -> Positions: ...

    def field_lengths(self, reader: Any, field: str) -> np.ndarray: ...


class KnownPhrase(wq.Query):
    """A phrase whose matching documents are already known, per segment."""

    def __init__(self, phrase: wq.Phrase, source: PhraseSource) -> None:
        self.phrase = phrase
        self.source = source
        self.boost = phrase.boost

    def __repr__(self) -> str:
        return f"KnownPhrase({self.phrase!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KnownPhrase) and other.phrase == self.phrase

    def __hash__(self) -> int:
        return hash((KnownPhrase, self.phrase))

    def is_leaf(self) -> bool:
        return True

    def field(self) -> str:
        return self.phrase.fieldname

    def terms(self, phrases: bool = False) -> Any:
        return self.phrase.terms(phrases)

    def tokens(self, boost: float = 1.0, exreader: Any = None) -> Any:
        return self.phrase.tokens(boost, exreader)

    def estimate_size(self, ixreader: Any) -> int:
        return self.phrase.estimate_size(ixreader)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        phrase = self.phrase
        if phrase.fieldname not in searcher.schema or not phrase.words:
            return matching.NullMatcher()
        reader = searcher.reader()
        docs = self.source.phrase_docs(reader, phrase)
        if docs.size == 0:
            return matching.NullMatcher()
        terms = [wq.Term(phrase.fieldname, word).matcher(searcher, context) for word in phrase.words]
        inner = make_binary_tree(binary.IntersectionMatcher, terms)
        scorers = word_scorers(searcher, context.weighting if context is not None else searcher.weighting, phrase)
        scores = None if scorers is None else phrase_scores(scorers, reader, phrase, self.source, docs).tolist()
        return DocsMatcher(docs.tolist(), inner, phrase.boost, scores=scores)


def word_scorers(searcher: Any, weighting: Any, phrase: wq.Phrase) -> list[tuple[bytes, Any]] | None:
    """Each word of the phrase with its BM25F scorer (global idf and average length), or None
    when the words are not scored by BM25F (then Whoosh's matchers score)."""
    if weighting is None:
        return None
    field = searcher.schema[phrase.fieldname]
    scorers = []
    for word in phrase.words:
        btext = field.to_bytes(word)
        scorer = weighting.scorer(searcher, phrase.fieldname, btext)  # idf and average length: top level
        if type(scorer) is not scoring.BM25FScorer:
            return None
        scorers.append((btext, scorer))
    return scorers


def phrase_scores(scorers: list[tuple[bytes, Any]], reader: Any, phrase: wq.Phrase, source: PhraseSource,
                  docs: np.ndarray) -> np.ndarray:
    """Whoosh's phrase score of each of `docs` (of the segment `reader`).

    The same expression as `scoring.bm25` on the same float64 values, summed in the same
    (binary tree) order as the words' intersection matcher, so each score is bit for bit Whoosh's.
    """
    name = phrase.fieldname
    lengths = source.field_lengths(reader, name)[docs]
    parts = []
    for btext, scorer in scorers:
        postings = source.term_positions(reader, name, btext)
        tf = postings.weights[np.searchsorted(postings.docs, docs)]
        idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        parts.append(idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / avgfl))))
    total = make_binary_tree(lambda x, y: x + y, parts) * 1.0
    if phrase.boost != 1.0:
        total = total * phrase.boost
    return total


class DocsMatcher(matching.Matcher):
    """Matches exactly `docs` (ascending); the score of each is `inner`'s on that document, times `boost`."""

    def __init__(self, docs: list[int], inner: matching.Matcher, boost: float = 1.0, i: int = 0,
                 scores: list[float] | None = None) -> None:
        self._docs = docs
        self._inner = inner
        self._boost = boost
        self._i = i
        self._scores = scores

    def __repr__(self) -> str:
        return f"DocsMatcher({len(self._docs)} docs, {self._inner!r})"

    def is_active(self) -> bool:
        return self._i < len(self._docs)

    def id(self) -> int:
        return self._docs[self._i]

    def next(self) -> bool:
        self._i += 1
        return False

    def skip_to(self, target: int) -> None:
        if self._i < len(self._docs) and self._docs[self._i] < target:
            self._i = bisect_left(self._docs, target, self._i)

    def all_ids(self) -> Any:
        while self._i < len(self._docs):
            yield self._docs[self._i]
            self._i += 1

    def _at(self) -> matching.Matcher:
        inner, doc = self._inner, self._docs[self._i]
        if inner.id() < doc:
            inner.skip_to(doc)
        return inner

    def score(self) -> float:
        if self._scores is not None:
            return self._scores[self._i]
        # as Whoosh's phrase matcher: a wrapper (boost 1.0) around the words' intersection, then the phrase boost
        score = self._at().score() * 1.0
        return score * self._boost if self._boost != 1.0 else score

    def weight(self) -> float:
        return self._at().weight() * self._boost

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        """An upper bound of any score here: the words' matchers' bound (they match a superset)."""
        return self._inner.max_quality() * self._boost

    def replace(self, minquality: float = 0) -> matching.Matcher:
        return self if self.is_active() else matching.NullMatcher()

    def copy(self) -> DocsMatcher:
        return DocsMatcher(self._docs, self._inner.copy(), self._boost, self._i, self._scores)

    def children(self) -> list[matching.Matcher]:
        return [self._inner]

    def term_matchers(self) -> Any:
        return self._inner.term_matchers()

    def depth(self) -> int:
        return 1 + self._inner.depth()


def rewrite(q: wq.Query, docs_for: PhraseSource) -> wq.Query:
    """q with every ordered, slop-1 phrase under boolean operators and wrappers swapped for a KnownPhrase."""
    kind = type(q)
    if kind is wq.Phrase:
        return KnownPhrase(q, docs_for) if q.slop == 1 else q
    if kind in (wq.And, wq.Or, wq.DisjunctionMax):
        return kind([rewrite(c, docs_for) for c in q.subqueries], boost=q.boost)  # type: ignore[call-arg]
    if kind in (wq.Require, wq.AndNot, wq.AndMaybe):
        return kind(rewrite(q.a, docs_for), rewrite(q.b, docs_for))  # type: ignore[call-arg]
    if kind is wq.Not:
        return wq.Not(rewrite(q.query, docs_for), boost=q.boost)
    if isinstance(q, wq.WrappingQuery) and hasattr(q, "_rewrap"):
        return q._rewrap(rewrite(q.child, docs_for))
    return q


def has_phrase(q: wq.Query) -> bool:
    if type(q) is wq.Phrase:
        return True
    if type(q) in _COMPOUND or isinstance(q, wq.WrappingQuery):
        return any(has_phrase(c) for c in q.children())
    return False
