"""Build measurements: the real `indexer build` command in a subprocess, timed from process start.

Wall time includes interpreter start-up and imports (what a user waits for); peak RSS
is the kernel's ru_maxrss of the build process and the workers it waited for.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from . import generate
from .measure import median_of

INDEXER = [sys.executable, "-m", "indexer"]


def run_build(corpus: Path, index: Path, *, workers: int | None = None, full: bool = False) -> dict[str, float]:
    """One `indexer build`: wall and CPU seconds (its workers included), peak RSS in MB, exit code (1: files failed)."""
    args = [*INDEXER, "build", str(corpus), "--index", str(index), "--quiet"]
    if workers:
        args += ["--workers", str(workers)]
    if full:
        args.append("--full")
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"indexer build failed ({proc.returncode}): {err.strip() or out.strip()}")
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
            "exit": proc.returncode, "summary": out.strip()}


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def full_builds(corpus: Path, out: Path, workers: tuple[int, ...]) -> tuple[dict[str, dict], Path]:
    """A full build per worker count into its own index; the last index is kept for searching."""
    results: dict[str, dict] = {}
    index = out
    for n in workers:
        index = out.with_name(f"{out.name}-w{n}")
        run = run_build(corpus, index, workers=n, full=True)
        live = index / (index / "CURRENT").read_text().strip()
        results[f"full build, {n} process{'es' if n > 1 else ''}"] = run | {"index_bytes": dir_bytes(live)}
        print(f"  full build with {n} worker(s): {run['seconds']:.1f} s (CPU {run['cpu_seconds']:.1f} s), "
              f"peak RSS {run['peak_rss_mb']:.0f} MB", flush=True)
    return results, index


def incremental_builds(corpus: Path, index: Path, seed: int, counts: tuple[int, ...], repeats: int) -> dict[str, dict]:
    """Edit N files, run an incremental build, repeat; then put the files back (and re-index them)."""
    writer = generate.writer_for(seed)
    size = sum(1 for _ in corpus.glob("*.txt"))
    results: dict[str, dict] = {}
    touched: set[int] = set()
    quiet = [run_build(corpus, index) for _ in range(repeats)]
    results["incremental build, no change"] = {"seconds": median_of([r["seconds"] for r in quiet]),
                                               "cpu_seconds": median_of([r["cpu_seconds"] for r in quiet])}
    for count in counts:
        runs, cpu, rss = [], [], []
        for r in range(repeats):
            indices = [(count * 7919 + r * 104729 + k * 15485863) % size for k in range(count)]
            generate.edit(corpus, writer, indices, r + 1)
            touched.update(indices)
            run = run_build(corpus, index)
            runs.append(run["seconds"])
            cpu.append(run["cpu_seconds"])
            rss.append(run["peak_rss_mb"])
        results[f"incremental build, {count} file{'s' if count > 1 else ''} changed"] = {
            "seconds": median_of(runs), "cpu_seconds": median_of(cpu), "peak_rss_mb": max(rss),
        }
        print(f"  incremental build after changing {count} file(s): median {results[list(results)[-1]]['seconds']['median']:.2f} s",
              flush=True)
    generate.restore(corpus, writer, sorted(touched))
    run_build(corpus, index)
    return results
