"""Building a snapshot's facet `Tables` from per-segment parts that are read once and cached.

A segment's facet postings and title keys never change after it is written, so each
segment is read once (`SegmentPart`) and kept in a `PartCache` keyed by the segment.
A snapshot's tables are then a cheap combination: value lists merged, segment-local
document and value numbers shifted into the snapshot's numbering, deleted documents
dropped. After an incremental commit only the new segment is read, so picking up a
one-file rebuild of a large index takes milliseconds, not a full reload. Segments written
by a full build come with their part saved beside them (`MAIN_<id>.tables.npz`, which
Whoosh deletes together with the segment), so even a new generation loads in a moment.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from .facets import FacetTable, Tables
from .model import ENTITY_KINDS
from .postings import field_postings, segment_key
from .schema import INFOBOX_PREFIX, TITLE_KEY_FIELD, YEAR_PREFIX

KEEP_PARTS = 256
PART_SUFFIX = ".tables.npz"
_EMPTY = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class FieldPart:
    """One field of one segment: sorted values and their segment-local postings."""

    values: tuple[str, ...]
    offsets: np.ndarray
    docs: np.ndarray


@dataclass(frozen=True)
class SegmentPart:
    doc_count: int
    fields: dict[str, FieldPart]  # facet fields and the title-key field


class PartCache:
    """Segment parts by segment, most recently used kept; shared by the snapshots of one index."""

    def __init__(self, keep: int = KEEP_PARTS) -> None:
        self.keep = keep
        self._parts: OrderedDict[str, SegmentPart] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, leaf: IndexReader, folder: Path | None = None) -> SegmentPart:
        key = segment_key(leaf)
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
                return part
        part = (load_part(folder, leaf) if folder is not None else None) or read_part(leaf)
        with self._lock:
            self._parts[key] = part
            while len(self._parts) > self.keep:
                self._parts.popitem(last=False)
        return part


def wanted(name: str) -> bool:
    """True for the fields tables are made of: facet fields and the title sort key."""
    return _wanted(name)


def _wanted(name: str) -> bool:
    return name in ENTITY_KINDS or name == TITLE_KEY_FIELD or name.startswith((INFOBOX_PREFIX, YEAR_PREFIX))


def read_part(leaf: IndexReader) -> SegmentPart:
    """Read one segment's facet fields and title keys."""
    fields: dict[str, FieldPart] = {}
    for name in leaf.indexed_field_names():
        if not _wanted(name):
            continue
        values: list[str] = []
        chunks: list[np.ndarray] = []
        for btext, docs in field_postings(leaf, name):
            values.append(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
            chunks.append(docs)
        lengths = np.fromiter((c.size for c in chunks), dtype=np.int64, count=len(chunks))
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        docs = np.concatenate(chunks).astype(np.int32) if chunks else _EMPTY
        fields[name] = FieldPart(tuple(values), offsets, docs)
    return SegmentPart(leaf.doc_count_all(), fields)


def part_path(folder: Path, segment_id: str) -> Path:
    """Where a segment's saved part lives: beside its files, named so Whoosh deletes it with the segment."""
    return folder / f"{segment_id}{PART_SUFFIX}"


def save_part(folder: Path, segment_id: str, part: SegmentPart) -> None:
    """Save a segment's part (written by the build, which has these arrays at hand), atomically."""
    names = sorted(part.fields)
    arrays: dict[str, np.ndarray] = {
        "doc_count": np.array(part.doc_count, dtype=np.int64),
        "fields": _json_bytes(names),
    }
    for i, name in enumerate(names):
        fp = part.fields[name]
        arrays[f"values{i}"] = _json_bytes(list(fp.values))
        arrays[f"offsets{i}"] = fp.offsets.astype(np.int64)
        arrays[f"docs{i}"] = fp.docs.astype(np.int32)
    tmp = folder / f".{segment_id}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    os.replace(tmp, part_path(folder, segment_id))


def load_part(folder: Path, leaf: IndexReader) -> SegmentPart | None:
    """The segment's saved part, or None when there is none (segments written by Whoosh) or it does not fit."""
    segment = leaf.segment()
    path = part_path(folder, segment.segment_id()) if segment is not None else None
    if path is None or not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["doc_count"]) != leaf.doc_count_all():
                return None
            names = json.loads(data["fields"].tobytes())
            fields = {
                name: FieldPart(tuple(json.loads(data[f"values{i}"].tobytes())), data[f"offsets{i}"], data[f"docs{i}"])
                for i, name in enumerate(names)
            }
    except (OSError, ValueError, KeyError):
        return None
    return SegmentPart(leaf.doc_count_all(), fields)


def _json_bytes(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _deleted(leaf: IndexReader) -> list[int]:
    deleted = getattr(leaf, "deleted_docs_set", None)
    if deleted is None:
        live = set(leaf.all_doc_ids())
        return [d for d in range(leaf.doc_count_all()) if d not in live]
    return list(deleted)


def _combine(parts: list[tuple[FieldPart, int]], live: np.ndarray) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Merged (values, docs grouped by value, value id per doc) of one field over segments; deleted docs dropped."""
    if len(parts) == 1:
        part, base = parts[0]
        values = part.values
        ids = np.repeat(np.arange(len(values), dtype=np.int32), np.diff(part.offsets))
        docs = part.docs.astype(np.int64) + base
    else:
        values = tuple(sorted(set().union(*(p.values for p, _b in parts))))
        index = {v: i for i, v in enumerate(values)}
        id_chunks, doc_chunks = [], []
        for part, base in parts:
            mapping = np.fromiter((index[v] for v in part.values), dtype=np.int32, count=len(part.values))
            id_chunks.append(np.repeat(mapping, np.diff(part.offsets)))
            doc_chunks.append(part.docs.astype(np.int64) + base)
        ids = np.concatenate(id_chunks)
        docs = np.concatenate(doc_chunks)
        order = np.argsort(ids, kind="stable")  # segments are in document order, so docs stay sorted per value
        ids, docs = ids[order], docs[order]
    keep = live[docs]
    return values, docs[keep].astype(np.int32), ids[keep]


def _table(name: str, field: str, kind: str, parts: list[tuple[FieldPart, int]], live: np.ndarray) -> FacetTable:
    values, docs, ids = _combine(parts, live)
    offsets = np.concatenate(([0], np.cumsum(np.bincount(ids, minlength=len(values))))).astype(np.int64)
    table = FacetTable(name, field, kind, values, offsets, docs, ids, np.unique(docs), live.size)
    table.by_doc()  # built now, while loading, rather than by the first search that needs it
    return table


def _year_array(table: FacetTable, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.int32)
    years = np.array([int(v) for v in table.values], dtype=np.int32)
    out[table.docs] = years[table.value_ids]
    return out


def load_tables(reader: IndexReader, cache: PartCache | None = None, folder: Path | None = None) -> Tables:
    """The tables of one reader (every segment of one commit); `folder` holds saved segment parts."""
    cache = cache or PartCache()
    leaves = reader.leaf_readers()
    size = reader.doc_count_all()
    live = np.ones(size, dtype=bool)
    by_field: dict[str, list[tuple[FieldPart, int]]] = {}
    for leaf, base in leaves:
        part = cache.get(leaf, folder)
        for name, fpart in part.fields.items():
            by_field.setdefault(name, []).append((fpart, base))
        deleted = _deleted(leaf)
        if deleted:
            live[np.array(deleted, dtype=np.int64) + base] = False
    facets: dict[str, FacetTable] = {}
    keys: dict[str, FacetTable] = {}
    years: dict[str, np.ndarray] = {}
    for kind in ENTITY_KINDS:
        if kind in by_field:
            facets[kind] = _table(kind, kind, "keyword", by_field[kind], live)
    year_names = {f[len(YEAR_PREFIX):] for f in by_field if f.startswith(YEAR_PREFIX)}
    for field in sorted(f for f in by_field if f.startswith(INFOBOX_PREFIX)):
        name = field[len(INFOBOX_PREFIX):]
        keys[name] = _table(name, field, "keyword", by_field[field], live)
        if name not in year_names and name not in facets:
            facets[name] = keys[name]
    for name in sorted(year_names):
        table = _table(name, YEAR_PREFIX + name, "year", by_field[YEAR_PREFIX + name], live)
        facets[name] = table
        years[name] = _year_array(table, size)
    aliases = {name: table.field for name, table in facets.items() if table.field != name}
    title_rank = _title_rank(by_field.get(TITLE_KEY_FIELD, []), size)
    return Tables(size, live, facets, keys, years, title_rank, aliases, int(np.count_nonzero(live)))


def _title_rank(parts: list[tuple[FieldPart, int]], size: int) -> np.ndarray:
    """Rank of each document's title key among all title keys (deleted documents' keys included, as Whoosh lists them)."""
    rank = np.full(size, np.iinfo(np.int32).max, dtype=np.int32)
    if not parts:
        return rank
    keys = sorted(set().union(*(p.values for p, _b in parts)))
    index = {k: i for i, k in enumerate(keys)}
    for part, base in parts:
        local = np.fromiter((index[v] for v in part.values), dtype=np.int32, count=len(part.values))
        rank[part.docs.astype(np.int64) + base] = np.repeat(local, np.diff(part.offsets))
    return rank
