"""Finding source files and planning an incremental build: which files changed, which went away."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import corpus, manifest, store
from indexer.build import _plan, build
from indexer.corpus import FileEntry, Listing
from indexer.manifest import Known
from tests.helpers import article_text, write_article


def _rel(listing: Listing) -> list[str]:
    return [entry.rel for entry in listing.files]


def test_files_come_in_name_order_then_subfolders_depth_first(tmp_path: Path) -> None:
    for rel in ["b.txt", "a.txt", "z/c.txt", "m/d.jsonl", "m/n/e.txt", "c.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("= T =\n", encoding="utf-8")
    assert _rel(corpus.find_files([tmp_path])) == ["a.txt", "b.txt", "c.txt", "m/d.jsonl", "m/n/e.txt", "z/c.txt"]


def test_hidden_files_are_ignored_and_other_files_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("= A =\n", encoding="utf-8")
    (tmp_path / ".secret.txt").write_text("= S =\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "b.txt").write_text("= B =\n", encoding="utf-8")
    listing = corpus.find_files([tmp_path])
    assert (_rel(listing), listing.skipped) == (["a.txt"], (str(tmp_path / "notes.md"),))


def test_entries_carry_size_and_mtime_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"= A =\n\nA\n")
    os.utime(path, ns=(1_000_000_000, 1_234_567_890_123))
    [entry] = corpus.find_files([tmp_path]).files
    assert entry == FileEntry(str(tmp_path), str(path), "a.txt", 9, 1_234_567_890_123)
    assert (entry.kind, entry.article_id) == ("article", "a")


def test_a_folder_named_like_a_source_is_walked_and_links_to_folders_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "odd.txt").mkdir()
    (tmp_path / "odd.txt" / "inner.txt").write_text("= I =\n", encoding="utf-8")
    (tmp_path / "real.txt").write_text("= R =\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "loop.txt").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "alias.txt").symlink_to(tmp_path / "real.txt")
    listing = corpus.find_files([tmp_path])
    assert _rel(listing) == ["alias.txt", "real.txt", "odd.txt/inner.txt"]
    assert sorted(listing.skipped) == [str(tmp_path / "loop"), str(tmp_path / "loop.txt")]


def test_a_single_file_can_be_the_corpus(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("= A =\n", encoding="utf-8")
    assert _rel(corpus.find_files([tmp_path / "a.txt"])) == ["a.txt"]


# Planning is pure over (listing, manifest); a manifest in corpus order takes a column-wise path,
# any other order the per-path one: both must agree with the definition.

PATHS = [f"/c/{i:02d}.txt" for i in range(12)]


@st.composite
def states(draw: st.DrawFn) -> tuple[Listing, dict[str, Known]]:
    """A listing and a manifest over overlapping paths, with some sizes and mtimes changed."""
    listed = sorted(draw(st.sets(st.sampled_from(PATHS), max_size=12)))
    known = draw(st.sets(st.sampled_from(PATHS), max_size=12))
    files, old = [], {}
    for path in PATHS:
        size, mtime = draw(st.integers(0, 3)), draw(st.integers(0, 3))
        if path in listed:
            files.append(FileEntry("/c", path, path[3:], size, mtime))
        if path in known:
            drift = draw(st.sampled_from([(0, 0), (1, 0), (0, 1)]))
            ids = draw(st.sampled_from([path[3:5], [path[3:5] + "a", path[3:5] + "b"], []]))
            old[path] = (size + drift[0], mtime + drift[1], "0" * 32, ids)
    if draw(st.booleans()):
        order = list(old)
        random.Random(draw(st.integers(0, 99))).shuffle(order)
        old = {path: old[path] for path in order}
    return Listing(tuple(files), ()), old


@settings(max_examples=300, deadline=None)
@given(states())
def test_a_plan_re_reads_exactly_the_new_and_changed_files_and_drops_the_removed(
        state: tuple[Listing, dict[str, Known]]) -> None:
    listing, old = state
    plan = _plan(listing, old)
    listed = {entry.path for entry in listing.files}
    same = {e.path for e in listing.files if e.path in old and old[e.path][:2] == (e.size, e.mtime_ns)}
    assert [e.path for e in plan.changed] == [e.path for e in listing.files if e.path not in same]
    assert plan.manifest == {path: old[path] for path in same}
    gone = [path for path in old if path not in listed]
    assert sorted(plan.removed_ids) == sorted(i for path in gone for i in manifest.row(old[path]).ids)


def test_a_changed_mtime_with_the_same_content_is_not_re_indexed(tmp_path: Path) -> None:
    write_article(tmp_path / "c", "a", article_text("Alpha", lead="About alpha."))
    build([tmp_path / "c"], tmp_path / "ix", workers=1)
    path = tmp_path / "c" / "a.txt"
    os.utime(path, ns=(1, 1))
    report = build([tmp_path / "c"], tmp_path / "ix", workers=1)
    assert (report.updated, report.unchanged) == (0, 1)
    saved = manifest.load(store.live_generation(tmp_path / "ix"))
    assert saved[str(path)][1] == 1  # the new mtime is kept, so the file is not read again


def test_the_manifest_stays_in_corpus_order_after_a_file_changes(tmp_path: Path) -> None:
    for name in "abcd":
        write_article(tmp_path / "c", name, article_text(f"Article {name}"))
    build([tmp_path / "c"], tmp_path / "ix", workers=1)
    write_article(tmp_path / "c", "b", article_text("Article b", lead="Revised."))
    build([tmp_path / "c"], tmp_path / "ix", workers=1)
    data = json.loads((store.live_generation(tmp_path / "ix") / store.MANIFEST).read_text())
    assert [data["prefix"] + p for p in data["paths"]] == [str(tmp_path / "c" / f"{n}.txt") for n in "abcd"]


@given(st.dictionaries(st.sampled_from(PATHS), st.one_of(st.text(min_size=1, max_size=4),
                                                         st.lists(st.text(min_size=1, max_size=4), max_size=3))))
def test_id_owners_maps_every_stored_id_to_its_file(stored: dict) -> None:
    entries = {path: (1, 1, "x", ids) for path, ids in stored.items()}
    expected = {}
    for path, ids in stored.items():
        for doc_id in [ids] if isinstance(ids, str) else ids:
            expected[doc_id] = path
    assert manifest.id_owners(entries) == expected
