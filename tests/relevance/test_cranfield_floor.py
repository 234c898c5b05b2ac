"""A relevance regression fails CI: Cranfield through the product's own pipeline, above a floor.

The README reports nDCG@10 0.3816, Recall@100 0.7360 and MRR@10 0.5522 for the shipped
defaults (all 225 queries, graded judgments mapped with gain = 5 - grade). The floors are
those figures minus 0.01.
"""

from __future__ import annotations

import pytest

from indexer.evaluate import evaluate
from tests.helpers import DATA, require

CRANFIELD = DATA / "cranfield"
NDCG_FLOOR = 0.37
RECALL_FLOOR = 0.726
MRR_FLOOR = 0.542


@pytest.mark.slow
def test_cranfield_stays_above_the_readme_figures_minus_a_small_margin() -> None:
    folder = require(CRANFIELD)
    report = evaluate(folder / "corpus.jsonl", folder / "queries.jsonl", folder / "qrels.tsv", grades="cranfield")
    assert report.documents == 1400 and report.skipped_documents == 0
    assert report.scores.queries == 225
    assert report.scores.ndcg >= NDCG_FLOOR, report.as_dict()
    assert report.scores.recall >= RECALL_FLOOR, report.as_dict()
    assert report.scores.mrr >= MRR_FLOOR, report.as_dict()
    # Two queries contain a stray "?" (a wildcard with no letters before it): refused, counted as 0.
    assert len(report.failed) <= 2
