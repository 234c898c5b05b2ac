"""Everything the search page links to, as plain data built by pure functions.

Each facet value carries its own `toggle_url`, each selected filter a chip with a
`remove_url`, year facets their decade (or year) buckets: the template only prints
what is here, so the rules for building URLs live in one testable place
(the habit of Datasette's facets.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from indexer.model import Facet, SearchRequest, SearchResult

from .params import to_pairs

MAX_PAGE_LINKS = 7
YEARS_WHEN_SPAN_AT_MOST = 15
LONG_FACET = 12  # lists this long get a filter box (with JavaScript)


@dataclass(frozen=True)
class ValueLink:
    value: str
    count: int
    selected: bool
    toggle_url: str
    input_id: str


@dataclass(frozen=True)
class Bucket:
    label: str
    low: int
    high: int
    count: int
    url: str
    selected: bool
    bar: int  # 0..10, the count relative to the largest bucket, for a CSS class


@dataclass(frozen=True)
class FacetView:
    name: str
    label: str
    kind: str
    documents: int
    truncated: bool
    expanded: bool
    long: bool
    values: tuple[ValueLink, ...]
    expand_url: str | None  # "show all", when truncated
    collapse_url: str | None  # "show fewer", when expanded
    buckets: tuple[Bucket, ...] = ()
    low: int | None = None  # the selected range of a year facet
    high: int | None = None
    clear_range_url: str | None = None


@dataclass(frozen=True)
class Chip:
    label: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


def href(base: str, request: SearchRequest) -> str:
    """The URL of a request: base path plus its canonical query string."""
    pairs = to_pairs(request)
    return f"{base}?{urlencode(pairs)}" if pairs else base


def _filters_with(request: SearchRequest, name: str, values: tuple[str, ...]) -> SearchRequest:
    """The request with facet `name` set to `values` (dropped when empty), back on page 1."""
    filters = [(n, v) for n, v in request.filters if n != name]
    if values:
        position = next((i for i, (n, _v) in enumerate(request.filters) if n == name), len(filters))
        filters.insert(min(position, len(filters)), (name, values))
    return replace(request, filters=tuple(filters), page=1)


def toggled(request: SearchRequest, name: str, value: str) -> SearchRequest:
    """Select `value` of facet `name`, or unselect it when selected."""
    current = request.filter_map.get(name, ())
    values = tuple(v for v in current if v != value) if value in current else current + (value,)
    return _filters_with(request, name, values)


def with_range(request: SearchRequest, name: str, low: int | None, high: int | None) -> SearchRequest:
    """The request with the year range of `name` set (or removed when both ends are None)."""
    ranges = [r for r in request.ranges if r[0] != name]
    if low is not None or high is not None:
        ranges.append((name, low, high))
    return replace(request, ranges=tuple(ranges), page=1)


def with_expand(request: SearchRequest, name: str, on: bool) -> SearchRequest:
    expand = tuple(n for n in request.expand if n != name) + ((name,) if on else ())
    return replace(request, expand=expand)


def input_id(name: str, value: str) -> str:
    """A stable, unique HTML id for one facet value's checkbox (survives re-ordering)."""
    digest = hashlib.blake2s(f"{name}\x00{value}".encode("utf-8"), digest_size=6).hexdigest()
    return f"f-{digest}"


def facet_views(base: str, request: SearchRequest, result: SearchResult) -> tuple[FacetView, ...]:
    """The sidebar: every facet of the result with links; a selected range shows even without values."""
    views = [_facet_view(base, request, facet) for facet in result.facets]
    shown = {v.name for v in views}
    for name, low, high in request.ranges:
        if name not in shown:
            views.append(FacetView(name, name.replace("_", " ").capitalize(), "year", 0, False, False, False, (),
                                   None, None, (), low, high, href(base, with_range(request, name, None, None))))
    return tuple(views)


def _facet_view(base: str, request: SearchRequest, facet: Facet) -> FacetView:
    expanded = facet.name in request.expand
    values = tuple(
        ValueLink(v.value, v.count, v.selected, href(base, toggled(request, facet.name, v.value)),
                  input_id(facet.name, v.value))
        for v in facet.values
    )
    low, high = request.range_map.get(facet.name, (None, None))
    year = facet.kind == "year"
    return FacetView(
        name=facet.name,
        label=facet.label,
        kind=facet.kind,
        documents=facet.documents,
        truncated=facet.truncated,
        expanded=expanded,
        long=len(values) >= LONG_FACET,
        values=() if year else values,
        expand_url=href(base, with_expand(request, facet.name, True)) if facet.truncated and not expanded else None,
        collapse_url=href(base, with_expand(request, facet.name, False)) if expanded else None,
        buckets=year_buckets(base, request, facet) if year else (),
        low=low,
        high=high,
        clear_range_url=href(base, with_range(request, facet.name, None, None)) if (low, high) != (None, None) else None,
    )


def year_buckets(base: str, request: SearchRequest, facet: Facet) -> tuple[Bucket, ...]:
    """Counts per decade, or per year when the years span little; a narrow selected range drills down to its years."""
    years = [(int(v.value), v.count) for v in facet.values if v.value.lstrip("-").isdigit() and v.count]
    low, high = request.range_map.get(facet.name, (None, None))
    narrow = low is not None and high is not None and high - low <= YEARS_WHEN_SPAN_AT_MOST
    if narrow:
        years = [(y, c) for y, c in years if low <= y <= high]  # type: ignore[operator]
    if not years:
        return ()
    span = max(y for y, _ in years) - min(y for y, _ in years)
    step = 1 if narrow or span <= YEARS_WHEN_SPAN_AT_MOST else 10
    counts: dict[int, int] = {}
    for year, count in years:
        start = year - year % step
        counts[start] = counts.get(start, 0) + count
    peak = max(counts.values())
    out = []
    for start in sorted(counts):
        end = start + step - 1
        selected = (low, high) == (start, end)
        target = with_range(request, facet.name, None, None) if selected else with_range(request, facet.name, start, end)
        out.append(Bucket(str(start) if step == 1 else f"{start}s", start, end, counts[start], href(base, target),
                          selected, round(10 * counts[start] / peak)))
    return tuple(out)


def chips(base: str, request: SearchRequest, labels: dict[str, str]) -> tuple[Chip, ...]:
    """One removable chip per selected value and per year range, in URL order."""
    out = []
    for name, values in request.filters:
        for value in values:
            out.append(Chip(labels.get(name, name), value, href(base, toggled(request, name, value))))
    for name, low, high in request.ranges:
        out.append(Chip(labels.get(name, name), range_text(low, high),
                        href(base, with_range(request, name, None, None))))
    return tuple(out)


def range_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return str(low) if low == high else f"{low}–{high}"
    return f"from {low}" if low is not None else f"until {high}"


def clear_all_url(base: str, request: SearchRequest) -> str:
    """Keeps the query and sort; drops every filter and range."""
    return href(base, replace(request, filters=(), ranges=(), page=1))


def page_links(base: str, request: SearchRequest, total: int, max_page: int) -> tuple[PageLink, ...]:
    """A window of page numbers around the current page (empty when everything fits on one)."""
    last = min(max_page, max(1, -(-total // request.per_page)))
    if last <= 1:
        return ()
    half = MAX_PAGE_LINKS // 2
    first = max(1, min(request.page - half, last - MAX_PAGE_LINKS + 1))
    numbers = range(first, min(last, first + MAX_PAGE_LINKS - 1) + 1)
    return tuple(PageLink(n, href(base, replace(request, page=n)), n == request.page) for n in numbers)


def last_page(request: SearchRequest, total: int, max_page: int) -> int:
    return min(max_page, max(1, -(-total // request.per_page)))


def sort_url(base: str, request: SearchRequest, sort: str) -> str:
    return href(base, replace(request, sort=sort, page=1))


def query_url(base: str, request: SearchRequest, q: str) -> str:
    """The same filters with another query (did you mean)."""
    return href(base, replace(request, q=q, page=1))
