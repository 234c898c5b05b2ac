"""Snapshots: new commits are picked up, slow loads happen off the request path, searchers are per thread."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from indexer import reader
from indexer.build import build
from indexer.model import SearchRequest
from indexer.reader import IndexHandle
from indexer.search import search
from tests.helpers import article_text, write_article


@pytest.fixture
def live(tmp_path: Path, scale_corpus: Path) -> tuple[Path, Path]:
    """(a writable copy of 60 generated articles, its index)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(scale_corpus.glob("*.txt"))[:60]:
        shutil.copy(path, corpus / path.name)
    index = tmp_path / "index"
    build([corpus], index, workers=1)
    return corpus, index


def _ids(handle: IndexHandle, q: str) -> set[str]:
    return {h.id for h in search(handle, SearchRequest(q=q, per_page=100)).hits}


def test_an_incremental_commit_is_seen_by_the_next_search(live: tuple[Path, Path]) -> None:
    corpus, index = live
    handle = IndexHandle(index)
    assert _ids(handle, "zyxwvut") == set()
    write_article(corpus, "fresh", article_text("Fresh Zyxwvut Institute", {"Country": "Chile"}, "Zyxwvut studies."))
    build([corpus], index, workers=1)
    assert _ids(handle, "zyxwvut") == {"fresh"}
    assert search(handle, SearchRequest(filters=(("country", ("Chile",)),))).total >= 1


def test_a_slow_load_serves_the_previous_commit_until_the_new_one_is_ready(
        live: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, index = live
    handle = IndexHandle(index)
    before = search(handle, SearchRequest()).total
    monkeypatch.setattr(reader, "SYNC_LOAD_SECONDS", -1.0)  # every load counts as slow
    write_article(corpus, "later", article_text("Later Institute", {}, "Later."))
    build([corpus], index, full=True, workers=1)
    assert search(handle, SearchRequest()).total == before  # answered at once, from the old generation
    handle.wait_loaded()
    assert search(handle, SearchRequest()).total == before + 1


def test_concurrent_searches_get_their_own_searchers_and_the_same_answers(scale_index: Path) -> None:
    handle = IndexHandle(scale_index)
    requests = [SearchRequest(q=q, page=p) for q in ("cell", '"gene expression"', "clinical", "") for p in (1, 2)]
    expected = [search(handle, r) for r in requests]
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(3):
                for request, want in zip(requests, expected):
                    got = search(handle, request)
                    assert (got.total, [h.id for h in got.hits], got.facets) == \
                        (want.total, [h.id for h in want.hits], want.facets)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
