"""Human-readable output of the CLI's search, show and stats commands."""

from __future__ import annotations

from typing import Any

import click

from .model import SearchResult


def print_result(result: SearchResult) -> None:
    if result.corrected:
        click.echo(f"No results for {result.query!r}; showing results for {result.corrected!r}.")
    shown = f"{result.query!r}" if result.query else "all documents"
    click.echo(f"{result.total} results for {shown} ({result.elapsed_ms:.0f} ms)")
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}")
    first = (result.page - 1) * result.per_page
    for n, hit in enumerate(result.hits, start=first + 1):
        click.echo(f"{n:3}. {hit.title}  [{hit.id}]  score {hit.score:.3f}")
        where = f"{hit.section}: " if hit.section else ""
        if hit.snippet:
            click.echo(f"     {where}{hit.snippet}")
    for facet in result.facets:
        values = ", ".join(f"{'*' if v.selected else ''}{v.value} ({v.count})" for v in facet.values)
        more = " …" if facet.truncated else ""
        click.echo(f"  {facet.label}: {values}{more}")


def print_document(doc: dict[str, Any]) -> None:
    article = doc["article"]
    click.echo(f"= {article['title']} =   [{doc['id']}]  {doc['path']}")
    for key, value, line in article["infobox"]:
        click.echo(f"  {key}: {value}   (line {line})")
    click.echo(f"sections: {', '.join(s['heading'] for s in article['sections']) or '(none)'}")
    for kind, values in doc["entities"].items():
        click.echo(f"{kind} ({len(values)}):")
        for mkind, value, section, line, rule in doc["mentions"]:
            if mkind == kind:
                click.echo(f"  - {value}   [{section}, line {line}, {rule}]")
    for name, key, values, year in doc["facets"]:
        extra = f" (year {year})" if year is not None else ""
        click.echo(f"facet {name} ({key}): {'; '.join(values)}{extra}")


def print_stats(data: dict[str, Any]) -> None:
    click.echo(f"{data['documents']} documents, schema version {data['schema_version']}, generation {data['generation']}")
    for name, info in data["facets"].items():
        click.echo(f"  {name}: {info['documents']} documents, {info['values']} values")
