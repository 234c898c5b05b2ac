"""Open index snapshots for searching; pick up new generations and commits without a restart.

An `IndexHandle` is shared by every request of a process. Each search takes a
`Snapshot`: a Whoosh searcher on the newest commit of the live generation plus the facet
arrays for exactly that commit. A rebuild that lands while a search runs does not
disturb it; the next snapshot sees the new index.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from . import store
from .facets import Tables, load_tables
from .model import IndexCorrupt, IndexMissing
from .schema import weighting

_KEEP_TABLES = 2


@dataclass(frozen=True)
class Snapshot:
    generation: str
    searcher: Searcher
    tables: Tables
    labels: dict[str, str]


class IndexHandle:
    """Thread-safe access to the live index of one index directory."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._open: tuple[str, FileIndex] | None = None
        self._tables: dict[tuple[str, int | None], tuple[Tables, dict[str, str]]] = {}

    def _index(self) -> tuple[str, FileIndex]:
        try:
            name = (self.index_dir / store.CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise IndexMissing(
                f"no index in {self.index_dir}: build one with `indexer build corpus/ --index {self.index_dir}`"
            ) from None
        with self._lock:
            if self._open is None or self._open[0] != name:
                gen, ix = store.open_live(self.index_dir)
                self._open = (gen.name, ix)
            return self._open

    def _tables_for(self, generation: str, searcher: Searcher) -> tuple[Tables, dict[str, str]]:
        key = (generation, searcher.reader().generation())
        with self._lock:
            cached = self._tables.get(key)
            if cached is None:
                labels = store.read_json(self.index_dir / generation / store.FACET_LABELS, {}) or {}
                cached = (load_tables(searcher.reader()), labels)
                self._tables[key] = cached
                for old in list(self._tables)[:-_KEEP_TABLES]:
                    del self._tables[old]
            return cached

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A consistent view of the newest commit; closed when the block ends."""
        generation, ix = self._index()
        try:
            searcher = ix.searcher(weighting=weighting())
        except Exception as exc:
            raise IndexCorrupt(f"cannot read the index in {self.index_dir}: {exc}; run `indexer build --full`") from None
        try:
            tables, labels = self._tables_for(generation, searcher)
            yield Snapshot(generation, searcher, tables, labels)
        finally:
            searcher.close()
