"""One source file -> its index documents, or the errors that kept them out.

This is the unit of work a build hands to worker processes: read (through `corpus`),
parse, extract, build fields. Everything after the read is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import corpus
from .document import index_fields
from .extract import extract
from .model import Article, Extraction, ParseError, Source
from .parse import decode, parse
from .records import parse_record


@dataclass(frozen=True)
class FileResult:
    entry: corpus.FileEntry
    checksum: str
    documents: tuple[dict[str, Any], ...]
    errors: tuple[ParseError, ...]
    facet_keys: tuple[tuple[str, str], ...] = ()  # (facet name, infobox key) per document, for labels

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(doc["id"] for doc in self.documents)

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(doc["title"] for doc in self.documents)


def parse_source(source: Source) -> Article:
    """Source -> Article, by the source's kind."""
    if source.kind == "record":
        return parse_record(source)
    return parse(decode(source.data, source.path), source.path)


def analyse(source: Source, gazetteer: frozenset[str] = frozenset()) -> tuple[Article, Extraction]:
    article = parse_source(source)
    return article, extract(article, gazetteer)


def process_file(entry: corpus.FileEntry, gazetteer: frozenset[str] = frozenset()) -> FileResult:
    """Read one file and turn every document in it into index fields; errors are collected, not raised."""
    try:
        data = corpus.read_bytes(entry)
    except ParseError as err:
        return FileResult(entry, "", (), (err,))
    documents: list[dict[str, Any]] = []
    errors: list[ParseError] = []
    facet_keys: list[tuple[str, str]] = []
    for source in corpus.sources(entry, data):
        if isinstance(source, ParseError):
            errors.append(source)
            continue
        try:
            article, extraction = analyse(source, gazetteer)
        except ParseError as err:
            errors.append(err)
            continue
        except RecursionError:
            errors.append(ParseError(source.path, source.line, "article too deeply nested to parse"))
            continue
        documents.append(index_fields(source, article, extraction))
        facet_keys.extend((facet.name, facet.key) for facet in extraction.facets)
    return FileResult(entry, corpus.checksum(data), tuple(documents), tuple(errors), tuple(facet_keys))
