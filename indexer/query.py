"""User query text -> a Whoosh query, with limits that keep every search cheap.

The Whoosh query language: AND / OR / NOT, "phrases", prefix*, wild?card, fuzzy~,
field:value (with facet names such as `topics:Cancer` or `country:"United Kingdom"`).
Queries that would scan the whole vocabulary or run unboundedly (a bare `*`, a
wildcard without two leading letters, thousands of terms, deep nesting) are refused
with a `QueryError` whose message tells the user what to do instead.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterable

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.reading import IndexReader
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
)

from .model import QueryError
from .schema import TEXT_FIELDS

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MAX_DEPTH = 20
MIN_WILDCARD_PREFIX = 2
MAX_FUZZY_DISTANCE = 2


def check_text(text: str) -> str:
    """Reject query text that is too long or too deeply nested to parse safely."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is too long ({len(text):,} characters; the limit is {MAX_QUERY_CHARS:,}).")
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise QueryError(f"The query nests parentheses {deepest} deep; the limit is {MAX_DEPTH}.")
    if "\x00" in text:
        raise QueryError("The query contains a NUL character.")
    return text.strip()


def parse_query(text: str, schema: Schema, aliases: dict[str, str]) -> wq.Query | None:
    """Parse user text into a Whoosh query; None means "match everything" (browse)."""
    text = check_text(text)
    if not text:
        return None
    parser = MultifieldParser(list(TEXT_FIELDS), schema, group=AndGroup)
    parser.add_plugin(FuzzyTermPlugin())
    parser.remove_plugin_class(GtLtPlugin)
    if aliases:
        parser.add_plugin(FieldAliasPlugin({field: [alias] for alias, field in aliases.items()}))
    try:
        parsed = parser.parse(text)
    except RecursionError:
        raise QueryError("The query is too deeply nested.") from None
    except Exception as exc:  # the Whoosh parser has no single error type
        raise QueryError(f"The query could not be understood ({exc}).") from None
    parsed = parsed.normalize()
    check_query(parsed)
    return parsed


def check_query(q: wq.Query) -> None:
    """Refuse parsed queries that would be unboundedly expensive."""
    leaves = list(_leaves(q))
    terms = len({_term_key(leaf) for leaf in leaves})  # a word searched in several fields counts once
    if terms > MAX_TERMS:
        raise QueryError(f"The query has {terms} terms; the limit is {MAX_TERMS}.")
    for leaf in leaves:
        if isinstance(leaf, wq.Every):
            raise QueryError("A bare * matches everything: leave the search box empty to browse all articles.")
        if isinstance(leaf, (wq.Wildcard, wq.Prefix)):
            _check_wildcard(leaf)
        if isinstance(leaf, wq.FuzzyTerm):
            if leaf.maxdist > MAX_FUZZY_DISTANCE:
                raise QueryError(f"A fuzzy term allows at most {MAX_FUZZY_DISTANCE} edits (word~2).")
            leaf.prefixlength = max(leaf.prefixlength, 1)


def _term_key(leaf: wq.Query) -> tuple[str, str]:
    if isinstance(leaf, wq.Phrase):
        return ("phrase", " ".join(leaf.words))
    return (type(leaf).__name__, str(getattr(leaf, "text", "")))


def _check_wildcard(leaf: wq.Query) -> None:
    text = leaf.text if isinstance(leaf.text, str) else str(leaf.text)
    literal = len(text) if isinstance(leaf, wq.Prefix) else _literal_prefix(text)
    if literal < MIN_WILDCARD_PREFIX:
        raise QueryError(
            f"The wildcard {text + '*' if isinstance(leaf, wq.Prefix) else text!r} needs at least "
            f"{MIN_WILDCARD_PREFIX} letters before * or ?, e.g. 'canc*'."
        )


def _literal_prefix(text: str) -> int:
    for i, ch in enumerate(text):
        if ch in "*?":
            return i
    return len(text)


def _leaves(q: wq.Query) -> Iterable[wq.Query]:
    if q.is_leaf() or isinstance(q, wq.Every):
        yield q
        return
    for child in q.children():
        yield from _leaves(child)


def text_terms(q: wq.Query | None) -> list[tuple[str, str]]:
    """(field, text) of the plain terms a query asks for, for highlighting and suggestions."""
    if q is None:
        return []
    out = []
    for fieldname, text in q.iter_all_terms():
        if fieldname in TEXT_FIELDS:
            out.append((fieldname, text.decode("utf-8") if isinstance(text, bytes) else text))
    return out


MAX_EXPANSIONS = 1024


def check_expansions(q: wq.Query, reader: IndexReader) -> None:
    """Refuse wildcard, prefix and fuzzy terms that expand to too many words in this index."""
    for leaf in _leaves(q):
        if isinstance(leaf, (wq.Wildcard, wq.Prefix, wq.FuzzyTerm)):
            count = sum(1 for _ in islice(leaf._btexts(reader), MAX_EXPANSIONS + 1))
            if count > MAX_EXPANSIONS:
                raise QueryError(
                    f"{leaf.text!r} matches more than {MAX_EXPANSIONS:,} different words; add letters to narrow it."
                )
