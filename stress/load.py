"""Load on the production server: 20 concurrent clients, steady and while a full rebuild switches generations.

Every answer must be HTTP 200 and consistent with exactly one index generation: its
`total` equals what that generation holds for the request, and every hit id belongs to
that generation's documents. Expected totals come from the in-process `search` run on
an index of each corpus beforehand. Bounded: each phase stops at its deadline or after
MAX_REQUESTS, whichever comes first.
"""

from __future__ import annotations

import json
import random
import shutil
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import docset, generate, procs
from .figures import percentiles
from .query_check import fetch

MAX_REQUESTS = 200_000
#: (q, filters) pairs the clients send; "revision 1" only matches documents changed in corpus B.
REQUESTS = (
    ("", ()), ("institute", ()), ("research", ()), ("cancer", ()), ("genomics vaccines", ()),
    ('"revision 1"', ()), ("kaver*", ()), ("institute NOT cancer", ()), ("topics:Cancer", ()),
    ("institute", (("topics", ("Cancer",)),)), ("", (("country", ("France", "Kenya")),)),
    ("research", (("type", ("MRC unit",)), ("topics", ("Imaging", "Allergy")))),
)


@dataclass
class Corpora:
    served: Path  # the index the server serves (corpus A, then B after the rebuild)
    new_corpus: Path
    expected: dict[str, dict[int, tuple[int, frozenset[str]]]]  # generation -> request no -> (total, ids)


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    requests: int = 0
    failed: int = 0
    inconsistent: int = 0
    generations: dict[str, int] = field(default_factory=dict)
    latency: dict[str, float] = field(default_factory=dict)
    rebuild: str = ""
    problems: list[str] = field(default_factory=list)


def prepare(work: Path, articles: int, seed: int) -> Corpora:
    """Corpus A served; corpus B = A with changes and additions; expected answers for both."""
    from indexer.model import SearchRequest
    from indexer.reader import IndexHandle
    from indexer.search import search

    old = generate.write_corpus(work / "corpus-a", articles, seed)
    new = work / "corpus-b"
    shutil.rmtree(new, ignore_errors=True)
    shutil.copytree(old, new)
    generate.mutate(new, articles, seed, fraction=0.3)
    for number in range(articles * 11 // 10, articles * 12 // 10):  # B also grows, so totals differ
        (new / generate.file_name(number)).write_text(generate.article(random.Random(number), number))
    served = work / "served"
    shutil.rmtree(served, ignore_errors=True)
    expected: dict[str, dict[int, tuple[int, frozenset[str]]]] = {}
    for corpus, index in ((old, served), (new, work / "expected-b")):
        shutil.rmtree(index, ignore_errors=True)
        done = procs.run_indexer("build", str(corpus), "--index", str(index), "--quiet")
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        handle = IndexHandle(index)
        ids = frozenset(docset.held(index).docs)
        answers = {n: (search(handle, SearchRequest(q=q, filters=f)).total, ids) for n, (q, f) in enumerate(REQUESTS)}
        expected["A" if corpus == old else "B"] = answers
    return Corpora(served, new, expected)


def _url(base: str, number: int) -> str:
    q, filters = REQUESTS[number]
    pairs = [("q", q), ("per_page", "5")] + [(name, v) for name, values in filters for v in values]
    return f"{base}/api/search?{urllib.parse.urlencode(pairs)}"


class _Clients:
    """Concurrent clients sharing one results list (appends are atomic under the GIL)."""

    def __init__(self, base: str, clients: int, deadline: float, seed: int) -> None:
        self.base, self.clients, self.deadline, self.seed = base, clients, deadline, seed
        self.results: list[tuple[int, int, float, bytes]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _client(self, number: int) -> None:
        rng = random.Random(f"client:{self.seed}:{number}")
        while time.monotonic() < self.deadline and not self.stop.is_set() and len(self.results) < MAX_REQUESTS:
            request = rng.randrange(len(REQUESTS))
            status, body, seconds, _kind = fetch(_url(self.base, request), timeout=30)
            self.results.append((request, status, seconds, body))


def _judge(phase: Phase, results: list[tuple[int, int, float, bytes]], corpora: Corpora,
           names: dict[str, str]) -> None:
    phase.requests = len(results)
    phase.latency = percentiles([r[2] for r in results])
    for request, status, _seconds, body in results:
        if status != 200:
            phase.failed += 1
            if len(phase.problems) < 10:
                phase.problems.append(f"HTTP {status} for {REQUESTS[request]}: {body[:200]!r}")
            continue
        data = json.loads(body)
        generation = data.get("generation", "")
        phase.generations[generation] = phase.generations.get(generation, 0) + 1
        label = names.get(generation)
        total, ids = corpora.expected[label][request] if label else (None, frozenset())
        hit_ids = {hit["id"] for hit in data["hits"]}
        if data["total"] != total or not hit_ids <= ids:
            phase.inconsistent += 1
            if len(phase.problems) < 10:
                phase.problems.append(f"{REQUESTS[request]} in generation {generation!r}: total {data['total']} "
                                      f"(expected {total}), {len(hit_ids - ids)} hits from another generation")


def steady(base: str, corpora: Corpora, seconds: float, clients: int, seed: int) -> Phase:
    phase = Phase("steady")
    started = time.monotonic()
    pool = _Clients(base, clients, started + seconds, seed)
    pool.run()
    phase.seconds = round(time.monotonic() - started, 2)
    generation = (corpora.served / "CURRENT").read_text().strip()
    _judge(phase, pool.results, corpora, {generation: "A"})
    return phase


def during_rebuild(base: str, corpora: Corpora, seconds: float, clients: int, seed: int) -> Phase:
    """Clients run while `indexer build --full` of corpus B runs and switches; they continue 3 s after it."""
    phase = Phase("during full rebuild")
    before = (corpora.served / "CURRENT").read_text().strip()
    started = time.monotonic()
    pool = _Clients(base, clients, started + seconds + 600, seed + 1)
    thread = threading.Thread(target=pool.run, daemon=True)
    thread.start()
    time.sleep(min(2.0, seconds / 5))
    built = procs.run_indexer("build", str(corpora.new_corpus), "--index", str(corpora.served), "--full", "--quiet")
    phase.rebuild = built.stdout.strip() or built.stderr.strip()
    pool.deadline = max(started + seconds, time.monotonic() + 3.0)
    thread.join()
    phase.seconds = round(time.monotonic() - started, 2)
    after = (corpora.served / "CURRENT").read_text().strip()
    if built.returncode != 0 or after == before:
        phase.problems.append(f"the rebuild did not switch generations: {phase.rebuild}")
    _judge(phase, pool.results, corpora, {before: "A", after: "B"})
    if set(phase.generations) != {before, after}:
        phase.problems.append(f"expected answers from {before} and {after}, got {sorted(phase.generations)}")
    return phase


def describe(phase: Phase) -> str:
    lat = phase.latency
    return (f"  load {phase.name}: {phase.requests} requests in {phase.seconds} s, {phase.failed} failed, "
            f"{phase.inconsistent} inconsistent; generations {phase.generations}; latency p50 {lat.get('p50_ms')} ms, "
            f"p95 {lat.get('p95_ms')} ms, p99 {lat.get('p99_ms')} ms, max {lat.get('max_ms')} ms"
            + (f"; rebuild: {phase.rebuild}" if phase.rebuild else "")
            + (f"  PROBLEMS: {phase.problems}" if phase.problems else ""))


def run(work: Path, articles: int, seconds: float, clients: int, seed: int,
        log: Callable[[str], None] = print) -> list[Phase]:
    from .server import serve

    corpora = prepare(work, articles, seed)
    phases = []
    with serve(corpora.served) as base:
        for phase in (steady(base, corpora, seconds, clients, seed),
                      during_rebuild(base, corpora, seconds, clients, seed)):
            phases.append(phase)
            log(describe(phase))
    return phases
