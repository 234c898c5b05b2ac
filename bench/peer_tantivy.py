"""The tantivy peer (PyPI `tantivy`): BM25 with our field boosts, terms aggregations, snippets.

Text fields use tantivy's English stemming tokenizer; each facet is a raw-tokenized,
multi-valued fast field, counted with a `terms` aggregation. Counting is disjunctive
like ours: with no selection one aggregation request counts every facet; with
selections, each facet is counted under the other facets' filters.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import tantivy

from . import docs
from .docs import FacetSpec
from .queries import BenchQuery, PeerResult

BOOSTS = {"title": 3.0, "lead": 1.5, "body": 1.0}
FACET_LIMIT = 10
PER_PAGE = 10
SNIPPET_CHARS = 240
HEAP_BYTES = 256 * 1024 * 1024


def _schema(spec: FacetSpec) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in BOOSTS:
        builder.add_text_field(name, stored=True, tokenizer_name="en_stem")
    builder.add_text_field("title_key", fast=True, tokenizer_name="raw")
    for name in spec.all:
        builder.add_text_field(f"f_{name}", fast=True, tokenizer_name="raw")
    return builder.build()


def build(records: Path, index_path: Path, spec: FacetSpec, threads: int = 2) -> dict[str, float]:
    """Index the records into a fresh directory; seconds and bytes."""
    started = time.perf_counter()
    shutil.rmtree(index_path, ignore_errors=True)
    index_path.mkdir(parents=True)
    index = tantivy.Index(_schema(spec), path=str(index_path))
    writer = index.writer(HEAP_BYTES, threads)
    for rec in docs.read(records):
        doc = tantivy.Document()
        for name in ("id", "title", "lead", "body", "title_key"):
            doc.add_text(name, rec[name])
        for name, values in rec["facets"].items():
            if name not in spec.years:
                for value in dict.fromkeys(values):
                    doc.add_text(f"f_{name}", value)
        for name, year in rec["years"].items():
            doc.add_text(f"f_{name}", str(year))
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    size = sum(p.stat().st_size for p in index_path.rglob("*") if p.is_file())
    return {"seconds": time.perf_counter() - started, "bytes": size}


class Tantivy:
    """A searcher answering BenchQuery like our search()."""

    def __init__(self, index_path: Path, spec: FacetSpec) -> None:
        self.index = tantivy.Index.open(str(index_path))
        self.index.reload()
        self.searcher = self.index.searcher()
        self.schema = self.index.schema
        self.spec = spec

    def close(self) -> None:
        pass

    def _text_query(self, text: str) -> tantivy.Query:
        if not text:
            return tantivy.Query.all_query()
        return self.index.parse_query(text, list(BOOSTS), field_boosts=BOOSTS, conjunction_by_default=True)

    def _restricted(self, base: tantivy.Query, selected: dict[str, tuple[str, ...]], skip: str | None) -> tantivy.Query:
        must = [(tantivy.Occur.Must, base)]
        for name, values in selected.items():
            if name != skip:
                terms = tantivy.Query.term_set_query(self.schema, f"f_{name}", list(values))
                must.append((tantivy.Occur.Must, terms))
        return base if len(must) == 1 else tantivy.Query.boolean_query(must)

    def search(self, query: BenchQuery) -> PeerResult:
        base = self._text_query(query.q)
        selected = dict(query.filters)
        facets = self._facets(base, selected)
        final = self._restricted(base, selected, None)
        offset = (query.page - 1) * PER_PAGE
        if query.q:
            result = self.searcher.search(final, PER_PAGE, count=True, offset=offset)
        else:
            result = self.searcher.search(final, PER_PAGE, count=True, offset=offset, order_by_field="title_key",
                                          order=tantivy.Order.Asc)
        ids, snippets = [], []
        generator = None
        if query.q:
            generator = tantivy.SnippetGenerator.create(self.searcher, base, self.schema, "body")
            generator.set_max_num_chars(SNIPPET_CHARS)
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            ids.append(doc["id"][0])
            snippets.append(generator.snippet_from_doc(doc).fragment() if generator else doc["body"][0][:SNIPPET_CHARS])
        return PeerResult(result.count, ids, facets, snippets)

    def _facets(self, base: tantivy.Query, selected: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[str, int]]]:
        if not selected:
            return self._aggregate(base, self.spec.all)
        out: dict[str, list[tuple[str, int]]] = {}
        unselected = [n for n in self.spec.all if n not in selected]
        out.update(self._aggregate(self._restricted(base, selected, None), unselected))
        for name in selected:
            out.update(self._aggregate(self._restricted(base, selected, name), [name]))
        return out

    def _aggregate(self, query: tantivy.Query, names: list[str]) -> dict[str, list[tuple[str, int]]]:
        spec: dict[str, Any] = {}
        for name in names:
            if name in self.spec.years:
                spec[name] = {"terms": {"field": f"f_{name}", "size": 1000, "order": {"_key": "asc"}}}
            else:
                spec[name] = {"terms": {"field": f"f_{name}", "size": FACET_LIMIT + 1}}
        result = self.searcher.aggregate(query, spec)
        return {name: [(b["key"], b["doc_count"]) for b in result[name]["buckets"]] for name in names}
