"""`python -m bench`: generate scale corpora and run the benchmark against SQLite FTS5 and tantivy."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import click

from . import generate as gen
from . import harness, report

DEFAULT_OUT = Path("bench-out")


def _ints(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(v.replace("k", "000")) for v in value.split(",") if v.strip())
    except ValueError:
        raise click.BadParameter(f"expected comma-separated numbers such as 1k,10k,100k, got {value!r}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Scale benchmark of the faceted search index."""


@main.command("generate")
@click.option("--size", type=click.IntRange(1), default=1000, show_default=True, help="Number of articles.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
def generate_command(size: int, seed: int, out: Path, workers: int) -> None:
    """Write SIZE generated articles to OUT/corpus-SIZE-sSEED (same seed, same files)."""
    summary = gen.generate(out, size, seed, workers)
    click.echo(f"{summary['folder']}: {size} articles, {int(summary['bytes']) / 2**20:.1f} MB"
               f"{' (reused)' if summary.get('reused') else ''}")


@main.command("run")
@click.option("--sizes", default="1k,10k,100k", show_default=True, help="Corpus sizes, comma-separated.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--rounds", type=click.IntRange(1), default=3, show_default=True, help="Rounds of the query set.")
@click.option("--queries", "per_scenario", type=click.IntRange(1, 20), default=10, show_default=True,
              help="Queries per scenario.")
@click.option("--repeats", type=click.IntRange(1), default=3, show_default=True, help="Runs of each incremental build.")
@click.option("--workers", default="1,2", show_default=True, help="Process counts for full builds.")
@click.option("--peers", default="fts5,tantivy", show_default=True, help="Peers to run (fts5, tantivy; empty: none).")
@click.option("--no-http", is_flag=True, help="Skip the web server measurements.")
@click.option("--no-builds", is_flag=True, help="Reuse the index of an earlier run; measure searches only.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True)
def run_command(sizes: str, seed: int, rounds: int, per_scenario: int, repeats: int, workers: str, peers: str,
                no_http: bool, no_builds: bool, out: Path) -> None:
    """Measure builds, query latency (ours, FTS5, tantivy) and HTTP; write OUT/results.json and results.md."""
    peer_names = tuple(p.strip() for p in peers.split(",") if p.strip())
    unknown = set(peer_names) - {"fts5", "tantivy"}
    if unknown:
        raise click.BadParameter(f"unknown peer(s): {', '.join(sorted(unknown))}", param_hint="--peers")
    if "tantivy" in peer_names and importlib.util.find_spec("tantivy") is None:
        raise click.ClickException("tantivy is not installed: `pip install -e '.[bench]'` (or pass --peers fts5)")
    opts = harness.Options(
        out=out.resolve(), seed=seed, rounds=rounds, per_scenario=per_scenario, workers=_ints(workers),
        repeats=repeats, peers=peer_names, http=not no_http, builds=not no_builds,
        log=lambda msg: click.echo(msg, err=True),
    )
    started = time.perf_counter()
    results = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": harness.machine(), "options": {
        "sizes": list(_ints(sizes)), "seed": seed, "rounds": rounds, "queries": per_scenario, "repeats": repeats,
        "peers": list(peer_names), "http": not no_http}, "sizes": []}
    for size in _ints(sizes):
        results["sizes"].append(harness.run_size(size, opts))
        report.write(results, out)
    results["seconds"] = round(time.perf_counter() - started, 1)
    json_path, md_path = report.write(results, out)
    click.echo(md_path.read_text())
    click.echo(f"results: {json_path} and {md_path} ({results['seconds']:.0f} s)", err=True)


@main.command("components")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUT / "index-100000-w2", show_default=True, help="An index built by `bench run`.")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUT / "corpus-100000-s1", show_default=True, help="Corpus for the writer comparison.")
@click.option("--docs", type=click.IntRange(1), default=2000, show_default=True,
              help="Documents written by each writer.")
@click.argument("queries", nargs=-1)
def components_command(index_dir: Path, corpus_dir: Path, docs: int, queries: tuple[str, ...]) -> None:
    """Before/after of each optimisation on an existing index: match set, facets, ranking, snippets, writing."""
    from . import components

    texts = list(queries) or ["cell", "clinical", '"also known"', '"cell lines"']
    rows = components.search_parts(index_dir, texts) + components.build_parts(corpus_dir, docs)
    click.echo(components.table(rows))


if __name__ == "__main__":
    sys.exit(main())
