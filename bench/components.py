"""Before/after of each optimisation, one at a time, on an existing index (and corpus): `python -m bench components`.

Each line times the old way and the new way of one step on the same data, best of a few
runs (warm caches), so what every change gained can be read off directly: the match set,
facet counting, top values, phrase ranking, snippets, opening a reader, loading the facet
tables, the whole search, and writing a segment.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from indexer import corpus, store
from indexer.matchset import Evaluator
from indexer.model import SearchRequest
from indexer.phraserank import rewrite
from indexer.pipeline import process_file
from indexer.query import parse_query
from indexer.ranking import rank
from indexer.reader import IndexHandle
from indexer.schema import build_schema
from indexer.search import _expanded_terms, _top_values, search
from indexer.segwriter import SegmentBuilder
from indexer.snippets import make_snippet
from indexer.tableload import load_part, read_part

Row = tuple[str, float, float]


def best(fn: Callable[[], Any], runs: int = 5) -> float:
    """Fastest of `runs` calls, in ms."""
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return min(out)


def search_parts(index: Path, texts: list[str]) -> list[Row]:
    rows: list[Row] = []
    handle, plain = IndexHandle(index), IndexHandle(index, fast=False)
    with handle.snapshot() as snap:
        tables, searcher = snap.tables, snap.searcher
        for text in texts:
            q = parse_query(text, searcher.schema, tables.aliases)
            ev = Evaluator(searcher, tables.size, tables.live, snap.postings)
            mask = ev.mask(q)
            rows.append((f"match set of {text}", best(lambda: list(searcher.docs_for_query(q)), 2),
                         best(lambda: ev.mask(q))))
            rows.append((f"all facet counts for {text}", *_counts(tables, mask)))
            if '"' in text:
                rows.append((f"ranking {text}", best(lambda: rank(searcher, q, None, 10), 2),
                             best(lambda: rank(searcher, rewrite(q, ev), None, 10))))
            terms = {t for _f, t in _expanded_terms(snap, q)}
            articles = [json.loads(searcher.stored_fields(d)["doc"])["article"]
                        for d, _s in rank(searcher, rewrite(q, ev), None, 10)]
            analyzer = searcher.schema["body"].analyzer
            rows.append((f"10 snippets for {text}", best(lambda: [make_snippet(a, terms, analyzer) for a in articles]),
                         best(lambda: [make_snippet(a, terms, snap.words.only(terms)) for a in articles])))
        name = max(tables.facets, key=lambda n: len(tables.facets[n].values))
        counts, table, request = tables.browse_counts(name), tables.facets[name], SearchRequest()
        rows.append((f"top 10 of {len(table.values):,} {name}", best(lambda: _top_values(table, counts, set(), request,
                                                                                             name, False)),
                     best(lambda: _top_values(table, counts, set(), request, name, True))))
    for text in texts:
        request = SearchRequest(q=text)
        rows.append((f"whole search {text}", best(lambda: search(plain, request), 2), best(lambda: search(handle, request))))
    return rows + _opening(index)


def _counts(tables: Any, mask: np.ndarray) -> tuple[float, float]:
    n, live = int(mask.sum()), tables.live_count
    members = np.flatnonzero(mask) if n <= 0.45 * live else None
    outside = np.flatnonzero(tables.live & ~mask) if n >= 0.55 * live else None
    before = best(lambda: [t.counts(mask) for t in tables.facets.values()])
    after = best(lambda: [t.counts(mask, members, outside, tables.browse_counts(name))
                          for name, t in tables.facets.items()])
    return before, after


def _opening(index: Path) -> list[Row]:
    gen = store.live_generation(index)
    assert gen is not None
    mapped = whoosh_index.open_dir(str(gen))
    plain = store.open_index(gen)
    rows = [("opening a reader (mmap + BytesIO copies, vs file reads)", best(lambda: mapped.reader().close(), 2),
             best(lambda: plain.reader().close(), 2))]
    reader = plain.reader()
    leaves = [leaf for leaf, _b in reader.leaf_readers()]
    rows.append(("facet tables of every segment (postings, vs saved parts)",
                 best(lambda: [read_part(leaf) for leaf in leaves], 1), best(lambda: [load_part(gen, leaf) for leaf in leaves], 2)))
    return rows


def build_parts(folder: Path, count: int) -> list[Row]:
    """CPU ms to index the first `count` documents: Whoosh's writer, and the segment builder (same files)."""
    docs = [d for e in corpus.find_files([folder]).files[:count] for d in process_file(e).documents]
    work = Path(tempfile.mkdtemp(prefix="bench-components-"))
    try:
        def whoosh() -> None:
            target = work / f"w{time.perf_counter_ns()}"
            target.mkdir()
            writer = whoosh_index.create_in(str(target), build_schema()).writer(limitmb=256)
            for doc in docs:
                writer.add_document(**doc)
            writer.commit()

        def ours() -> None:
            target = work / f"o{time.perf_counter_ns()}"
            target.mkdir()
            ix = whoosh_index.create_in(str(target), build_schema())
            builder = SegmentBuilder(FileStorage(str(target)), ix.schema)
            for doc in docs:
                builder.add(doc)
            builder.finish()

        return [(f"writing {len(docs):,} documents (Whoosh writer, vs segment builder)", _cpu(whoosh), _cpu(ours))]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cpu(fn: Callable[[], Any]) -> float:
    started = time.process_time()
    fn()
    return (time.process_time() - started) * 1000


def table(rows: list[Row]) -> str:
    lines = ["| step | before (ms) | after (ms) | gain |", "|---|---|---|---|"]
    for name, before, after in rows:
        lines.append(f"| {name} | {before:,.1f} | {after:,.1f} | {before / after if after else float('inf'):,.1f}× |")
    return "\n".join(lines)
