"""The Whoosh schema: analyzers, field weights, facet fields and the schema version.

Text fields are scored with BM25F at query time (see `bm25f.py`): the per-field weights
and length normalisation live here as plain constants, so they can be tuned without
reindexing; the index itself stores plain term frequencies (field_boost 1). Facet
fields hold exact, case-preserving values, one term per value, so a facet count is a
document count. Infobox keys become dynamic fields: `f_<slug>` for values, `y_<slug>` for years.

Text analysis (measured on the SciFact train split, see README "Relevance"):
tokens are runs of letters/digits (keeping `3.5`, `U.S`, `what'd`, `R&B` whole), a Greek
letter is a token of its own spelled out (`TGF-β`, `TGFβ` and `TGF-beta` all give `tgf beta`),
apostrophes and ampersands are dropped inside words (`What'd` = `Whatd`, `R&B` = `RB`),
accents are folded, the 33
Lucene English stop words are dropped, and words are stemmed with Porter2 (Snowball English).
"""

from __future__ import annotations

import re
from typing import Iterator

from whoosh import fields, formats, scoring
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.lang.porter2 import stem as porter2
from whoosh.support.charset import accent_map

from .model import ENTITY_KINDS

#: Bump whenever the fields, analyzers or stored document layout change.
SCHEMA_VERSION = 3

TEXT_FIELDS = ("title", "lead", "body")
#: BM25F field weights (query time): title > lead > body. JSONL records (SciFact, Cranfield) have no body,
#: so the body weight only shapes article search: a section word counts 0.8 of a lead word.
FIELD_BOOSTS = {"title": 4.0, "lead": 1.0, "body": 0.8}
#: BM25F length normalisation per field, and the shared saturation k1 (tuned on SciFact train,
#: checked on Cranfield: see README "Relevance").
FIELD_B = {"title": 0.75, "lead": 0.75, "body": 0.75}
BM25_K1 = 2.0
BM25_B = 0.75

INFOBOX_PREFIX = "f_"
YEAR_PREFIX = "y_"
SPELL_FIELD = "words"
#: The fields whose values, one per line, make the spelling field's value (document.py).
SPELL_SOURCES = TEXT_FIELDS
TITLE_KEY_FIELD = "title_key"

#: Lucene's English stop words (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET).
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then "
    "there these they this to was will with".split()
)
_GREEK_RANGE = "\u0370-\u03ff\u00b5"  # the Greek block and the micro sign
_WORD_CHAR = f"[^\\W{_GREEK_RANGE}]"
TOKEN_PATTERN = f"[{_GREEK_RANGE}]|{_WORD_CHAR}+(?:[.'’&]{_WORD_CHAR}+)*"
SPELL_PATTERN = r"\w+(?:[.'’]\w+)*"
#: The characters on which the two patterns can find different words (Greek letters, `&`):
#: in text without any, both find exactly the same words (tests/bench/test_segwriter.py).
_TOKENIZERS_DIFFER = re.compile(f"[&{_GREEK_RANGE}]")
GREEK_NAMES = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "µ": "mu",
    "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}


class GreekFilter(Filter):
    """A lone Greek letter token becomes its English name (after lowercasing)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            name = GREEK_NAMES.get(t.text)
            if name is not None:
                t.text = name
            yield t


class JoinerFilter(Filter):
    """Drop apostrophes and ampersands inside a word: `what'd` = `whatd` = `what’d`, `R&B` = `RB`."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if "'" in t.text or "’" in t.text or "&" in t.text:
                t.text = t.text.replace("'", "").replace("’", "").replace("&", "")
            yield t


def text_analyzer() -> Analyzer:
    """Tokenize, lowercase, spell out Greek letters, fold accents, join `'`/`&` words, drop stop words, stem."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | GreekFilter()
        | CharsetFilter(accent_map)
        | JoinerFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(porter2)
    )


def same_words(text: str) -> bool:
    """True when the text and spelling analyzers' tokenizers find the same words in `text`."""
    return _TOKENIZERS_DIFFER.search(text) is None


def spelling_analyzer() -> Analyzer:
    """Unstemmed, folded words: the vocabulary that "did you mean" draws from."""
    return RegexTokenizer(SPELL_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(minsize=3)


def spelling_field() -> fields.FieldType:
    """Which documents hold each word, nothing more: spelling needs document frequencies and sets.

    Existence postings (no frequencies, no lengths) keep this field, which has more postings
    than any other, cheap to write and small on disk.
    """
    return fields.FieldType(formats.Existence(), analyzer=spelling_analyzer(), scorable=False)


def facet_field() -> fields.FieldType:
    """Multi-valued exact keyword field: one term per value, case preserved."""
    return fields.KEYWORD(analyzer=IDTokenizer(), scorable=False)


def build_schema() -> fields.Schema:
    """The schema of every index generation written with SCHEMA_VERSION."""
    analyzer = text_analyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=analyzer, stored=True),
        lead=fields.TEXT(analyzer=analyzer),
        body=fields.TEXT(analyzer=analyzer),
        words=spelling_field(),
        title_key=fields.ID(),
        checksum=fields.STORED(),
        path=fields.STORED(),
        doc=fields.STORED(),
    )
    for kind in ENTITY_KINDS:
        schema.add(kind, facet_field())
    schema.add(INFOBOX_PREFIX + "*", facet_field(), glob=True)
    schema.add(YEAR_PREFIX + "*", fields.ID(), glob=True)
    return schema


def weighting() -> scoring.WeightingModel:
    """Whoosh's per-field BM25 for what `bm25f.FieldsTerm` does not cover (phrases, wildcards, fuzzy)."""
    return scoring.BM25F(B=BM25_B, K1=BM25_K1)


def title_key(title: str) -> str:
    """Sort key for titles: case- and accent-insensitive."""
    return title.translate(accent_map).casefold().strip()
