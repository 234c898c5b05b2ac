"""The `indexer eval` command: relevance of the product on a test collection, as trec_eval would score it.

Exit codes: 0 evaluated; 2 bad input (missing file, malformed queries or qrels); 3 the
index directory cannot be used (locked, corrupt).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .metrics import GRADE_MAPS
from .model import BuildLocked, IndexCorrupt, IndexerError, ParseError, SchemaMismatch
from .progressbar import progress_bar, progress_callback

if TYPE_CHECKING:
    from .evaluate import EvalReport

EXIT_USAGE = 2
EXIT_INDEX = 3


class _BadInput(click.ClickException):
    exit_code = EXIT_USAGE


class _IndexProblem(click.ClickException):
    exit_code = EXIT_INDEX


@click.command("eval")
@click.option("--corpus", required=True, type=click.Path(exists=True, path_type=Path),
              help="Corpus folder or file (articles, or JSONL records such as BEIR corpus.jsonl).")
@click.option("--queries", "queries_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Queries: JSONL with _id/id and text (BEIR), or qid<TAB>text.")
@click.option("--qrels", "qrels_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Judgments: BEIR TSV (query-id corpus-id score, header) or TREC (qid iter docid rel).")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Build (incrementally) and keep the index here; default: a temporary folder, removed after.")
@click.option("--run", "run_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the run as a TREC run file (qid Q0 docid rank score tag).")
@click.option("--grades", type=click.Choice(GRADE_MAPS), default="plain", show_default=True,
              help="How judged values become gains: plain (as given) or cranfield (1 best .. 4, -1 none).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_command(corpus: Path, queries_path: Path, qrels_path: Path, index_dir: Path | None, run_path: Path | None,
                 grades: str, as_json: bool) -> None:
    """Index CORPUS, run every judged query through the product's search, report nDCG@10, Recall@100, MRR@10."""
    show = not as_json and sys.stderr.isatty()
    with progress_bar("querying", show) as bar:
        from .evaluate import evaluate, write_run  # heavy: imported when the command runs

        report = _run(lambda: evaluate(corpus, queries_path, qrels_path, index_dir, grades, progress_callback(bar)))
    if run_path is not None:
        write_run(report.run, run_path)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        _print_report(report, run_path)


def _run(fn: Any) -> "EvalReport":
    try:
        return fn()
    except ParseError as exc:
        raise _BadInput(str(exc)) from None
    except FileNotFoundError as exc:
        raise _BadInput(str(exc)) from None
    except (BuildLocked, IndexCorrupt, SchemaMismatch) as exc:
        raise _IndexProblem(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise _BadInput(f"input is not UTF-8 text ({exc.reason})") from None
    except IndexerError as exc:
        raise _IndexProblem(str(exc)) from None


def _print_report(report: "EvalReport", run_path: Path | None) -> None:
    data = report.as_dict()
    s = report.scores
    click.echo(f"queries evaluated {s.queries} (with a relevant document), documents {report.documents}")
    click.echo(f"nDCG@{s.k_ndcg}    {s.ndcg:.4f}")
    click.echo(f"Recall@{s.k_recall} {s.recall:.4f}")
    click.echo(f"MRR@{s.k_mrr}     {s.mrr:.4f}")
    click.echo(f"per query: mean {data['query_ms_mean']} ms, p50 {data['query_ms_p50']} ms, "
               f"p95 {data['query_ms_p95']} ms; index build {data['build_seconds']} s")
    if report.skipped_documents:
        click.echo(f"{report.skipped_documents} corpus records or files could not be indexed (see `indexer check`)",
                   err=True)
    if report.corrected:
        click.echo(f"{report.corrected} queries answered with a correction or relaxed to OR")
    for qid, message in report.failed:
        click.echo(f"query {qid} refused: {message}", err=True)
    if run_path is not None:
        click.echo(f"run written to {run_path}")
