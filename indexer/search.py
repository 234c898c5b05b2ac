"""The one search function, shared by the CLI and the web UI.

`search(handle, request)` parses the query, intersects it with the selected facet
values (OR within a facet, AND across facets), counts every facet disjunctively (each
facet's counts ignore its own selection), ranks the page with BM25F and cuts
snippets from the best-matching section. `get_document` and `stats` read the same
snapshot machinery.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import numpy as np
from whoosh import query as wq

from .facets import FacetTable, Tables, label_of
from .model import (
    ENTITY_KINDS,
    DocumentNotFound,
    Facet,
    FacetValue,
    Hit,
    QueryError,
    SearchRequest,
    SearchResult,
    SORTS,
)
from .query import check_expansions, parse_query, text_terms
from .ranking import SEARCH_TIME_LIMIT, rank
from .reader import IndexHandle, Snapshot
from .schema import SCHEMA_VERSION
from .snippets import make_snippet
from .spelling import suggest

MAX_PER_PAGE = 100
MAX_PAGE = 1000


def validate(request: SearchRequest) -> SearchRequest:
    """Reject requests no index could answer sensibly."""
    if request.sort not in SORTS:
        raise QueryError(f"Unknown sort {request.sort!r}; use one of: {', '.join(SORTS)}.")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise QueryError(f"Results per page must be between 1 and {MAX_PER_PAGE}.")
    if not 1 <= request.page <= MAX_PAGE:
        raise QueryError(f"The page number must be between 1 and {MAX_PAGE}.")
    if request.facet_limit < 0:
        raise QueryError("The facet limit cannot be negative.")
    return request


def search(handle: IndexHandle, request: SearchRequest) -> SearchResult:
    """Run one search on the newest snapshot of the index."""
    started = time.perf_counter()
    validate(request)
    with handle.snapshot() as snap:
        result = _run(snap, request, request.q)
        if result.total == 0 and result.suggestion:
            corrected = _run(snap, request, result.suggestion)
            if corrected.total:
                result = replace(corrected, query=request.q, corrected=result.suggestion, suggestion=None)
    return replace(result, elapsed_ms=(time.perf_counter() - started) * 1000)


def _run(snap: Snapshot, request: SearchRequest, text: str) -> SearchResult:
    tables = snap.tables
    q = parse_query(text, snap.searcher.schema, tables.aliases)
    if q is not None:
        check_expansions(q, snap.searcher.reader())
    base = _matching(snap, q)
    selections = _selections(tables, request)
    final = base.copy()
    for mask in selections.values():
        final &= mask
    facets = _facets(tables, snap.labels, request, base, selections)
    hits = _page(snap, request, q, final, not selections)
    suggestion = suggest(snap.searcher.reader(), text) if text.strip() else None
    return SearchResult(
        query=text, total=int(np.count_nonzero(final)), hits=hits, facets=facets,
        suggestion=suggestion, page=request.page, per_page=request.per_page, generation=snap.generation,
    )


def _matching(snap: Snapshot, q: wq.Query | None) -> np.ndarray:
    """Boolean mask of live documents matching the query (all of them when browsing)."""
    if q is None:
        return snap.tables.live.copy()
    deadline = time.monotonic() + SEARCH_TIME_LIMIT
    mask = np.zeros(snap.tables.size, dtype=bool)
    batch: list[int] = []
    for docnum in snap.searcher.docs_for_query(q):
        batch.append(docnum)
        if len(batch) >= 8192:
            mask[batch] = True
            batch.clear()
            if time.monotonic() > deadline:
                raise QueryError("This query matches too much to finish in time; make it more specific.")
    mask[batch] = True
    return mask & snap.tables.live


def _selections(tables: Tables, request: SearchRequest) -> dict[str, np.ndarray]:
    """Per facet, the mask of documents its selected values (and year range) allow."""
    out: dict[str, np.ndarray] = {}
    for name, values in request.filters:
        table = _facet(tables, name)
        mask = table.mask(values, tables.size)
        out[name] = out[name] | mask if name in out else mask
    for name, low, high in request.ranges:
        if name not in tables.years:
            raise QueryError(f"{name!r} is not a year facet; year facets here: {', '.join(tables.years) or 'none'}.")
        years = tables.years[name]
        mask = (years > 0) & (years >= (low or 0)) & (years <= (high or np.iinfo(np.int32).max))
        out[name] = out[name] & mask if name in out else mask
    return out


def _facet(tables: Tables, name: str) -> FacetTable:
    table = tables.facets.get(name)
    if table is None:
        known = ", ".join(sorted(tables.facets)) or "none"
        raise QueryError(f"Unknown facet {name!r}. Facets in this index: {known}.")
    return table


def _facets(
    tables: Tables, labels: dict[str, str], request: SearchRequest, base: np.ndarray, selections: dict[str, np.ndarray]
) -> tuple[Facet, ...]:
    out = []
    selected = request.filter_map
    for name in _facet_order(tables):
        table = tables.facets[name]
        within = base.copy()
        for other, mask in selections.items():
            if other != name:
                within &= mask
        counts = table.counts(within)
        values, truncated = _top_values(table, counts, set(selected.get(name, ())), request, name)
        if values:
            documents = table.documents(within)
            out.append(Facet(name, label_of(name, labels), table.kind, values, truncated, documents))
    return tuple(out)


def _facet_order(tables: Tables) -> list[str]:
    entities = [k for k in ENTITY_KINDS if k in tables.facets]
    others = sorted((n for n in tables.facets if n not in ENTITY_KINDS), key=lambda n: (-tables.facets[n].docs.size, n))
    return entities + others


def _top_values(
    table: FacetTable, counts: np.ndarray, selected: set[str], request: SearchRequest, name: str
) -> tuple[tuple[FacetValue, ...], bool]:
    nonzero = np.flatnonzero(counts)
    if table.kind == "year":
        order = sorted(nonzero, key=lambda i: int(table.values[i]))
        limit = len(order)
    else:
        order = sorted(nonzero, key=lambda i: (-int(counts[i]), table.values[i].casefold()))
        limit = len(order) if (name in request.expand or request.facet_limit == 0) else request.facet_limit
    shown = [table.values[i] for i in order[:limit]]
    extra = sorted(v for v in selected if v not in shown)
    counts_of = {table.values[i]: int(counts[i]) for i in nonzero}
    values = tuple(FacetValue(v, counts_of.get(v, 0), v in selected) for v in shown + extra)
    return values, len(order) > limit


def _page(snap: Snapshot, request: SearchRequest, q: wq.Query | None, final: np.ndarray, unfiltered: bool) -> tuple[Hit, ...]:
    start = (request.page - 1) * request.per_page
    stop = start + request.per_page
    if q is not None and request.sort == "relevance":
        ranked = _ranked(snap, q, final, stop, unfiltered)[start:stop]
    else:
        docs = np.flatnonzero(final)
        ranked = [(int(d), 0.0) for d in docs[_sort_order(snap.tables, docs, request.sort)][start:stop]]
    terms = {text for _field, text in _expanded_terms(snap, q)}
    analyzer = snap.searcher.schema["body"].analyzer
    return tuple(_hit(snap, docnum, score, terms, analyzer) for docnum, score in ranked)


def _ranked(snap: Snapshot, q: wq.Query, final: np.ndarray, limit: int, unfiltered: bool) -> list[tuple[int, float]]:
    allowed = None if unfiltered else set(np.flatnonzero(final).tolist())
    return rank(snap.searcher, q, allowed, limit)


def _sort_order(tables: Tables, docs: np.ndarray, sort: str) -> np.ndarray:
    titles = tables.title_rank[docs]
    if sort in ("founded", "-founded") and "founded" in tables.years:
        years = tables.years["founded"][docs].astype(np.int64)
        missing = years == 0
        keyed = -years if sort == "-founded" else years
        return np.lexsort((titles, keyed, missing))
    return np.argsort(titles, kind="stable")


def _expanded_terms(snap: Snapshot, q: wq.Query | None) -> set[tuple[str, str]]:
    if q is None:
        return set()
    terms = set(text_terms(q))
    try:
        for field, text in q.existing_terms(snap.searcher.reader(), expand=True):
            if field in ("title", "lead", "body"):
                terms.add((field, text.decode("utf-8") if isinstance(text, bytes) else text))
    except Exception:  # expansion is only for highlighting; never fail a search over it
        pass
    return terms


def _hit(snap: Snapshot, docnum: int, score: float, terms: set[str], analyzer: Any) -> Hit:
    stored = snap.searcher.stored_fields(docnum)
    doc = json.loads(stored["doc"])
    snippet = make_snippet(doc["article"], terms, analyzer)
    return Hit(stored["id"], stored["title"], round(score, 4), snippet.text, snippet.spans, snippet.section)


def get_document(handle: IndexHandle, doc_id: str) -> dict[str, Any]:
    """The stored article, entities and provenance of one document id."""
    with handle.snapshot() as snap:
        docnum = snap.searcher.document_number(id=doc_id)
        if docnum is None:
            raise DocumentNotFound(f"no document with id {doc_id!r} in the index")
        stored = snap.searcher.stored_fields(docnum)
        return json.loads(stored["doc"]) | {"generation": snap.generation, "checksum": stored["checksum"]}


def stats(handle: IndexHandle) -> dict[str, Any]:
    """Document count, schema version, generation, and per facet: documents having it, distinct values."""
    with handle.snapshot() as snap:
        tables = snap.tables
        facets: dict[str, dict[str, int]] = {}
        for kind in ENTITY_KINDS:
            if kind in tables.facets:
                facets[kind] = _table_stats(tables.facets[kind], tables.live)
        for name, table in tables.keys.items():
            facets[name] = _table_stats(table, tables.live)
        return {
            "documents": int(np.count_nonzero(tables.live)),
            "schema_version": SCHEMA_VERSION,
            "generation": snap.generation,
            "facets": facets,
        }


def _table_stats(table: FacetTable, live: np.ndarray) -> dict[str, int]:
    return {"documents": table.documents(live), "values": int(np.count_nonzero(table.counts(live)))}
