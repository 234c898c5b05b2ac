"""Facet values as arrays over document numbers, and disjunctive counting with numpy.

For one index snapshot every facet field is a `FacetTable`: its values (sorted) and,
for each value, the numbers of the live documents having it (postings), plus the same
pairs ordered by document (doc -> values, built on first use). Counting a facet over
a set of documents is a bincount over whichever side is smaller: the postings of all
values when the set is large, the values of just those documents when it is small.
Each value is one term per document, so counts are document counts by construction.
Tables are assembled from per-segment parts (see `tableload.py`).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np

ENTITY_LABELS = {"organisations": "Organisations", "centres": "Centres", "topics": "Topics"}
#: A mask holding less than this share of the live documents is counted from its documents' values;
#: one holding more than 1 - this share, from the values of the documents outside it.
SPARSE_SHARE = 0.45


@dataclass(frozen=True)
class ByDoc:
    """doc -> values in CSR form: the values of document d are values[indptr[d]:indptr[d + 1]]."""

    indptr: np.ndarray
    values: np.ndarray


@dataclass(frozen=True)
class FacetTable:
    name: str  # the facet's public name: "topics", "country", "founded" ...
    field: str  # the Whoosh field it is read from
    kind: str  # "keyword" or "year"
    values: tuple[str, ...]
    offsets: np.ndarray  # postings of value i are docs[offsets[i]:offsets[i + 1]]
    docs: np.ndarray  # document numbers, grouped by value
    value_ids: np.ndarray  # the value index of each entry of `docs`
    holders: np.ndarray  # unique document numbers having any value
    size: int = 0  # documents in the snapshot (document numbers run 0..size-1)
    _by_doc: list = field(default_factory=list, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def index_of(self, value: str) -> int | None:
        """Position of an exact value, or None."""
        i = bisect_left(self.values, value)
        return i if i < len(self.values) and self.values[i] == value else None

    def mask(self, values: tuple[str, ...], size: int) -> np.ndarray:
        """Documents having any of `values` (OR within a facet)."""
        out = np.zeros(size, dtype=bool)
        for value in values:
            i = self.index_of(value)
            if i is not None:
                out[self.docs[self.offsets[i] : self.offsets[i + 1]]] = True
        return out

    def by_doc(self) -> ByDoc:
        """The doc -> values view, built once per table."""
        if not self._by_doc:
            with self._lock:
                if not self._by_doc:
                    size = max(self.size, int(self.docs.max()) + 1 if self.docs.size else 0)
                    order = np.argsort(self.docs, kind="stable")
                    indptr = np.zeros(size + 1, dtype=np.int64)
                    np.cumsum(np.bincount(self.docs, minlength=size), out=indptr[1:])
                    self._by_doc.append(ByDoc(indptr, self.value_ids[order]))
        return self._by_doc[0]

    def counts(self, within: np.ndarray, members: np.ndarray | None = None,
               outside: np.ndarray | None = None, total: np.ndarray | None = None) -> np.ndarray:
        """Number of documents in the boolean mask `within` having each value.

        When the caller knows the mask's side that has fewer documents, counting goes through
        the documents' own values instead of every posting: `members` (the documents of a
        small mask), or `outside` (the live documents not in a large mask) with `total`
        (the counts over all live documents), giving total - counts(outside).
        """
        if members is not None:
            return self._counts_of(members)
        if outside is not None and total is not None:
            return total - self._counts_of(outside)
        hit = within[self.docs]
        return np.bincount(self.value_ids[hit], minlength=len(self.values))

    def _counts_of(self, members: np.ndarray) -> np.ndarray:
        view = self.by_doc()
        members = members[members < view.indptr.size - 1]
        starts = view.indptr[members]
        lengths = view.indptr[members + 1] - starts
        keep = lengths > 0
        starts, lengths = starts[keep], lengths[keep]
        if starts.size == 0:
            return np.zeros(len(self.values), dtype=np.int64)
        # the concatenated ranges starts[k] .. starts[k] + lengths[k] - 1, without a Python loop
        steps = np.ones(int(lengths.sum()), dtype=np.int64)
        steps[0] = starts[0]
        steps[np.cumsum(lengths)[:-1]] = starts[1:] - (starts[:-1] + lengths[:-1] - 1)
        return np.bincount(view.values[np.cumsum(steps)], minlength=len(self.values))

    def documents(self, within: np.ndarray) -> int:
        """Number of documents in the mask `within` having any value of this facet."""
        return int(np.count_nonzero(within[self.holders]))


@dataclass(frozen=True)
class Tables:
    """Everything a search needs beyond Whoosh itself, for one index snapshot."""

    size: int  # doc_count_all: document numbers run 0..size-1
    live: np.ndarray  # bool: not deleted
    facets: dict[str, FacetTable]  # public facet name -> table (entities, keyword infobox keys, years)
    keys: dict[str, FacetTable]  # infobox slug -> keyword table (raw values), for stats
    years: dict[str, np.ndarray]  # year facet name -> int32 year per document (0: none)
    title_rank: np.ndarray  # int32 rank of each document's title in sort order
    aliases: dict[str, str]  # query-language field alias -> Whoosh field
    live_count: int = 0  # documents not deleted
    _browse: dict = field(default_factory=dict, repr=False, compare=False)  # cached all-documents counts

    def browse_counts(self, name: str) -> np.ndarray:
        """Counts of a facet over every live document (the empty query), computed once per snapshot."""
        cached = self._browse.get(name)
        if cached is None:
            cached = self.facets[name].counts(self.live)
            self._browse[name] = cached
        return cached


def label_of(name: str, labels: dict[str, str]) -> str:
    """Display label of a facet: the entity label, or the infobox key as written."""
    return ENTITY_LABELS.get(name) or labels.get(name) or name.replace("_", " ").capitalize()
