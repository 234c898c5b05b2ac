"""indexer.related: more-like-this over a snapshot, explained by shared entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.model import DocumentNotFound
from indexer.reader import IndexHandle
from indexer.related import related
from indexer.search import get_document


def test_related_articles_exclude_the_article_and_explain_themselves(corpus_index: Path) -> None:
    handle = IndexHandle(corpus_index)
    source = get_document(handle, "000_c979882d02ee9a42")
    with handle.snapshot() as snap:
        found = related(snap, "000_c979882d02ee9a42", limit=5)
    assert 1 <= len(found) <= 5
    assert "000_c979882d02ee9a42" not in [r.id for r in found]
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    for r in found:
        other = get_document(handle, r.id)
        for kind, values in r.shared:
            assert values and set(values) == set(source["entities"][kind]) & set(other["entities"][kind])
        kinds_in_common = [k for k in ("centres", "topics", "organisations")
                           if set(source["entities"][k]) & set(other["entities"][k])]
        assert [k for k, _v in r.shared] == kinds_in_common


def test_the_tiny_corpus_relates_articles_that_share_a_topic(tiny_index: Path) -> None:
    with IndexHandle(tiny_index).snapshot() as snap:
        found = {r.id: r for r in related(snap, "alpha")}
    assert "beta" in found
    assert ("topics", ("Cancer",)) in found["beta"].shared


def test_an_unknown_id_is_document_not_found(tiny_index: Path) -> None:
    with IndexHandle(tiny_index).snapshot() as snap, pytest.raises(DocumentNotFound):
        related(snap, "../alpha")
