"""Out of disk space during a build: a small real filesystem, or an injected write limit.

Two ways to make writes fail, both real: a tmpfs of a few MB holding the index, with a
ballast file leaving a chosen number of bytes free (needs root, as mounting does), and
RLIMIT_FSIZE on the build process, under which a write past the limit fails with EFBIG
(works for anyone). Each trial expects either success (the index holds the new corpus)
or exit code 3 with one line naming the cause; then the previous index intact and
searchable, its partial work removed, and the next build, with space, completing.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import docset, procs

BALLAST = "ballast.bin"


class Unavailable(Exception):
    """This machine cannot provide the fault (e.g. mounting needs root)."""


@contextmanager
def small_filesystem(mountpoint: Path, size_bytes: int) -> Iterator[Path]:
    """A tmpfs of `size_bytes` mounted at `mountpoint` for the duration of the block."""
    if os.geteuid() != 0:
        raise Unavailable("mounting a tmpfs needs root")
    mountpoint.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(mountpoint)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise Unavailable(f"cannot mount a tmpfs: {done.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


def free_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def used_bytes(path: Path) -> int:
    """Bytes allocated under `path` (what a full disk cares about)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:
                pass
    return total


def leave_free(mountpoint: Path, wanted: int) -> None:
    """Fill the filesystem with a ballast file until about `wanted` bytes remain free."""
    ballast = mountpoint / BALLAST
    ballast.unlink(missing_ok=True)
    fill = max(0, free_bytes(mountpoint) - wanted)
    with open(ballast, "wb") as fh:
        chunk = b"\0" * (1 << 20)
        while fill > 0:
            fh.write(chunk[: min(fill, len(chunk))])
            fill -= min(fill, len(chunk))


def fsize_limit(limit: int) -> Callable[[], None]:
    """preexec_fn: writes past `limit` bytes in any file fail with EFBIG instead of killing the process."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return apply


@dataclass
class DiskTrial:
    method: str  # "tmpfs" or "rlimit"
    mode: str  # "full" or "incremental"
    room: int  # bytes left free (tmpfs) or the file size limit (rlimit)
    exit_code: int = 0
    message: str = ""
    outcome: str = ""  # "old" / "new" / torn
    searchable: bool = False
    not_freed: int = 0  # bytes the failed build left allocated in the index directory
    leftovers: list[str] = field(default_factory=list)
    recovered: bool = False
    problems: list[str] = field(default_factory=list)


def _build_args(corpus: Path, index: Path, mode: str) -> list[str]:
    return ["build", str(corpus), "--index", str(index), "--quiet"] + (["--full"] if mode == "full" else [])


def _judge(trial: DiskTrial, done: procs.Finished, index: Path, old: docset.DocSet, new: docset.DocSet,
           before: int, expected_error: str) -> None:
    trial.exit_code = done.returncode
    trial.message = done.stderr.strip()
    try:
        trial.outcome = docset.classify(docset.held(index).docs, old, new)
    except Exception as exc:  # noqa: BLE001 - an unopenable index is the finding
        trial.outcome = f"unopenable: {exc}"
    search = procs.run_indexer("search", "institute", "--index", str(index), "--json", "--limit", "1")
    trial.searchable = search.returncode == 0
    trial.leftovers = sorted(p.name for p in index.iterdir() if p.name.endswith(".building"))
    if done.returncode == 0:
        if trial.outcome != "new":
            trial.problems.append(f"build succeeded but the index is {trial.outcome}")
    else:
        trial.not_freed = max(0, used_bytes(index) - before)
        lines = trial.message.splitlines()
        if done.returncode != 3 or len(lines) != 1 or expected_error not in trial.message:
            trial.problems.append(f"expected exit 3 and one line naming {expected_error!r}; got exit "
                                  f"{done.returncode}: {trial.message[-400:]}")
        if trial.outcome != "old":
            trial.problems.append(f"the failed build changed the index: {trial.outcome}")
        if trial.leftovers:
            trial.problems.append(f"partial generations left behind: {trial.leftovers}")
    if not trial.searchable:
        trial.problems.append(f"index not searchable: {search.stderr.strip()[-300:]}")


def tmpfs_trial(mountpoint: Path, corpus: Path, template: Path, old: docset.DocSet, new: docset.DocSet,
                mode: str, room: int) -> DiskTrial:
    """Copy the old index onto the small filesystem, leave `room` bytes free, build the new corpus."""
    trial = DiskTrial("tmpfs", mode, room)
    for child in mountpoint.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    index = mountpoint / "index"
    shutil.copytree(template, index)
    leave_free(mountpoint, room)
    before = used_bytes(index)
    done = procs.run_indexer(*_build_args(corpus, index, mode))
    _judge(trial, done, index, old, new, before, "No space left on device")
    (mountpoint / BALLAST).unlink(missing_ok=True)
    _recover(trial, corpus, index, new)
    return trial


def rlimit_trial(work: Path, corpus: Path, template: Path, old: docset.DocSet, new: docset.DocSet,
                 mode: str, limit: int) -> DiskTrial:
    """Build the new corpus with writes limited to `limit` bytes per file."""
    trial = DiskTrial("rlimit", mode, limit)
    index = work / f"rlimit-{mode}-{limit}"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(template, index)
    before = used_bytes(index)
    done = procs.run_indexer(*_build_args(corpus, index, mode), preexec=fsize_limit(limit))
    _judge(trial, done, index, old, new, before, "File too large")
    _recover(trial, corpus, index, new)
    if not trial.problems:
        shutil.rmtree(index, ignore_errors=True)
    return trial


def _recover(trial: DiskTrial, corpus: Path, index: Path, new: docset.DocSet) -> None:
    done = procs.run_indexer("build", str(corpus), "--index", str(index), "--quiet")
    try:
        trial.recovered = done.returncode == 0 and docset.held(index).docs == new
    except Exception:  # noqa: BLE001
        trial.recovered = False
    if not trial.recovered:
        trial.problems.append(f"the next build, with space, did not restore the new corpus: {done.stderr[-300:]}")


def describe(trial: DiskTrial) -> str:
    result = "built" if trial.exit_code == 0 else f"exit {trial.exit_code} {trial.message[:60]!r}"
    return (f"  {trial.method:6} {trial.mode:11} room {trial.room:>9,} B: {result}; index {trial.outcome}, "
            f"searchable={trial.searchable}, not freed {trial.not_freed:,} B, next build ok={trial.recovered}"
            + (f"  PROBLEMS: {trial.problems}" if trial.problems else ""))


@dataclass(frozen=True)
class Setup:
    corpus: Path
    template: Path
    old: docset.DocSet
    new: docset.DocSet
    need: dict[str, int]  # bytes a successful build of the new corpus adds, per mode


def prepare(work: Path, articles: int, seed: int) -> Setup:
    """Corpus A indexed into a template, the folder mutated into B; measures what a build of B needs."""
    from . import generate

    corpus = generate.write_corpus(work / "corpus", articles, seed)
    old = docset.expected(corpus)
    template = work / "template"
    procs.run_indexer("build", str(corpus), "--index", str(template), "--quiet")
    generate.mutate(corpus, articles, seed, fraction=0.5)
    new = docset.expected(corpus)
    need = {}
    for mode in ("full", "incremental"):
        scratch = work / f"measure-{mode}"
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(template, scratch)
        before = used_bytes(scratch)
        procs.run_indexer(*_build_args(corpus, scratch, mode))
        need[mode] = max(4096, used_bytes(scratch) - before)
        shutil.rmtree(scratch)
    return Setup(corpus, template, old, new, need)


FRACTIONS = (0.0, 0.01, 0.05, 0.2, 0.5, 0.8, 1.0, 1.5, 2.5, 4.0)
LIMITS = (4096, 32768, 0.3, 0.7)  # absolute bytes, or fractions of what the build writes


def run(work: Path, articles: int, seed: int, fractions: tuple[float, ...] = FRACTIONS,
        limits: tuple[float, ...] = LIMITS, log: Callable[[str], None] = print) -> list[DiskTrial]:
    """tmpfs trials at each fraction of the needed space (when root), then RLIMIT_FSIZE trials."""
    setup = prepare(work, articles, seed)
    log(f"disk full: corpus A {len(setup.old)} docs -> B {len(setup.new)} docs; a full build of B needs "
        f"{setup.need['full']:,} B, an incremental one {setup.need['incremental']:,} B")
    trials: list[DiskTrial] = []
    size = used_bytes(setup.template) + 2 * max(setup.need.values()) + (4 << 20)
    try:
        with small_filesystem(work / "small-fs", size) as mount:
            for mode in ("full", "incremental"):
                for fraction in fractions:
                    trial = tmpfs_trial(mount, setup.corpus, setup.template, setup.old, setup.new, mode,
                                        int(setup.need[mode] * fraction))
                    trials.append(trial)
                    log(describe(trial))
    except Unavailable as exc:
        log(f"  tmpfs trials skipped: {exc}")
    for mode in ("full", "incremental"):
        for limit in limits:
            room = int(limit if limit >= 1 else setup.need[mode] * limit)
            trial = rlimit_trial(work, setup.corpus, setup.template, setup.old, setup.new, mode, room)
            trials.append(trial)
            log(describe(trial))
    return trials
