"""Run hostile queries against the CLI (in-process and real subprocesses) and the HTTP API.

A query passes when the answer is a result (exit 0 / HTTP 200 with JSON) or a friendly
refusal (exit 2 with one `Error:` line / HTTP 400 with a JSON error): no traceback, no
other exit code, no HTTP 500, within the time limit.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from . import procs
from .figures import percentiles

TIME_LIMIT = 1.0


@dataclass(frozen=True)
class Answer:
    target: str  # "cli", "subprocess", "http"
    query: str
    status: int  # exit code or HTTP status
    seconds: float
    problem: str | None = None
    retried: bool = False  # the first try was over the time limit; `seconds` is the second try's


def _filters(number: int) -> list[str]:
    """Every seventh query also carries a hostile or unknown facet filter."""
    if number % 7 != 3:
        return []
    return [["--filter", "topics=<script>x</script>"], ["--filter", "nosuchfacet=x"],
            ["--filter", "country=\u202eUK"], ["--range", "founded=0..99999"]][number % 4]


def cli_answers(index: Path, queries: Iterable[str], run: Callable[..., procs.Finished] = procs.run_in_process,
                target: str = "cli") -> list[Answer]:
    out = []
    for number, query in enumerate(queries):
        args = ["search", "--index", str(index), "--json", "--limit", "5", *_filters(number), "--", query]
        answer = _cli_once(target, query, args, run)
        if answer.problem and answer.problem.startswith("slow"):  # a load spike on a shared machine, or slow?
            answer = replace(_cli_once(target, query, args, run), retried=True)
        out.append(answer)
    return out


def _cli_once(target: str, query: str, args: list[str], run: Callable[..., procs.Finished]) -> Answer:
    started = time.perf_counter()
    try:
        done = run(*args)
    except ValueError as exc:  # e.g. an embedded NUL cannot be passed in argv
        return Answer(target, query, -1, 0.0, None if "null byte" in str(exc) else f"harness: {exc}")
    return _judge_cli(target, query, done, time.perf_counter() - started)


def _judge_cli(target: str, query: str, done: procs.Finished, seconds: float) -> Answer:
    problem = None
    if procs.has_traceback(done.stderr):
        problem = f"traceback: {done.stderr[-400:]}"
    elif done.returncode == 0:
        try:
            body = json.loads(done.stdout)
            if not isinstance(body.get("total"), int) or not isinstance(body.get("hits"), list):
                problem = "JSON without total/hits"
        except ValueError:
            problem = f"exit 0 but not JSON: {done.stdout[:200]!r}"
    elif done.returncode == 2:
        lines = done.stderr.strip().splitlines()
        if not lines or not lines[-1].startswith("Error: ") or len(lines) > 3:
            problem = f"refusal is not a short 'Error:' message: {done.stderr[-300:]!r}"
    else:
        problem = f"exit {done.returncode}: {done.stderr[-300:]!r}"
    limit = TIME_LIMIT if target == "cli" else TIME_LIMIT + 2.0  # a subprocess also starts Python
    if problem is None and seconds > limit:
        problem = f"slow: {seconds:.2f} s"
    return Answer(target, query, done.returncode, seconds, problem)


def http_answers(base: str, queries: Iterable[str], path: str = "/api/search") -> list[Answer]:
    """GET base+path?q=QUERY for each query; also the HTML page for every fifth one."""
    out = []
    for number, query in enumerate(queries):
        params = [("q", query)] + ([("topics", "<b>x</b>")] if number % 7 == 3 else [])
        out.append(_http(f"{base}{path}?{urllib.parse.urlencode(params)}", "http", query, True))
        if number % 5 == 0:
            out.append(_http(f"{base}/search?{urllib.parse.urlencode(params)}", "http-page", query, False))
    return out


def _http(url: str, target: str, query: str, json_expected: bool) -> Answer:
    """One request, judged; a request over the time limit is timed once more before it counts as slow."""
    retried = False
    for attempt in range(2):
        status, body, seconds, kind = fetch(url)
        problem = _judge_http(status, body, seconds, kind, json_expected)
        if not (problem and problem.startswith("slow")) or attempt:
            break
        retried = True
    return Answer(target, query, status, seconds, problem, retried)


def fetch(url: str, timeout: float = 30.0) -> tuple[int, bytes, float, str]:
    """(status, body, seconds, content type) of one GET; connection failures are status 0."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
            return response.status, body, time.perf_counter() - started, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        body = exc.read()
        return exc.code, body, time.perf_counter() - started, exc.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError) as exc:
        return 0, str(exc).encode(), time.perf_counter() - started, ""


def _judge_http(status: int, body: bytes, seconds: float, kind: str, json_expected: bool) -> str | None:
    if status not in (200, 400):
        return f"HTTP {status}: {body[:300]!r}"
    if json_expected:
        try:
            json.loads(body)
        except ValueError:
            return f"HTTP {status} body is not JSON: {body[:200]!r}"
        if "json" not in kind:
            return f"content type {kind!r} for JSON"
    if b"Traceback" in body:
        return "traceback in the response body"
    if seconds > TIME_LIMIT:
        return f"slow: {seconds:.2f} s"
    return None


def summary(answers: list[Answer]) -> dict[str, object]:
    """Counts by target and status, latency percentiles, and the problems."""
    by: dict[str, dict[str, int]] = {}
    for a in answers:
        by.setdefault(a.target, {}).setdefault(str(a.status), 0)
        by[a.target][str(a.status)] += 1
    times = {t: percentiles([a.seconds for a in answers if a.target == t]) for t in by}
    problems = [f"[{a.target}] {a.query[:80]!r}: {a.problem}" for a in answers if a.problem]
    return {"answers": len(answers), "by_status": by, "latency": times,
            "slow_first_try": sum(a.retried for a in answers),
            "slow": sum(bool(a.problem and a.problem.startswith("slow")) for a in answers), "problems": problems}
