"""Finding and reading source files: the only module that opens corpus files.

A corpus is one or more folders. `*.txt` files are articles (one document each);
`*.jsonl` files hold one JSON document per line (`id`/`_id`, `title`, `text`, other
fields become the infobox). A document's id is its path relative to its corpus
root without the extension (`.txt`), or the record's own id (`.jsonl`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from stat import S_ISDIR
from typing import Iterator, NamedTuple, Sequence

from .model import ParseError, Source

ARTICLE_SUFFIX = ".txt"
RECORD_SUFFIX = ".jsonl"
SUPPORTED_SUFFIXES = (ARTICLE_SUFFIX, RECORD_SUFFIX)
#: Larger article files are reported and skipped rather than indexed.
MAX_ARTICLE_BYTES = 8 * 1024 * 1024


class FileEntry(NamedTuple):
    """A source file found under a corpus root, with what change detection needs.

    A named tuple rather than a dataclass: a listing makes one per file, 100k at a time.
    """

    root: str
    path: str  # absolute
    rel: str  # relative to root, "/"-separated, with extension
    size: int
    mtime_ns: int

    @property
    def kind(self) -> str:
        return "record" if self.rel.endswith(RECORD_SUFFIX) else "article"

    @property
    def article_id(self) -> str:
        return self.rel[: -len(ARTICLE_SUFFIX)]


@dataclass(frozen=True)
class Listing:
    files: tuple[FileEntry, ...]
    skipped: tuple[str, ...]  # paths of files that are not sources (README.md, images ...)


def checksum(data: bytes) -> str:
    """Content checksum used for change detection."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def find_files(roots: Sequence[str | os.PathLike[str]]) -> Listing:
    """Every source file under the roots, sorted; hidden files and folders are ignored."""
    files: list[FileEntry] = []
    skipped: list[str] = []
    for root in roots:
        root_path = Path(root).resolve()
        if root_path.is_file():
            _add(str(root_path.parent), root_path.name, str(root_path), files, skipped)
        elif root_path.is_dir():
            _walk(str(root_path), "", str(root_path), files, skipped)
        else:
            raise FileNotFoundError(f"corpus folder not found: {root}")
    return Listing(tuple(files), tuple(skipped))


def _walk(root: str, rel_dir: str, folder: str, files: list[FileEntry], skipped: list[str]) -> None:
    """Files of `folder` in name order, then its subfolders, depth first.

    Names, then one stat per source file relative to the open folder, in list comprehensions
    rather than a call per file: at 100k files the listing is most of a one-file rebuild.
    """
    names = sorted(name for name in os.listdir(folder) if not name.startswith("."))
    sources = [name for name in names if name.lower().endswith(SUPPORTED_SUFFIXES)]
    others = [name for name in names if not name.lower().endswith(SUPPORTED_SUFFIXES)] \
        if len(sources) < len(names) else []
    subfolders = [name for name in others if _is_folder(os.path.join(folder, name))]
    skipped.extend(os.path.join(folder, name) for name in others if name not in subfolders)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        stats = [os.stat(name, dir_fd=fd) for name in sources]
    except OSError:  # a file vanished or cannot be read: take them one at a time
        for name in sources:
            _add(root, rel_dir + name, os.path.join(folder, name), files, skipped, subfolders)
    else:
        base = os.path.join(folder, "")
        columns = zip(repeat(root), [base + name for name in sources], [rel_dir + name for name in sources],
                      map(_SIZE, stats), map(_MTIME, stats))
        files.extend(map(tuple.__new__, repeat(FileEntry), columns))  # FileEntry(*row), without a call per row
        if any(map(S_ISDIR, map(_MODE, stats))):  # a folder named like a source file ("x.txt/")
            _move_folders(files, len(stats), subfolders, skipped)
    finally:
        os.close(fd)
    for name in sorted(subfolders):
        _walk(root, f"{rel_dir}{name}/", os.path.join(folder, name), files, skipped)


def _is_folder(path: str) -> bool:
    """A real folder, not a link to one (links to folders are not followed: no cycles)."""
    try:
        return S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _move_folders(files: list[FileEntry], count: int, subfolders: list[str], skipped: list[str]) -> None:
    """Take folders out of the last `count` listed files: real ones are walked, links to them skipped."""
    listed = files[-count:]
    del files[-count:]
    for entry in listed:
        if not os.path.isdir(entry.path):
            files.append(entry)
        elif _is_folder(entry.path):
            subfolders.append(os.path.basename(entry.path))
        else:
            skipped.append(entry.path)


_SIZE = attrgetter("st_size")
_MTIME = attrgetter("st_mtime_ns")
_MODE = attrgetter("st_mode")


def _add(root: str, rel: str, path: str, files: list[FileEntry], skipped: list[str],
         subfolders: list[str] | None = None) -> None:
    if not rel.lower().endswith(SUPPORTED_SUFFIXES):
        skipped.append(path)
        return
    try:
        st = os.stat(path)
    except OSError:
        skipped.append(path)
        return
    if S_ISDIR(st.st_mode):
        if subfolders is not None and _is_folder(path):
            subfolders.append(os.path.basename(path))
        else:
            skipped.append(path)
        return
    files.append(FileEntry(root, path, rel, st.st_size, st.st_mtime_ns))


def read_bytes(entry: FileEntry) -> bytes:
    """The file's bytes; unreadable or oversized files raise ParseError naming the file."""
    if entry.kind == "article" and entry.size > MAX_ARTICLE_BYTES:
        limit = MAX_ARTICLE_BYTES // (1024 * 1024)
        raise ParseError(entry.path, 1, f"file too large ({entry.size:,} bytes; the limit is {limit} MiB)")
    try:
        return Path(entry.path).read_bytes()
    except OSError as exc:
        raise ParseError(entry.path, 0, f"cannot read file: {exc.strerror or exc}") from None


def sources(entry: FileEntry, data: bytes) -> Iterator[Source | ParseError]:
    """The documents in one file's bytes: one for an article, one per line for JSONL."""
    if entry.kind == "article":
        yield Source(entry.article_id, entry.path, data, checksum(data), "article", 1)
        return
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield _record_source(entry, number, line)


def _record_source(entry: FileEntry, number: int, line: bytes) -> Source | ParseError:
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ParseError(entry.path, number, f"not a JSON object: {exc}")
    if not isinstance(record, dict):
        return ParseError(entry.path, number, "not a JSON object")
    raw_id = record.get("id", record.get("_id"))
    if raw_id is None or isinstance(raw_id, (dict, list)) or str(raw_id).strip() == "":
        return ParseError(entry.path, number, 'record has no "id" (or "_id")')
    return Source(str(raw_id).strip(), entry.path, line, checksum(line), "record", number)
