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
from pathlib import Path
from typing import Iterator, Sequence

from .model import ParseError, Source

ARTICLE_SUFFIX = ".txt"
RECORD_SUFFIX = ".jsonl"
SUPPORTED_SUFFIXES = (ARTICLE_SUFFIX, RECORD_SUFFIX)
#: Larger article files are reported and skipped rather than indexed.
MAX_ARTICLE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class FileEntry:
    """A source file found under a corpus root, with what change detection needs."""

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
            _add(root_path.parent, root_path, files, skipped)
            continue
        if not root_path.is_dir():
            raise FileNotFoundError(f"corpus folder not found: {root}")
        for dirpath, dirnames, filenames in os.walk(root_path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    _add(root_path, Path(dirpath) / name, files, skipped)
    return Listing(tuple(files), tuple(skipped))


def _add(root: Path, path: Path, files: list[FileEntry], skipped: list[str]) -> None:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        skipped.append(str(path))
        return
    try:
        st = path.stat()
    except OSError:
        skipped.append(str(path))
        return
    rel = path.relative_to(root).as_posix()
    files.append(FileEntry(str(root), str(path), rel, st.st_size, st.st_mtime_ns))


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
