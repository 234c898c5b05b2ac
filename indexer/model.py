"""Plain values that flow through the pipeline, and the error types raised along it.

Everything here is a frozen dataclass or an exception: no I/O, no behaviour beyond
small derived properties. Line numbers are kept for error messages and provenance
but excluded from equality, so reformatting a file never changes what it parses to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


# ---------------------------------------------------------------------------
# Errors: raised near the cause, turned into messages at the edges.


class IndexerError(Exception):
    """Base class of every error this package raises on purpose."""


class ParseError(IndexerError, ValueError):
    """A source file is malformed; says which file, which line and why."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[str, int, str]]:
        return (ParseError, (self.path, self.line, self.reason))


class IndexMissing(IndexerError):
    """No index has been built in the given directory yet."""


class SchemaMismatch(IndexerError):
    """The index on disk was built with another schema version."""


class IndexCorrupt(IndexerError):
    """The index on disk cannot be read."""


class BuildLocked(IndexerError):
    """Another build holds the index's write lock."""


class QueryError(IndexerError, ValueError):
    """The user's query cannot be run; the message says why, for the user."""


class DocumentNotFound(IndexerError, KeyError):
    """No document with that id is in the index."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "document not found"


# ---------------------------------------------------------------------------
# Sources and articles.


@dataclass(frozen=True)
class Source:
    """One document's raw input: where it came from and its bytes."""

    id: str
    path: str
    data: bytes
    checksum: str
    kind: str = "article"  # "article" (a .txt file) or "record" (one JSONL line)
    line: int = 1  # first line of this document within `path`


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ListItem:
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]

    @property
    def line(self) -> int:
        return self.items[0].line if self.items else 0


Block = Paragraph | BulletList


@dataclass(frozen=True)
class InfoboxField:
    key: str
    value: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Section:
    heading: str
    level: int
    blocks: tuple[Block, ...] = ()
    line: int = field(default=0, compare=False)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if isinstance(b, Paragraph))

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(i.text for b in self.blocks if isinstance(b, BulletList) for i in b.items)


@dataclass(frozen=True)
class Article:
    title: str
    name: str | None = None
    infobox: tuple[InfoboxField, ...] = ()
    lead: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def lead_text(self) -> str:
        return "\n".join(b.text for b in self.lead if isinstance(b, Paragraph))

    def infobox_dict(self) -> dict[str, str]:
        """Infobox as key -> value; a repeated key keeps its values joined by '; '."""
        out: dict[str, str] = {}
        for f in self.infobox:
            out[f.key] = f"{out[f.key]}; {f.value}" if f.key in out else f.value
        return out


# ---------------------------------------------------------------------------
# Extraction results.


ENTITY_KINDS = ("organisations", "centres", "topics")


@dataclass(frozen=True)
class Mention:
    """Where one extracted value came from, for `indexer show`."""

    kind: str  # one of ENTITY_KINDS
    value: str
    section: str  # "(infobox)", "(lead)" or the section heading
    line: int
    rule: str  # which extraction rule produced it, e.g. "list:centres"


@dataclass(frozen=True)
class Entities:
    organisations: tuple[str, ...] = ()
    centres: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()

    def of(self, kind: str) -> tuple[str, ...]:
        return getattr(self, kind)


@dataclass(frozen=True)
class InfoboxFacet:
    """One infobox key as a facet: slug name, original key, split values, optional year."""

    name: str
    key: str
    values: tuple[str, ...]
    year: int | None = None


@dataclass(frozen=True)
class Extraction:
    entities: Entities
    facets: tuple[InfoboxFacet, ...]


# ---------------------------------------------------------------------------
# Search requests and results.


SORTS = ("relevance", "title", "founded", "-founded")


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # facet -> selected values
    ranges: tuple[tuple[str, int | None, int | None], ...] = ()  # year facet -> (from, to)
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    facet_limit: int = 10
    expand: tuple[str, ...] = ()  # facets to list in full, ignoring facet_limit

    @property
    def filter_map(self) -> Mapping[str, tuple[str, ...]]:
        return dict(self.filters)

    @property
    def range_map(self) -> Mapping[str, tuple[int | None, int | None]]:
        return {name: (lo, hi) for name, lo, hi in self.ranges}


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) spans of snippet to mark
    section: str | None = None  # heading of the section the snippet came from


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    kind: str  # "keyword" or "year"
    values: tuple[FacetValue, ...]
    truncated: bool = False
    documents: int = 0  # documents in the current result set having any value


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...]
    suggestion: str | None = None  # "did you mean" query, when it would find more
    corrected: str | None = None  # the query actually run, when the typed one found nothing
    page: int = 1
    per_page: int = 10
    elapsed_ms: float = 0.0
    generation: str = ""
