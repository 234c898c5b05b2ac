"""`make eval`: relevance of the shipped defaults on SciFact and Cranfield, beside published figures.

Both collections are read from ../shared/data (never copied into the repo), indexed by the
product's own build pipeline into temporary folders, and every judged query is run through
the product's own search (indexer.evaluate). SciFact: the train split (the test split is
held out); the published BM25 figures are on the test split, from
../shared/data/scifact/PUBLISHED_BASELINES.md. Cranfield has no canonical published BM25
figure; the floor asserted by the test suite is printed instead.

Usage: python scripts/eval_table.py [--data DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.evaluate import EvalReport, evaluate  # noqa: E402

#: The Cranfield nDCG@10 floor of tests/relevance/test_cranfield_floor.py (README figure minus 0.01).
CRANFIELD_FLOOR = 0.37


@dataclass(frozen=True)
class Collection:
    name: str
    split: str
    corpus: str
    queries: str
    qrels: str
    grades: str


@dataclass(frozen=True)
class Published:
    system: str
    split: str
    ndcg: float | None
    recall: float | None


COLLECTIONS = (
    Collection("SciFact", "train", "scifact/corpus.jsonl", "scifact/queries-train.jsonl", "scifact/qrels-train.tsv",
               "plain"),
    Collection("Cranfield", "all", "cranfield/corpus.jsonl", "cranfield/queries.jsonl", "cranfield/qrels.tsv",
               "cranfield"),
)

#: From scifact/PUBLISHED_BASELINES.md (nDCG@10, Recall@100).
PUBLISHED = {
    "SciFact": (
        Published("BEIR paper BM25 (Elasticsearch, multi-field)", "test", 0.665, 0.908),
        Published("Anserini BM25 flat (k1 0.9, b 0.4)", "test", 0.6789, 0.9253),
        Published("Anserini BM25 multifield", "test", 0.6647, 0.9076),
        Published("plain Python BM25 (k1 0.9, b 0.4, Porter)", "train", 0.6775, 0.9237),
    ),
    "Cranfield": (
        Published("no published BM25; test-suite floor on nDCG@10", "all", CRANFIELD_FLOOR, None),
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="shared data folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    results: dict[str, EvalReport] = {}
    for coll in COLLECTIONS:
        paths = [args.data / p for p in (coll.corpus, coll.queries, coll.qrels)]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            print(f"skipping {coll.name}: missing {', '.join(missing)}", file=sys.stderr)
            continue
        print(f"evaluating {coll.name} ({coll.split}) ...", file=sys.stderr, flush=True)
        results[coll.name] = evaluate(*paths, grades=coll.grades)
    if args.json:
        print(json.dumps({name: report.as_dict() for name, report in results.items()}, indent=2))
    else:
        print(table(results))
    return 0 if results else 1


def table(results: dict[str, EvalReport]) -> str:
    """A Markdown table: our figures, then the published ones, per collection."""
    lines = [
        "| collection | system | split | queries | nDCG@10 | Recall@100 | MRR@10 | ms/query (p95) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for coll in COLLECTIONS:
        report = results.get(coll.name)
        if report is None:
            continue
        s = report.scores
        p95 = report.as_dict()["query_ms_p95"]
        lines.append(f"| {coll.name} | **this index (shipped defaults)** | {coll.split} | {s.queries} | "
                     f"**{s.ndcg:.4f}** | **{s.recall:.4f}** | {s.mrr:.4f} | {p95} |")
        for pub in PUBLISHED[coll.name]:
            lines.append(f"| {coll.name} | {pub.system} | {pub.split} | | {_fmt(pub.ndcg)} | {_fmt(pub.recall)} | | |")
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


if __name__ == "__main__":
    sys.exit(main())
