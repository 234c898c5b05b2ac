"""Hostile queries through the CLI (in-process and real subprocesses): a result or a friendly refusal, never a crash.

Timing is reported, not asserted (the 1 s limit is enforced by `make stress`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.model import QueryError, SearchRequest
from indexer.reader import IndexHandle
from indexer.search import search
from stress import procs, query_check, queries
from stress.hostile_corpus import article

SEED = 17


def _real_problems(answers: list[query_check.Answer]) -> list[str]:
    return [f"{a.query[:80]!r}: {a.problem}" for a in answers if a.problem and not a.problem.startswith("slow")]


def test_hostile_queries_through_the_cli_answer_or_refuse(big_index: Path) -> None:
    every = queries.hostile_queries(300, SEED)
    answers = query_check.cli_answers(big_index, every)
    summary = query_check.summary(answers)
    print(f"{len(answers)} CLI queries: {summary['by_status']}, latency {summary['latency']}")
    assert _real_problems(answers) == []
    assert {a.status for a in answers} <= {0, 2}


def test_hostile_queries_through_the_real_program(big_index: Path) -> None:
    chosen = ["*", "?*?*?*", "(" * 500 + "x" + ")" * 500, '"unbalanced', "a" * 10_000, "-x", "<script>x</script>"]
    answers = query_check.cli_answers(big_index, chosen, run=procs.run_indexer, target="subprocess")
    assert _real_problems(answers) == []
    assert [a.status for a in answers] == [2, 2, 2, 0, 2, 0, 0]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_result_or_a_query_error(small_index: Path, text: str) -> None:
    handle = IndexHandle(small_index)
    try:
        result = search(handle, SearchRequest(q=text))
    except QueryError as exc:
        assert str(exc)
    else:
        assert result.total >= 0


@pytest.mark.parametrize("query", ["[a TO z]", "{a TO zz}", "title:[a TO z]", "[ka TO kz]"])
def test_term_range_over_the_vocabulary_is_refused(big_index: Path, query: str) -> None:
    """Regression: a range over the text vocabulary expanded every term (11 s on 3,000 articles)."""
    with pytest.raises(QueryError, match="matches more than"):
        search(IndexHandle(big_index), SearchRequest(q=query))


def test_many_fuzzy_terms_are_refused(big_index: Path) -> None:
    """Regression: 64 fuzzy terms each scanned the vocabulary (4 s on 3,000 articles)."""
    with pytest.raises(QueryError, match="wildcard, fuzzy or range terms"):
        search(IndexHandle(big_index), SearchRequest(q=" ".join(f"institute{i}~2" for i in range(8))))


def test_overlong_fuzzy_term_is_refused(big_index: Path) -> None:
    """Its Levenshtein automaton grows with its length (and alphabet): refused beyond 24 characters."""
    with pytest.raises(QueryError, match="at most 24 characters"):
        search(IndexHandle(big_index), SearchRequest(q="institutesinstitutesinstitutes~1"))


def test_few_fuzzy_and_wildcard_terms_still_work(big_index: Path) -> None:
    result = search(IndexHandle(big_index), SearchRequest(q="institute~1 research~1 kaver*"))
    assert result.total >= 0


def test_character_class_wildcard_needs_a_literal_prefix(big_index: Path) -> None:
    """Regression: `[mote?` scanned the whole vocabulary of every text field (no literal prefix before '[')."""
    with pytest.raises(QueryError, match="needs at least 2 letters"):
        search(IndexHandle(big_index), SearchRequest(q="[mote?"))


def test_no_spelling_suggestion_for_overlong_words(tmp_path: Path) -> None:
    """Regression: "did you mean" on long words built huge Levenshtein automata (seconds per query).
    Words over 30 characters get no suggestion now, even when one exists."""
    from indexer.build import build

    long_word = "pneumonoultramicroscopicsilicovolcanoconiosis"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(article("Lung", f"About {long_word} and silicosis."))
    build([corpus], tmp_path / "index", workers=1)
    handle = IndexHandle(tmp_path / "index")
    short = search(handle, SearchRequest(q="silicosys"))
    assert "silicosis" in (short.suggestion, short.corrected)
    typo = long_word[:-3] + "sys"
    result = search(handle, SearchRequest(q=typo))
    assert (result.suggestion, result.corrected) == (None, None)
