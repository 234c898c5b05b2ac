"""The sections of `python -m stress`: each runs one harness at a given size and returns (figures, problems)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import (corruption, diskfull, docset, generate, hostile_corpus, kill, load, locking, procs, queries,
               query_check, server, web)

Result = tuple[dict[str, Any], list[str]]


@dataclass(frozen=True)
class Size:
    kill_articles: int
    kill_trials: int
    disk_articles: int
    disk_fractions: tuple[float, ...]
    disk_limits: tuple[float, ...]
    segment_variants: int
    locking_rounds: int
    corpus_big: bool
    corpus_examples: int
    query_count: int
    query_articles: int
    big_articles: int
    subprocess_queries: int
    load_articles: int
    load_seconds: float
    clients: int


FULL = Size(kill_articles=1000, kill_trials=20, disk_articles=400, disk_fractions=diskfull.FRACTIONS,
            disk_limits=diskfull.LIMITS, segment_variants=6, locking_rounds=6, corpus_big=True, corpus_examples=150,
            query_count=1200, query_articles=800, big_articles=2500, subprocess_queries=20, load_articles=1500,
            load_seconds=30, clients=20)
QUICK = Size(kill_articles=500, kill_trials=3, disk_articles=200, disk_fractions=(0.0, 0.2, 0.8, 4.0),
             disk_limits=(4096, 0.5), segment_variants=3, locking_rounds=2, corpus_big=False, corpus_examples=25,
             query_count=300, query_articles=300, big_articles=600, subprocess_queries=5, load_articles=400,
             load_seconds=5, clients=20)


def _problems(items: list[Any], label: Callable[[Any], str]) -> list[str]:
    return [f"{label(item)}: {p}" for item in items for p in item.problems]


def kill_section(work: Path, size: Size, seed: int) -> Result:
    setup, trials = kill.run(work, size.kill_trials, size.kill_articles, seed)
    outcomes: dict[str, dict[str, int]] = {}
    for trial in trials:
        key = trial.outcome if trial.outcome in ("old", "new") else "torn or lost"
        outcomes.setdefault(trial.mode, {}).setdefault(key, 0)
        outcomes[trial.mode][key] += 1
    figures = {
        "articles": size.kill_articles,
        "trials": {mode: sum(1 for t in trials if t.mode == mode) for mode in kill.MODES},
        "random_trials_per_mode": size.kill_trials,
        "killed_while_running": sum(t.killed_running for t in trials),
        "trials_with_workers_alive_at_kill": sum(t.workers_seen > 0 for t in trials),
        "outcomes": outcomes,
        "orphans": sum(len(t.orphans) for t in trials),
        "lost_or_torn": sum(t.outcome not in ("old", "new") for t in trials),
        "recovered_by_next_build": sum(t.recovered for t in trials),
        "uninterrupted_build_seconds": {k: round(v, 2) for k, v in setup.seconds.items()},
    }
    return figures, _problems(trials, lambda t: f"{t.mode} #{t.number} {t.trigger}")


def corrupt_section(work: Path, size: Size, seed: int) -> Result:
    corpus = generate.write_corpus(work / "corpus", 60, seed)
    template = work / "template"
    procs.run_indexer("build", str(corpus), "--index", str(template), "--quiet")
    results = corruption.run(corpus, template, work, size.segment_variants)
    figures = {
        "damages": len({r.damage for r in results}),
        "cases": len(results),
        "search_exit_codes": _count(r.search_exit for r in results),
        "plain_build_repaired": sum(r.rebuild == "plain" and "left it damaged" not in r.rebuild_summary
                                    for r in results),
        "plain_build_needed_full": sum("left it damaged" in r.rebuild_summary for r in results),
        "restored": sum(r.restored for r in results),
    }
    return figures, _problems(results, lambda r: f"{r.damage} / {r.rebuild}")


def disk_section(work: Path, size: Size, seed: int) -> Result:
    trials = diskfull.run(work, size.disk_articles, seed, size.disk_fractions, size.disk_limits)
    figures = {
        "trials": len(trials),
        "by_method": _count(t.method for t in trials),
        "failed_cleanly": sum(t.exit_code == 3 and not t.problems for t in trials),
        "succeeded": sum(t.exit_code == 0 for t in trials),
        "index_changed_by_failed_build": sum(t.exit_code != 0 and t.outcome != "old" for t in trials),
        "max_bytes_not_freed": max((t.not_freed for t in trials), default=0),
        "recovered": sum(t.recovered for t in trials),
    }
    return figures, _problems(trials, lambda t: f"{t.method} {t.mode} room {t.room}")


def locking_section(work: Path, size: Size, seed: int) -> Result:
    corpus = generate.write_corpus(work / "corpus", 600, seed)
    trials = locking.run(corpus, work, size.locking_rounds)
    figures = {"trials": len(trials), "exits": {t.name: t.exits for t in trials},
               "intact": sum(t.intact for t in trials)}
    return figures, _problems(trials, lambda t: t.name)


def corpus_section(work: Path, size: Size, seed: int) -> Result:
    from .fuzz_corpus import run_generated

    hand = hostile_corpus.run_hand(work, big=size.corpus_big)
    generated = run_generated(work, size.corpus_examples, seed)
    figures = {
        "hand_files": hand.files, "hand_indexed": hand.indexed, "hand_reported": hand.reported,
        "hand_exit": hand.exit_code, "hand_seconds": round(hand.seconds, 1),
        "generated_examples": generated.examples, "generated_files": generated.files,
        "generated_indexed": generated.indexed, "generated_reported": generated.reported,
    }
    return figures, [f"hand-made: {p}" for p in hand.problems] + [f"generated: {p}" for p in generated.problems]


def _index_of(work: Path, name: str, articles: int, seed: int) -> Path:
    corpus = generate.write_corpus(work / f"{name}-corpus", articles, seed)
    index = work / f"{name}-index"
    done = procs.run_indexer("build", str(corpus), "--index", str(index), "--quiet")
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return index


def queries_section(work: Path, size: Size, seed: int) -> Result:
    every = queries.hostile_queries(size.query_count, seed)
    small = _index_of(work, "queries", size.query_articles, seed)
    big = _index_of(work, "big", size.big_articles, seed + 1)
    answers = query_check.cli_answers(small, every)
    answers += query_check.cli_answers(big, queries.hand_list(), target="cli-big-index")
    answers += query_check.cli_answers(small, every[:: max(1, len(every) // size.subprocess_queries)],
                                       run=procs.run_indexer, target="subprocess")
    with server.serve(big) as base:
        answers += query_check.http_answers(base, every)
    figures = query_check.summary(answers)
    figures["queries"] = len(every)
    figures["index_documents"] = {"small": size.query_articles, "big": size.big_articles}
    return figures, figures.pop("problems")  # type: ignore[return-value]


def web_section(work: Path, size: Size, seed: int) -> Result:
    corpus = web.write_corpus(work / "corpus")
    index = work / "index"
    done = procs.run_indexer("build", str(corpus), "--index", str(index), "--quiet")
    if done.returncode != 0:
        return {}, [f"cannot build the payload corpus: {done.stderr}"]
    with server.serve(index) as base:
        result = web.run(base)
    return {"requests": result.requests, "statuses": result.statuses}, result.problems


def load_section(work: Path, size: Size, seed: int) -> Result:
    phases = load.run(work, size.load_articles, size.load_seconds, size.clients, seed)
    figures = {p.name: {"requests": p.requests, "failed": p.failed, "inconsistent": p.inconsistent,
                        "seconds": p.seconds, "generations": p.generations, "latency": p.latency,
                        "rebuild": p.rebuild} for p in phases}
    figures["clients"] = size.clients
    return figures, _problems(phases, lambda p: p.name)


def _count(values: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for value in values:
        out[str(value)] = out.get(str(value), 0) + 1
    return out


SECTIONS: dict[str, Callable[[Path, Size, int], Result]] = {
    "kill": kill_section, "corrupt": corrupt_section, "disk": disk_section, "locking": locking_section,
    "corpus": corpus_section, "queries": queries_section, "web": web_section, "load": load_section,
}
