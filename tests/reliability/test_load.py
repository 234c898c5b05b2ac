"""Short load run on the production server: 20 clients, steady and while a full rebuild switches generations."""

from __future__ import annotations

from typing import Iterator

import pytest

from stress import load, server

SECONDS = 5
CLIENTS = 20


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, load.Corpora]]:
    corpora = load.prepare(tmp_path_factory.mktemp("load"), articles=400, seed=23)
    with server.serve(corpora.served) as base:
        yield base, corpora


@pytest.mark.slow
def test_twenty_clients_get_no_failed_or_inconsistent_answers(served: tuple[str, load.Corpora]) -> None:
    base, corpora = served
    phase = load.steady(base, corpora, SECONDS, CLIENTS, seed=23)
    print(load.describe(phase))
    assert phase.problems == []
    assert (phase.failed, phase.inconsistent) == (0, 0)
    assert phase.requests > 0


@pytest.mark.slow
def test_answers_during_a_full_rebuild_each_match_one_generation(served: tuple[str, load.Corpora]) -> None:
    base, corpora = served
    phase = load.during_rebuild(base, corpora, SECONDS, CLIENTS, seed=23)
    print(load.describe(phase))
    assert phase.problems == []
    assert (phase.failed, phase.inconsistent) == (0, 0)
    assert len(phase.generations) == 2
