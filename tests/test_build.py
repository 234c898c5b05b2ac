"""Rebuilds: incremental by checksum, full into a new generation, failures reported, one writer."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from indexer import store
from indexer.build import build
from indexer.model import BuildLocked, IndexMissing, SchemaMismatch
from indexer.reader import IndexHandle
from indexer.search import get_document, stats
from tests.helpers import article_text, write_article


def ids_in(index_dir: Path) -> set[str]:
    handle = IndexHandle(index_dir)
    with handle.snapshot() as snap:
        return {fields["id"] for fields in snap.searcher.all_stored_fields()}


def test_first_build_is_full_and_indexes_every_article(tiny_corpus: Path, tmp_path: Path) -> None:
    report = build([tiny_corpus], tmp_path / "ix", workers=1)
    assert (report.full, report.reason, report.added, report.failed) == (True, "no index yet", 3, ())
    assert ids_in(tmp_path / "ix") == {"alpha", "beta", "gamma"}


def test_rebuild_without_changes_reindexes_nothing(tiny_corpus: Path, tiny_index: Path) -> None:
    report = build([tiny_corpus], tiny_index, workers=1)
    assert (report.full, report.added, report.updated, report.removed, report.unchanged) == (False, 0, 0, 0, 3)


def test_changing_one_file_updates_exactly_one_document(tiny_corpus: Path, tiny_index: Path) -> None:
    path = tiny_corpus / "beta.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Manchester", "Salford"), encoding="utf-8")
    report = build([tiny_corpus], tiny_index, workers=1)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 0, 2)
    assert "Salford" in json.dumps(get_document(IndexHandle(tiny_index), "beta"))


def test_touching_a_file_without_changing_it_is_not_an_update(tiny_corpus: Path, tiny_index: Path) -> None:
    path = tiny_corpus / "gamma.txt"
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    report = build([tiny_corpus], tiny_index, workers=1)
    assert (report.updated, report.unchanged) == (0, 3)


def test_added_and_removed_files_are_added_and_deleted(tiny_corpus: Path, tiny_index: Path) -> None:
    (tiny_corpus / "alpha.txt").unlink()
    write_article(tiny_corpus / "sub", "delta", article_text("Delta Institute", {"Type": "Research institute"}))
    report = build([tiny_corpus], tiny_index, workers=1)
    assert (report.added, report.removed) == (1, 1)
    assert ids_in(tiny_index) == {"beta", "gamma", "sub/delta"}


def test_full_rebuild_writes_a_new_generation_and_switches(tiny_corpus: Path, tiny_index: Path) -> None:
    before = store.live_generation(tiny_index)
    report = build([tiny_corpus], tiny_index, full=True, workers=1)
    after = store.live_generation(tiny_index)
    assert before is not None and after is not None and after.name > before.name
    assert report.generation == after.name and report.added == 3
    assert ids_in(tiny_index) == {"alpha", "beta", "gamma"}


def test_bad_files_are_reported_with_path_and_line_and_the_rest_is_indexed(tiny_corpus: Path, tmp_path: Path) -> None:
    (tiny_corpus / "broken.txt").write_text("no title here\n", encoding="utf-8")
    (tiny_corpus / "binary.txt").write_bytes(b"= T =\n\x00\x01")
    report = build([tiny_corpus], tmp_path / "ix", workers=1)
    failures = sorted(str(err) for err in report.failed)
    assert failures == [
        f"{tiny_corpus / 'binary.txt'}:2: binary file (contains a NUL byte), not article text",
        f"{tiny_corpus / 'broken.txt'}:1: expected a title line '= Title =', found 'no title here'",
    ]
    assert ids_in(tmp_path / "ix") == {"alpha", "beta", "gamma"}


def test_a_file_that_breaks_keeps_its_previous_version_searchable(tiny_corpus: Path, tiny_index: Path) -> None:
    (tiny_corpus / "beta.txt").write_bytes(b"\xff\xfe broken")
    report = build([tiny_corpus], tiny_index, workers=1)
    assert len(report.failed) == 1 and report.removed == 0
    assert "beta" in ids_in(tiny_index)


def test_files_that_are_not_sources_are_skipped_not_failed(tiny_corpus: Path, tmp_path: Path) -> None:
    (tiny_corpus / "README.md").write_text("# notes\n", encoding="utf-8")
    (tiny_corpus / ".hidden.txt").write_text("= Hidden =\n", encoding="utf-8")
    report = build([tiny_corpus], tmp_path / "ix", workers=1)
    assert (report.skipped, report.failed, report.added) == (1, (), 3)


def test_jsonl_records_are_documents_with_their_own_ids(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    lines = [
        {"_id": "r1", "title": "First record", "text": "About cancer genomics.", "metadata": {"author": "A"}},
        {"id": 2, "title": "Second record", "text": "About vaccines.", "Country": "Uganda"},
        "not an object",
    ]
    (folder / "records.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    report = build([folder], tmp_path / "ix", workers=1)
    assert ids_in(tmp_path / "ix") == {"r1", "2"}
    assert [(e.line, e.reason) for e in report.failed] == [(3, "not a JSON object")]
    assert stats(IndexHandle(tmp_path / "ix"))["facets"]["country"] == {"documents": 1, "values": 1}


def test_duplicate_ids_across_files_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    record = json.dumps({"id": "same", "title": "T", "text": "x"})
    (folder / "a.jsonl").write_text(record + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(record + "\n", encoding="utf-8")
    report = build([folder], tmp_path / "ix", workers=1)
    assert [e.reason for e in report.failed] == [f"duplicate document id 'same' (already in {folder / 'a.jsonl'})"]


def test_an_index_of_another_schema_version_refuses_to_open_and_a_build_fixes_it(
    tiny_corpus: Path, tiny_index: Path
) -> None:
    gen = store.live_generation(tiny_index)
    assert gen is not None
    meta = json.loads((gen / store.META).read_text())
    (gen / store.META).write_text(json.dumps({**meta, "schema_version": -1}))
    with pytest.raises(SchemaMismatch, match=r"schema version -1.*rebuild it with `indexer build --full"):
        stats(IndexHandle(tiny_index))
    report = build([tiny_corpus], tiny_index, workers=1)
    assert (report.full, report.reason) == (True, "schema version changed")
    assert stats(IndexHandle(tiny_index))["documents"] == 3


def test_searching_before_any_build_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="build one with `indexer build corpus/"):
        stats(IndexHandle(tmp_path / "nothing"))


def test_a_second_writer_fails_fast_with_a_clear_message(tiny_corpus: Path, tiny_index: Path) -> None:
    with store.write_lock(tiny_index):
        with pytest.raises(BuildLocked, match=r"another build is writing .*pass --wait SECONDS"):
            build([tiny_corpus], tiny_index, workers=1)


def test_a_second_writer_with_wait_proceeds_once_the_first_is_done(tiny_corpus: Path, tiny_index: Path) -> None:
    released = threading.Event()

    def hold() -> None:
        with store.write_lock(tiny_index):
            released.wait(0.5)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    report = build([tiny_corpus], tiny_index, workers=1, wait=10)
    holder.join()
    assert report.unchanged == 3


def test_parallel_and_serial_builds_index_the_same_documents(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(450):  # above the threshold where workers start
        write_article(folder, f"a{i:03d}", article_text(f"Article {i}", {"Country": f"C{i % 7}"}, f"Lead {i}."))
    serial = build([folder], tmp_path / "ix1", workers=1)
    parallel = build([folder], tmp_path / "ix2", workers=2)
    assert (serial.workers, parallel.workers) == (1, 2)
    assert ids_in(tmp_path / "ix1") == ids_in(tmp_path / "ix2")
    assert stats(IndexHandle(tmp_path / "ix1"))["facets"] == stats(IndexHandle(tmp_path / "ix2"))["facets"]
