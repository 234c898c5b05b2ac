"""Ways out of zero results: each one-step relaxation of a request, as plain data.

`relaxations` is pure: it lists the requests that drop one selected value, one year
range, or the query. The view runs each (page size 1) to learn how many results it
would give and offers the ones that give some.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from indexer.model import SearchRequest

from .facetlinks import range_text, toggled, with_range

MAX_RELAXATIONS = 12


@dataclass(frozen=True)
class Relaxation:
    action: str  # "drop a value", "drop a range", "drop the query"
    label: str  # the facet label, or "Query"
    value: str
    request: SearchRequest


def relaxations(request: SearchRequest, labels: dict[str, str]) -> tuple[Relaxation, ...]:
    """Every request one step less strict than `request`, for the zero-results page."""
    out: list[Relaxation] = []
    for name, values in request.filters:
        for value in values:
            out.append(Relaxation("value", labels.get(name, name), value, toggled(request, name, value)))
    for name, low, high in request.ranges:
        out.append(Relaxation("range", labels.get(name, name), range_text(low, high),
                              with_range(request, name, None, None)))
    if request.q.strip() and (request.filters or request.ranges):
        out.append(Relaxation("query", "Query", request.q, replace(request, q="", page=1)))
    return tuple(out[:MAX_RELAXATIONS])


def counting(request: SearchRequest) -> SearchRequest:
    """The cheapest request that still reports the total: one hit, one value per facet."""
    return replace(request, page=1, per_page=1, facet_limit=1, expand=())
