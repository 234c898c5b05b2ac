"""kill -9 at random (seeded) moments and at chosen phases of full and incremental builds.

Short version of `make stress` (3 random trials per mode, plus one trial per phase): the
index afterwards holds exactly corpus A or corpus B (ids and content checksums), no
process of the killed build survives, the lock is free, a CLI search finds every
document, and the next build (no --wait) completes with exactly corpus B.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stress import kill

SEED = 7
RANDOM_TRIALS = 3


@pytest.fixture(scope="module")
def kill_setup(tmp_path_factory: pytest.TempPathFactory) -> kill.Setup:
    """500 articles (enough for parallel workers in full builds), mutated 40% for B."""
    return kill.prepare(tmp_path_factory.mktemp("kill9"), articles=500, seed=SEED)


def _plan() -> list[tuple[str, int, str]]:
    random_trials = [(mode, n, "random") for mode in kill.MODES for n in range(RANDOM_TRIALS)]
    phases = [(mode, RANDOM_TRIALS + i, phase) for mode in kill.MODES for i, phase in enumerate(kill.PHASES[mode])]
    return random_trials + phases


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "number", "trigger"), _plan(), ids=lambda v: str(v))
def test_kill9_leaves_old_or_new_index_and_the_next_build_recovers(
    kill_setup: kill.Setup, mode: str, number: int, trigger: str
) -> None:
    delays = {(m, n): d for m, n, t, d in kill.plan(kill_setup, RANDOM_TRIALS, SEED, phases=False)}
    trial = kill.run_trial(kill_setup, mode, number, trigger, delays.get((mode, number), 0.0))
    print(f"{mode} #{number} {trigger}: killed at {trial.delay} s (running={trial.killed_running}, "
          f"{trial.workers_seen} workers) -> {trial.outcome}")
    assert trial.problems == []
    assert trial.outcome in ("old", "new")
    assert trial.orphans == [] and trial.lock_free and trial.recovered


def test_kill9_after_publish_leaves_the_new_generation_live(kill_setup: kill.Setup) -> None:
    """The switch is the rename of CURRENT: once it is visible, the new documents are what readers get."""
    trial = kill.run_trial(kill_setup, "full", 90, "published")
    assert trial.problems == []
    assert trial.outcome == "new" or not trial.killed_running


def test_partial_generations_of_killed_builds_are_removed_by_the_next_build(kill_setup: kill.Setup) -> None:
    """Regression: a killed full build's `gNNNNNN.building` stayed on disk until the next *full* build."""
    trial = kill.run_trial(kill_setup, "full", 91, "whoosh-committed")
    assert trial.killed_running
    assert trial.outcome == "old"
    assert trial.leftovers == []
