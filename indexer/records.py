"""JSONL records -> `Article`. Pure: the corpus reader hands over each line's bytes.

A record is a JSON object with an id (`id` or `_id`), a `title` and a `text`; every
other field becomes an infobox entry (lists joined with "; ", nested objects such as
BEIR's `metadata` flattened one level). This is how exports from other systems and
BEIR collections (`corpus.jsonl`) are indexed by the same pipeline as article folders.
"""

from __future__ import annotations

import json

from .model import Article, InfoboxField, Paragraph, ParseError, Source
from .parse import clean_line

_RESERVED = frozenset({"id", "_id", "title", "text"})


def parse_record(source: Source) -> Article:
    """One JSONL line -> Article; a record that is not a JSON object raises ParseError."""
    try:
        record = json.loads(source.data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(source.path, source.line, f"not a JSON object: {exc}") from None
    if not isinstance(record, dict):
        raise ParseError(source.path, source.line, "not a JSON object")
    title = clean_line(_as_text(record.get("title"))) or source.id
    text = _as_text(record.get("text"))
    lead = tuple(Paragraph(clean_line(p), source.line) for p in text.split("\n") if clean_line(p))
    infobox = tuple(
        InfoboxField(key, value, source.line) for key, value in _infobox_pairs(record) if key and value
    )
    return Article(title=title, name=None, infobox=infobox, lead=lead, sections=())


def _infobox_pairs(record: dict) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in record.items():
        if key in _RESERVED:
            continue
        if isinstance(value, dict):
            pairs.extend((clean_line(str(k)), clean_line(_as_text(v))) for k, v in value.items())
        else:
            pairs.append((clean_line(str(key)), clean_line(_as_text(value))))
    return pairs


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_as_text(v) for v in value if v is not None)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_as_text(v)}" for k, v in value.items())
    return str(value)
