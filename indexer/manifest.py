"""The build manifest (what each source file gave the index), stored column by column.

An incremental build reads the manifest, compares it with the files on disk and writes it
back, so at 100k files its cost is part of every one-file rebuild. It is stored as parallel
lists (paths after their common prefix, sizes, mtimes, checksums, ids) and read into light
`Known` tuples built by C-level zips, not a dict per file. Readers accept the older
`{"files": {path: {...}}}` form too, so an index built before this format still updates.
"""

from __future__ import annotations

import os
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from . import store

VERSION = 2


class Known(NamedTuple):
    """What one source file gave the index at the last build."""

    size: int
    mtime_ns: int
    checksum: str
    stored_ids: str | list[str]  # a file with one document stores its id as a string

    @property
    def ids(self) -> list[str]:
        return [self.stored_ids] if isinstance(self.stored_ids, str) else list(self.stored_ids)

    @classmethod
    def of(cls, size: int, mtime_ns: int, checksum: str, ids: list[str]) -> "Known":
        return cls(size, mtime_ns, checksum, ids[0] if len(ids) == 1 else list(ids))


Entries = dict[str, Known]
_COLUMNS = ("sizes", "mtimes", "checksums", "ids")  # Known's fields, in order


def encode(entries: Entries) -> dict[str, Any]:
    """Entries as parallel lists."""
    paths = list(entries)
    prefix = os.path.commonprefix(paths) if len(paths) > 1 else ""
    cut = len(prefix)
    rows = list(entries.values())
    return {
        "version": VERSION,
        "prefix": prefix,
        "paths": [p[cut:] for p in paths] if cut else paths,
        **{column: list(map(itemgetter(i), rows)) for i, column in enumerate(_COLUMNS)},
    }


def decode(data: Any) -> Entries:
    """The entries of a manifest in either form (an empty or unknown one gives none)."""
    if not isinstance(data, dict):
        return {}
    if "files" in data:
        return {path: Known.of(e["size"], e["mtime_ns"], e["checksum"], e["ids"]) for path, e in data["files"].items()}
    prefix = data.get("prefix", "")
    paths = [prefix + path for path in data.get("paths", ())]
    # Plain tuples in Known's field order (Known is a tuple, so they compare equal): no per-row
    # Python call at 100k files. Read fields with `row(...)` or by position.
    rows = zip(data.get("sizes", ()), data.get("mtimes", ()), data.get("checksums", ()), data.get("ids", ()))
    return dict(zip(paths, rows))


def row(values: tuple) -> Known:
    """A manifest entry as a Known, whether it was decoded (a plain tuple) or built."""
    return values if isinstance(values, Known) else Known._make(values)


def unchanged(values: tuple, size: int, mtime_ns: int) -> bool:
    """True when a file's size and mtime are still those recorded: it need not be read."""
    return values[0] == size and values[1] == mtime_ns


def id_owners(entries: Entries) -> dict[str, str]:
    """Document id -> the path of the file that holds it."""
    try:  # the usual case, one document per file (ids stored as strings): built in C
        return dict(zip(map(_STORED_IDS, entries.values()), entries))
    except TypeError:  # some file holds a list of ids (JSONL): unhashable, go row by row
        pass
    owners: dict[str, str] = {}
    for path, values in entries.items():
        stored = values[3]
        if isinstance(stored, str):
            owners[stored] = path
        else:
            owners.update(dict.fromkeys(stored, path))
    return owners


_STORED_IDS = itemgetter(3)


def load(generation: Path) -> Entries:
    return decode(store.read_json(generation / store.MANIFEST, {}))


def save(generation: Path, entries: Entries) -> None:
    store.write_json_atomic(generation / store.MANIFEST, encode(entries))
