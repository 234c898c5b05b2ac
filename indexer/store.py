"""The index directory on disk: generations, the live pointer, the write lock, manifests.

Layout of an index directory:

    CURRENT            name of the live generation, replaced atomically (os.replace)
    g000007/           a complete Whoosh index + META.json + manifest.json + facets.json
    g000008.building/  a full rebuild in progress (renamed, then made live, when complete)
    build.lock         held with flock() by the one writer; the kernel frees it if the writer dies

Readers only ever open what CURRENT names, so a build killed at any moment leaves the
previous generation live, complete and searchable.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from .model import BuildLocked, IndexCorrupt, IndexMissing, SchemaMismatch
from .schema import SCHEMA_VERSION

ENV_INDEX = "INDEXER_INDEX"
DEFAULT_INDEX = "var/index"
CURRENT = "CURRENT"
LOCK = "build.lock"
META = "META.json"
MANIFEST = "manifest.json"
FACET_LABELS = "facets.json"
BUILDING = ".building"


def default_index_dir() -> Path:
    """$INDEXER_INDEX, else ./var/index."""
    return Path(os.environ.get(ENV_INDEX) or DEFAULT_INDEX)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON next to `path`, fsync, then rename over it: readers see old or new, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))  # dumps: the C encoder
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk must not keep a half-written copy
        raise
    _fsync_dir(path.parent)


def read_json(path: Path, default: Any = None) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return default
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{path} is unreadable ({exc}); run `indexer build --full` to rebuild the index") from None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# Generations


def live_generation(index_dir: Path) -> Path | None:
    """The directory CURRENT points at, or None when no index has been built."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexCorrupt(f"cannot read {index_dir / CURRENT}: {exc}") from None
    gen = index_dir / name
    if not name or "/" in name or not gen.is_dir():
        raise IndexCorrupt(
            f"{index_dir / CURRENT} names a missing generation {name!r}; run `indexer build --full` to rebuild"
        )
    return gen


def new_generation(index_dir: Path) -> Path:
    """A fresh, empty `gNNNNNN.building` directory numbered after every existing one."""
    numbers = [int(p.name[1:7]) for p in index_dir.glob("g[0-9][0-9][0-9][0-9][0-9][0-9]*")]
    gen = index_dir / f"g{max(numbers, default=0) + 1:06d}{BUILDING}"
    gen.mkdir(parents=True)
    return gen


def publish(index_dir: Path, building: Path) -> Path:
    """Rename a finished generation into place and point CURRENT at it, atomically."""
    final = building.with_name(building.name.removesuffix(BUILDING))
    os.replace(building, final)
    _fsync_dir(index_dir)
    tmp = index_dir / f".{CURRENT}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(final.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    return final


def remove_stale(index_dir: Path, keep: set[str]) -> None:
    """Delete generations other than `keep` and leftovers of killed builds (call under the lock)."""
    for path in index_dir.iterdir():
        stale_gen = path.is_dir() and path.name.startswith("g") and path.name not in keep
        stale_tmp = path.is_file() and path.name.startswith(".") and path.name.endswith(".tmp")
        if stale_gen:
            shutil.rmtree(path, ignore_errors=True)
        elif stale_tmp:
            path.unlink(missing_ok=True)


def remove_partial(index_dir: Path) -> None:
    """Delete `*.building` generations: never live, left by killed builds (call under the lock)."""
    for path in index_dir.glob(f"g*{BUILDING}"):
        shutil.rmtree(path, ignore_errors=True)


def open_index(gen: Path) -> whoosh_index.FileIndex:
    """The generation's Whoosh index, read through ordinary file reads rather than mmap.

    With mmap, Whoosh 3 wraps each segment sub-file in a BytesIO, which copies it: opening a
    reader then copies the whole index into memory (1.5 GB for 100k articles, on every
    search and every build). File reads keep memory to what is being read (a few MB).
    """
    return whoosh_index.FileIndex(FileStorage(str(gen), supports_mmap=False))


def check_readable(gen: Path) -> None:
    """Open the generation's Whoosh index and read its facet labels; IndexCorrupt when either is damaged.

    (A damaged manifest is reported by the incremental build that reads it, once: it can be large.)
    """
    read_json(gen / FACET_LABELS)
    try:
        reader = open_index(gen).reader()
        try:
            reader.doc_count()
        finally:
            reader.close()
    except Exception as exc:  # Whoosh raises many types for damaged files
        raise IndexCorrupt(f"cannot read the index in {gen}: {exc}; run `indexer build --full` to rebuild") from None


def write_meta(gen: Path, **extra: Any) -> None:
    write_json_atomic(gen / META, {"schema_version": SCHEMA_VERSION, "created": time.time(), **extra})


def check_schema(gen: Path) -> dict[str, Any]:
    """The generation's META; raises SchemaMismatch when it was written by another schema version."""
    meta = read_json(gen / META)
    if not isinstance(meta, dict):
        raise IndexCorrupt(f"{gen / META} is missing; run `indexer build --full` to rebuild the index")
    found = meta.get("schema_version")
    if found != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"the index in {gen.parent} was built with schema version {found}, this program uses "
            f"version {SCHEMA_VERSION}: rebuild it with `indexer build --full --index {gen.parent}`"
        )
    return meta


def open_live(index_dir: Path) -> tuple[Path, whoosh_index.FileIndex]:
    """Open the live generation for reading, with clear errors for every way it can be absent or bad."""
    gen = live_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"no index in {index_dir}: build one with `indexer build corpus/ --index {index_dir}`")
    check_schema(gen)
    try:
        return gen, open_index(gen)
    except whoosh_index.EmptyIndexError:
        raise IndexCorrupt(f"{gen} holds no Whoosh index; run `indexer build --full` to rebuild") from None
    except Exception as exc:  # Whoosh raises many types for damaged files
        raise IndexCorrupt(f"cannot open the index in {gen}: {exc}; run `indexer build --full` to rebuild") from None


# ---------------------------------------------------------------------------
# The one-writer lock


@contextmanager
def write_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's build lock; wait up to `wait` seconds, then raise BuildLocked.

    flock() locks belong to the open file, so the kernel releases a lock held by a killed
    build: there is never a stale lock to clean up by hand.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(fd, index_dir, wait)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, index_dir: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        if time.monotonic() >= deadline:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
            raise BuildLocked(
                f"another build is writing {index_dir} (pid and start: {holder}); "
                "wait for it to finish, or pass --wait SECONDS"
            )
        time.sleep(0.1)
