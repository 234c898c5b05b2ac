"""Ranking metrics as trec_eval computes them: nDCG@k (`ndcg_cut.k`), Recall@k (`recall.k`), MRR@k.

Pure functions over plain values. The conventions follow trec_eval 9.x
(usnistgov/trec_eval: form_res_rels.c, m_ndcg_cut.c, m_recall.c, m_recip_rank.c):

- A run is re-sorted before scoring: by score descending, ties broken by document id
  *descending* (strcmp(b, a) in trec_eval's `comp_sim_docno`); the rank column of a run
  file and the order the results were given in are ignored.
- A document is relevant when its judged grade is >= 1 (trec_eval's default `-l 1`);
  unjudged documents and grades <= 0 count as not relevant.
- nDCG@k: gain = the grade itself (graded) or 1 (binary qrels), discount 1 / log2(rank + 1);
  the ideal ranking orders every judged document with grade >= 1 by grade. Fewer than k
  results simply contribute nothing below the last one.
- Recall@k: relevant documents in the top k / all relevant documents judged.
- MRR@k: 1 / rank of the first relevant document when it is within the top k, else 0
  (trec_eval's `recip_rank` cut at k, as BEIR/ir_measures report RR@10).
- Averages are over the queries that have at least one judged-relevant document (the
  BEIR evaluation convention the issue asks for); a judged query absent from the run
  counts 0, like `trec_eval -c`. Queries judged with no relevant document are excluded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

#: How judged grades become gains: as they are, or Cranfield's 1 (best) .. 4, -1 (not relevant).
GRADE_MAPS = ("plain", "cranfield")

#: query id -> document id -> grade (already mapped to "higher is more relevant").
Qrels = Mapping[str, Mapping[str, int]]
#: query id -> (document id, score) pairs, in any order.
Run = Mapping[str, Sequence[tuple[str, float]]]

RELEVANCE_LEVEL = 1


@dataclass(frozen=True)
class Scores:
    """Mean metrics over the evaluated queries, plus the per-query values behind them."""

    ndcg: float
    recall: float
    mrr: float
    queries: int
    per_query: Mapping[str, tuple[float, float, float]]  # query id -> (ndcg, recall, mrr)
    k_ndcg: int = 10
    k_recall: int = 100
    k_mrr: int = 10

    def as_dict(self) -> dict[str, float | int]:
        return {
            f"ndcg@{self.k_ndcg}": self.ndcg,
            f"recall@{self.k_recall}": self.recall,
            f"mrr@{self.k_mrr}": self.mrr,
            "queries": self.queries,
        }


class _Desc(str):
    """A string ordered backwards, so one ascending sort gives trec_eval's tie order."""

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)


def trec_order(results: Iterable[tuple[str, float]]) -> list[str]:
    """Document ids as trec_eval ranks them: score descending, then document id descending."""
    return [doc for doc, _score in sorted(results, key=lambda r: (-r[1], _Desc(r[0])))]


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    """trec_eval ndcg_cut.k of one ranked list (graded gains = grades; 0 when nothing is relevant)."""
    dcg = sum(
        judged.get(doc, 0) / math.log2(rank + 1)
        for rank, doc in enumerate(ranked[:k], start=1)
        if judged.get(doc, 0) >= RELEVANCE_LEVEL
    )
    ideal = sorted((g for g in judged.values() if g >= RELEVANCE_LEVEL), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    """trec_eval recall.k: share of the relevant documents found in the top k."""
    relevant = {doc for doc, g in judged.items() if g >= RELEVANCE_LEVEL}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mrr_at(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    """Reciprocal rank of the first relevant document within the top k, else 0."""
    for rank, doc in enumerate(ranked[:k], start=1):
        if judged.get(doc, 0) >= RELEVANCE_LEVEL:
            return 1.0 / rank
    return 0.0


def has_relevant(judged: Mapping[str, int]) -> bool:
    return any(g >= RELEVANCE_LEVEL for g in judged.values())


def evaluate_run(run: Run, qrels: Qrels, k_ndcg: int = 10, k_recall: int = 100, k_mrr: int = 10) -> Scores:
    """Mean nDCG@k, Recall@k and MRR@k over the judged queries that have a relevant document."""
    per_query: dict[str, tuple[float, float, float]] = {}
    for qid, judged in qrels.items():
        if not has_relevant(judged):
            continue
        ranked = trec_order(run.get(qid, ()))
        per_query[qid] = (ndcg_at(ranked, judged, k_ndcg), recall_at(ranked, judged, k_recall),
                          mrr_at(ranked, judged, k_mrr))
    n = len(per_query)

    def mean(i: int) -> float:
        return sum(v[i] for v in per_query.values()) / n if n else 0.0

    return Scores(mean(0), mean(1), mean(2), n, per_query, k_ndcg, k_recall, k_mrr)
