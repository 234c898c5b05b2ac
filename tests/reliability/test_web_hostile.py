"""The real server (waitress, 127.0.0.1): escaping everywhere, 404 for traversal and unknown ids, 400 for
oversized parameters, and hostile queries answered without a 500."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from stress import procs, query_check, queries, server, web

SEED = 19


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server over an index of articles made of script-injection payloads."""
    work = tmp_path_factory.mktemp("payloads")
    corpus = web.write_corpus(work / "corpus")
    index = work / "index"
    done = procs.run_indexer("build", str(corpus), "--index", str(index), "--quiet")
    assert done.returncode == 0, done.stderr
    with server.serve(index) as base:
        yield base


@pytest.fixture(scope="module")
def big_server(big_index: Path) -> Iterator[str]:
    with server.serve(big_index) as base:
        yield base


def test_query_and_corpus_text_is_escaped_in_pages_attributes_and_json(payload_server: str) -> None:
    result = web.WebResult()
    web.check_escaping(payload_server, result)
    assert result.problems == []
    assert result.statuses.get("500", 0) == 0


def test_path_traversal_and_unknown_ids_are_404(payload_server: str) -> None:
    result = web.WebResult()
    web.check_not_found(payload_server, result)
    assert result.problems == []
    assert result.statuses == {"404": len(web.TRAVERSALS)}


def test_oversized_parameters_are_400(payload_server: str) -> None:
    result = web.WebResult()
    web.check_oversized(payload_server, result)
    assert result.problems == []
    assert result.statuses == {"400": len(web.oversized())}


def test_hostile_queries_over_http_never_give_500(big_server: str) -> None:
    answers = query_check.http_answers(big_server, queries.hostile_queries(300, SEED))
    summary = query_check.summary(answers)
    print(f"{len(answers)} HTTP requests: {summary['by_status']}, latency {summary['latency']}")
    problems = [f"{a.query[:60]!r}: {a.problem}" for a in answers if a.problem and not a.problem.startswith("slow")]
    assert problems == []
    assert set(summary["by_status"]["http"]) <= {"200", "400"}
