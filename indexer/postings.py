"""A term's postings as numpy arrays, read a whole block at a time, and cached per segment.

Whoosh hands postings out one at a time through matchers, which costs a Python call per
document. Here a posting list is read block by block (each block is one decompressed
tuple of id deltas) into an int32 array of segment-local document numbers; positions,
for phrases, are decoded once per term. Segments never change once written (deletions
are kept apart), so cached arrays stay valid across commits and are shared by every
snapshot that still has the segment.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pickle import loads
from typing import Any, Callable, Iterator

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length

CACHE_BYTES = 64 * 1024 * 1024
_EMPTY = np.zeros(0, dtype=np.int32)
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class Positions:
    """Every occurrence of one term in one segment: docs[i] has positions[offsets[i]:offsets[i + 1]]."""

    docs: np.ndarray
    offsets: np.ndarray
    positions: np.ndarray
    weights: np.ndarray  # the posting weight (term frequency times boosts) of each document, as stored

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.offsets.nbytes + self.positions.nbytes + self.weights.nbytes


class PostingsCache:
    """A thread-safe LRU of decoded postings, bounded by the bytes of its arrays."""

    def __init__(self, budget: int = CACHE_BYTES, largest_share: int = 4) -> None:
        self.budget = budget
        self.largest = budget // largest_share  # bigger values are handed out but not kept
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple, load: Callable[[], Any]) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                return value
        value = load()
        size = value.nbytes
        with self._lock:
            if key not in self._items and size <= self.largest:
                self._items[key] = value
                self._bytes += size
                while self._bytes > self.budget:
                    _old, evicted = self._items.popitem(last=False)
                    self._bytes -= evicted.nbytes
        return value


def segment_key(reader: IndexReader) -> str:
    """A name for an atomic reader's segment, unique across generations and index folders."""
    segment = reader.segment()
    storage = getattr(reader, "_storage", None)
    return f"{getattr(storage, 'folder', '')}:{segment.segment_id() if segment is not None else id(reader)}"


def _raw_matcher(reader: IndexReader, field: str, btext: bytes) -> Any:
    """The segment's own matcher for a term, without the deleted-documents filter (None: no such term)."""
    if (field, btext) not in reader:
        return None
    terms = getattr(reader, "_terms", None)
    if terms is None:
        return reader.postings(field, btext)
    return terms.matcher(field, btext, reader.schema[field].format)


def _blocks(m: W3LeafMatcher) -> Any:
    """Yield each block's decoded (ids tuple of deltas, values) by walking the block chain."""
    while True:
        m._read_data()
        yield m._data
        if m._lastblock:
            return
        m._goto(m._nextoffset)


def term_docs(reader: IndexReader, field: str, btext: bytes) -> np.ndarray:
    """Segment-local document numbers having the term (deleted ones included), ascending."""
    m = _raw_matcher(reader, field, btext)
    if m is None:
        return _EMPTY
    if isinstance(m, W3LeafMatcher) and not m._byteids:
        chunks = [np.cumsum(np.array(data[0], dtype=np.int64)) for data in _blocks(m)]
        return np.concatenate(chunks).astype(np.int32) if chunks else _EMPTY
    return np.fromiter(m.all_ids(), dtype=np.int32)


def field_postings(reader: IndexReader, field: str) -> Iterator[tuple[bytes, np.ndarray]]:
    """(term, segment-local docs) for every term of a field, in term order, walking the term table once."""
    terms = getattr(reader, "_terms", None)
    codec = getattr(terms, "_codec", None)
    if terms is None or codec is None or not hasattr(terms, "items_from"):
        for btext in reader.lexicon(field):
            yield btext, term_docs(reader, field, btext)
        return
    fmt = reader.schema[field].format
    for (name, btext), info in terms.items_from(field, b""):
        if name != field:
            return
        m = codec.postings_reader(terms._postfile, info, fmt)
        if isinstance(m, W3LeafMatcher) and not m._byteids:
            chunks = [np.cumsum(np.array(data[0], dtype=np.int64)) for data in _blocks(m)]
            yield btext, (np.concatenate(chunks).astype(np.int32) if chunks else _EMPTY)
        else:
            yield btext, np.fromiter(m.all_ids(), dtype=np.int32)


def term_positions(reader: IndexReader, field: str, btext: bytes) -> Positions:
    """Documents, token positions and posting weights of the term in one segment."""
    m = _raw_matcher(reader, field, btext)
    if m is None:
        return Positions(_EMPTY, np.zeros(1, dtype=np.int64), _EMPTY, np.zeros(0, dtype=np.float64))
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    deltas: list[list[int]] = []
    if isinstance(m, W3LeafMatcher) and not m._byteids:
        for data in _blocks(m):
            ids = np.cumsum(np.array(data[0], dtype=np.int64))
            docs.append(ids)
            weights.append(_block_weights(data[1], ids.size))
            deltas.extend(loads(v[4:]) for v in data[2])
    else:
        ids, ws = [], []
        while m.is_active():
            ids.append(m.id())
            ws.append(m.weight())
            deltas.append(loads(m.value()[4:]))
            m.next()
        docs.append(np.array(ids, dtype=np.int64))
        weights.append(np.array(ws, dtype=np.float64))
    lengths = np.fromiter((len(d) for d in deltas), dtype=np.int64, count=len(deltas))
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    flat = np.fromiter((x for d in deltas for x in d), dtype=np.int64, count=int(offsets[-1]))
    # positions are stored as deltas within each document: undo them per document
    starts = np.repeat(offsets[:-1], lengths)
    running = np.cumsum(flat)
    base = np.concatenate(([0], running))[starts]
    positions = (running - base).astype(np.int32)
    return Positions(np.concatenate(docs).astype(np.int32) if docs else _EMPTY, offsets, positions,
                     np.concatenate(weights) if weights else np.zeros(0, dtype=np.float64))


def _block_weights(stored: Any, count: int) -> np.ndarray:
    """A block's weights as Whoosh's matcher reports them (None: all 1.0; one float: all that value)."""
    if stored is None:
        return np.ones(count, dtype=np.float64)
    if isinstance(stored, float):
        return np.full(count, np.float32(stored), dtype=np.float32).astype(np.float64)
    return np.array(stored, dtype=np.float64)


def field_lengths(reader: IndexReader, field: str) -> np.ndarray:
    """Each document's length in the field, as the scorer reads it (quantized; 0 where none)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN) if perdoc is not None else None
    if column is not None and hasattr(column, "_dbfile") and hasattr(column, "_basepos"):
        raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
        codes = np.zeros(count, dtype=np.uint8)
        codes[: min(count, raw.size)] = raw[:count]
        return _BYTE_LENGTHS[codes]
    return np.array([reader.doc_field_length(d, field, 0) or 0 for d in range(count)], dtype=np.float64)
