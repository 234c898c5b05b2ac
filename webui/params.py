"""URL query parameters <-> `SearchRequest`, both ways, as pure functions.

The page and the API share one parameter language: `q`, `page`, `per_page`, `sort`,
`expand` (repeatable), `<year facet>_from` / `<year facet>_to`; every other parameter is
a facet filter named by its facet key, repeated for several values
(`?q=asthma&topics=Cancer&topics=Allergy&founded_from=1990`). Empty values are ignored,
so a form may submit blank fields. Anything oversized is refused with a `QueryError`.
"""

from __future__ import annotations

from typing import Iterable

from indexer.model import QueryError, SearchRequest

KNOWN = ("q", "page", "per_page", "sort", "expand")
RANGE_SUFFIXES = ("_from", "_to")
DEFAULTS = SearchRequest()

MAX_VALUE_CHARS = 1000  # the query's own limit; facet values are far shorter
MAX_FILTER_VALUES = 50
MAX_PARAMS = 200
MAX_NUMBER_DIGITS = 9

Pairs = list[tuple[str, str]]


def parse_request(pairs: Iterable[tuple[str, str]]) -> SearchRequest:
    """A SearchRequest from (name, value) pairs in URL order; raises QueryError on bad input."""
    items = [(name, value) for name, value in pairs]
    if len(items) > MAX_PARAMS:
        raise QueryError(f"Too many parameters ({len(items)}; the limit is {MAX_PARAMS}).")
    q = ""
    page, per_page, sort = DEFAULTS.page, DEFAULTS.per_page, DEFAULTS.sort
    filters: dict[str, list[str]] = {}
    ranges: dict[str, list[int | None]] = {}
    expand: list[str] = []
    for name, value in items:
        _check_size(name, value)
        value = value.strip()
        if not value and name != "q":
            continue
        if name == "q":
            q = value
        elif name == "page":
            page = _number(name, value)
        elif name == "per_page":
            per_page = _number(name, value)
        elif name == "sort":
            sort = value
        elif name == "expand":
            expand.append(value)
        elif (bound := _range_bound(name)) is not None:
            facet, index = bound
            ranges.setdefault(facet, [None, None])[index] = _number(name, value, signed=True)
        else:
            if not name.strip():
                raise QueryError("A filter parameter has no name.")
            filters.setdefault(name, [])
            if value not in filters[name]:
                filters[name].append(value)
    count = sum(len(v) for v in filters.values())
    if count > MAX_FILTER_VALUES:
        raise QueryError(f"Too many filter values ({count}; the limit is {MAX_FILTER_VALUES}).")
    return SearchRequest(
        q=q,
        filters=tuple((name, tuple(values)) for name, values in filters.items()),
        ranges=tuple((name, low, high) for name, (low, high) in ranges.items()),
        page=page,
        per_page=per_page,
        sort=sort,
        expand=tuple(dict.fromkeys(expand)),
    )


def to_pairs(request: SearchRequest) -> Pairs:
    """The canonical parameters of a request: defaults left out, page last."""
    pairs: Pairs = []
    if request.q:
        pairs.append(("q", request.q))
    for name, values in request.filters:
        pairs.extend((name, value) for value in values)
    for name, low, high in request.ranges:
        if low is not None:
            pairs.append((f"{name}_from", str(low)))
        if high is not None:
            pairs.append((f"{name}_to", str(high)))
    if request.sort != DEFAULTS.sort:
        pairs.append(("sort", request.sort))
    if request.per_page != DEFAULTS.per_page:
        pairs.append(("per_page", str(request.per_page)))
    pairs.extend(("expand", name) for name in request.expand)
    if request.page != DEFAULTS.page:
        pairs.append(("page", str(request.page)))
    return pairs


def _range_bound(name: str) -> tuple[str, int] | None:
    """('founded', 0) for founded_from, ('founded', 1) for founded_to, else None."""
    for index, suffix in enumerate(RANGE_SUFFIXES):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], index
    return None


def _check_size(name: str, value: str) -> None:
    if len(name) > MAX_VALUE_CHARS:
        raise QueryError(f"A parameter name is too long ({len(name):,} characters).")
    if len(value) > MAX_VALUE_CHARS:
        what = "The query" if name == "q" else f"The value of {name[:50]!r}"
        raise QueryError(f"{what} is too long ({len(value):,} characters; the limit is {MAX_VALUE_CHARS:,}).")
    if "\x00" in name or "\x00" in value:
        raise QueryError("A parameter contains a NUL character.")


def _number(name: str, value: str, signed: bool = False) -> int:
    digits = value[1:] if signed and value[:1] == "-" else value
    if not digits.isascii() or not digits.isdigit() or len(digits) > MAX_NUMBER_DIGITS:
        kind = "a year" if signed else "a whole number"
        raise QueryError(f"{name} must be {kind}, got {value[:40]!r}.")
    return int(value)
