"""Incremental builds add a segment each; small segments of a size are merged once enough pile up."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer import build as build_module
from indexer import store
from indexer.build import build
from indexer.reader import IndexHandle
from indexer.search import search
from indexer.model import SearchRequest
from tests.helpers import article_text, write_article


def segment_sizes(index_dir: Path) -> list[int]:
    ix = whoosh_index.open_dir(str(store.live_generation(index_dir)), indexname="MAIN")
    return sorted(s.doc_count_all() for s in ix._segments())


def test_small_segments_are_merged_once_enough_pile_up_and_nothing_is_lost(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "MERGE_AFTER", 3)
    corpus = tmp_path / "c"
    for name in "abcdefghijkl":  # twelve: the full build's segment is not among the smallest size
        write_article(corpus, name, article_text(f"Article {name}", lead="About comets."))
    build([corpus], tmp_path / "ix", workers=1)
    seen = []
    for round_, name in enumerate("abcdeab"):
        write_article(corpus, name, article_text(f"Article {name}", lead=f"About comets, revision {round_}."))
        build([corpus], tmp_path / "ix", workers=1)
        seen.append(len(segment_sizes(tmp_path / "ix")))
    # one segment per build until three segments of 1-9 documents exist; the next build writes them
    # and its own document as one segment (of 1-9 documents, so it counts again later)
    assert seen == [2, 3, 4, 2, 3, 4, 2]
    result = search(IndexHandle(tmp_path / "ix"), SearchRequest(q="comets", per_page=20))
    assert sorted(h.id for h in result.hits) == list("abcdefghijkl")
    assert {h.id: h.title for h in result.hits} == {n: f"Article {n}" for n in "abcdefghijkl"}
    assert search(IndexHandle(tmp_path / "ix"), SearchRequest(q="revision")).total == 5


def test_segments_of_other_sizes_wait_for_their_own_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "MERGE_AFTER", 2)
    monkeypatch.setattr(build_module, "SMALL_SEGMENT_DOCS", 20)  # the full build's 30 are "large": never merged
    corpus = tmp_path / "c"
    for i in range(30):
        write_article(corpus, f"n{i:02}", article_text(f"Note {i}", lead="Plain words."))
    build([corpus], tmp_path / "ix", workers=1)
    for i in range(12):  # a twelve-document segment
        write_article(corpus, f"n{i:02}", article_text(f"Note {i}", lead="Changed words."))
    build([corpus], tmp_path / "ix", workers=1)
    write_article(corpus, "n20", article_text("Note 20", lead="Changed once more."))
    build([corpus], tmp_path / "ix", workers=1)
    assert segment_sizes(tmp_path / "ix") == [1, 12, 30]  # a 1 and a 12: different sizes, not merged
