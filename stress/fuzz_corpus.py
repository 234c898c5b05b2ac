"""Hypothesis-generated hostile corpora, each built in-process and judged by the hostile-corpus oracle."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, seed as hypothesis_seed, settings

from . import procs, strategies
from .hostile_corpus import GOOD, Case, CorpusResult, article, check_build, write_cases


@dataclass
class Generated:
    examples: int = 0
    files: int = 0
    indexed: int = 0
    reported: int = 0
    problems: list[str] = field(default_factory=list)


def judge_generated(work: Path, cases: list[Case]) -> CorpusResult:
    """Build one generated corpus (plus a good anchor article) in-process and judge it."""
    cases = [*cases, Case("zz_anchor", article().encode(), GOOD)]
    folder = work / "generated"
    write_cases(folder, cases)
    return check_build(folder, work / "generated-index", cases, procs.run_in_process)


def run_generated(work: Path, examples: int, seed: int) -> Generated:
    """`examples` Hypothesis examples (seeded); stops at the first failing one, shrunk."""
    stats = Generated()

    @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @hypothesis_seed(seed)
    @given(strategies.hostile_corpus())
    def one(cases: list[Case]) -> None:
        result = judge_generated(work, cases)
        stats.examples += 1
        stats.files += result.files
        stats.indexed += result.indexed
        stats.reported += result.reported
        if result.problems:
            raise AssertionError(result.problems)

    try:
        one()
    except AssertionError as exc:
        stats.problems.append(str(exc)[:2000])
    return stats
