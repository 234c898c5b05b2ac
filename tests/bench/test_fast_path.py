"""The numpy fast path gives exactly Whoosh's results: same hits, scores, snippets, totals and facet counts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

from indexer.matchset import Evaluator
from indexer.model import SearchRequest
from indexer.query import parse_query
from indexer.reader import IndexHandle
from indexer.search import search

QUERIES = [
    "", "cell", "clinical", "blood pressure", "cancer research", "gene expression cells", '"cell lines"',
    '"gene expression"', '"also known"', "clinical OR blood", "clinical AND NOT blood", "clinic*", "cel~1",
    "topics:Creation", "country:\"United States\" clinical", "title:university", "nonexistentword",
    "health care services development", '"stem cells" OR "bone marrow"', "body:patients -lead:patients",
    '"gene expression"^2 cells', '"in the cell lines"', 'title:"health partners"', '"research council" clinical',
]
FILTERS = [
    (),
    (("country", ("United States",)),),
    (("country", ("United States", "United Kingdom")), ("type", ("Hospital", "Charity"))),
    (("founded", ("1990",)),),
]
SORTS = ("relevance", "title", "-founded")


def _key(result) -> tuple:
    hits = [(h.id, h.title, h.score, h.snippet, h.highlights, h.section) for h in result.hits]
    return result.total, hits, result.facets, result.suggestion, result.corrected


@pytest.fixture(scope="module")
def handles(scale_index: Path) -> tuple[IndexHandle, IndexHandle]:
    return IndexHandle(scale_index), IndexHandle(scale_index, fast=False)


@pytest.mark.parametrize("q", QUERIES)
def test_fast_path_gives_whooshs_results_for_every_filter_sort_and_page(handles, q: str) -> None:
    fast, slow = handles
    for filters in FILTERS:
        for sort in SORTS:
            for page in (1, 2):
                request = SearchRequest(q=q, filters=filters, sort=sort, page=page, facet_limit=5)
                assert _key(search(fast, request)) == _key(search(slow, request)), (q, filters, sort, page)


@pytest.mark.parametrize("q", [q for q in QUERIES if q])
def test_match_set_equals_whooshs_docs_for_query(scale_index: Path, q: str) -> None:
    handle = IndexHandle(scale_index)
    with handle.snapshot() as snap:
        parsed = parse_query(q, snap.searcher.schema, snap.tables.aliases)
        mask = Evaluator(snap.searcher, snap.tables.size, snap.tables.live, snap.postings).mask(parsed)
        assert mask is not None, f"{parsed!r} fell back to Whoosh"
        expected = sorted(d for d in snap.searcher.docs_for_query(parsed) if snap.tables.live[d])
        assert np.flatnonzero(mask).tolist() == expected


def test_unknown_query_shapes_fall_back_to_whoosh(scale_index: Path) -> None:
    with IndexHandle(scale_index).snapshot() as snap:
        odd = wq.Phrase("body", ["cell", "line"], slop=3)
        assert Evaluator(snap.searcher, snap.tables.size, snap.tables.live, snap.postings).mask(odd) is None


def test_facet_counts_equal_counts_read_from_whoosh_postings(scale_index: Path) -> None:
    """Every facet value's count over all live documents, recomputed term by term through Whoosh."""
    handle = IndexHandle(scale_index)
    with handle.snapshot() as snap:
        reader = snap.searcher.reader()
        for name, table in snap.tables.facets.items():
            expected = {}
            for term in reader.lexicon(table.field):
                docs = set(reader.postings(table.field, term).all_ids())
                if docs:
                    expected[term.decode("utf-8")] = len(docs)
            counts = snap.tables.browse_counts(name)
            got = {v: int(c) for v, c in zip(table.values, counts) if c}
            assert got == expected, name


@pytest.mark.parametrize("members", [0, 1, 5, 50, 200])
def test_counting_from_few_documents_equals_counting_from_postings(scale_index: Path, members: int) -> None:
    with IndexHandle(scale_index).snapshot() as snap:
        rng = np.random.default_rng(members)
        docs = np.sort(rng.choice(np.flatnonzero(snap.tables.live), size=members, replace=False))
        mask = np.zeros(snap.tables.size, dtype=bool)
        mask[docs] = True
        for table in snap.tables.facets.values():
            assert np.array_equal(table._counts_of(docs), table.counts(mask)), table.name
            outside = np.flatnonzero(snap.tables.live & ~mask)
            total = snap.tables.browse_counts(table.name)
            assert np.array_equal(table.counts(mask, outside=outside, total=total), table.counts(mask)), table.name
