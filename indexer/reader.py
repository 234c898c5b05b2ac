"""Open index snapshots for searching; pick up new generations and commits without a restart.

An `IndexHandle` is shared by every request of a process. Each search takes a
`Snapshot`: a Whoosh searcher on one commit of the live generation plus the facet
arrays for exactly that commit. Opened commits are kept (`_Commit`): their searchers
are pooled (one per concurrent request, since a Whoosh searcher is not thread-safe)
and their tables built once, from per-segment parts cached across commits.

A new commit is noticed by a cheap check (the CURRENT file, the generation folder's
mtime). Loading it is done on the request path when loads are quick (small indexes,
incremental commits), and otherwise in a background thread while requests keep being
answered from the previous commit, so a rebuild of a large index never stalls them.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from . import store
from .facets import Tables
from .model import IndexCorrupt, IndexMissing
from .postings import PostingsCache
from .schema import weighting
from .tableload import PartCache, load_tables
from .wordmemo import WordMemo

#: Loads slower than this are done in the background the next time (the old commit serves meanwhile).
SYNC_LOAD_SECONDS = 0.5


@dataclass(frozen=True)
class Snapshot:
    generation: str
    searcher: Searcher
    tables: Tables
    labels: dict[str, str]
    postings: PostingsCache | None = None  # None: the numpy fast path is off (Whoosh alone)
    words: WordMemo | None = None  # the body analyzer with a per-word memo, for snippets

    @property
    def fast(self) -> bool:
        return self.postings is not None


class _Commit:
    """One commit of one generation: its tables and a pool of searchers on exactly that commit."""

    def __init__(self, generation: Path, ix: FileIndex, parts: PartCache, words: WordMemo | None = None) -> None:
        started = time.perf_counter()
        self.generation = generation
        self.ix = ix
        self.toc = ix._read_toc()
        self.key = (generation.name, self.toc.generation)
        self._idle: list[Searcher] = []
        self._lock = threading.Lock()
        self.closed = False
        searcher = self._open()
        self.tables = load_tables(searcher.reader(), parts, generation)
        self._idle.append(searcher)
        self.labels = _labels(generation)
        self.words = _word_memo(self.toc.schema, words)
        self.seconds = time.perf_counter() - started

    def _open(self) -> Searcher:
        try:
            reader = FileIndex._reader(self.ix.storage, self.toc.schema, self.toc.segments, self.toc.generation)
            return Searcher(reader, fromindex=self.ix, weighting=weighting())
        except Exception as exc:  # Whoosh raises many types for damaged or vanished files
            raise IndexCorrupt(f"cannot read the index in {self.generation}: {exc}; run `indexer build --full`") from None

    def checkout(self) -> Searcher:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._open()

    def checkin(self, searcher: Searcher) -> None:
        with self._lock:
            if not self.closed:
                self._idle.append(searcher)
                return
        searcher.close()

    def close(self) -> None:
        """Close idle searchers now; busy ones are closed when they come back."""
        with self._lock:
            self.closed = True
            idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()


def _word_memo(schema: Any, previous: WordMemo | None) -> WordMemo | None:
    """The body analyzer's word memo: the previous commit's while the analyzer is the same (it stays warm)."""
    if "body" not in schema:
        return None
    analyzer = schema["body"].analyzer
    if previous is not None and previous.analyzer == analyzer:
        return previous
    return WordMemo(analyzer)


def _labels(generation: Path) -> dict[str, str]:
    return store.read_json(generation / store.FACET_LABELS, {}) or {}


class IndexHandle:
    """Thread-safe access to the live index of one index directory."""

    def __init__(self, index_dir: str | Path, *, fast: bool = True) -> None:
        self.index_dir = Path(index_dir)
        self.fast = fast
        self._lock = threading.Lock()
        self._commit: _Commit | None = None
        self._seen: tuple[str, int] | None = None  # (CURRENT, folder mtime) when last checked
        self._loading: threading.Thread | None = None
        self._parts = PartCache()
        self._postings = PostingsCache()

    def _current_name(self) -> str:
        try:
            return (self.index_dir / store.CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise IndexMissing(
                f"no index in {self.index_dir}: build one with `indexer build corpus/ --index {self.index_dir}`"
            ) from None

    def _latest(self) -> tuple[Path, FileIndex, int]:
        gen, ix = store.open_live(self.index_dir)
        return gen, ix, ix.latest_generation()

    def _fresh(self) -> _Commit:
        """The commit to serve: the newest one, or the previous one while the newest loads in the background."""
        name = self._current_name()
        try:
            mtime = os.stat(self.index_dir / name).st_mtime_ns
        except (OSError, ValueError):  # a missing or malformed name: open_live below says what is wrong
            mtime = -1
        with self._lock:
            commit = self._commit
            if commit is not None and self._seen == (name, mtime):
                return commit
        gen, ix, toc = self._latest()
        with self._lock:
            commit = self._commit
            if commit is not None and commit.key == (gen.name, toc):
                commit.labels = _labels(gen)
                self._seen = (name, mtime)
                return commit
            if commit is not None and commit.seconds > SYNC_LOAD_SECONDS:
                self._load_in_background(gen, ix)
                return commit
        return self._load_now(gen, ix, (name, mtime))

    def _load_now(self, gen: Path, ix: FileIndex, seen: tuple[str, int]) -> _Commit:
        new = _Commit(gen, ix, self._parts, self._words())
        self._install(new, seen)
        return new

    def _words(self) -> WordMemo | None:
        commit = self._commit
        return commit.words if commit is not None else None

    def _install(self, new: _Commit, seen: tuple[str, int] | None) -> None:
        with self._lock:
            old = self._commit
            if old is not None and old.key == new.key:
                new.close()
                return
            self._commit = new
            self._seen = seen
        if old is not None:
            old.close()

    def _load_in_background(self, gen: Path, ix: FileIndex) -> None:
        """Start loading the new commit unless a load is already running (call under the lock)."""
        if self._loading is not None and self._loading.is_alive():
            return

        def load() -> None:
            try:
                self._install(_Commit(gen, ix, self._parts, self._words()), None)
            except Exception:  # the next request retries, and reports the error if it persists
                pass

        self._loading = threading.Thread(target=load, name="index-loader", daemon=True)
        self._loading.start()

    def wait_loaded(self, timeout: float = 60.0) -> None:
        """Block until a background load (if any) has finished; for tools and tests."""
        loading = self._loading
        if loading is not None:
            loading.join(timeout)

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A consistent view of one commit; its searcher goes back to the pool when the block ends."""
        commit = self._fresh()
        try:
            searcher = commit.checkout()
        except IndexCorrupt:  # an older commit whose files a rebuild has removed: wait for the new one
            if self._loading is None:
                raise
            self.wait_loaded()
            commit = self._fresh()
            searcher = commit.checkout()
        try:
            fast = self.fast
            yield Snapshot(commit.key[0], searcher, commit.tables, commit.labels,
                           self._postings if fast else None, commit.words if fast else None)
        finally:
            commit.checkin(searcher)

    def close(self) -> None:
        with self._lock:
            commit, self._commit = self._commit, None
        if commit is not None:
            commit.close()

    def __del__(self) -> None:  # release file handles of a handle dropped without close()
        try:
            self.close()
        except Exception:
            pass

