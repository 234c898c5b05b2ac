"""The `indexer` command: argument handling and turning errors into messages, nothing more.

Exit codes: 0 success; 1 some files failed (build, check); 2 usage error or a query
the index cannot run; 3 the index is missing, locked, corrupt or of another schema.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from . import store
from .model import (
    BuildLocked,
    DocumentNotFound,
    IndexCorrupt,
    IndexerError,
    IndexMissing,
    QueryError,
    SchemaMismatch,
    SearchRequest,
)
from .progressbar import progress_bar, progress_callback

EXIT_FAILED_FILES = 1
EXIT_USAGE = 2
EXIT_INDEX = 3
DEFAULT_CORPUS = "corpus"

_index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Index directory (default: ${store.ENV_INDEX}, else {store.DEFAULT_INDEX}).",
)


class IndexProblem(click.ClickException):
    exit_code = EXIT_INDEX


class BadQuery(click.ClickException):
    exit_code = EXIT_USAGE


def _index_dir(value: Path | None) -> Path:
    return value if value is not None else store.default_index_dir()


def _handle(value: Path | None) -> Any:
    from .reader import IndexHandle  # imported per command: a one-file rebuild starts faster

    return IndexHandle(_index_dir(value))


def _handle_errors(fn: Callable[[], Any]) -> Any:
    """Run a command body, mapping library errors to messages and exit codes."""
    try:
        return fn()
    except QueryError as exc:
        raise BadQuery(str(exc)) from None
    except DocumentNotFound as exc:
        raise BadQuery(str(exc)) from None
    except (IndexMissing, IndexCorrupt, SchemaMismatch, BuildLocked) as exc:
        raise IndexProblem(str(exc)) from None
    except FileNotFoundError as exc:
        raise BadQuery(str(exc)) from None
    except OSError as exc:
        raise IndexProblem(f"{exc.filename or ''}: {exc.strerror or exc}".strip(": ")) from None
    except IndexerError as exc:
        raise IndexProblem(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="faceted-articles")
def main() -> None:
    """Build and search a faceted Whoosh index of sectioned articles."""


@main.command("build")
@click.argument("corpus_dirs", nargs=-1, type=click.Path(path_type=Path))
@_index_option
@click.option("--full", is_flag=True, help="Build a new generation from scratch and switch to it atomically.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Parsing processes (default: one per core).")
@click.option("--wait", type=click.FloatRange(0), default=0.0, help="Seconds to wait for another build's lock.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build_command(corpus_dirs: Sequence[Path], index_dir: Path | None, full: bool, workers: int | None,
                  wait: float, quiet: bool) -> None:
    """Index CORPUS_DIRS (default: ./corpus): only changed files, unless --full."""
    from .build import BuildReport, build  # imported per command: a one-file rebuild starts faster

    roots = list(corpus_dirs) or [Path(DEFAULT_CORPUS)]
    target = _index_dir(index_dir)
    show = not quiet and sys.stderr.isatty()
    with progress_bar("indexing", show) as bar:
        report: BuildReport = _handle_errors(
            lambda: build(roots, target, full=full, workers=workers, wait=wait, progress=progress_callback(bar))
        )
    _print_failures(report.failed)
    click.echo(report.summary())
    sys.exit(EXIT_FAILED_FILES if report.failed else 0)


def _print_failures(failures: Sequence[Exception]) -> None:
    for err in failures:
        click.echo(f"error: {err}", err=True)


@main.command("check")
@click.argument("corpus_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def check_command(corpus_dirs: Sequence[Path], as_json: bool) -> None:
    """Parse and extract CORPUS_DIRS (default: ./corpus) without indexing; report problems."""
    from .check import check

    roots = list(corpus_dirs) or [Path(DEFAULT_CORPUS)]
    report = _handle_errors(lambda: check(roots))
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_failures(report.failed)
        click.echo(report.summary())
    sys.exit(EXIT_FAILED_FILES if report.failed else 0)


def _parse_filters(filters: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    grouped: dict[str, list[str]] = {}
    for item in filters:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected FIELD=VALUE, got {item!r}", param_hint="--filter")
        grouped.setdefault(name.strip(), []).append(value.strip())
    return tuple((name, tuple(values)) for name, values in grouped.items())


def _parse_ranges(ranges: Sequence[str]) -> tuple[tuple[str, int | None, int | None], ...]:
    out = []
    for item in ranges:
        name, sep, span = item.partition("=")
        low, dots, high = span.partition("..")
        try:
            if not sep or not dots:
                raise ValueError
            out.append((name.strip(), int(low) if low.strip() else None, int(high) if high.strip() else None))
        except ValueError:
            raise click.BadParameter(f"expected FACET=FROM..TO (e.g. founded=1990..2009), got {item!r}",
                                     param_hint="--range") from None
    return tuple(out)


@main.command("search")
@click.argument("query", default="")
@_index_option
@click.option("--filter", "filters", multiple=True, metavar="FACET=VALUE",
              help="Keep results with this facet value; repeat: OR within a facet, AND across facets.")
@click.option("--range", "ranges", multiple=True, metavar="FACET=FROM..TO", help="Year range, e.g. founded=1990..2009.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Results per page.")
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "title", "founded", "-founded"]), default="relevance")
@click.option("--facet-limit", type=click.IntRange(0), default=10, show_default=True,
              help="Values shown per facet (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def search_command(query: str, index_dir: Path | None, filters: Sequence[str], ranges: Sequence[str], limit: int,
                   page: int, sort: str, facet_limit: int, as_json: bool) -> None:
    """Search the index; an empty QUERY lists every document (browse)."""
    from .search import search

    request = SearchRequest(q=query, filters=_parse_filters(filters), ranges=_parse_ranges(ranges), page=page,
                            per_page=limit, sort=sort, facet_limit=facet_limit)
    result = _handle_errors(lambda: search(_handle(index_dir), request))
    if as_json:
        from .serialize import result_to_json

        click.echo(json.dumps(result_to_json(result), ensure_ascii=False, indent=2))
        return
    from .textout import print_result

    print_result(result)


@main.command("show")
@click.argument("doc_id")
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
def show_command(doc_id: str, index_dir: Path | None, as_json: bool) -> None:
    """Show a stored article with its infobox, sections and extracted entities (with their source)."""
    from .search import get_document

    doc = _handle_errors(lambda: get_document(_handle(index_dir), doc_id))
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    from .textout import print_document

    print_document(doc)


@main.command("stats")
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats_command(index_dir: Path | None, as_json: bool) -> None:
    """Documents, schema version, generation, and per facet: documents having it and distinct values."""
    from .search import stats

    data = _handle_errors(lambda: stats(_handle(index_dir)))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from .textout import print_stats

    print_stats(data)


from .evalcli import eval_command  # noqa: E402  (`indexer eval`, the relevance evaluation)
main.add_command(eval_command)
