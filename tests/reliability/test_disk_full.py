"""Out of disk space during a build: exit 3 with one line, the previous index intact and served, space freed.

Real faults only: a tmpfs of a few MB (mounting needs root; skipped otherwise) and
RLIMIT_FSIZE on the build process (writes past the limit fail with EFBIG, for anyone).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from stress import diskfull, docset, generate, procs

SEED = 13


@pytest.fixture(scope="module")
def disk_setup(tmp_path_factory: pytest.TempPathFactory) -> diskfull.Setup:
    """420 articles: a full build runs parallel workers (from 400 files), as real corpora do."""
    return diskfull.prepare(tmp_path_factory.mktemp("diskfull"), articles=420, seed=SEED)


@pytest.fixture(scope="module")
def small_fs(tmp_path_factory: pytest.TempPathFactory, disk_setup: diskfull.Setup):
    size = diskfull.used_bytes(disk_setup.template) + 2 * max(disk_setup.need.values()) + (4 << 20)
    try:
        with diskfull.small_filesystem(tmp_path_factory.mktemp("mnt") / "fs", size) as mount:
            yield mount
    except diskfull.Unavailable as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("mode", ["full", "incremental"])
@pytest.mark.parametrize("fraction", [0.0, 0.2, 0.8, 4.0])
def test_full_disk_fails_cleanly_or_builds_completely(
    disk_setup: diskfull.Setup, small_fs: Path, mode: str, fraction: float
) -> None:
    room = int(disk_setup.need[mode] * fraction)
    trial = diskfull.tmpfs_trial(small_fs, disk_setup.corpus, disk_setup.template, disk_setup.old, disk_setup.new,
                                 mode, room)
    print(diskfull.describe(trial))
    assert trial.problems == []
    assert trial.outcome == ("new" if trial.exit_code == 0 else "old")
    assert trial.searchable and trial.recovered
    if fraction < 1:
        assert trial.exit_code == 3
        assert trial.message == "Error: No space left on device"


@pytest.mark.parametrize("mode", ["full", "incremental"])
def test_failed_build_leaves_no_partial_files(disk_setup: diskfull.Setup, small_fs: Path, mode: str) -> None:
    """Regression: an incremental build stopped by a full disk left its partial segment files in the live
    generation, so the disk stayed full; a failed full build left its `.building` generation."""
    trial = diskfull.tmpfs_trial(small_fs, disk_setup.corpus, disk_setup.template, disk_setup.old, disk_setup.new,
                                 mode, int(disk_setup.need[mode] * 0.5))
    assert trial.exit_code == 3
    assert trial.not_freed <= 8192
    assert trial.leftovers == []


@pytest.mark.parametrize("mode", ["full", "incremental"])
@pytest.mark.parametrize("limit", [4096, 0.5])
def test_write_limit_fails_cleanly_and_keeps_the_old_index(
    disk_setup: diskfull.Setup, tmp_path: Path, mode: str, limit: float
) -> None:
    room = int(limit if limit >= 1 else disk_setup.need[mode] * limit)
    trial = diskfull.rlimit_trial(tmp_path, disk_setup.corpus, disk_setup.template, disk_setup.old, disk_setup.new,
                                  mode, room)
    print(diskfull.describe(trial))
    assert trial.problems == []
    if trial.exit_code:  # parallel workers write several smaller files: the limit may not be reached
        assert (trial.exit_code, trial.message, trial.outcome) == (3, "Error: File too large", "old")
    else:
        assert trial.outcome == "new"


SCRIPT = textwrap.dedent('''
    import multiprocessing, resource, signal, sys
    from indexer.build import build

    def main():
        corpus, index, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        kept = []
        try:
            build([corpus], index, workers=2)
            print("first build succeeded")
        except OSError as exc:
            kept.append(exc)  # a caller that keeps the error keeps its traceback's frames alive
            print("first build:", exc.strerror)
        print("workers alive:", len(multiprocessing.active_children()))
        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        print("second build:", build([corpus], index, workers=2).documents, "documents")

    if __name__ == "__main__":
        main()
''')


def test_failed_in_process_build_stops_its_workers_and_releases_the_writer(tmp_path: Path) -> None:
    """Regression: a build() that failed while adding documents kept its worker pool running and Whoosh's
    write lock held (for as long as the error was referenced): the next build() raised LockError."""
    corpus = generate.write_corpus(tmp_path / "corpus", 450, seed=SEED)
    index = tmp_path / "index"
    assert procs.run_indexer("build", str(corpus), "--index", str(index), "--quiet").returncode == 0
    generate.mutate(corpus, 450, SEED, fraction=1.0)  # every file changed: parallel workers, many writes
    script = tmp_path / "twice.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, str(script), str(corpus), str(index), "100000"], capture_output=True,
                          text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["first build: File too large", "workers alive: 0",
                                        f"second build: {len(docset.expected(corpus))} documents"]
