"""Two builds at once: one proceeds, the other waits (`--wait`) or fails with the BuildLocked message.

Also: a lock file left by a dead build (its pid still written in it) does not block anyone,
and builds started at the same instant never corrupt the index.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import docset, procs


@dataclass
class LockTrial:
    name: str
    exits: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    intact: bool = False
    problems: list[str] = field(default_factory=list)


def _wait_until_locked_by(index: Path, pid: int, proc: subprocess.Popen, timeout: float = 60.0) -> bool:
    """True once build.lock names `pid` (written only after the flock is taken): no probing of the lock itself."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if (index / "build.lock").read_text().split()[:1] == [str(pid)]:
                return True
        except (FileNotFoundError, IndexError):
            pass
        time.sleep(0.005)
    return False


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    _out, err = proc.communicate(timeout=300)
    return proc.returncode, (err or b"").decode(errors="replace").strip()


def second_build(corpus: Path, index: Path, wait: bool) -> LockTrial:
    """Start a full build; once it holds the lock, start a second build with or without --wait."""
    trial = LockTrial(f"second build {'with --wait 300' if wait else 'without --wait'}")
    token = procs.new_token()
    first = procs.start_indexer("build", str(corpus), "--index", str(index), "--full", "--quiet", token=token)
    if not _wait_until_locked_by(index, first.pid, first):
        trial.problems.append("the first build never took the lock")
    args = ["build", str(corpus), "--index", str(index), "--quiet"] + (["--wait", "300"] if wait else [])
    second = procs.run_indexer(*args)
    code, message = _finish(first)
    trial.exits = [code, second.returncode]
    trial.messages = [message, second.stderr.strip()]
    if code != 0:
        trial.problems.append(f"the first build failed: {message[-300:]}")
    if wait and second.returncode != 0:
        trial.problems.append(f"the waiting build failed: {second.stderr[-300:]}")
    if not wait:
        lines = second.stderr.strip().splitlines()
        if second.returncode != 3 or len(lines) != 1 or "another build is writing" not in lines[0] \
                or str(first.pid) not in lines[0]:
            trial.problems.append(f"expected exit 3 and the BuildLocked line naming pid {first.pid}; got "
                                  f"{second.returncode}: {second.stderr[-300:]}")
    _check_intact(trial, corpus, index)
    return trial


def simultaneous(corpus: Path, index: Path, builds: int, full: bool, wait: bool) -> LockTrial:
    """`builds` builds started together: each succeeds or reports BuildLocked; the index stays whole."""
    trial = LockTrial(f"{builds} {'full' if full else 'incremental'} builds at once{' with --wait' if wait else ''}")
    args = ["build", str(corpus), "--index", str(index), "--quiet"] + (["--full"] if full else []) \
        + (["--wait", "300"] if wait else [])
    procs_ = [procs.start_indexer(*args, token=procs.new_token()) for _ in range(builds)]
    for proc in procs_:
        code, message = _finish(proc)
        trial.exits.append(code)
        trial.messages.append(message)
    for code, message in zip(trial.exits, trial.messages):
        if code == 3 and not wait and "another build is writing" in message:
            continue
        if code != 0:
            trial.problems.append(f"exit {code}: {message[-300:]}")
    if 0 not in trial.exits:
        trial.problems.append("no build succeeded")
    _check_intact(trial, corpus, index)
    return trial


def stale_lock_file(corpus: Path, index: Path) -> LockTrial:
    """A lock file naming a dead process (as a kill -9 leaves it) does not stop the next build."""
    trial = LockTrial("stale lock file of a dead build")
    index.mkdir(parents=True, exist_ok=True)
    (index / "build.lock").write_text("999999 2020-01-01 00:00:00\n")
    done = procs.run_indexer("build", str(corpus), "--index", str(index), "--quiet")
    trial.exits, trial.messages = [done.returncode], [done.stderr.strip()]
    if done.returncode != 0:
        trial.problems.append(f"the build did not take over the stale lock: {done.stderr[-300:]}")
    _check_intact(trial, corpus, index)
    return trial


def _check_intact(trial: LockTrial, corpus: Path, index: Path) -> None:
    try:
        trial.intact = docset.held(index).docs == docset.expected(corpus)
    except Exception as exc:  # noqa: BLE001
        trial.problems.append(f"index unopenable: {exc}")
        return
    if not trial.intact:
        trial.problems.append("the index does not hold exactly the corpus")
    if not procs.lock_is_free(index):
        trial.problems.append("the lock is still held after every build ended")


def run(corpus: Path, work: Path, rounds: int, log: Callable[[str], None] = print) -> list[LockTrial]:
    index = work / "locking-index"
    trials = [stale_lock_file(corpus, index), second_build(corpus, index, wait=False),
              second_build(corpus, index, wait=True)]
    for number in range(rounds):
        trials.append(simultaneous(corpus, index, 2 + number % 2, full=number % 2 == 0, wait=number % 3 == 2))
    for trial in trials:
        log(f"  {trial.name}: exits {trial.exits}, index intact={trial.intact}"
            + (f"  PROBLEMS: {trial.problems}" if trial.problems else ""))
    return trials
