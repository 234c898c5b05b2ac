"""Relevance evaluation of the product itself: index a test collection, run its queries, score the run.

The corpus is indexed by the product's own build pipeline and schema (`build.build`), and
every query goes through the product's own `search.search` exactly as a user's would (same
parsing, grouping, ranking, spelling fallback), asking for the first RUN_DEPTH hits. The
run is scored with `metrics` (trec_eval conventions) and can be written as a TREC run file
(`qid Q0 docid rank score tag`) for any external tool.

Inputs (read as they are):
- queries: JSONL with `_id` or `id` and `text` (BEIR `queries.jsonl`), or TSV `qid<TAB>text`;
- qrels: TSV/whitespace with 3 columns `query-id corpus-id score` (BEIR, a header row is
  skipped) or 4 columns `qid iter docid rel` (TREC);
- grades: `plain` takes the judged value as the gain (BEIR, TREC); `cranfield` maps the
  Cranfield grades, where lower is more relevant, to gain = 5 - grade for 1..4 and 0 for
  anything else (-1 "no interest").
"""

from __future__ import annotations

import json
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from .build import BuildReport, build
from .metrics import GRADE_MAPS, Qrels, Run, Scores, evaluate_run
from .model import ParseError, QueryError, SearchRequest
from .reader import IndexHandle
from .search import search

#: Hits asked for per query: enough for Recall@100 (the product's largest page).
RUN_DEPTH = 100


@dataclass(frozen=True)
class EvalReport:
    """What one evaluation measured: the scores, how the run went, and how long it took."""

    scores: Scores
    run: Run
    documents: int
    queries_run: int
    failed: tuple[tuple[str, str], ...]  # (query id, message) of queries the product refused
    corrected: int  # queries the product answered with a spelling correction or relaxation
    skipped_documents: int  # corpus records or files the build reported as bad (not indexed)
    build_seconds: float
    query_ms: tuple[float, ...]  # per query, as reported by search()

    def as_dict(self) -> dict[str, object]:
        ms = sorted(self.query_ms)
        return {
            **self.scores.as_dict(),
            "documents": self.documents,
            "queries_run": self.queries_run,
            "failed": [{"query": q, "error": e} for q, e in self.failed],
            "corrected": self.corrected,
            "skipped_documents": self.skipped_documents,
            "build_seconds": round(self.build_seconds, 2),
            "query_ms_mean": round(statistics.fmean(ms), 2) if ms else 0.0,
            "query_ms_p50": round(_percentile(ms, 50), 2),
            "query_ms_p95": round(_percentile(ms, 95), 2),
        }


def load_queries(path: str | Path) -> dict[str, str]:
    """Query id -> text from BEIR JSONL (`_id`/`id`, `text`) or a `qid<TAB>text` file."""
    path = Path(path)
    queries: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        qid, text = _query_line(path, number, line)
        queries[qid] = text
    return queries


def _query_line(path: Path, number: int, line: str) -> tuple[str, str]:
    if line.lstrip().startswith("{"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(str(path), number, f"not a JSON object: {exc}") from None
        qid = record.get("_id", record.get("id")) if isinstance(record, dict) else None
        if qid is None or not isinstance(record.get("text"), str):
            raise ParseError(str(path), number, 'a query needs an "_id" (or "id") and a "text"')
        return str(qid), record["text"]
    qid, sep, text = line.partition("\t")
    if not sep:
        raise ParseError(str(path), number, "expected a JSON object or `query-id<TAB>text`")
    return qid.strip(), text.strip()


def load_qrels(path: str | Path, grades: str = "plain") -> dict[str, dict[str, int]]:
    """Query id -> document id -> gain, from BEIR TSV (header skipped) or TREC qrels."""
    if grades not in GRADE_MAPS:
        raise ValueError(f"unknown grade mapping {grades!r}; use one of {', '.join(GRADE_MAPS)}")
    gain = _cranfield_gain if grades == "cranfield" else int
    path = Path(path)
    qrels: dict[str, dict[str, int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) == 4:
            qid, _iter, doc, value = parts
        elif len(parts) == 3:
            qid, doc, value = parts
        else:
            raise ParseError(str(path), number, f"expected 3 (BEIR) or 4 (TREC) columns, found {len(parts)}")
        try:
            grade = int(value)
        except ValueError:
            if number == 1:  # the BEIR header row: query-id corpus-id score
                continue
            raise ParseError(str(path), number, f"the relevance {value!r} is not an integer") from None
        qrels.setdefault(qid, {})[doc] = gain(grade)
    return qrels


def _cranfield_gain(grade: int) -> int:
    """Cranfield: 1 complete answer .. 4 minimum interest, -1 no interest; higher gain = more relevant."""
    return 5 - grade if 1 <= grade <= 4 else 0


def index_collection(corpus: str | Path, index_dir: str | Path) -> BuildReport:
    """Index the corpus with the product's build pipeline (incremental when the index exists)."""
    return build([corpus], index_dir, workers=None)


def run_queries(
    index_dir: str | Path, queries: Mapping[str, str], depth: int = RUN_DEPTH,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, list[tuple[str, float]]], list[tuple[str, str]], int, list[float]]:
    """Every query through `search.search`: the run, refused queries, corrected ones, per-query ms."""
    handle = IndexHandle(index_dir)
    run: dict[str, list[tuple[str, float]]] = {}
    failed: list[tuple[str, str]] = []
    timings: list[float] = []
    corrected = 0
    for done, (qid, text) in enumerate(queries.items(), start=1):
        try:
            result = search(handle, SearchRequest(q=text, per_page=depth, facet_limit=10))
        except QueryError as exc:
            failed.append((qid, str(exc)))
            run[qid] = []
            continue
        corrected += result.corrected is not None
        timings.append(result.elapsed_ms)
        run[qid] = [(hit.id, hit.score) for hit in result.hits]
        if progress:
            progress(done, len(queries))
    return run, failed, corrected, timings


def evaluate(
    corpus: str | Path, queries_path: str | Path, qrels_path: str | Path, index_dir: str | Path | None = None,
    grades: str = "plain", progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Index `corpus` (into `index_dir`, else a temporary folder), run the judged queries, score them."""
    qrels = load_qrels(qrels_path, grades)
    queries = {qid: text for qid, text in load_queries(queries_path).items() if qid in qrels}
    if index_dir is not None:
        return _evaluate_in(Path(index_dir), corpus, queries, qrels, progress)
    with tempfile.TemporaryDirectory(prefix="indexer-eval-") as tmp:
        return _evaluate_in(Path(tmp) / "index", corpus, queries, qrels, progress)


def _evaluate_in(index_dir: Path, corpus: str | Path, queries: Mapping[str, str], qrels: Qrels,
                 progress: Callable[[int, int], None] | None) -> EvalReport:
    report = index_collection(corpus, index_dir)
    run, failed, corrected, timings = run_queries(index_dir, queries, progress=progress)
    return EvalReport(
        scores=evaluate_run(run, qrels), run=run, documents=report.documents, queries_run=len(queries),
        failed=tuple(failed), corrected=corrected, skipped_documents=len(report.failed),
        build_seconds=report.seconds, query_ms=tuple(timings),
    )


def write_run(run: Run, path: str | Path, tag: str = "indexer") -> None:
    """The run as a TREC run file: `qid Q0 docid rank score tag`, best first."""
    Path(path).write_text("".join(trec_lines(run, tag)), encoding="utf-8")


def trec_lines(run: Run, tag: str = "indexer") -> Iterable[str]:
    for qid, results in run.items():
        for rank, (doc, score) in enumerate(results, start=1):
            yield f"{qid} Q0 {doc} {rank} {score:.4f} {tag}\n"


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]
