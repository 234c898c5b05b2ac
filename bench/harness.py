"""One benchmark run over one corpus size: builds, query latency for us and the peers, HTTP.

Order: generate (or reuse) the corpus; full builds with 1 and 2 processes; incremental
builds; export the indexed documents for the peers and build SQLite FTS5 and tantivy;
run the fixed query set, interleaved across engines, for several rounds; then the
real web server. Everything it writes goes under the output folder.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from indexer.model import SearchRequest
from indexer.reader import IndexHandle
from indexer.search import search

from . import builds, docs, generate, peer_fts5, queries
from .calibrate import learn
from .http import Server, url_of
from .measure import summarise, timed
from .queries import BenchQuery, PeerResult

HTTP_VARIANTS = ("facets", "two filters")


@dataclass(frozen=True)
class Options:
    out: Path
    seed: int = 1
    rounds: int = 3
    per_scenario: int = 10
    workers: tuple[int, ...] = (1, 2)
    incremental: tuple[int, ...] = (1, 100)
    repeats: int = 3
    peers: tuple[str, ...] = ("fts5", "tantivy")
    http: bool = True
    builds: bool = True  # False: reuse the index of an earlier run and measure searches only
    log: Callable[[str], None] = field(default=print)


class Ours:
    """Our search() behind the peers' interface."""

    def __init__(self, index: Path) -> None:
        self.handle = IndexHandle(index)
        started = time.perf_counter()
        with self.handle.snapshot():  # open the index and load its facet tables, as a server does at start
            pass
        self.open_seconds = time.perf_counter() - started

    def search(self, query: BenchQuery) -> PeerResult:
        result = search(self.handle, SearchRequest(q=query.q, filters=query.filters, page=query.page))
        facets = {f.name: [(v.value, v.count) for v in f.values] for f in result.facets}
        return PeerResult(result.total, [h.id for h in result.hits], facets, [h.snippet for h in result.hits])

    def close(self) -> None:
        pass


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    import os

    mem = next((int(ln.split()[1]) // 1024 for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "memory_mb": mem, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "load": list(os.getloadavg())}


def run_size(size: int, opts: Options) -> dict[str, Any]:
    """Every measurement for one corpus size."""
    log = opts.log
    started = time.perf_counter()
    log(f"[{size}] corpus")
    gen = generate.generate(opts.out, size, opts.seed)
    corpus = Path(str(gen["folder"]))
    build_results: dict[str, dict] = {}
    index = opts.out / f"index-{size}-w{max(opts.workers)}"
    if opts.builds or not (index / "CURRENT").exists():
        log(f"[{size}] full builds ({', '.join(map(str, opts.workers))} processes)")
        build_results, index = builds.full_builds(corpus, opts.out / f"index-{size}", opts.workers)
        log(f"[{size}] incremental builds")
        build_results.update(builds.incremental_builds(corpus, index, opts.seed, opts.incremental, opts.repeats))
    else:
        log(f"[{size}] builds skipped: searching the existing {index}")
    records = docs.export(index, opts.out / f"records-{size}.jsonl")
    spec = docs.facet_spec(records)
    engines: dict[str, Any] = {"ours": Ours(index)}
    peer_builds: dict[str, dict] = {}
    if "fts5" in opts.peers:
        log(f"[{size}] SQLite FTS5 build")
        peer_builds["fts5"] = peer_fts5.build(records, opts.out / f"fts5-{size}.db")
        engines["fts5"] = peer_fts5.Fts5(opts.out / f"fts5-{size}.db", spec)
    if "tantivy" in opts.peers:
        from . import peer_tantivy  # needs PyPI tantivy (the bench extra)

        log(f"[{size}] tantivy build")
        peer_builds["tantivy"] = peer_tantivy.build(records, opts.out / f"tantivy-{size}", spec)
        engines["tantivy"] = peer_tantivy.Tantivy(opts.out / f"tantivy-{size}", spec)
    query_set = queries.build_set(learn(), records, opts.per_scenario)
    log(f"[{size}] queries: {len(query_set.scenarios)} scenarios x {opts.per_scenario} queries x {opts.rounds} rounds")
    latency, agreement = run_queries(engines, query_set, opts.rounds)
    for engine in engines.values():
        engine.close()
    result: dict[str, Any] = {
        "size": size, "corpus": gen, "builds": build_results, "peer_builds": peer_builds,
        "latency": latency, "agreement": agreement, "open_seconds": round(engines["ours"].open_seconds, 3),
    }
    if opts.http:
        log(f"[{size}] HTTP")
        result["http"] = run_http(index, query_set, opts.rounds)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def run_queries(engines: dict[str, Any], query_set: queries.QuerySet, rounds: int) -> tuple[dict, dict]:
    """Latency per scenario and engine (interleaved rounds after one warm-up pass), and total agreement."""
    samples: dict[str, dict[str, list[list[float]]]] = {s: {e: [] for e in engines} for s in query_set.scenarios}
    totals: dict[str, dict[str, list[int]]] = {s: {} for s in query_set.scenarios}
    first: dict[str, dict[str, dict[str, float]]] = {s: {} for s in query_set.scenarios}
    for scenario, items in query_set.scenarios.items():  # the first pass: cold caches, and the hit counts
        for name, engine in engines.items():
            results: list[PeerResult] = []
            times = timed(lambda q: results.append(engine.search(q)), items)
            totals[scenario][name] = [r.total for r in results]
            first[scenario][name] = summarise([times])
    for _ in range(rounds):
        for scenario, items in query_set.scenarios.items():
            for name, engine in engines.items():
                samples[scenario][name].append(timed(engine.search, items))
    latency = {s: {e: summarise(r) for e, r in per.items()} for s, per in samples.items()}
    for scenario, per in latency.items():
        for name, stats in per.items():
            stats["first_run"] = first[scenario][name]
    agreement = {}
    for scenario, per in totals.items():
        ours = per["ours"]
        agreement[scenario] = {
            name: sum(1 for a, b in zip(ours, other) if a == b) / len(ours) for name, other in per.items() if name != "ours"
        }
    return latency, agreement


def run_http(index: Path, query_set: queries.QuerySet, rounds: int) -> dict[str, Any]:
    """Search page and JSON API latency through the real server, and the server's memory."""
    server = Server(index)
    try:
        out: dict[str, Any] = {"startup_seconds": round(server.started_in, 2)}
        chosen = {s: q for s, q in query_set.scenarios.items() if s.split(" / ")[1] in HTTP_VARIANTS}
        for path, label in (("/search", "search page"), ("/api/search", "JSON API")):
            for q in next(iter(chosen.values()))[:3]:
                server.get(url_of(path, q))
            per_round: list[list[float]] = []
            for _ in range(rounds):
                urls = [url_of(path, q) for items in chosen.values() for q in items]
                per_round.append(timed(server.get, urls))
            out[label] = summarise(per_round)
        out["memory"] = server.memory_mb()
        return out
    finally:
        server.stop()
