"""What a corpus folder should put in an index, and what an index directory actually holds.

Both sides are `{document id: content checksum}` maps, computed independently: the
expected side hashes the files itself, the actual side reads the Whoosh index that
CURRENT names directly. A build that lost, duplicated or mixed documents cannot hide.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

DocSet = dict[str, str]


def content_checksum(data: bytes) -> str:
    """The checksum the indexer stores with each document (blake2b, 16 bytes)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def expected(folder: Path) -> DocSet:
    """id -> checksum of every `*.txt` article under `folder` (ids are relative paths without .txt)."""
    out: DocSet = {}
    for path in sorted(folder.rglob("*.txt")):
        rel = path.relative_to(folder).as_posix()
        if not any(part.startswith(".") for part in rel.split("/")):
            out[rel[: -len(".txt")]] = content_checksum(path.read_bytes())
    return out


@dataclass(frozen=True)
class Held:
    """The live generation of an index directory and the documents it holds."""

    generation: str
    docs: DocSet
    duplicates: tuple[str, ...]
    titles_ok: bool


def held(index_dir: Path, corpus_texts: dict[str, bytes] | None = None) -> Held:
    """Read the live generation's documents straight from Whoosh (raises if it cannot be opened)."""
    generation = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    ix = whoosh_index.open_dir(str(index_dir / generation))
    docs: DocSet = {}
    duplicates: list[str] = []
    titles_ok = True
    with ix.searcher() as searcher:
        for stored in searcher.reader().all_stored_fields():
            doc_id = stored["id"]
            if doc_id in docs:
                duplicates.append(doc_id)
            docs[doc_id] = stored["checksum"]
            if corpus_texts is not None and doc_id in corpus_texts:
                title = json.loads(stored["doc"])["article"]["title"]
                titles_ok &= title in corpus_texts[doc_id].decode("utf-8", "replace")
    return Held(generation, docs, tuple(duplicates), titles_ok)


def classify(actual: DocSet, old: DocSet, new: DocSet) -> str:
    """"old", "new", or a description of how `actual` is neither (a torn or lost index)."""
    if actual == old:
        return "old"
    if actual == new:
        return "new"
    missing = len(set(old) & set(new) - set(actual))
    foreign = len(set(actual) - set(old) - set(new))
    mixed = sum(1 for k, v in actual.items() if k in old and k in new and v not in (old[k], new[k]))
    return f"torn: {len(actual)} docs ({missing} missing, {foreign} foreign, {mixed} with unknown content)"
