"""The one writer: incremental or full rebuilds of an index directory.

Incremental (the default): files whose size, mtime and then checksum differ from the
manifest are re-indexed, removed files' documents deleted, all in one Whoosh commit
(atomic: the new table of contents is renamed into place). Full (`--full`, no index
yet, or another schema version): a new generation is written beside the live one and
CURRENT is switched to it only when it is complete.
"""

from __future__ import annotations

import gc
import operator
import shutil
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import compress
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from . import corpus, store
from . import manifest as manifest_file
from .manifest import Known
from .model import IndexCorrupt, IndexerError, ParseError, SchemaMismatch
from .pipeline import FileResult
from .schema import build_schema
from .workers import process_all

Progress = Callable[[int, int], None]
WRITER_LIMIT_MB = 256
#: Incremental builds merge their small segments (< SMALL_SEGMENT_DOCS documents) once there are this many.
MERGE_AFTER = 10
SMALL_SEGMENT_DOCS = 1000


@dataclass(frozen=True)
class BuildReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0  # files in the corpus folders that are not sources (README.md ...)
    failed: tuple[ParseError, ...] = ()
    documents: int = 0
    seconds: float = 0.0
    generation: str = ""
    full: bool = False
    reason: str = ""  # why the build was full
    workers: int = 1

    @property
    def indexed(self) -> int:
        return self.added + self.updated

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        mode = f"full ({self.reason})" if self.full else "incremental"
        return (
            f"{mode} build of {self.generation}: {self.added} added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged, {self.skipped} skipped, "
            f"{len(self.failed)} failed; {self.documents} documents; "
            f"{self.seconds:.2f} s, {self.docs_per_second:.0f} docs/s"
        )


@dataclass
class _Plan:
    changed: list[corpus.FileEntry] = field(default_factory=list)
    manifest: dict[str, Known] = field(default_factory=dict)  # kept entries (unchanged files)
    removed_ids: list[str] = field(default_factory=list)


def build(
    roots: Sequence[str | Path],
    index_dir: str | Path,
    *,
    full: bool = False,
    workers: int | None = None,
    wait: float = 0.0,
    progress: Progress | None = None,
) -> BuildReport:
    """Bring the index in `index_dir` up to date with the corpus folders `roots`."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    with _gc_paused():
        listing = corpus.find_files(roots)
    with store.write_lock(index_dir, wait):
        store.remove_partial(index_dir)  # left by builds killed before they could clean up
        live, damaged = _live(index_dir)
        reason = damaged or _full_reason(live, full)
        if reason:
            report = _full_build(index_dir, live, listing, reason, workers, progress)
        else:
            assert live is not None
            report = _incremental(live, listing, workers, progress)
    return _finish(report, listing, started)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cycle collection while listing and planning: they allocate 100k's of tuples and no cycles,
    and each collection would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _live(index_dir: Path) -> tuple[Path | None, str]:
    """The live generation; or None and a reason when CURRENT is damaged, so a full build replaces it."""
    try:
        return store.live_generation(index_dir), ""
    except IndexCorrupt:
        return None, "CURRENT unreadable"


def _full_reason(live: Path | None, full: bool) -> str:
    if live is None:
        return "no index yet"
    if full:
        return "--full"
    try:
        store.check_schema(live)
        store.check_readable(live)
    except SchemaMismatch:
        return "schema version changed"
    except IndexCorrupt:
        return "live index unreadable"
    return ""


def _finish(report: BuildReport, listing: corpus.Listing, started: float) -> BuildReport:
    return replace(report, skipped=len(listing.skipped), seconds=time.perf_counter() - started)


def _full_build(
    index_dir: Path,
    live: Path | None,
    listing: corpus.Listing,
    reason: str,
    workers: int | None,
    progress: Progress | None,
) -> BuildReport:
    building = store.new_generation(index_dir)
    writer = results = None
    try:
        ix = whoosh_index.create_in(str(building), build_schema())
        manifest: dict[str, Known] = {}
        labels: Counter[tuple[str, str]] = Counter()
        failed: list[ParseError] = []
        added = 0
        from . import shards  # numpy and the segment writer: only full builds need them

        if shards.supported(ix.schema):  # segments written straight, by every worker at once
            written = shards.write_segments(ix, building, listing.files, workers, progress)
            manifest, labels, failed, added, used = (written.manifest, written.labels, written.failed,
                                                     written.added, written.workers)
        else:
            writer = ix.writer(limitmb=WRITER_LIMIT_MB)
            seen: dict[str, str] = {}
            results = process_all(listing.files, workers, progress)
            for result in results.iterator:
                failed.extend(result.errors)
                docs = _unique(result, seen, failed)
                for doc in docs:
                    writer.add_document(**doc)
                _count_labels(result, labels)
                added += len(docs)
                if result.checksum and not (result.errors and result.entry.kind == "article"):
                    manifest[result.entry.path] = _manifest_entry(result, docs)
            writer.commit()
            used = results.workers
        manifest_file.save(building, manifest)
        store.write_json_atomic(building / store.FACET_LABELS, _labels(labels, {}))
        store.write_meta(building, full_build_reason=reason)
        final = store.publish(index_dir, building)
    except BaseException:
        _abandon(writer, results)
        shutil.rmtree(building, ignore_errors=True)  # free the space now (a full disk is a likely cause)
        raise
    store.remove_stale(index_dir, keep={final.name} | ({live.name} if live else set()))
    return BuildReport(
        added=added, failed=tuple(failed), documents=added, generation=final.name,
        full=True, reason=reason, workers=used,
    )


def _abandon(writer: Any, results: Any, live: Path | None = None) -> None:
    """After a failed build: stop the workers, release Whoosh's write lock, delete partial segment files."""
    if results is not None:
        results.iterator.close()
    try:
        if writer is not None and not writer.is_closed:
            writer.cancel()
        if live is not None:  # files no table of contents names: the failed writer's (a full disk keeps them)
            ix = store.open_index(live)
            toc = whoosh_index.TOC.read(ix.storage, ix.indexname)
            whoosh_index.clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
    except Exception:  # noqa: BLE001 - the original error is the one to report
        pass


def _incremental(
    live: Path, listing: corpus.Listing, workers: int | None, progress: Progress | None
) -> BuildReport:
    """An incremental build; Whoosh failing to read the live index's files is reported as IndexCorrupt."""
    try:
        return _incremental_build(live, listing, workers, progress)
    except (IndexerError, OSError):
        raise
    except Exception as exc:  # Whoosh raises many types for damaged files
        raise IndexCorrupt(
            f"cannot update the index in {live} ({type(exc).__name__}: {exc}); "
            f"run `indexer build --full` to rebuild it"
        ) from exc


def _incremental_build(
    live: Path, listing: corpus.Listing, workers: int | None, progress: Progress | None
) -> BuildReport:
    with _gc_paused():
        old = manifest_file.load(live)
        plan = _plan(listing, old)
        seen = manifest_file.id_owners(plan.manifest)
    failed: list[ParseError] = []
    unchanged = len(seen)  # ids are unique across the manifest
    labels: Counter[tuple[str, str]] = Counter()
    added = updated = 0
    manifest = dict(plan.manifest)
    results = process_all(plan.changed, workers, progress)
    writer = None
    try:
        ix = store.open_index(live)
        removed_ids = set(plan.removed_ids)
        for result in results.iterator:
            failed.extend(result.errors)
            previous = manifest_file.row(old[result.entry.path]) if result.entry.path in old else None
            if result.errors and result.entry.kind == "article" and previous:
                manifest[result.entry.path] = previous  # keep the old version searchable; retry next build
                seen.update({doc_id: result.entry.path for doc_id in previous.ids})
                continue
            docs = _unique(result, seen, failed)
            writer = writer or ix.writer(limitmb=WRITER_LIMIT_MB)
            old_ids = set(previous.ids) if previous else set()
            for doc in docs:
                writer.update_document(**doc)
                updated, added = (updated + 1, added) if doc["id"] in old_ids else (updated, added + 1)
            _count_labels(result, labels)
            removed_ids |= old_ids - {doc["id"] for doc in docs}
            manifest[result.entry.path] = _manifest_entry(result, docs)
        removed_ids -= set(seen)
        if removed_ids:
            writer = writer or ix.writer(limitmb=WRITER_LIMIT_MB)
            for doc_id in sorted(removed_ids):
                writer.delete_by_term("id", doc_id)
        if writer is not None:
            writer.commit(mergetype=merge_small_segments)
    except BaseException:
        _abandon(writer, results, live)
        raise
    if writer is not None or manifest != old:
        with _gc_paused():
            in_order = list(filter(manifest.__contains__, map(_PATH, listing.files)))  # corpus order: see _plan
            manifest_file.save(live, dict(zip(in_order, map(manifest.__getitem__, in_order))))
    if labels:
        previous_labels = store.read_json(live / store.FACET_LABELS, {})
        store.write_json_atomic(live / store.FACET_LABELS, _labels(labels, previous_labels))
    documents = sum(segment.doc_count() for segment in store.open_index(live)._segments())  # no reader needed
    return BuildReport(
        added=added, updated=updated, removed=len(removed_ids),
        unchanged=unchanged, failed=tuple(failed), documents=documents,
        generation=live.name, workers=results.workers,
    )


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: segments of similar size (1-9, 10-99, 100-999 documents) are merged
    once MERGE_AFTER of them have piled up; larger ones are left alone.

    Each incremental build adds a segment. Whoosh's default policy merges the smallest few
    every handful of commits, at about 0.1 s per merged segment plus 25 ms per document, so
    a one-file rebuild would often pay for the last ones; here a merge comes once in
    MERGE_AFTER builds of a size, and searches stay fast with a few small segments.
    """
    tiers: dict[int, list[Any]] = {}
    for segment in segments:
        count = segment.doc_count_all()
        if count < SMALL_SEGMENT_DOCS:
            tiers.setdefault(len(str(max(count, 1))), []).append(segment)
    merged = [group for group in tiers.values() if len(group) >= MERGE_AFTER]
    for segment in (s for group in merged for s in group):
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    gone = {id(s) for group in merged for s in group}
    return [s for s in segments if id(s) not in gone]


def _plan(listing: corpus.Listing, old: dict[str, Known]) -> _Plan:
    """Which files changed since the manifest was written; unchanged files are not even read."""
    paths = list(map(_PATH, listing.files))
    if paths == list(old):  # the usual case, as manifests are saved in corpus order: compare columns
        suspects = _differing(listing.files, list(old.values()))
        plan = _Plan(manifest=dict(old))
        for entry in suspects:
            del plan.manifest[entry.path]
    else:
        suspects, plan = _by_path(listing, old)
    for entry in suspects:  # same size, other mtime: unchanged if the content is
        known = old.get(entry.path)
        if known is not None and known[0] == entry.size and _same_checksum(entry, manifest_file.row(known).checksum):
            plan.manifest[entry.path] = manifest_file.row(known)._replace(mtime_ns=entry.mtime_ns)
        else:
            plan.changed.append(entry)
    return plan


def _differing(files: Sequence[corpus.FileEntry], rows: list[tuple]) -> list[corpus.FileEntry]:
    """The files whose size or mtime differs from the row at the same position (C-level list work)."""
    same_size = map(operator.eq, map(_SIZE, files), map(_SIZE_KNOWN, rows))
    same_mtime = map(operator.eq, map(_MTIME, files), map(_MTIME_KNOWN, rows))
    return list(compress(files, map(operator.not_, map(operator.and_, same_size, same_mtime))))


def _by_path(listing: corpus.Listing, old: dict[str, Known]) -> tuple[list[corpus.FileEntry], _Plan]:
    """Files added, removed or changed, matched by path (the manifest is in another order)."""
    plan = _Plan()
    suspects = []
    present = set()
    for entry in listing.files:
        present.add(entry.path)
        known = old.get(entry.path)
        if known is not None and manifest_file.unchanged(known, entry.size, entry.mtime_ns):
            plan.manifest[entry.path] = known
        else:
            suspects.append(entry)
    for path, known in old.items():
        if path not in present:
            plan.removed_ids.extend(manifest_file.row(known).ids)
    return suspects, plan


_PATH = operator.itemgetter(1)
_SIZE, _MTIME = operator.itemgetter(3), operator.itemgetter(4)  # of a FileEntry
_SIZE_KNOWN, _MTIME_KNOWN = operator.itemgetter(0), operator.itemgetter(1)  # of a Known row


def _same_checksum(entry: corpus.FileEntry, expected: str) -> bool:
    try:
        return corpus.checksum(corpus.read_bytes(entry)) == expected
    except ParseError:
        return False


def _unique(result: FileResult, seen: dict[str, str], failed: list[ParseError]) -> list[dict[str, Any]]:
    """The result's documents whose ids no other file has claimed; duplicates are reported."""
    docs = []
    for doc in result.documents:
        owner = seen.get(doc["id"])
        if owner is not None and owner != result.entry.path:
            failed.append(ParseError(result.entry.path, 1, f"duplicate document id {doc['id']!r} (already in {owner})"))
            continue
        seen[doc["id"]] = result.entry.path
        docs.append(doc)
    return docs


def _manifest_entry(result: FileResult, docs: Iterable[dict[str, Any]]) -> Known:
    return Known.of(result.entry.size, result.entry.mtime_ns, result.checksum, [doc["id"] for doc in docs])


def _count_labels(result: FileResult, labels: Counter[tuple[str, str]]) -> None:
    labels.update(result.facet_keys)


def _labels(counts: Counter[tuple[str, str]], previous: dict[str, str]) -> dict[str, str]:
    """Facet name -> the infobox key most documents spell it with (for display)."""
    best: dict[str, tuple[int, str]] = {}
    for (name, key), n in counts.items():
        if name not in best or n > best[name][0]:
            best[name] = (n, key)
    return {**previous, **{name: key for name, (_n, key) in best.items()}}
