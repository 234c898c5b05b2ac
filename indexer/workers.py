"""Parsing and extraction on several cores, in workers that cannot outlive the build.

Workers are started with the "spawn" method, so they inherit no file descriptors (and
never the build lock), and each asks the kernel to kill it when its parent dies
(PR_SET_PDEATHSIG): a build killed with -9 takes its workers with it. Small batches are
processed in the calling process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .corpus import FileEntry
from .pipeline import FileResult, process_file

#: Below this many files, parallel workers cost more to start than they save.
PARALLEL_MIN_FILES = 400
CHUNK_SIZE = 16
_PR_SET_PDEATHSIG = 1
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: Cycle collection thresholds while writing segments (Python's defaults: 700, 10, 10).
_BUILD_GC_THRESHOLDS = (100_000, 50, 100)


@dataclass
class Results:
    iterator: Iterator[FileResult]
    workers: int


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def process_all(
    entries: Sequence[FileEntry],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    """FileResults for every entry, in order, from `workers` processes (None: one per core)."""
    wanted = default_workers() if workers is None else max(1, workers)
    if wanted == 1 or len(entries) < PARALLEL_MIN_FILES:
        return Results(_report(map(process_file, entries), len(entries), progress), 1)
    return Results(_parallel(entries, wanted, progress), wanted)


def _report(
    results: Iterator[FileResult], total: int, progress: Callable[[int, int], None] | None
) -> Iterator[FileResult]:
    for done, result in enumerate(results, start=1):
        if progress is not None:
            progress(done, total)
        yield result


def _parallel(
    entries: Sequence[FileEntry], workers: int, progress: Callable[[int, int], None] | None
) -> Iterator[FileResult]:
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(workers, initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        yield from _report(pool.imap(process_file, entries, chunksize=CHUNK_SIZE), len(entries), progress)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _die_with_parent(parent_pid: int) -> None:
    """Worker initializer: be killed by the kernel when the build process dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass
    if os.getppid() != parent_pid:  # the parent died before we could ask
        os._exit(1)


def tune_allocator() -> None:
    """Let a build process keep freed memory for reuse instead of returning it to the kernel each time.

    Building makes millions of short-lived buffers (zlib's 256 KB state per compressed
    postings block, pickles ...); with glibc's defaults each large one is a fresh mmap and
    page faults, which measured 2-4x slower per block on this machine. Never called by readers.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 4 * 1024 * 1024)
        libc.mallopt(_M_TRIM_THRESHOLD, 64 * 1024 * 1024)
    except (OSError, AttributeError):
        pass


@contextmanager
def rare_collections() -> Iterator[None]:
    """Collect cycles rarely while segments are written: a build makes millions of objects and
    almost no cycles, and each collection walks the survivors again (about 4% of build time).
    Rarely, not never, so cycles that do occur (a caught error's traceback) stay bounded."""
    before = gc.get_threshold()
    gc.set_threshold(*_BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
