"""Benchmark results as a JSON file and a markdown table: our figure, each peer's, and the ratio."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PEERS = (("fts5", "SQLite FTS5"), ("tantivy", "tantivy"))


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _ratio(ours: float | None, peer: float | None) -> str:
    return "–" if not ours or not peer else f"{ours / peer:.2f}×"


def latency_table(result: dict[str, Any]) -> list[str]:
    """p50 / p95 / p99 per scenario for every engine; ratio = ours / peer (below 1: we are faster)."""
    latency = result["latency"]
    peers = [(key, label) for key, label in PEERS if any(key in per for per in latency.values())]
    head = ["scenario", "ours p50", "ours p95", "ours p99"]
    for _key, label in peers:
        head += [f"{label} p50", f"{label} p95", f"ours/{label} p95"]
    head.append("noise (ours)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for scenario, per in latency.items():
        ours = per["ours"]
        row = [scenario, _ms(ours["p50"]), _ms(ours["p95"]), _ms(ours["p99"])]
        for key, _label in peers:
            peer = per.get(key, {})
            row += [_ms(peer.get("p50")), _ms(peer.get("p95")), _ratio(ours["p95"], peer.get("p95"))]
        row.append(f"{ours['noise']:.0%}")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _build_cell(data: dict[str, Any]) -> str:
    seconds = data["seconds"]
    if isinstance(seconds, dict):
        cpu = data.get("cpu_seconds", {})
        text = f"{seconds['median']:.2f} s (CPU {cpu.get('median', 0):.2f} s; {seconds['runs']} runs, noise {seconds['noise']:.0%})"
    else:
        text = f"{seconds:.1f} s (CPU {data.get('cpu_seconds', 0):.1f} s)"
    if "peak_rss_mb" in data:
        text += f", peak RSS {data['peak_rss_mb']:.0f} MB"
    return text


def build_table(result: dict[str, Any]) -> list[str]:
    lines = ["| build / server | ours | SQLite FTS5 | tantivy |", "|---|---|---|---|"]
    peer = result.get("peer_builds", {})
    first = True
    for name, data in result["builds"].items():
        cells = ["", ""]
        if name.startswith("full build") and first:
            cells = [f"{peer[k]['seconds']:.1f} s*" if k in peer else "–" for k in ("fts5", "tantivy")]
            first = False
        lines.append(f"| {name} | {_build_cell(data)} | {cells[0]} | {cells[1]} |")
    full = next((d for n, d in result["builds"].items() if n.startswith("full build")), None)
    if not result["builds"]:
        lines.append("| (builds not measured in this run: --no-builds) | | | |")
    if full:
        sizes = [f"{peer[k]['bytes'] / 2**20:.0f} MB" if k in peer else "–" for k in ("fts5", "tantivy")]
        lines.append(f"| index size on disk | {full['index_bytes'] / 2**20:.0f} MB | {sizes[0]} | {sizes[1]} |")
    if "open_seconds" in result:
        lines.append(f"| opening the index (searcher + facet tables) | {result['open_seconds']:.2f} s | | |")
    http = result.get("http")
    if http:
        lines.append(f"| web server start until the first answer | {http['startup_seconds']:.2f} s | | |")
        for label in ("search page", "JSON API"):
            h = http[label]
            lines.append(f"| HTTP {label} p50 / p95 / p99 | {h['p50']:.1f} / {h['p95']:.1f} / {h['p99']:.1f} ms | | |")
        mem = http["memory"]
        lines.append(f"| server RSS after the HTTP runs (peak) | {mem['rss_mb']:.0f} MB ({mem['peak_rss_mb']:.0f} MB) | | |")
    return lines


def first_run_table(result: dict[str, Any]) -> list[str]:
    """p95 of the first pass over each scenario (caches cold), per engine."""
    latency = result["latency"]
    engines = [e for e in ("ours", *(k for k, _l in PEERS)) if any(e in per for per in latency.values())]
    labels = {"ours": "ours", **dict(PEERS)}
    lines = ["| scenario | " + " | ".join(f"{labels[e]} p95" for e in engines) + " |", "|---|" + "---|" * len(engines)]
    for scenario, per in latency.items():
        cells = [_ms(per[e].get("first_run", {}).get("p95")) if e in per else "–" for e in engines]
        lines.append(f"| {scenario} | " + " | ".join(cells) + " |")
    return lines


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    out = [f"Measured on {m['cpu']}, {m['cores']} cores, {m['memory_mb']:,} MB RAM, Python {m['python']}, "
           f"{m['system']} (load average at start {m['load'][0]:.2f}); {results['date']}.", ""]
    for result in results["sizes"]:
        c = result["corpus"]
        out += [f"### {result['size']:,} articles ({c['bytes'] / 2**20:.0f} MB of text, seed {c['seed']})", ""]
        out += build_table(result)
        out += ["", "\\* peers index the documents our pipeline parsed (parsing not included in their time).", ""]
        out += ["Query latency in ms (query + all facet counts + top-10 snippets; medians over rounds):", ""]
        out += latency_table(result)
        out += ["", "First pass over each scenario (cold caches: the first time each query is seen), p95 in ms:", ""]
        out += first_run_table(result)
        agree = result.get("agreement", {})
        if agree:
            parts = []
            for key, label in PEERS:
                shares = [v[key] for v in agree.values() if key in v]
                if shares:
                    parts.append(f"{label} {sum(shares) / len(shares):.0%}")
            out += ["", f"Same total hit count as ours: {', '.join(parts)} of queries "
                    "(tokenizers differ slightly: stop words, stemmers)."]
        out.append("")
    return "\n".join(out)


def write(results: dict[str, Any], out: Path) -> tuple[Path, Path]:
    """results.json and results.md in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "results.json", out / "results.md"
    json_path.write_text(json.dumps(results, indent=2, default=str))
    md_path.write_text(markdown(results))
    return json_path, md_path
