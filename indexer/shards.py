"""A full build written as segments by several processes at once, one shard of the corpus each.

Each worker reads, parses, extracts and analyses its own contiguous share of the files
(split by bytes) and writes Whoosh segments with `SegmentBuilder` into the new
generation's folder; the calling process then checks document ids across shards (the
first file in corpus order keeps a duplicated id, later copies are deleted and
reported, exactly as a one-process build does), and writes the table of contents that
makes the segments one index. Documents keep corpus order, so document numbers do not
depend on the number of processes. Workers are spawned (no inherited descriptors, so
never the build lock) and die with the build (PR_SET_PDEATHSIG); with one worker, or few
files, everything runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import shutil
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple, Sequence

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from .corpus import FileEntry
from .manifest import Known
from .model import IndexerError, ParseError
from .pipeline import process_file
from .segwriter import INDEX_NAME, Analysis, SegmentBuilder, supported
from .workers import PARALLEL_MIN_FILES, _die_with_parent, default_workers, rare_collections, tune_allocator

#: A segment is written once this many postings are held in memory (a worker peaks near 1.1 GB at this
#: setting). Fewer, larger segments write fewer blocks (a rare term gets one per segment) and search
#: faster: 12M gave 6 segments at 100k articles and a 117-119 s build, 18M gives 4 and 111 s.
FLUSH_POSTINGS = 18_000_000
_POLL_SECONDS = 0.2

__all__ = ["Written", "supported", "write_segments"]


class FileOutcome(NamedTuple):
    """What one file gave: its documents' ids and where each was written, its errors and facet keys.

    A named tuple: a shard sends one per file back to the parent, and tuples unpickle several times faster."""

    entry: FileEntry
    checksum: str
    ids: tuple[str, ...]
    where: tuple[tuple[int, int], ...]  # (segment number within the shard, document number within it)
    errors: tuple[ParseError, ...]
    facet_keys: tuple[tuple[str, str], ...]


@dataclass
class Shard:
    segments: list[Any] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)


@dataclass
class Written:
    """The combined result of every shard, in corpus order."""

    segments: list[Any]
    manifest: dict[str, Known]
    labels: Counter
    failed: list[ParseError]
    added: int
    workers: int


def _split(files: Sequence[FileEntry], parts: int) -> list[list[FileEntry]]:
    """Contiguous shares of about equal bytes, in corpus order."""
    total = sum(f.size for f in files) or 1
    shares: list[list[FileEntry]] = [[] for _ in range(parts)]
    done = 0
    for f in files:
        shares[min(parts - 1, done * parts // total)].append(f)
        done += f.size
    return [s for s in shares if s]


def build_shard(files: Sequence[FileEntry], folder: str, tick: Callable[[], None] | None = None) -> Shard:
    """Parse, analyse and write one shard's files as segments in `folder` (an index created with the schema)."""
    with rare_collections():
        return _build_shard(files, folder, tick)


def _build_shard(files: Sequence[FileEntry], folder: str, tick: Callable[[], None] | None) -> Shard:
    storage = FileStorage(folder)
    schema = whoosh_index.open_dir(folder).schema
    shard = Shard()
    analysis = Analysis(schema)
    builder = SegmentBuilder(storage, schema, analysis)
    for entry in files:
        result = process_file(entry)
        where = []
        for doc in result.documents:
            where.append((len(shard.segments), builder.add(doc)))
        shard.files.append(FileOutcome(entry, result.checksum, result.ids, tuple(where), result.errors,
                                       result.facet_keys))
        if builder.postings >= FLUSH_POSTINGS:
            shard.segments.append(builder.finish())
            builder = SegmentBuilder(storage, schema, analysis)
        if tick is not None:
            tick()
    if builder.docnum:
        shard.segments.append(builder.finish())
    return shard


def _shard_main(number: int, files: list[FileEntry], folder: str, results: Any, done: Any, parent: int) -> None:
    """Worker process body: build one shard and send it back (or the error)."""
    _die_with_parent(parent)
    tune_allocator()

    def tick() -> None:
        with done.get_lock():
            done.value += 1

    try:
        results.put((number, build_shard(files, folder, tick), None))
    except BaseException as exc:  # noqa: BLE001 - the parent raises it again, so the CLI reports it as usual
        results.put((number, None, _portable(exc)))


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling (OSError: disk full ...), else one that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any failure to round-trip means: describe it instead
        return IndexerError(f"a build worker failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")


def _run_parallel(shares: list[list[FileEntry]], folder: str, progress: Callable[[int, int], None] | None,
                  total: int) -> list[Shard]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    done = context.Value("q", 0)
    procs = [context.Process(target=_shard_main, args=(i, share, folder, results, done, os.getpid()), daemon=True)
             for i, share in enumerate(shares)]
    shards: dict[int, Shard] = {}
    try:
        for proc in procs:
            proc.start()
        while len(shards) < len(procs):
            try:
                number, shard, error = results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if progress is not None:
                    progress(done.value, total)
                ended = all(p.exitcode is not None for p in procs)
                if any(p.exitcode not in (None, 0) for p in procs) or (ended and results.empty()):
                    raise IndexerError("a build worker died (out of memory?); the previous index is unchanged")
                continue
            if error is not None:
                raise error
            shards[number] = shard
        if progress is not None:
            progress(total, total)
        for proc in procs:
            proc.join()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
    return [shards[i] for i in range(len(procs))]


def write_segments(ix: Any, folder: Path, files: Sequence[FileEntry], workers: int | None,
                   progress: Callable[[int, int], None] | None) -> Written:
    """Write every file's documents as segments of the empty index `ix` in `folder` and commit them."""
    tune_allocator()
    wanted = default_workers() if workers is None else max(1, workers)
    shares = _split(files, wanted if len(files) >= PARALLEL_MIN_FILES else 1)
    if len(shares) <= 1:
        count = [0]

        def tick() -> None:
            count[0] += 1
            if progress is not None:
                progress(count[0], len(files))

        shards = [build_shard(files, str(folder), tick)]
    else:
        shards = _run_parallel(shares, str(folder), progress, len(files))
    written = _combine(shards, max(1, len(shares)))
    shutil.rmtree(folder / f"{INDEX_NAME}.tmp", ignore_errors=True)
    whoosh_index.TOC(ix.schema, written.segments, 1).write(ix.storage, ix.indexname)
    # the empty table of contents `create_in` wrote must go: a damaged new one must never fall back to it
    whoosh_index.clean_files(ix.storage, ix.indexname, 1, written.segments)
    return written


def _combine(shards: list[Shard], workers: int) -> Written:
    """Ids checked across shards in corpus order (later duplicates deleted and reported), manifest, labels."""
    out = Written([], {}, Counter(), [], 0, workers)
    seen: dict[str, str] = {}
    for shard in shards:
        base = len(out.segments)
        out.segments.extend(shard.segments)
        for f in shard.files:
            out.failed.extend(f.errors)
            kept = []
            for doc_id, (segment, docnum) in zip(f.ids, f.where):
                owner = seen.get(doc_id)
                if owner is not None and owner != f.entry.path:
                    out.failed.append(ParseError(f.entry.path, 1, f"duplicate document id {doc_id!r} (already in {owner})"))
                    out.segments[base + segment].delete_document(docnum)
                    continue
                seen[doc_id] = f.entry.path
                kept.append(doc_id)
            out.labels.update(f.facet_keys)
            out.added += len(kept)
            if f.checksum and not (f.errors and f.entry.kind == "article"):
                out.manifest[f.entry.path] = Known.of(f.entry.size, f.entry.mtime_ns, f.checksum, kept)
    return out
