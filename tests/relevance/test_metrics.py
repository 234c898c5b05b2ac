"""trec_eval-compatible metrics, checked on examples computed by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.metrics import evaluate_run, mrr_at, ndcg_at, recall_at, trec_order

LOG3 = math.log2(3)
LOG4 = 2.0


@pytest.mark.parametrize(
    "results, expected",
    [
        ([("a", 2.0), ("b", 1.0)], ["a", "b"]),
        ([("b", 1.0), ("a", 2.0)], ["a", "b"]),  # the input order never matters
        ([("a", 1.0), ("b", 1.0), ("c", 1.0)], ["c", "b", "a"]),  # ties: document id descending
        ([("d10", 1.0), ("d9", 1.0)], ["d9", "d10"]),  # string order, like strcmp: "d9" > "d10"
        ([("x", 0.5), ("a", 1.0), ("z", 0.5)], ["a", "z", "x"]),
    ],
)
def test_trec_order_sorts_by_score_then_docid_descending(results, expected):
    assert trec_order(results) == expected


@pytest.mark.parametrize(
    "ranked, judged, k, expected",
    [
        (["a", "b"], {"a": 1}, 10, 1.0),  # the one relevant document first
        (["b", "a"], {"a": 1}, 10, 1 / math.log2(3)),  # second: discount log2(3)
        (["b", "c", "a"], {"a": 1}, 2, 0.0),  # below the cut
        (["a"], {"a": 1, "b": 1}, 10, 1 / (1 + 1 / LOG3)),  # fewer than k results, one relevant never retrieved
        (["b", "a"], {"a": 3, "b": 1}, 10, (1 + 3 / LOG3) / (3 + 1 / LOG3)),  # graded gains
        (["x", "y", "a"], {"a": 2, "b": 0}, 10, (2 / LOG4) / 2),  # grade 0 is not relevant
        ([], {"a": 1}, 10, 0.0),  # nothing retrieved
        (["a", "b"], {"a": 0, "b": -1}, 10, 0.0),  # nothing relevant judged
    ],
)
def test_ndcg_matches_hand_computation(ranked, judged, k, expected):
    assert ndcg_at(ranked, judged, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    "ranked, judged, k, expected",
    [
        (["a", "b", "c"], {"a": 1, "c": 1}, 100, 1.0),
        (["a", "b", "c"], {"a": 1, "c": 1}, 2, 0.5),  # c is below the cut
        (["a"], {"a": 1, "z": 2}, 100, 0.5),  # z never retrieved
        (["b"], {"a": 1}, 100, 0.0),
        (["a"], {"a": 0}, 100, 0.0),
    ],
)
def test_recall_matches_hand_computation(ranked, judged, k, expected):
    assert recall_at(ranked, judged, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    "ranked, judged, k, expected",
    [
        (["a", "b"], {"a": 1}, 10, 1.0),
        (["b", "c", "a"], {"a": 1, "c": 1}, 10, 0.5),  # the first relevant one counts
        ([f"d{i}" for i in range(10)] + ["a"], {"a": 1}, 10, 0.0),  # rank 11 is outside MRR@10
        ([], {"a": 1}, 10, 0.0),
    ],
)
def test_reciprocal_rank_matches_hand_computation(ranked, judged, k, expected):
    assert mrr_at(ranked, judged, k) == pytest.approx(expected)


def test_ties_are_broken_before_scoring_like_trec_eval():
    # "a" (relevant) and "b" tie; trec_eval ranks "b" first (docno descending), so "a" is at rank 2.
    scores = evaluate_run({"q": [("a", 1.0), ("b", 1.0)]}, {"q": {"a": 1}})
    assert scores.ndcg == pytest.approx(1 / LOG3)
    assert scores.mrr == pytest.approx(0.5)


def test_queries_without_relevant_documents_are_excluded_and_missing_runs_count_zero():
    qrels = {"found": {"a": 1}, "lost": {"b": 1}, "unjudgeable": {"c": 0}}
    run = {"found": [("a", 3.0)], "unjudgeable": [("c", 1.0)]}
    scores = evaluate_run(run, qrels)
    assert scores.queries == 2
    assert set(scores.per_query) == {"found", "lost"}
    assert scores.ndcg == pytest.approx(0.5)
    assert scores.recall == pytest.approx(0.5)
    assert scores.per_query["lost"] == (0.0, 0.0, 0.0)


def test_means_are_per_query_averages():
    qrels = {"q1": {"a": 1}, "q2": {"a": 1}}
    run = {"q1": [("a", 2.0), ("b", 1.0)], "q2": [("b", 2.0), ("a", 1.0)]}
    scores = evaluate_run(run, qrels)
    assert scores.ndcg == pytest.approx((1 + 1 / LOG3) / 2)
    assert scores.mrr == pytest.approx(0.75)
    assert scores.as_dict() == {"ndcg@10": scores.ndcg, "recall@100": 1.0, "mrr@10": 0.75, "queries": 2}


docs = st.sampled_from([f"d{i}" for i in range(12)])
judgments = st.dictionaries(docs, st.integers(min_value=-1, max_value=4), min_size=1)
runs = st.lists(st.tuples(docs, st.floats(min_value=0, max_value=10, allow_nan=False)), unique_by=lambda r: r[0])


@given(runs, judgments)
def test_metrics_stay_between_zero_and_one(run, judged):
    ranked = trec_order(run)
    for value in (ndcg_at(ranked, judged, 10), recall_at(ranked, judged, 100), mrr_at(ranked, judged, 10)):
        assert 0.0 <= value <= 1.0 + 1e-12


@given(judgments)
def test_the_ideal_ranking_scores_one(judged):
    ideal = [doc for doc, grade in sorted(judged.items(), key=lambda kv: -kv[1]) if grade > 0]
    expected = 1.0 if ideal else 0.0
    assert ndcg_at(ideal, judged, 10) == pytest.approx(expected)
    assert recall_at(ideal, judged, 100) == pytest.approx(expected)


@given(runs)
def test_trec_order_does_not_depend_on_input_order(run):
    assert trec_order(run) == trec_order(list(reversed(run)))
