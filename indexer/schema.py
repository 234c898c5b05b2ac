"""The Whoosh schema: analyzers, field boosts, facet fields and the schema version.

Text fields are scored with BM25F (title > lead > body). Facet fields hold exact,
case-preserving values, one term per value, so a facet count is a document count.
Infobox keys become dynamic fields: `f_<slug>` for values, `y_<slug>` for years.
"""

from __future__ import annotations

from whoosh import fields, scoring
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

from .model import ENTITY_KINDS

#: Bump whenever the fields, analyzers or stored document layout change.
SCHEMA_VERSION = 1

TEXT_FIELDS = ("title", "lead", "body")
FIELD_BOOSTS = {"title": 3.0, "lead": 1.5, "body": 1.0}
BM25_K1 = 1.2
BM25_B = 0.75

INFOBOX_PREFIX = "f_"
YEAR_PREFIX = "y_"
SPELL_FIELD = "words"
TITLE_KEY_FIELD = "title_key"

_TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"


def text_analyzer() -> Analyzer:
    """Tokenize, lowercase, fold accents, drop stop words, stem (Porter)."""
    return (
        RegexTokenizer(_TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter()
    )


def spelling_analyzer() -> Analyzer:
    """Unstemmed, folded words: the vocabulary that "did you mean" draws from."""
    return RegexTokenizer(_TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(minsize=3)


def facet_field() -> fields.FieldType:
    """Multi-valued exact keyword field: one term per value, case preserved."""
    return fields.KEYWORD(analyzer=IDTokenizer(), scorable=False)


def build_schema() -> fields.Schema:
    """The schema of every index generation written with SCHEMA_VERSION."""
    analyzer = text_analyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["title"], stored=True),
        lead=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["lead"]),
        body=fields.TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["body"]),
        words=fields.TEXT(analyzer=spelling_analyzer(), phrase=False),
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
    """BM25F with the shipped parameters; field boosts come from the schema."""
    return scoring.BM25F(B=BM25_B, K1=BM25_K1)


def title_key(title: str) -> str:
    """Sort key for titles: case- and accent-insensitive."""
    return title.translate(accent_map).casefold().strip()
