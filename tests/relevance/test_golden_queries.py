"""Golden queries for the project's own corpus/: each query's expected first result.

The file `golden_queries.tsv` (query<TAB>document id) records what a user typing the query
should see first: topics, names, titles typed loosely or with a typo. A ranking change that
moves one of them fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.model import SearchRequest
from indexer.reader import IndexHandle
from indexer.search import search
from tests.helpers import CORPUS

GOLDEN = Path(__file__).with_name("golden_queries.tsv")


def golden() -> list[tuple[str, str]]:
    rows = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, expected = line.split("\t")
            rows.append((query, expected))
    return rows


@pytest.mark.parametrize("query, expected", golden(), ids=[q for q, _e in golden()])
def test_golden_query_finds_the_expected_document_first(corpus_index: Path, query: str, expected: str) -> None:
    result = search(IndexHandle(corpus_index), SearchRequest(q=query, per_page=3))
    assert result.hits, f"nothing found for {query!r}"
    assert result.hits[0].id == expected, f"{query!r} -> {[(h.id, h.title) for h in result.hits]}"


def test_every_golden_document_exists_in_the_corpus() -> None:
    ids = {p.stem for p in CORPUS.glob("*.txt")}
    assert {expected for _q, expected in golden()} <= ids
    assert len(golden()) >= 25
