"""kill -9 during full and incremental builds, at seeded random moments and at chosen phases.

Setup: corpus A is generated and indexed (the template index); the same folder is then
mutated into corpus B. Each trial copies the template, starts a real `indexer build` of B
(full or incremental) and kills it with SIGKILL. Then: no process of the build survives,
the lock is free, the index opens and holds exactly A or exactly B (ids and content
checksums), a search through the CLI returns every document, and the next build
(without --wait) completes and holds exactly B.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import docset, generate, procs

MODES = ("full", "incremental")
#: Kill triggers observed on disk, per mode: the narrow windows random timing rarely hits.
PHASES = {
    "full": ("generation-created", "whoosh-committed", "meta-written", "published"),
    "incremental": ("new-toc", "manifest-replaced"),
}


@dataclass(frozen=True)
class Setup:
    work: Path
    corpus: Path
    template: Path
    old: docset.DocSet
    new: docset.DocSet
    seconds: dict[str, float]  # uninterrupted build time per mode
    mutation: generate.Mutation


@dataclass
class Trial:
    mode: str
    number: int
    trigger: str
    delay: float = 0.0
    killed_running: bool = True
    workers_seen: int = 0
    outcome: str = ""
    orphans: list[str] = field(default_factory=list)
    lock_free: bool = True
    search_total: int | None = None
    recovered: bool = False
    leftovers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def prepare(work: Path, articles: int, seed: int, fraction: float = 0.4) -> Setup:
    """Corpus A indexed into a template, the folder mutated into B, build times calibrated."""
    corpus = generate.write_corpus(work / "corpus", articles, seed)
    old = docset.expected(corpus)
    template = work / "template"
    first = procs.run_indexer("build", str(corpus), "--index", str(template), "--quiet")
    if first.returncode != 0:
        raise RuntimeError(f"template build failed: {first.stderr}")
    time.sleep(0.01)  # changed files get a later mtime than the manifest recorded
    mutation = generate.mutate(corpus, articles, seed, fraction)
    new = docset.expected(corpus)
    seconds = {}
    for mode in MODES:
        scratch = _fresh_copy(template, work / f"calibrate-{mode}")
        done = procs.run_indexer(*_build_args(corpus, scratch, mode))
        got = docset.held(scratch).docs
        if done.returncode != 0 or got != new:
            raise RuntimeError(f"uninterrupted {mode} build did not produce corpus B: {done.stderr}")
        seconds[mode] = done.seconds
        shutil.rmtree(scratch)
    return Setup(work, corpus, template, old, new, seconds, mutation)


def _build_args(corpus: Path, index: Path, mode: str) -> list[str]:
    args = ["build", str(corpus), "--index", str(index), "--quiet"]
    return args + ["--full"] if mode == "full" else args


def _fresh_copy(template: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(template, target)
    return target


def run_trial(setup: Setup, mode: str, number: int, trigger: str, delay: float = 0.0) -> Trial:
    """One kill -9 trial; `trigger` is "random" (kill after `delay` s) or a phase of PHASES[mode]."""
    trial = Trial(mode, number, trigger, round(delay, 3))
    index = _fresh_copy(setup.template, setup.work / f"trial-{mode}-{number}")
    token = procs.new_token()
    proc = procs.start_indexer(*_build_args(setup.corpus, index, mode), token=token)
    started = time.monotonic()
    condition = _phase_condition(index, trigger) if trigger != "random" else None
    trial.workers_seen = _wait_for_moment(proc, token, started, delay, condition)
    trial.delay = round(time.monotonic() - started, 3)
    trial.killed_running = proc.poll() is None
    if trial.killed_running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    trial.orphans = procs.survivors(token)
    trial.lock_free = procs.lock_is_free(index)
    _check_index(setup, index, trial)
    _recover(setup, index, trial)
    _judge(trial)
    if not trial.problems:
        shutil.rmtree(index, ignore_errors=True)
    return trial


def _wait_for_moment(proc, token: str, started: float, delay: float, condition: Callable[[], bool] | None) -> int:
    """Wait until the delay passed (or the phase condition holds, or the build ended); max workers seen alive."""
    seen = 0
    next_scan = 0.0
    limit = started + (delay if condition is None else 120.0)
    while proc.poll() is None and time.monotonic() < limit:
        if condition is not None and condition():
            break
        now = time.monotonic()
        if now >= next_scan:
            seen = max(seen, sum("spawn_main" in procs.command_line(pid) for pid in procs.with_token(token)))
            next_scan = now + 0.1
        time.sleep(0.0005 if condition is not None else 0.01)
    return seen


def _phase_condition(index: Path, phase: str) -> Callable[[], bool]:
    """A cheap test of the index directory that becomes true when the build reaches `phase`."""
    live = (index / "CURRENT").read_text().strip()
    live_dir = index / live
    tocs = {p.name for p in live_dir.glob("_MAIN_*.toc")}
    manifest_inode = (live_dir / "manifest.json").stat().st_ino

    def building() -> list[Path]:
        return [p for p in index.iterdir() if p.name.endswith(".building")]

    def check() -> bool:
        if phase == "generation-created":
            return bool(building())
        if phase == "whoosh-committed":
            return any((b / "_MAIN_1.toc").exists() for b in building())
        if phase == "meta-written":
            return any((b / "META.json").exists() for b in building())
        if phase == "published":
            return (index / "CURRENT").read_text().strip() != live
        if phase == "new-toc":
            return bool({p.name for p in live_dir.glob("_MAIN_*.toc")} - tocs)
        if phase == "manifest-replaced":
            try:
                return (live_dir / "manifest.json").stat().st_ino != manifest_inode
            except FileNotFoundError:
                return False
        raise ValueError(f"unknown phase {phase!r}")

    return check


def _check_index(setup: Setup, index: Path, trial: Trial) -> None:
    try:
        held = docset.held(index)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
        trial.outcome = f"unopenable: {type(exc).__name__}: {exc}"
        return
    trial.outcome = docset.classify(held.docs, setup.old, setup.new)
    if held.duplicates:
        trial.problems.append(f"duplicate ids in the index: {held.duplicates[:5]}")
    done = procs.run_indexer("search", "institute", "--index", str(index), "--json", "--limit", "3")
    if done.returncode != 0:
        trial.problems.append(f"search exit {done.returncode}: {done.stderr.strip()[:300]}")
        return
    trial.search_total = json.loads(done.stdout)["total"]
    if trial.search_total != len(held.docs):
        trial.problems.append(f"search found {trial.search_total} of {len(held.docs)} documents")


def _recover(setup: Setup, index: Path, trial: Trial) -> None:
    done = procs.run_indexer("build", str(setup.corpus), "--index", str(index), "--quiet")
    if done.returncode != 0:
        trial.problems.append(f"next build exit {done.returncode}: {done.stderr.strip()[:300]}")
        return
    try:
        trial.recovered = docset.held(index).docs == setup.new
    except Exception as exc:  # noqa: BLE001
        trial.problems.append(f"index unopenable after the next build: {exc}")
    trial.leftovers = sorted(p.name for p in index.iterdir() if p.name.endswith(".building"))


def _judge(trial: Trial) -> None:
    if trial.outcome not in ("old", "new"):
        trial.problems.append(f"index after kill: {trial.outcome}")
    if trial.orphans:
        trial.problems.append(f"processes outlived the killed build: {trial.orphans}")
    if not trial.lock_free:
        trial.problems.append("the build lock was still held after the kill")
    if not trial.recovered and not any(p.startswith("next build") for p in trial.problems):
        trial.problems.append("the next build did not produce exactly corpus B")
    if trial.leftovers:
        trial.problems.append(f"partial generations left on disk after the next build: {trial.leftovers}")


def plan(setup: Setup, trials: int, seed: int, phases: bool = True) -> list[tuple[str, int, str, float]]:
    """Seeded (mode, number, trigger, delay) for `trials` random kills per mode, plus one per phase."""
    rng = random.Random(f"kill:{seed}")
    out = []
    for mode in MODES:
        span = setup.seconds[mode] * 1.1
        out += [(mode, n, "random", rng.uniform(0.05, span)) for n in range(trials)]
        if phases:
            out += [(mode, trials + i, phase, 0.0) for i, phase in enumerate(PHASES[mode])]
    return out


def run(work: Path, trials: int, articles: int, seed: int, phases: bool = True,
        log: Callable[[str], None] = print) -> tuple[Setup, list[Trial]]:
    """Prepare, then run every planned trial; logs one line per trial."""
    setup = prepare(work, articles, seed)
    log(f"kill -9: corpus A {len(setup.old)} docs -> B {len(setup.new)} docs "
        f"({setup.mutation.changed} changed, {setup.mutation.added} added, {setup.mutation.removed} removed); "
        f"uninterrupted full build {setup.seconds['full']:.2f} s, incremental {setup.seconds['incremental']:.2f} s")
    results = []
    for mode, number, trigger, delay in plan(setup, trials, seed, phases):
        trial = run_trial(setup, mode, number, trigger, delay)
        results.append(trial)
        state = "killed" if trial.killed_running else "finished first"
        log(f"  {mode:11} #{number:02d} {trigger:18} at {trial.delay:6.3f} s ({state}, {trial.workers_seen} workers): "
            f"{trial.outcome}; next build {'ok' if trial.recovered else 'FAILED'}"
            + (f"  PROBLEMS: {trial.problems}" if trial.problems else ""))
    return setup, results
