"""Latency statistics: percentiles per round, medians over rounds, and the noise between rounds.

Engines are measured interleaved (round 1: scenario A for every engine, scenario B for
every engine, ...; then round 2), so a burst of load on a shared machine hits all
of them alike and the ratios stay meaningful even when absolute figures wander.
"""

from __future__ import annotations

import math
import statistics
import time
from typing import Any, Callable, Iterable, Sequence

PERCENTILES = (50, 95, 99)


def percentile(samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty sample."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def timed(fn: Callable[[Any], Any], items: Iterable[Any]) -> list[float]:
    """Milliseconds taken by fn(item) for each item."""
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def summarise(rounds: list[list[float]]) -> dict[str, float]:
    """Median over rounds of each round's p50/p95/p99, and the noise: spread of the round p95s / median p95."""
    out: dict[str, float] = {}
    for p in PERCENTILES:
        per_round = [percentile(r, p) for r in rounds if r]
        out[f"p{p}"] = round(statistics.median(per_round), 2)
    p95s = [percentile(r, 95) for r in rounds if r]
    out["noise"] = round((max(p95s) - min(p95s)) / statistics.median(p95s), 3) if p95s and statistics.median(p95s) else 0.0
    out["samples"] = sum(len(r) for r in rounds)
    return out


def median_of(values: list[float]) -> dict[str, float]:
    """Median, min, max and relative spread of repeated whole-run timings (builds)."""
    med = statistics.median(values)
    return {
        "median": round(med, 3), "min": round(min(values), 3), "max": round(max(values), 3),
        "noise": round((max(values) - min(values)) / med, 3) if med else 0.0, "runs": len(values),
    }
