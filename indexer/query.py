"""User query text -> a Whoosh query, with limits that keep every search cheap.

Plain text (no query syntax) is analysed like the documents and becomes one BM25F term
per distinct word (`bm25f.FieldsTerm`, searched in title, lead and body at once). The
grouping follows the query's length: up to SHORT_QUERY_TERMS words must all match (AND:
a short query names what it wants, and its facet counts stay focused); a longer query
(a sentence, a pasted claim or abstract) matches any of its words and relies on ranking
(OR: requiring most words of a sentence loses most relevant documents: on the SciFact
train split, requiring half of them costs 0.06 nDCG@10 and 0.20 Recall@100). An AND
query that finds nothing is relaxed to OR by `search()`, which says so.

Text with syntax uses the Whoosh query language: AND / OR / NOT, "phrases", prefix*,
wild?card, fuzzy~, field:value (with facet names such as `topics:Cancer` or
`country:"United Kingdom"`); implicit grouping is AND, and each plain word in it is also
scored by BM25F. Queries that would scan the whole vocabulary or run unboundedly (a bare
`*`, a wildcard without two leading letters, thousands of terms, deep nesting) are
refused with a `QueryError` whose message tells the user what to do instead.
"""

from __future__ import annotations

import re
import time
from collections import Counter
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

from .bm25f import FieldsTerm
from .model import QueryError
from .schema import BM25_K1, FIELD_B, FIELD_BOOSTS, TEXT_FIELDS

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MAX_DEPTH = 20
MIN_WILDCARD_PREFIX = 2
MAX_FUZZY_DISTANCE = 2
MAX_FUZZY_CHARS = 24
#: Plain queries of at most this many distinct words require all of them (AND); longer ones any (OR).
SHORT_QUERY_TERMS = 3
_SYNTAX = re.compile(r'["*?~^:\[\]{}]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b')


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
    if is_plain(text):
        parsed = plain_query(text, schema)
    else:
        parsed = _bm25f_words(_parse_syntax(text, schema, aliases))
    check_query(parsed, schema)
    return KnownItemQuery(parsed, tuple(analysed_words(text, schema)))


def is_plain(text: str) -> bool:
    """True when the text uses no query syntax (operators, quotes, field:, wildcards, fuzzy, boosts)."""
    return _SYNTAX.search(text) is None


def plain_query(text: str, schema: Schema) -> wq.Query:
    """Plain words -> BM25F terms (repeats weigh more), AND when few, OR when many."""
    words = analysed_words(text, schema)
    if len(words) > MAX_TERMS:
        raise QueryError(f"The query has {len(words)} terms; the limit is {MAX_TERMS}.")
    terms = [_fields_term(word, count) for word, count in Counter(words).items()]
    if not terms:
        return wq.NullQuery
    if len(terms) == 1:
        return terms[0]
    return wq.And(terms) if len(terms) <= SHORT_QUERY_TERMS else wq.Or(terms)


def relaxed_text(text: str, schema: Schema) -> str | None:
    """The OR form of a plain AND query ("a OR b OR c"), or None when there is nothing to relax."""
    if not is_plain(text):
        return None
    words = list(dict.fromkeys(_surface_words(text, schema)))
    if not 1 < len(words) <= SHORT_QUERY_TERMS:
        return None
    return " OR ".join(words)


def analysed_words(text: str, schema: Schema) -> list[str]:
    """The index terms of the text, in order, as the text fields analyse it."""
    return [t.text for t in schema[TEXT_FIELDS[0]].analyzer(text)]


class KnownItemQuery(wq.WrappingQuery):
    """The parsed query plus its analysed words, which ranking compares with titles (known-item search).

    The words are what the text fields make of the whole text ("What'd I Say!" -> whatd, i, say),
    so a title typed in any case, with or without its punctuation and stop words, has the
    same words as the title itself.
    """

    def __init__(self, child: wq.Query, words: tuple[str, ...] = ()) -> None:
        super().__init__(child)
        self.words = words

    def _rewrap(self, child: wq.Query) -> KnownItemQuery:
        return KnownItemQuery(child, self.words)

    def __str__(self) -> str:
        return str(self.child)

    def normalize(self) -> wq.Query:
        return self._rewrap(self.child.normalize())


def _surface_words(text: str, schema: Schema) -> list[str]:
    """The words of the text that survive analysis, as typed (for a readable relaxed query)."""
    analyzer = schema[TEXT_FIELDS[0]].analyzer
    return [text[t.startchar:t.endchar].replace("'", "").replace("’", "") for t in analyzer(text, chars=True)]


def _fields_term(word: str, count: int = 1) -> FieldsTerm:
    return FieldsTerm(word, TEXT_FIELDS, FIELD_BOOSTS, FIELD_B, BM25_K1, boost=float(count))


def _parse_syntax(text: str, schema: Schema, aliases: dict[str, str]) -> wq.Query:
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
    return parsed.normalize()


def _bm25f_words(q: wq.Query) -> wq.Query:
    """Replace each word searched in every text field (the parser's Or of Terms) by one BM25F term."""
    if isinstance(q, wq.Or):
        return _regroup_or(q)
    if isinstance(q, (wq.Term, FieldsTerm)) or q.is_leaf():
        return q
    return q.apply(_bm25f_words)


def _regroup_or(q: wq.Or) -> wq.Query:
    by_text: dict[str, list[wq.Term]] = {}
    others: list[wq.Query] = []
    for sub in q.subqueries:
        if isinstance(sub, wq.Term) and sub.fieldname in TEXT_FIELDS and isinstance(sub.text, str):
            by_text.setdefault(sub.text, []).append(sub)
        else:
            others.append(_bm25f_words(sub))
    grouped: list[wq.Query] = []
    for text, terms in by_text.items():
        if {t.fieldname for t in terms} == set(TEXT_FIELDS):
            grouped.append(_fields_term(text).with_boost(max(t.boost for t in terms)))
        else:
            grouped.extend(terms)
    subs = grouped + others
    if len(subs) == 1 and not others:
        return subs[0]
    return wq.Or(subs, boost=q.boost)


def check_query(q: wq.Query, schema: Schema) -> None:
    """Refuse parsed queries that would be unboundedly expensive, or that ask a field for what it lacks."""
    leaves = list(_leaves(q))
    terms = len({_term_key(leaf) for leaf in leaves})  # a word searched in several fields counts once
    if terms > MAX_TERMS:
        raise QueryError(f"The query has {terms} terms; the limit is {MAX_TERMS}.")
    for leaf in leaves:
        if isinstance(leaf, wq.Phrase) and leaf.fieldname in schema \
                and not schema[leaf.fieldname].format.supports("positions"):
            raise QueryError(f"The field {leaf.fieldname!r} has no word positions, so it cannot search a phrase "
                             f"in quotes; search the words without quotes, or the phrase without {leaf.fieldname}:.")
        if isinstance(leaf, wq.Every):
            raise QueryError("A bare * matches everything: leave the search box empty to browse all articles.")
        if isinstance(leaf, (wq.Wildcard, wq.Prefix)):
            _check_wildcard(leaf)
        if isinstance(leaf, wq.FuzzyTerm):
            if leaf.maxdist > MAX_FUZZY_DISTANCE:
                raise QueryError(f"A fuzzy term allows at most {MAX_FUZZY_DISTANCE} edits (word~2).")
            if len(leaf.text) > MAX_FUZZY_CHARS:  # its automaton grows with the length: seconds per search
                raise QueryError(f"A fuzzy term can have at most {MAX_FUZZY_CHARS} characters.")
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
        if ch in wq.Wildcard.SPECIAL_CHARS:  # "*?[": a character class scans like a wildcard
            return i
    return len(text)


def _leaves(q: wq.Query) -> Iterable[wq.Query]:
    if q.is_leaf() or isinstance(q, (wq.Every, FieldsTerm)):
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
#: Distinct wildcard, fuzzy and range terms per query: each one scans the vocabulary (twice).
MAX_EXPANDING_TERMS = 4
#: Seconds that counting the expansions may take before the query is refused (big vocabularies).
EXPANSION_TIME_LIMIT = 0.3
_EXPANDING = (wq.Wildcard, wq.Prefix, wq.FuzzyTerm, wq.TermRange)


def check_expansions(q: wq.Query, reader: IndexReader) -> None:
    """Refuse wildcard, prefix, fuzzy and range terms that expand to too many words in this index."""
    expanding = [leaf for leaf in _leaves(q) if isinstance(leaf, _EXPANDING)]
    if len({_shown(leaf) for leaf in expanding}) > MAX_EXPANDING_TERMS:
        raise QueryError(f"The query has more than {MAX_EXPANDING_TERMS} wildcard, fuzzy or range terms; use fewer.")
    deadline = time.monotonic() + EXPANSION_TIME_LIMIT
    for leaf in expanding:
        count = sum(1 for _ in islice(leaf._btexts(reader), MAX_EXPANSIONS + 1))
        if count > MAX_EXPANSIONS:
            raise QueryError(
                f"{_shown(leaf)!r} matches more than {MAX_EXPANSIONS:,} different words; add letters to narrow it."
            )
        if time.monotonic() > deadline:
            raise QueryError("The wildcard, fuzzy and range terms of this query take too long to expand; use fewer.")


def _shown(leaf: wq.Query) -> str:
    """How the user wrote an expanding term: its text, or a range as [start TO end]."""
    if isinstance(leaf, wq.TermRange):
        return f"[{leaf.start or '*'} TO {leaf.end or '*'}]"
    return str(leaf.text)
