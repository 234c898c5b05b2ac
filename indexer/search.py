"""The one search function, shared by the CLI and the web UI.

`search(handle, request)` parses the query, intersects it with the selected facet
values (OR within a facet, AND across facets), counts every facet disjunctively (each
facet's counts ignore its own selection), ranks the page with BM25F and cuts
snippets from the best-matching section. `get_document` and `stats` read the same
snapshot machinery.
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import time
import zlib
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Iterator

import numpy as np
import whoosh
from whoosh import query as wq

from .facets import SPARSE_SHARE, FacetTable, Tables, label_of
from .matchset import Evaluator
from .phraserank import has_phrase, rewrite
from .model import (
    ENTITY_KINDS,
    DocumentNotFound,
    Facet,
    FacetValue,
    Hit,
    IndexCorrupt,
    IndexerError,
    QueryError,
    SearchRequest,
    SearchResult,
    SORTS,
)
from .query import check_expansions, parse_query, relaxed_text, text_terms
from .ranking import SEARCH_TIME_LIMIT, corrects_to_title, rank
from .reader import IndexHandle, Snapshot
from .schema import SCHEMA_VERSION
from .snippets import make_snippet
from .spelling import suggest

MAX_PER_PAGE = 100
_WHOOSH_DIR = os.path.dirname(whoosh.__file__) + os.sep
_DATA_ERRORS = (UnicodeDecodeError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)
_YEAR_OFFSET = 1 << 20  # keeps (negated) years positive inside a sort key
MAX_PAGE = 1000
#: Longer queries, or queries with longer words, get no spelling suggestion (it would cost seconds).
MAX_SUGGEST_WORDS = 12
MAX_SUGGEST_WORD_CHARS = 30
#: Seconds after which a search that found nothing is not run again corrected (the suggestion is still
#: offered): the second run costs as much as the first, and every answer must stay within a second.
FOLLOW_UP_BUDGET = 0.4


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


@contextmanager
def _snapshot(handle: IndexHandle) -> Iterator[Snapshot]:
    """The handle's snapshot; Whoosh failing on damaged files (many exception types) becomes IndexCorrupt."""
    try:
        with handle.snapshot() as snap:
            yield snap
    except IndexerError:
        raise
    except Exception as exc:
        if not _from_damaged_files(exc):
            raise  # a bug, not a damaged index: let it show
        raise IndexCorrupt(
            f"cannot read the index in {handle.index_dir} ({type(exc).__name__}: {exc}); "
            "run `indexer build --full` to rebuild it"
        ) from exc


def _from_damaged_files(exc: Exception) -> bool:
    """True when `exc` came from reading index files: raised inside Whoosh, or decoding their bytes."""
    if isinstance(exc, _DATA_ERRORS):
        return True
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code.co_filename.startswith(_WHOOSH_DIR)


def search(handle: IndexHandle, request: SearchRequest) -> SearchResult:
    """Run one search on the newest snapshot of the index."""
    started = time.perf_counter()
    validate(request)
    with _snapshot(handle) as snap:
        result = _run(snap, request, request.q)
        # Showing results for a correction: when the query as typed finds nothing, or when only
        # the corrected query is exactly an article's title (a known item typed with a typo).
        if result.suggestion and time.perf_counter() - started < FOLLOW_UP_BUDGET and (
            result.total == 0 or corrects_to_title(snap.searcher, request.q, result.suggestion)
        ):
            corrected = _run(snap, request, result.suggestion)
            if corrected.total:
                result = replace(corrected, query=request.q, corrected=result.suggestion, suggestion=None)
        # A short query whose words never occur together (nor corrected): show documents with any
        # of them, and say so; a spelling suggestion stays on offer.
        relaxed = relaxed_text(request.q, snap.searcher.schema) if result.total == 0 else None
        if relaxed:
            wider = _run(snap, request, relaxed)
            if wider.total:
                result = replace(wider, query=request.q, corrected=relaxed, suggestion=result.suggestion)
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
    facets = _facets(tables, snap.labels, request, base, selections, everything=q is None, fast=snap.fast)
    hits = _page(snap, request, q, final, not selections)
    suggestion = suggest(snap.searcher.reader(), text) if _suggestible(text) else None
    return SearchResult(
        query=text, total=int(np.count_nonzero(final)), hits=hits, facets=facets,
        suggestion=suggestion, page=request.page, per_page=request.per_page, generation=snap.generation,
    )


def _suggestible(text: str) -> bool:
    """Whether "did you mean" is worth its cost: Levenshtein automata grow with each word's length."""
    words = text.split()
    return 0 < len(words) <= MAX_SUGGEST_WORDS and max(len(w) for w in words) <= MAX_SUGGEST_WORD_CHARS


def _matching(snap: Snapshot, q: wq.Query | None) -> np.ndarray:
    """Boolean mask of live documents matching the query (all of them when browsing)."""
    if q is None:
        return snap.tables.live.copy()
    if snap.postings is not None:
        mask = Evaluator(snap.searcher, snap.tables.size, snap.tables.live, snap.postings).mask(q)
        if mask is not None:
            return mask
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
    tables: Tables, labels: dict[str, str], request: SearchRequest, base: np.ndarray, selections: dict[str, np.ndarray],
    everything: bool = False, fast: bool = True,
) -> tuple[Facet, ...]:
    out = []
    selected = request.filter_map
    shared = _Within(_and_all(base, selections.values()), tables)  # for every facet without a selection
    for name in _facet_order(tables):
        table = tables.facets[name]
        if name in selections:
            within = _Within(_and_all(base, (m for other, m in selections.items() if other != name)), tables)
        else:
            within = shared
        if not fast:
            counts = table.counts(within.mask)
        elif everything and not selections:
            counts = tables.browse_counts(name)
        else:
            members, outside = within.side()
            total = tables.browse_counts(name) if outside is not None else None
            counts = table.counts(within.mask, members, outside, total)
        values, truncated = _top_values(table, counts, set(selected.get(name, ())), request, name, fast)
        if values:
            documents = table.documents(within.mask)
            out.append(Facet(name, label_of(name, labels), table.kind, values, truncated, documents))
    return tuple(out)


class _Within:
    """A facet's counting set: the mask, and the documents on its smaller side (computed once)."""

    def __init__(self, mask: np.ndarray, tables: Tables) -> None:
        self.mask = mask
        self._tables = tables
        self._side: list[tuple[np.ndarray | None, np.ndarray | None]] = []

    def side(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(members, outside): the mask's documents when few, else the live ones outside it when few."""
        if not self._side:
            n, live = int(np.count_nonzero(self.mask)), self._tables.live_count
            members = np.flatnonzero(self.mask) if n <= SPARSE_SHARE * live else None
            outside = np.flatnonzero(self._tables.live & ~self.mask) if n >= (1 - SPARSE_SHARE) * live else None
            self._side.append((members, outside))
        return self._side[0]


def _and_all(base: np.ndarray, masks: Any) -> np.ndarray:
    """base AND every mask (base itself when there are none)."""
    out = base
    for mask in masks:
        out = out & mask
    return out


def _facet_order(tables: Tables) -> list[str]:
    entities = [k for k in ENTITY_KINDS if k in tables.facets]
    others = sorted((n for n in tables.facets if n not in ENTITY_KINDS), key=lambda n: (-tables.facets[n].docs.size, n))
    return entities + others


def _top_values(
    table: FacetTable, counts: np.ndarray, selected: set[str], request: SearchRequest, name: str, fast: bool = True
) -> tuple[tuple[FacetValue, ...], bool]:
    nonzero = np.flatnonzero(counts)
    if table.kind == "year":
        order = sorted(nonzero.tolist(), key=lambda i: int(table.values[i]))
        limit = len(order)
    else:
        limit = len(nonzero) if (name in request.expand or request.facet_limit == 0) else request.facet_limit
        candidates = nonzero
        if fast and len(nonzero) > 4 * limit:  # only values counted at least as often as the limit-th can be shown
            kth = np.partition(counts[nonzero], len(nonzero) - limit)[len(nonzero) - limit]
            candidates = nonzero[counts[nonzero] >= kth]
        order = sorted(candidates.tolist(), key=lambda i: (-int(counts[i]), table.values[i].casefold()))
    shown = [table.values[i] for i in order[:limit]]
    extra = sorted(v for v in selected if v not in shown)
    values = tuple(FacetValue(v, _count_of(table, counts, v), v in selected) for v in shown + extra)
    return values, len(nonzero) > limit


def _count_of(table: FacetTable, counts: np.ndarray, value: str) -> int:
    i = table.index_of(value)
    return int(counts[i]) if i is not None else 0


def _page(snap: Snapshot, request: SearchRequest, q: wq.Query | None, final: np.ndarray, unfiltered: bool) -> tuple[Hit, ...]:
    start = (request.page - 1) * request.per_page
    stop = start + request.per_page
    if q is not None and request.sort == "relevance":
        ranked = _ranked(snap, q, final, stop, unfiltered)[start:stop]
    else:
        docs = np.flatnonzero(final)
        order = _first_in_order(snap.tables, docs, request.sort, stop) if snap.fast else \
            _sort_order(snap.tables, docs, request.sort)
        ranked = [(int(d), 0.0) for d in docs[order][start:stop]]
    terms = {text for _field, text in _expanded_terms(snap, q)}
    analyzer = snap.words.only(terms) if snap.words is not None else snap.searcher.schema["body"].analyzer
    return tuple(_hit(snap, docnum, score, terms, analyzer) for docnum, score in ranked)


def _ranked(snap: Snapshot, q: wq.Query, final: np.ndarray, limit: int, unfiltered: bool) -> list[tuple[int, float]]:
    allowed = None if unfiltered else set(np.flatnonzero(final).tolist())
    if snap.postings is not None and has_phrase(q):  # rank phrases over their known matches only
        evaluator = Evaluator(snap.searcher, snap.tables.size, snap.tables.live, snap.postings)
        q = rewrite(q, evaluator)
    return rank(snap.searcher, q, allowed, limit)


def _sort_order(tables: Tables, docs: np.ndarray, sort: str) -> np.ndarray:
    titles = tables.title_rank[docs]
    if sort in ("founded", "-founded") and "founded" in tables.years:
        years = tables.years["founded"][docs].astype(np.int64)
        missing = years == 0
        keyed = -years if sort == "-founded" else years
        return np.lexsort((titles, keyed, missing))
    return np.argsort(titles, kind="stable")


def _first_in_order(tables: Tables, docs: np.ndarray, sort: str, count: int) -> np.ndarray:
    """The first `count` positions of `_sort_order`, without sorting everything when docs are many."""
    if docs.size <= 4 * count:
        return _sort_order(tables, docs, sort)
    key = _sort_key(tables, docs, sort)
    kth = np.partition(key, count - 1)[count - 1]
    candidates = np.flatnonzero(key <= kth)  # ascending positions: ties keep document order, as a stable sort does
    return candidates[np.argsort(key[candidates], kind="stable")]


def _sort_key(tables: Tables, docs: np.ndarray, sort: str) -> np.ndarray:
    """One int64 per document ordering like `_sort_order`: (missing year, year, title rank)."""
    titles = tables.title_rank[docs].astype(np.int64)
    if sort in ("founded", "-founded") and "founded" in tables.years:
        years = tables.years["founded"][docs].astype(np.int64)
        missing = (years == 0).astype(np.int64)
        keyed = (-years if sort == "-founded" else years) + _YEAR_OFFSET
        return (missing << 62) | (keyed << 32) | titles
    return titles


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
    with _snapshot(handle) as snap:
        docnum = snap.searcher.document_number(id=doc_id)
        if docnum is None:
            raise DocumentNotFound(f"no document with id {doc_id!r} in the index")
        stored = snap.searcher.stored_fields(docnum)
        return json.loads(stored["doc"]) | {"generation": snap.generation, "checksum": stored["checksum"]}


def stats(handle: IndexHandle) -> dict[str, Any]:
    """Document count, schema version, generation, and per facet: documents having it, distinct values."""
    with _snapshot(handle) as snap:
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
