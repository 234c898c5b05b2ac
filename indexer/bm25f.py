"""True BM25F for one word searched in several text fields, as a Whoosh query and matcher.

Whoosh's own multi-field search scores each field separately and adds the scores, so a
word is saturated once per field and its idf is taken per field (a word rare in titles
gets a title-sized idf). BM25F (Robertson & Zaragoza 2009) instead adds the weighted,
length-normalised term frequencies of all fields first and saturates once:

    tf~ = sum_f w_f * tf_f / (1 - b_f + b_f * len_f / avglen_f)
    score = idf * tf~ * (k1 + 1) / (tf~ + k1),   idf = ln(1 + (N - df + 0.5) / (df + 0.5))

with df the largest per-field document frequency (a close lower bound of the union).
The matcher reports block-quality upper bounds, so Whoosh's top-k collector can still
skip postings blocks that cannot reach the current top k.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import ReadTooFar


def bm25_idf(doc_count: int, df: int) -> float:
    """Lucene's BM25 idf: always positive, so a very common word never lowers a score."""
    return math.log(1.0 + (doc_count - df + 0.5) / (df + 0.5))


class FieldsTerm(wq.Query):
    """One analysed word in several fields, matched as their union and scored by BM25F.

    Deliberately not a subclass of `Or`: `Or.normalize()` would flatten it into its parent.
    """

    def __init__(self, text: str, fields: Sequence[str], weights: Mapping[str, float], b: Mapping[str, float],
                 k1: float, boost: float = 1.0) -> None:
        self.text = text
        self.fields = tuple(fields)
        self.weights = dict(weights)
        self.b = dict(b)
        self.k1 = k1
        self.boost = boost

    def __repr__(self) -> str:
        return f"FieldsTerm({self.text!r}, {list(self.fields)!r}, boost={self.boost})"

    def __str__(self) -> str:
        return "(" + " OR ".join(f"{f}:{self.text}" for f in self.fields) + ")"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, FieldsTerm)
                and (self.text, self.fields, self.boost) == (other.text, other.fields, other.boost))

    def __hash__(self) -> int:
        return hash((FieldsTerm, self.text, self.fields, self.boost))

    def is_leaf(self) -> bool:
        return False

    def children(self) -> list[wq.Query]:
        return [wq.Term(f, self.text, boost=self.boost) for f in self.fields]

    def apply(self, fn: Any) -> FieldsTerm:
        return self

    def copy(self) -> FieldsTerm:
        return FieldsTerm(self.text, self.fields, self.weights, self.b, self.k1, self.boost)

    def with_boost(self, boost: float) -> FieldsTerm:
        return FieldsTerm(self.text, self.fields, self.weights, self.b, self.k1, boost)

    def normalize(self) -> wq.Query:
        return self

    def requires(self) -> set[wq.Query]:
        return {self}

    def field(self) -> None:
        return None

    def estimate_size(self, ixreader: Any) -> int:
        return max((t.estimate_size(ixreader) for t in self.children()), default=0)

    def estimate_min_size(self, ixreader: Any) -> int:
        return self.estimate_size(ixreader)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        if not searcher.is_atomic():  # a multi-segment top searcher: plain per-field scoring there
            return wq.Or(self.children()).matcher(searcher, context)
        reader = searcher.reader()
        parent = searcher.get_parent()
        leaves = []
        df = 0
        for field in self.fields:
            if field not in searcher.schema:
                continue
            btext = searcher.schema[field].to_bytes(self.text)
            if (field, btext) not in reader:
                continue
            df = max(df, parent.doc_frequency(field, btext))
            norm = _Norm(self.weights.get(field, 1.0), self.b.get(field, 0.75),
                         parent.avg_field_length(field) or 1.0)
            leaves.append(_Leaf(field, reader.postings(field, btext), norm, reader))
        if not leaves:
            return matching.NullMatcher()
        if context is not None and context.weighting is None:  # unscored (boolean) use
            return _BM25FMatcher(leaves, 1.0, self.k1)
        idf = bm25_idf(parent.doc_count_all(), df)
        return _BM25FMatcher(leaves, self.boost * idf, self.k1)


class _Norm:
    """Per-field BM25F weight and length normalisation."""

    __slots__ = ("weight", "b", "avg")

    def __init__(self, weight: float, b: float, avg: float) -> None:
        self.weight, self.b, self.avg = weight, b, avg

    def __call__(self, tf: float, length: float) -> float:
        return self.weight * tf / (1.0 - self.b + self.b * length / self.avg)


class _Leaf:
    """One field's postings of the word, with its normalisation and length lookup."""

    __slots__ = ("field", "m", "norm", "reader")

    def __init__(self, field: str, m: matching.Matcher, norm: _Norm, reader: Any) -> None:
        self.field, self.m, self.norm, self.reader = field, m, norm, reader

    def tf_norm(self, docnum: int) -> float:
        return self.norm(self.m.weight(), self.reader.doc_field_length(docnum, self.field, 1))

    def block_bound(self) -> float:
        """The largest normalised tf any posting in the current block can have."""
        return self.norm(self.m.block_max_weight(), max(self.m.block_min_length(), 1))

    def copy(self) -> _Leaf:
        return _Leaf(self.field, self.m.copy(), self.norm, self.reader)


class _BM25FMatcher(matching.Matcher):
    """Union of one word's per-field postings; the score saturates the combined tf once."""

    def __init__(self, leaves: list[_Leaf], scale: float, k1: float) -> None:
        self._leaves = leaves
        self._scale = scale
        self._k1 = k1

    def _active(self) -> list[_Leaf]:
        return [leaf for leaf in self._leaves if leaf.m.is_active()]

    def _saturate(self, tfn: float) -> float:
        return self._scale * tfn * (self._k1 + 1.0) / (tfn + self._k1) if tfn > 0 else 0.0

    def is_active(self) -> bool:
        return any(leaf.m.is_active() for leaf in self._leaves)

    def reset(self) -> None:
        for leaf in self._leaves:
            leaf.m.reset()

    def copy(self) -> _BM25FMatcher:
        return _BM25FMatcher([leaf.copy() for leaf in self._leaves], self._scale, self._k1)

    def children(self) -> list[matching.Matcher]:
        return [leaf.m for leaf in self._active()]

    def is_leaf(self) -> bool:
        return False

    def term_matchers(self) -> Any:
        for leaf in self._active():
            yield from leaf.m.term_matchers()

    def id(self) -> int:
        return min(leaf.m.id() for leaf in self._active())

    def next(self) -> None:
        active = self._active()
        if not active:
            raise ReadTooFar
        current = min(leaf.m.id() for leaf in active)
        for leaf in active:
            if leaf.m.id() == current:
                leaf.m.next()

    def skip_to(self, target: int) -> None:
        if not self.is_active():
            raise ReadTooFar
        for leaf in self._active():
            leaf.m.skip_to(target)

    def weight(self) -> float:
        current = self.id()
        return sum(leaf.m.weight() for leaf in self._active() if leaf.m.id() == current)

    def score(self) -> float:
        current = self.id()
        return self._saturate(sum(leaf.tf_norm(current) for leaf in self._active() if leaf.m.id() == current))

    def supports_block_quality(self) -> bool:
        return all(leaf.m.supports_block_quality() for leaf in self._leaves)

    def max_quality(self) -> float:
        return self._scale * (self._k1 + 1.0)

    def block_quality(self) -> float:
        return self._saturate(sum(leaf.block_bound() for leaf in self._active()))

    def skip_to_quality(self, minquality: float) -> int:
        """Skip the stretch of postings whose blocks together cannot score above `minquality`."""
        skipped = 0
        while self.is_active() and self.block_quality() <= minquality:
            target = min(leaf.m.block_max_id() for leaf in self._active()) + 1
            for leaf in self._active():
                leaf.m.skip_to(target)
            skipped += 1
        return skipped
