"""Article + extraction -> the dict of index fields, and the stored JSON form of an article.

Pure functions. The stored form keeps everything `indexer show` and the article page
need (infobox, lead, sections, entities with provenance) so reading an article never
goes back to the source file.
"""

from __future__ import annotations

import json
from typing import Any

from .model import (
    ENTITY_KINDS,
    Article,
    Block,
    BulletList,
    Entities,
    Extraction,
    InfoboxFacet,
    InfoboxField,
    ListItem,
    Mention,
    Paragraph,
    Section,
    Source,
)
from .schema import INFOBOX_PREFIX, SPELL_FIELD, SPELL_SOURCES, YEAR_PREFIX, title_key

#: Facet value indexed for an infobox key whose value is empty, so the key still counts.
BLANK_VALUE = "(blank)"


def block_text(blocks: tuple[Block, ...]) -> str:
    """Paragraphs and list items as plain text, one per line."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(item.text for item in block.items)
    return "\n".join(lines)


def section_text(section: Section) -> str:
    return f"{section.heading}\n{block_text(section.blocks)}"


def index_fields(source: Source, article: Article, extraction: Extraction) -> dict[str, Any]:
    """The Whoosh fields of one document."""
    lead_parts = [article.name or "", block_text(article.lead)]
    lead_parts.extend(f.value for f in article.infobox)
    lead = "\n".join(p for p in lead_parts if p)
    body = "\n".join(section_text(s) for s in article.sections)
    fields: dict[str, Any] = {
        "id": source.id,
        "title": article.title,
        "lead": lead,
        "body": body,
        "title_key": title_key(article.title),
        "checksum": source.checksum,
        "path": source.path,
        "doc": json.dumps(stored_document(source, article, extraction), ensure_ascii=False, separators=(",", ":")),
    }
    fields[SPELL_FIELD] = "\n".join(fields[name] for name in SPELL_SOURCES)
    for kind in ENTITY_KINDS:
        values = extraction.entities.of(kind)
        if values:
            fields[kind] = list(values)
    for facet in extraction.facets:
        fields[INFOBOX_PREFIX + facet.name] = list(facet.values) or [BLANK_VALUE]
        if facet.year is not None:
            fields[YEAR_PREFIX + facet.name] = str(facet.year)
    return fields


def stored_document(source: Source, article: Article, extraction: Extraction) -> dict[str, Any]:
    """JSON-ready form of the article, its entities and where each came from."""
    return {
        "id": source.id,
        "path": source.path,
        "kind": source.kind,
        "line": source.line,
        "article": article_to_json(article),
        "entities": {kind: list(extraction.entities.of(kind)) for kind in ENTITY_KINDS},
        "mentions": [[m.kind, m.value, m.section, m.line, m.rule] for m in extraction.entities.mentions],
        "facets": [[f.name, f.key, list(f.values), f.year] for f in extraction.facets],
    }


def article_to_json(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "name": article.name,
        "infobox": [[f.key, f.value, f.line] for f in article.infobox],
        "lead": [_block_to_json(b) for b in article.lead],
        "sections": [
            {"heading": s.heading, "level": s.level, "line": s.line, "blocks": [_block_to_json(b) for b in s.blocks]}
            for s in article.sections
        ],
    }


def _block_to_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"p": block.text, "line": block.line}
    return {"ul": [[item.text, item.line] for item in block.items]}


def article_from_json(data: dict[str, Any]) -> Article:
    return Article(
        title=data["title"],
        name=data["name"],
        infobox=tuple(InfoboxField(k, v, line) for k, v, line in data["infobox"]),
        lead=tuple(_block_from_json(b) for b in data["lead"]),
        sections=tuple(
            Section(s["heading"], s["level"], tuple(_block_from_json(b) for b in s["blocks"]), s["line"])
            for s in data["sections"]
        ),
    )


def _block_from_json(data: dict[str, Any]) -> Block:
    if "p" in data:
        return Paragraph(data["p"], data["line"])
    return BulletList(tuple(ListItem(text, line) for text, line in data["ul"]))


def extraction_from_json(data: dict[str, Any]) -> Extraction:
    mentions = tuple(Mention(*m) for m in data["mentions"])
    entities = Entities(*(tuple(data["entities"][k]) for k in ENTITY_KINDS), mentions=mentions)
    facets = tuple(InfoboxFacet(name, key, tuple(values), year) for name, key, values, year in data["facets"])
    return Extraction(entities, facets)
