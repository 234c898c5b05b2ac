"""The benchmark's documents as plain records, so every peer indexes exactly what we index.

The records are rebuilt from the articles stored in our index with the same
function that made our index fields, so SQLite FTS5 and tantivy index exactly the
title, lead, body and facet values we index (and the corpus is parsed only once).
Records are JSON lines in the ignored output folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from indexer.document import article_from_json, extraction_from_json, index_fields
from indexer.model import ENTITY_KINDS, Source
from indexer.schema import INFOBOX_PREFIX, YEAR_PREFIX


@dataclass(frozen=True)
class FacetSpec:
    """Which facets the records have: keyword facets and year facets (a year facet hides its keyword twin)."""

    keywords: tuple[str, ...]
    years: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.keywords + self.years


def record(doc: dict[str, Any]) -> dict[str, Any]:
    """One index document (our fields) -> a peer record."""
    facets: dict[str, list[str]] = {kind: list(doc[kind]) for kind in ENTITY_KINDS if doc.get(kind)}
    years: dict[str, int] = {}
    for key, value in doc.items():
        if key.startswith(INFOBOX_PREFIX):
            facets[key[len(INFOBOX_PREFIX):]] = list(value)
        elif key.startswith(YEAR_PREFIX):
            years[key[len(YEAR_PREFIX):]] = int(value)
    return {
        "id": doc["id"], "title": doc["title"], "lead": doc["lead"], "body": doc["body"],
        "title_key": doc["title_key"], "facets": facets, "years": years,
    }


def export(index_dir: Path, out: Path) -> Path:
    """Write the peer records of an index's documents (rebuilt from the stored articles, as indexed)."""
    from indexer.reader import IndexHandle

    tmp = out.with_suffix(".tmp")
    with IndexHandle(index_dir).snapshot() as snap, open(tmp, "w", encoding="utf-8") as fh:
        reader = snap.searcher.reader()
        for docnum in reader.all_doc_ids():
            stored = reader.stored_fields(docnum)
            data = json.loads(stored["doc"])
            source = Source(data["id"], data["path"], b"", stored["checksum"], data["kind"], data["line"])
            fields = index_fields(source, article_from_json(data["article"]), extraction_from_json(data))
            fh.write(json.dumps(record(fields), ensure_ascii=False) + "\n")
    tmp.replace(out)
    return out


def read(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def facet_spec(path: Path) -> FacetSpec:
    """The facet names present in the records."""
    keywords: set[str] = set()
    years: set[str] = set()
    for rec in read(path):
        keywords.update(rec["facets"])
        years.update(rec["years"])
    entity = [k for k in ENTITY_KINDS if k in keywords]
    others = sorted(keywords - set(ENTITY_KINDS) - years)
    return FacetSpec(tuple(entity + others), tuple(sorted(years)))
