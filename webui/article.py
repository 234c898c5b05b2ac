"""A stored article (from `get_document`) as view data: sections with anchors, linked entities.

Pure. Entity names found in the text of the section they were extracted from become
links to the search filtered by them (first occurrence per block, longest name first);
infobox values link to their facet (years to a one-year range). All text stays text:
the template escapes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from indexer.facets import ENTITY_LABELS
from indexer.model import ENTITY_KINDS

from .hits import section_anchor

Segment = tuple[str, str | None]  # (text, url or None)
LinkFor = Callable[[str, str], str]  # (facet, value) -> search URL
YearLinkFor = Callable[[str, int], str]  # (year facet, year) -> search URL
LEAD = "(lead)"


@dataclass(frozen=True)
class BlockView:
    kind: str  # "p" or "ul"
    items: tuple[tuple[Segment, ...], ...]  # one item for a paragraph


@dataclass(frozen=True)
class SectionView:
    heading: str
    level: int
    anchor: str
    blocks: tuple[BlockView, ...]


@dataclass(frozen=True)
class EntityGroup:
    kind: str
    label: str
    links: tuple[tuple[str, str], ...]  # (value, url)


@dataclass(frozen=True)
class ArticleView:
    id: str
    title: str
    infobox: tuple[tuple[str, tuple[Segment, ...]], ...]
    lead: tuple[BlockView, ...]
    sections: tuple[SectionView, ...]
    entities: tuple[EntityGroup, ...]


def article_view(doc: dict[str, Any], link: LinkFor, year_link: YearLinkFor,
                 facet_names: Iterable[str], year_names: Iterable[str]) -> ArticleView:
    """View data for one document as `get_document` returns it."""
    article = doc["article"]
    names, years = set(facet_names), set(year_names)
    by_section: dict[str, list[tuple[str, str]]] = {}
    for kind, value, section, _line, _rule in doc.get("mentions", ()):
        by_section.setdefault(section, []).append((value, link(kind, value)))
    lead = tuple(_block(b, by_section.get(LEAD, [])) for b in article["lead"])
    sections = []
    seen: dict[str, int] = {}
    for s in article["sections"]:
        anchor = section_anchor(s["heading"])
        seen[anchor] = seen.get(anchor, 0) + 1
        anchor = anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}"
        blocks = tuple(_block(b, by_section.get(s["heading"], [])) for b in s["blocks"])
        sections.append(SectionView(s["heading"], min(max(s["level"], 2), 4), anchor, blocks))
    entities = tuple(
        EntityGroup(kind, ENTITY_LABELS[kind], tuple((v, link(kind, v)) for v in doc["entities"].get(kind, ())))
        for kind in ENTITY_KINDS if doc["entities"].get(kind)
    )
    infobox = _infobox(article["infobox"], doc.get("facets", ()), link, year_link, names, years)
    return ArticleView(doc["id"], article["title"], infobox, lead, tuple(sections), entities)


def _block(block: dict[str, Any], names: list[tuple[str, str]]) -> BlockView:
    if "p" in block:
        return BlockView("p", (link_names(block["p"], names),))
    return BlockView("ul", tuple(link_names(text, names) for text, _line in block["ul"]))


def link_names(text: str, names: Iterable[tuple[str, str]]) -> tuple[Segment, ...]:
    """`text` cut into segments, the first whole-word occurrence of each name linked."""
    claimed: list[tuple[int, int, str]] = []
    for name, url in sorted(set(names), key=lambda n: -len(n[0])):
        for match in re.finditer(re.escape(name), text):
            start, end = match.span()
            if _word_edge(text, start, end) and all(end <= s or start >= e for s, e, _u in claimed):
                claimed.append((start, end, url))
                break
    out: list[Segment] = []
    pos = 0
    for start, end, url in sorted(claimed):
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], url))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], None))
    return tuple(out)


def _word_edge(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _infobox(rows: Iterable[Any], facets: Iterable[Any], link: LinkFor, year_link: YearLinkFor,
             names: set[str], years: set[str]) -> tuple[tuple[str, tuple[Segment, ...]], ...]:
    by_key = {key: (name, values, year) for name, key, values, year in facets}
    out = []
    for key, value, _line in rows:
        name, values, year = by_key.get(key, (None, [], None))
        if name in years:
            segments: tuple[Segment, ...] = ((value, year_link(name, year) if year is not None else None),)
        elif name in names:
            segments = link_names(value, [(v, link(name, v)) for v in values if v])
        else:
            segments = ((value, None),)
        out.append((key, segments))
    return tuple(out)
