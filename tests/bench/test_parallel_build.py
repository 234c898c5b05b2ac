"""Full builds written by several processes give the index one process gives; ids stay unique."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import manifest, shards, store
from indexer.build import build
from indexer.model import SearchRequest
from indexer.reader import IndexHandle
from indexer.search import search
from indexer.tableload import load_part, read_part
from tests.helpers import article_text, write_article


def _corpus(tmp_path: Path, scale_corpus: Path, count: int = 80) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(scale_corpus.glob("*.txt"))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def _everything(index: Path) -> list[tuple]:
    handle = IndexHandle(index)
    out = []
    for q in ("", "cell", '"gene expression"', "clinical research"):
        for page in (1, 2, 3):
            r = search(handle, SearchRequest(q=q, page=page, per_page=20, facet_limit=0))
            out.append((r.total, [(h.id, h.score, h.snippet) for h in r.hits], r.facets))
    return out


@pytest.mark.parametrize("workers", [2, 3])
def test_a_build_in_several_processes_answers_like_a_build_in_one(
        tmp_path: Path, scale_corpus: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    folder = _corpus(tmp_path, scale_corpus)
    one, many = tmp_path / "one", tmp_path / "many"
    build([folder], one, workers=1)
    monkeypatch.setattr(shards, "PARALLEL_MIN_FILES", 10)
    report = build([folder], many, workers=workers)
    assert report.workers == workers and report.documents == 80
    segments = store.open_index(store.live_generation(many))._read_toc().segments
    assert len(segments) == workers
    assert _everything(many) == _everything(one)
    assert manifest.load(store.live_generation(many)) == manifest.load(store.live_generation(one))


def test_an_id_claimed_in_an_earlier_shard_is_reported_and_left_out(
        tmp_path: Path, scale_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _corpus(tmp_path, scale_corpus, 30)
    text = article_text("Twin Records Institute", {"Country": "Chile"}, "Twinned zyxwvu text.")
    write_article(folder, "aaa", text)
    (folder / "zzz.jsonl").write_text(json.dumps({"id": "aaa", "title": "Impostor", "text": "zyxwvu"}) + "\n")
    monkeypatch.setattr(shards, "PARALLEL_MIN_FILES", 5)
    report = build([folder], tmp_path / "index", workers=2)
    assert [str(e) for e in report.failed] == [
        f"{folder / 'zzz.jsonl'}:1: duplicate document id 'aaa' (already in {folder / 'aaa.txt'})"
    ]
    hits = search(IndexHandle(tmp_path / "index"), SearchRequest(q="zyxwvu")).hits
    assert [(h.id, h.title) for h in hits] == [("aaa", "Twin Records Institute")]


def test_saved_table_parts_equal_parts_read_from_the_postings(scale_index: Path) -> None:
    gen = store.live_generation(scale_index)
    reader = store.open_index(gen).reader()
    saved = 0
    for leaf, _base in reader.leaf_readers():
        stored, read = load_part(gen, leaf), read_part(leaf)
        if stored is None:  # segments Whoosh wrote (incremental builds) have none
            continue
        saved += 1
        assert stored.doc_count == read.doc_count and sorted(stored.fields) == sorted(read.fields)
        for name, part in read.fields.items():
            got = stored.fields[name]
            assert got.values == part.values and np.array_equal(got.offsets, part.offsets)
            assert np.array_equal(got.docs, part.docs)
    assert saved >= 2


def test_title_order_follows_the_title_keys_of_the_stored_titles(scale_index: Path) -> None:
    from indexer.schema import title_key

    handle = IndexHandle(scale_index)
    with handle.snapshot() as snap:
        reader = snap.searcher.reader()
        keyed = sorted((title_key(reader.stored_fields(d)["title"]), d, reader.stored_fields(d)["id"])
                       for d in reader.all_doc_ids())
    ids = []
    for page in range(1, 4):
        ids += [h.id for h in search(handle, SearchRequest(sort="title", page=page, per_page=100)).hits]
    assert ids == [doc_id for _k, _d, doc_id in keyed]


ENTRY = st.builds(
    manifest.Known.of,
    st.integers(0, 10**9), st.integers(0, 2**63 - 1),
    st.text("0123456789abcdef", min_size=32, max_size=32),
    st.lists(st.text(min_size=1, max_size=8), min_size=0, max_size=3),
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=30), ENTRY, max_size=20))
def test_the_columnar_manifest_gives_back_every_entry(entries: dict) -> None:
    assert manifest.decode(json.loads(json.dumps(manifest.encode(entries)))) == entries


def test_a_manifest_in_the_older_per_file_form_is_still_read() -> None:
    old = {"files": {"/c/a.txt": {"size": 1, "mtime_ns": 2, "checksum": "x", "ids": ["a"]}}}
    assert manifest.decode(old) == {"/c/a.txt": manifest.Known(1, 2, "x", "a")}
