"""A tiny end-to-end run of `python -m bench run`, so the benchmark harness cannot rot (no timings asserted)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from bench import measure
from bench.queries import KINDS, VARIANTS
from tests.helpers import ROOT


def test_tiny_benchmark_run_writes_json_and_a_markdown_table(tmp_path: Path) -> None:
    peers = "fts5,tantivy" if importlib.util.find_spec("tantivy") else "fts5"
    out = tmp_path / "bench-out"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "run", "--sizes", "40", "--rounds", "1", "--queries", "2", "--repeats", "1",
         "--workers", "1,2", "--peers", peers, "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    (size,) = results["sizes"]
    assert size["size"] == 40 and size["corpus"]["size"] == 40
    assert {"full build, 1 process", "full build, 2 processes", "incremental build, 1 file changed",
            "incremental build, 100 files changed"} <= set(size["builds"])
    scenarios = {f"{k} / {v}" for k in KINDS for v in VARIANTS}
    assert set(size["latency"]) == scenarios
    for per_engine in size["latency"].values():
        assert set(per_engine) == {"ours", *peers.split(",")}
        assert all(stats["samples"] == 2 for stats in per_engine.values())
    assert size["http"]["search page"]["samples"] > 0 and size["http"]["memory"]["rss_mb"] > 0
    table = (out / "results.md").read_text()
    assert "| one term / facets |" in table and "ours/SQLite FTS5 p95" in table
    assert table in proc.stdout


def test_percentiles_use_the_nearest_rank() -> None:
    samples = [float(x) for x in range(1, 101)]
    assert [measure.percentile(samples, p) for p in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert measure.percentile([7.0], 99) == 7.0


def test_noise_is_the_spread_of_round_p95s_over_their_median() -> None:
    summary = measure.summarise([[10.0] * 20, [12.0] * 20, [11.0] * 20])
    assert summary["p50"] == 11.0 and summary["noise"] == round(2.0 / 11.0, 3) and summary["samples"] == 60


def test_components_compare_the_old_and_new_way_of_every_step(scale_index: Path, scale_corpus: Path) -> None:
    from bench import components

    rows = components.search_parts(scale_index, ["cell", '"gene expression"']) + \
        components.build_parts(scale_corpus, 20)
    names = [name for name, _before, _after in rows]
    assert "ranking \"gene expression\"" in names and "whole search cell" in names
    assert any(name.startswith("writing 20 documents") for name in names)
    assert all(before > 0 and after > 0 for _name, before, after in rows)
    assert components.table(rows).count("\n") == len(rows) + 1
