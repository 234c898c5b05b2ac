"""BM25F scores of a whole query at once, with numpy, from cached per-segment postings.

Whoosh scores one posting at a time through Python matchers; for a sentence-long OR query
that is thousands of Python calls per term. Here each term's postings (documents and
term frequencies) and each field's document lengths are read block by block into numpy
arrays, cached per segment (segments never change once written; deletions are read
fresh on every query), and the BM25F formula of `bm25f.py` runs on whole arrays. Query
trees made of BM25F words joined by And / Or / AndNot / Not are handled; any other shape
(phrases, wildcards, fuzzy terms, facet fields) raises `Unsupported` and is ranked by
Whoosh's own collector instead, which computes the same BM25F through `FieldsTerm`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from .bm25f import FieldsTerm, bm25_idf
from .phraserank import KnownPhrase, phrase_scores, word_scorers
from .postings import PostingsCache, segment_key

CACHE_BYTES = 48 * 1024 * 1024
_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
_EMPTY_DOCS = np.zeros(0, dtype=np.int32)
_EMPTY_TF = np.zeros(0, dtype=np.float32)


class Unsupported(Exception):
    """The query has a shape this module does not score; rank it with Whoosh."""


@dataclass(frozen=True)
class _Postings:
    docs: np.ndarray  # segment-local document numbers, ascending
    tf: np.ndarray  # term frequency in the field, per document

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.tf.nbytes


_CACHE = PostingsCache(CACHE_BYTES, largest_share=8)


def scores(searcher: Searcher, q: wq.Query) -> tuple[np.ndarray, np.ndarray]:
    """(score, matches) over global document numbers for q; raises Unsupported for other shapes."""
    return _Scorer(searcher).evaluate(q)


class _Scorer:
    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.schema = searcher.schema
        reader = searcher.reader()
        self.leaves = reader.leaf_readers()
        self.size = reader.doc_count_all()
        self.live = self._live()

    def _live(self) -> np.ndarray:
        live = np.ones(self.size, dtype=bool)
        for leaf, base in self.leaves:
            if leaf.has_deletions():
                live[np.fromiter(_deleted(leaf), dtype=np.int64) + base] = False
        return live

    def evaluate(self, q: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        score, match = self._eval(q)
        return score, match & self.live

    def _eval(self, q: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(q, FieldsTerm):
            return self._word(q)
        kind = type(q)
        if kind is wq.And or kind is wq.Or:
            children = list(q.children())
            score, match = self._fold(children, np.logical_and if kind is wq.And else np.logical_or)
            if len(children) > 1 and q.boost != 1.0:  # Whoosh wraps the joined matchers, not a lone one
                score = score * q.boost
            return score, match
        if kind is wq.AndNot:
            score, match = self._eval(q.a)
            return score, match & ~self._eval(q.b)[1]
        if kind is wq.Not:  # Whoosh's inverse matcher scores each document it lets through 1.0
            match = ~self._eval(q.query)[1]
            return match * float(q.boost), match
        if isinstance(q, wq.WrappingQuery) and kind is not wq.ConstantScoreQuery:
            return self._eval(q.child)
        if kind is KnownPhrase:
            return self._known_phrase(q)
        if q is wq.NullQuery:
            return np.zeros(self.size), np.zeros(self.size, dtype=bool)
        raise Unsupported(kind.__name__)

    def _known_phrase(self, q: KnownPhrase) -> tuple[np.ndarray, np.ndarray]:
        """A phrase over its known matches, each scored as Whoosh's phrase matcher scores it."""
        score, match = np.zeros(self.size), np.zeros(self.size, dtype=bool)
        phrase = q.phrase
        if phrase.fieldname not in self.schema or not phrase.words:
            return score, match
        scorers = None  # made once a segment holds the phrase: a word no segment has has no scorer
        for leaf, base in self.leaves:
            docs = q.source.phrase_docs(leaf, phrase)
            if docs.size == 0:
                continue
            scorers = scorers or word_scorers(self.searcher, self.searcher.weighting, phrase)
            if scorers is None:
                raise Unsupported("phrase under another weighting")
            score[docs + base] = phrase_scores(scorers, leaf, phrase, q.source, docs)
            match[docs + base] = True
        return score, match

    def _fold(self, children: Any, op: Any) -> tuple[np.ndarray, np.ndarray]:
        parts = [self._eval(child) for child in children]
        if not parts:
            return np.zeros(self.size), np.zeros(self.size, dtype=bool)
        score = np.sum([p[0] for p in parts], axis=0) if len(parts) > 1 else parts[0][0]
        match = parts[0][1]
        for _score, other in parts[1:]:
            match = op(match, other)
        return score, match

    def _word(self, q: FieldsTerm) -> tuple[np.ndarray, np.ndarray]:
        """BM25F of one word: weighted, length-normalised tf summed over fields, saturated once."""
        tfn = np.zeros(self.size)
        df = 0
        for field in q.fields:
            if field not in self.schema:
                continue
            btext = self.schema[field].to_bytes(q.text)
            df = max(df, self.searcher.doc_frequency(field, btext))
            avg = self.searcher.avg_field_length(field) or 1.0
            weight, b = q.weights.get(field, 1.0), q.b.get(field, 0.75)
            for leaf, base in self.leaves:
                post = _postings(leaf, field, btext)
                if post.docs.size == 0:
                    continue
                lengths = _field_lengths(leaf, field)[post.docs]
                tfn[post.docs + base] += weight * post.tf / (1.0 - b + b * lengths / avg)
        match = tfn > 0
        if df == 0:
            return tfn, match
        idf = bm25_idf(self.searcher.doc_count_all(), df)
        return q.boost * idf * tfn * (q.k1 + 1.0) / (tfn + q.k1), match


def _deleted(leaf: Any) -> Iterable[int]:
    """The segment's deleted document numbers (read fresh: deletions change within a segment)."""
    deleted = getattr(leaf, "deleted_docs_set", None)
    if callable(deleted):
        deleted = deleted()
    if deleted is None:
        return (d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d))
    return deleted


def _postings(leaf: Any, field: str, btext: bytes) -> _Postings:
    return _CACHE.get(("post", segment_key(leaf), field, btext), lambda: _read_postings(leaf, field, btext))


def _read_postings(leaf: Any, field: str, btext: bytes) -> _Postings:
    """All postings of a term in one segment (deleted documents included; they are masked later)."""
    if (field, btext) not in leaf:
        return _Postings(_EMPTY_DOCS, _EMPTY_TF)
    terms = getattr(leaf, "_terms", None)
    m = terms.matcher(field, btext, leaf.schema[field].format) if terms is not None else leaf.postings(field, btext)
    if isinstance(m, W3LeafMatcher) and not m._byteids:
        docs, tfs = [], []
        while True:  # walk the block chain: each block is one decoded (id deltas, weights, values) tuple
            m._read_data()
            ids, weights = m._data[0], m._data[1]
            docs.append(np.cumsum(np.asarray(ids, dtype=np.int64)))
            count = docs[-1].size
            if weights is None or isinstance(weights, float):  # a block of equal weights is stored once
                tfs.append(np.full(count, 1.0 if weights is None else weights, dtype=np.float32))
            else:
                tfs.append(np.asarray(weights, dtype=np.float32))
            if m._lastblock:
                break
            m._goto(m._nextoffset)
        return _Postings(np.concatenate(docs).astype(np.int32), np.concatenate(tfs))
    pairs = []
    while m.is_active():
        pairs.append((m.id(), m.weight()))
        m.next()
    return _Postings(np.array([p[0] for p in pairs], dtype=np.int32), np.array([p[1] for p in pairs], dtype=np.float32))


def _field_lengths(leaf: Any, field: str) -> np.ndarray:
    return _CACHE.get(("len", segment_key(leaf), field), lambda: _read_lengths(leaf, field))


def _read_lengths(leaf: Any, field: str) -> np.ndarray:
    """Every document's (quantised) length of `field` in one segment, as Whoosh's scorers see it."""
    count = leaf.doc_count_all()
    perdoc = getattr(leaf, "_perdoc", None)
    column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN) if perdoc is not None else None
    if column is not None and hasattr(column, "_dbfile"):
        raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
        codes = np.zeros(count, dtype=np.uint8)
        codes[: min(count, raw.size)] = raw[:count]
        return _LENGTHS[codes]
    return np.array([leaf.doc_field_length(d, field, 0) or 0 for d in range(count)], dtype=np.float32)


def title_docs(searcher: Searcher, words: tuple[str, ...], field: str = "title") -> np.ndarray:
    """Live documents whose `field` holds exactly these analysed words (as a multiset), ascending.

    Known-item search: the title typed in any case, with or without its punctuation and stop
    words, analyses to the same words as the title itself. Lengths above 10 words are
    quantised by Whoosh, so a very long title can match with one word more or less.
    """
    if not words or field not in searcher.schema:
        return np.zeros(0, dtype=np.int64)
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    wanted = byte_to_length(length_to_byte(len(words)))
    found: list[np.ndarray] = []
    for leaf, base in searcher.reader().leaf_readers():
        docs = None
        for word, count in counts.items():
            post = _postings(leaf, field, searcher.schema[field].to_bytes(word))
            here = post.docs[post.tf == count]
            docs = here if docs is None else np.intersect1d(docs, here, assume_unique=True)
            if docs.size == 0:
                break
        if docs is None or docs.size == 0:
            continue
        docs = docs[_field_lengths(leaf, field)[docs] == wanted]
        if leaf.has_deletions():
            docs = np.setdiff1d(docs, np.fromiter(_deleted(leaf), dtype=docs.dtype))
        found.append(docs.astype(np.int64) + base)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
