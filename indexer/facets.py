"""Facet values as arrays over document numbers, and disjunctive counting with numpy.

For one index snapshot, every facet field is loaded once into a `FacetTable`: its
values (sorted) and, for each value, the numbers of the documents having it. Counting
a facet over a set of documents is then a gather and a bincount, and because each
value is one term per document, counts are document counts by construction.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader

from .model import ENTITY_KINDS
from .schema import INFOBOX_PREFIX, TITLE_KEY_FIELD, YEAR_PREFIX

ENTITY_LABELS = {"organisations": "Organisations", "centres": "Centres", "topics": "Topics"}


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

    def counts(self, within: np.ndarray) -> np.ndarray:
        """Number of documents in the boolean mask `within` having each value."""
        hit = within[self.docs]
        return np.bincount(self.value_ids[hit], minlength=len(self.values))

    def documents(self, within: np.ndarray) -> int:
        """Number of documents in the mask `within` having any value of this facet."""
        return int(np.count_nonzero(within[self.holders]))


def _load(reader: IndexReader, field: str, name: str, kind: str) -> FacetTable:
    values: list[str] = []
    chunks: list[np.ndarray] = []
    for term in reader.lexicon(field):
        ids = np.fromiter(reader.postings(field, term).all_ids(), dtype=np.int32)
        values.append(term.decode("utf-8") if isinstance(term, bytes) else term)
        chunks.append(ids)
    lengths = np.array([len(c) for c in chunks], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    docs = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    value_ids = np.repeat(np.arange(len(values), dtype=np.int32), lengths)
    return FacetTable(name, field, kind, tuple(values), offsets, docs, value_ids, np.unique(docs))


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


def load_tables(reader: IndexReader) -> Tables:
    """Read every facet field of one reader into arrays."""
    size = reader.doc_count_all()
    live = np.zeros(size, dtype=bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    fields = set(reader.indexed_field_names())
    facets: dict[str, FacetTable] = {}
    keys: dict[str, FacetTable] = {}
    years: dict[str, np.ndarray] = {}
    for kind in ENTITY_KINDS:
        if kind in fields:
            facets[kind] = _load(reader, kind, kind, "keyword")
    year_names = {f[len(YEAR_PREFIX) :] for f in fields if f.startswith(YEAR_PREFIX)}
    for field in sorted(f for f in fields if f.startswith(INFOBOX_PREFIX)):
        name = field[len(INFOBOX_PREFIX) :]
        keys[name] = _load(reader, field, name, "keyword")
        if name not in year_names and name not in facets:
            facets[name] = keys[name]
    for name in sorted(year_names):
        table = _load(reader, YEAR_PREFIX + name, name, "year")
        facets[name] = table
        years[name] = _year_array(table, size)
    aliases = {name: table.field for name, table in facets.items() if table.field != name}
    return Tables(size, live, facets, keys, years, _title_rank(reader, size), aliases)


def _year_array(table: FacetTable, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.int32)
    years = np.array([int(v) for v in table.values], dtype=np.int32)
    out[table.docs] = years[table.value_ids]
    return out


def _title_rank(reader: IndexReader, size: int) -> np.ndarray:
    rank = np.full(size, np.iinfo(np.int32).max, dtype=np.int32)
    for i, term in enumerate(reader.lexicon(TITLE_KEY_FIELD)):
        ids = np.fromiter(reader.postings(TITLE_KEY_FIELD, term).all_ids(), dtype=np.int64)
        rank[ids] = i
    return rank


def label_of(name: str, labels: dict[str, str]) -> str:
    """Display label of a facet: the entity label, or the infobox key as written."""
    return ENTITY_LABELS.get(name) or labels.get(name) or name.replace("_", " ").capitalize()
