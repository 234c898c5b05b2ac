"""One writer at a time: a second build waits (--wait) or fails with BuildLocked; nothing is corrupted."""

from __future__ import annotations

from pathlib import Path

import pytest

from stress import generate, locking


@pytest.fixture(scope="module")
def lock_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """450 articles: a full build takes long enough to start a second one beside it."""
    return generate.write_corpus(tmp_path_factory.mktemp("locking") / "corpus", 450, seed=11)


def test_second_build_without_wait_fails_with_the_buildlocked_line(lock_corpus: Path, tmp_path: Path) -> None:
    trial = locking.second_build(lock_corpus, tmp_path / "index", wait=False)
    assert trial.problems == []
    assert trial.exits == [0, 3]
    assert trial.messages[1].startswith("Error: another build is writing")


def test_second_build_with_wait_runs_after_the_first(lock_corpus: Path, tmp_path: Path) -> None:
    trial = locking.second_build(lock_corpus, tmp_path / "index", wait=True)
    assert trial.problems == []
    assert trial.exits == [0, 0]


@pytest.mark.parametrize(("builds", "full", "wait"), [(3, True, False), (2, False, True)])
def test_builds_started_together_never_corrupt_the_index(
    lock_corpus: Path, tmp_path: Path, builds: int, full: bool, wait: bool
) -> None:
    trial = locking.simultaneous(lock_corpus, tmp_path / "index", builds, full, wait)
    assert trial.problems == []
    assert trial.intact


def test_lock_file_left_by_a_dead_build_does_not_block(lock_corpus: Path, tmp_path: Path) -> None:
    trial = locking.stale_lock_file(lock_corpus, tmp_path / "index")
    assert trial.problems == []
    assert trial.exits == [0]
