"""Latency figures: percentiles of a list of durations."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def percentiles(values: list[float]) -> dict[str, float]:
    """p50 / p95 / p99 / max in milliseconds, and the count."""
    return {
        "count": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "p99_ms": round(percentile(values, 99) * 1000, 1),
        "max_ms": round(max(values, default=0.0) * 1000, 1),
    }
