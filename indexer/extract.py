"""Article -> Extraction: organisations, centres and topics with their sources, and infobox facets.

Pure, rule-based and table-driven. A bullet list's kind comes from the cue words of
the sentence that introduces it (or, failing that, its section heading); infobox
keys name what their values are; organisation-shaped names are spotted in all text
(see `names.py`) and corpus titles serve as a gazetteer (see `gazetteer.py`).
Every infobox key becomes one facet named by its slug; year-valued keys also give a year.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from .gazetteer import known_names
from .model import (ENTITY_KINDS, Article, Block, BulletList, Entities, Extraction, InfoboxFacet,
                    InfoboxField, Mention, Paragraph)
from .names import (clean_item, has_content, looks_like_name, normalise, org_names, split_compound,
                    strip_parentheticals)

# Slugs of infobox keys whose value carries a year (a numeric facet for ranges and sorting).
YEAR_KEYS = frozenset(
    """founded established formed opened released born died year date recorded launched
    incorporated created designated dissolved closed published release_date release_dates
    original_release first_aired inaugurated built completed defunct merged foundation
    founded_in year_founded date_founded chartered""".split()
)
# Slugs of place- or date-like keys, and words of such slugs: their values never split on commas.
NO_COMMA_KEYS = YEAR_KEYS | frozenset(
    "location locations headquarters address region country city place venue origin studio "
    "coordinates state campus hq_location".split()
)
NO_COMMA_WORDS = frozenset(
    "location locations headquarters address born died country city region place venue date dates "
    "coordinates".split()
)
MAX_LIST_PART_WORDS = 6
MAX_TOPIC_WORDS = 6
MIN_YEAR, MAX_YEAR = 1000, 2100
MEMO_LEAD_INS = 4096  # (lead-in, heading) pairs whose list kind is kept

# Cue words of the lead-in (or heading) that say what a bullet list lists.
LIST_CUES: dict[str, tuple[str, ...]] = {
    # Plural only: a singular "the unit", "the institute" in a lead-in is the article's own subject.
    "centres": ("centres", "centers", "institutes", "units", "laboratories", "research centres",
                "research centers", "research units", "research institutes", "mrc centres", "mrc units"),
    "topics": ("programme areas", "program areas", "research areas", "research themes",
               "research priorities", "themes", "topics", "specialties", "specialities", "priorities",
               "areas", "focus", "focus areas", "key areas", "subject areas", "disciplines"),
    "organisations": ("members", "partners", "member organisations", "partner organisations",
                      "organisations", "organizations", "universities", "trusts", "hospitals",
                      "founders", "funders", "founding members", "member institutions",
                      "partner institutions", "institutions", "sponsors"),
}
# Infobox key slugs whose values are entities of a kind.
INFOBOX_KINDS: dict[str, str] = {
    **dict.fromkeys(
        ("affiliations", "affiliation", "members", "partners", "parent", "parent_organisation",
         "parent_organization", "owner", "owners", "operator", "funding", "funder", "funders",
         "university", "universities", "hospital", "hospitals", "trusts", "member_organisations",
         "partner_organisations", "sponsors"), "organisations"),
    **dict.fromkeys(
        ("research_areas", "research_area", "research_themes", "programme_areas", "themes",
         "topics", "specialties", "specialities", "specialty", "focus", "fields"), "topics"),
    **dict.fromkeys(
        ("centres", "centers", "institutes", "units", "research_centres", "research_units"), "centres"),
}

_YEAR = re.compile(r"(?<!\d)(?<!\d[.,])(\d{4})(?!\d)(?![.,]\d)")
_LIST_COMMA = re.compile(r"(?<!\d),|,(?!\d)")  # a comma, but not a thousands separator
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_CUES = tuple(
    (kind, cue, re.compile(r"(?<!\w)%s(?!\w)" % re.escape(cue), re.IGNORECASE))
    for kind, cues in LIST_CUES.items()
    for cue in cues
)
# Finds something exactly when one of the `_CUES` patterns would, in one search.
_ANY_CUE = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(re.escape(cue) for _kind, cue, _pattern in _CUES),
                      re.IGNORECASE)


# ---------------------------------------------------------------------------
# Infobox facets.


def slug(key: str) -> str:
    """Infobox key -> facet name: lowercase, non-alphanumeric runs to '_', never empty."""
    text = "".join(c if c.isalnum() else " " for c in key.lower())
    name = "_".join(text.split())
    if name:
        return name
    return "key_" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def year_of(value: str) -> int | None:
    """The first plausible 4-digit year (1000..2100) in a value, not part of a longer number."""
    for match in _YEAR.finditer(value):
        year = int(match.group(1))
        if MIN_YEAR <= year <= MAX_YEAR:
            return year
    return None


def _keeps_commas(name: str) -> bool:
    return name in NO_COMMA_KEYS or bool(set(name.split("_")) & NO_COMMA_WORDS)


def _is_list(parts: list[str]) -> bool:
    return len(parts) >= 2 and all(p.strip() and len(p.split()) <= MAX_LIST_PART_WORDS for p in parts)


def split_values(name: str, value: str) -> list[str]:
    """One infobox value -> its values: split on ';', or else on ',' when it is a list.

    A value that already separates its values with ';' keeps its commas
    ("Modern Sounds in Country and Western Music, Vol. 2; (1962)").
    """
    parts = normalise(value).split(";")
    if len(parts) == 1:
        commas = _LIST_COMMA.split(parts[0])
        parts = commas if _is_list(commas) and not _keeps_commas(name) else parts
    values = (normalise(p).strip(",") for p in parts)
    return [v.strip() for v in values if any(c.isalnum() for c in v)]


def infobox_facets(infobox: tuple[InfoboxField, ...]) -> tuple[InfoboxFacet, ...]:
    """One facet per infobox key (merged by slug, values deduplicated in first-seen order)."""
    merged: dict[str, tuple[str, list[str], list[str]]] = {}
    for item in infobox:
        name = slug(item.key)
        _key, values, raws = merged.setdefault(name, (item.key, [], []))
        raws.append(item.value)
        values.extend(v for v in dict.fromkeys(split_values(name, item.value)) if v not in values)
    return tuple(
        InfoboxFacet(name, key, tuple(values), _first_year(raws) if name in YEAR_KEYS else None)
        for name, (key, values, raws) in merged.items()
    )


def _first_year(values: list[str]) -> int | None:
    return next((y for y in map(year_of, values) if y is not None), None)


# ---------------------------------------------------------------------------
# Lists: what they list, and what each item names.


@lru_cache(maxsize=MEMO_LEAD_INS)
def list_kind(lead_in: str | None, heading: str | None) -> str | None:
    """The entity kind a bullet list holds, from its lead-in sentence or else its heading.

    Memoised: lead-ins and headings are formulaic ("The member organisations are:").
    """
    for text in (_last_sentence(lead_in or ""), heading or ""):
        kind = _cue_kind(_without_names(text))
        if kind:
            return kind
    return None


def _last_sentence(text: str) -> str:
    return _SENTENCE_BREAK.split(text.strip())[-1]


def _without_names(text: str) -> str:
    """Text with organisation names blanked out: 'King's Health Partners' is no 'partners' cue."""
    text = normalise(text)
    for name in org_names(text):
        text = text.replace(name, " | ")
    return text


def _cue_kind(text: str) -> str | None:
    """The kind of the most specific cue in text (most words, then the last one)."""
    best: tuple[int, int] | None = None
    kind_of_best = None
    if not _ANY_CUE.search(text):
        return None
    for kind, cue, pattern in _CUES:
        for match in pattern.finditer(text):
            score = (len(cue.split()), match.end())
            if best is None or score > best:
                best, kind_of_best = score, kind
    return kind_of_best


def item_names(text: str) -> list[str]:
    """A centre or organisation item -> its names (one, or two for 'X including the Y')."""
    return [name for name in split_compound(text) if looks_like_name(name)]


def topic_names(text: str) -> list[str]:
    """A topic item -> the topic, if it is a short phrase."""
    topic = clean_item(text)
    return [topic] if has_content(topic) and len(topic.split()) <= MAX_TOPIC_WORDS else []


ITEM_RULES: dict[str, Callable[[str], list[str]]] = {
    "centres": item_names,
    "topics": topic_names,
    "organisations": item_names,
}


# ---------------------------------------------------------------------------
# Collecting entities with their sources.


def _key(value: str) -> str:
    return normalise(value).casefold()


@dataclass
class _Collector:
    """Entities in first-seen order, one Mention per (kind, value), deduplicated ignoring case."""

    mentions: list[Mention] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, kind: str, value: str, section: str, line: int, rule: str) -> None:
        value = normalise(value)
        seen = (kind, _key(value))
        if seen in self.seen or not has_content(value):
            return
        self.seen.add(seen)
        self.mentions.append(Mention(kind, value, section, line, rule))

    def entities(self, own_names: set[str]) -> Entities:
        """Entities, without organisations that are centres (or their tails), topics or the article."""
        taken = {key for kind, key in self.seen if kind != "organisations"} | own_names
        centres = [" " + key for kind, key in self.seen if kind == "centres"]

        def is_taken(key: str) -> bool:
            return key in taken or any(c.endswith(" " + key) for c in centres)

        kept = tuple(m for m in self.mentions if m.kind != "organisations" or not is_taken(_key(m.value)))
        values = {kind: tuple(m.value for m in kept if m.kind == kind) for kind in ENTITY_KINDS}
        return Entities(mentions=kept, **values)


@dataclass(frozen=True)
class _Where:
    section: str
    line: int
    gazetteer: frozenset[str]


def _spot(found: _Collector, text: str, where: _Where) -> None:
    """Organisation-shaped names and gazetteer names in a text."""
    for name in org_names(text):
        found.add("organisations", name, where.section, where.line, "text:organisation-name")
    for name in known_names(text, where.gazetteer):
        found.add("organisations", name, where.section, where.line, "gazetteer")


def _infobox(found: _Collector, infobox: tuple[InfoboxField, ...], gazetteer: frozenset[str]) -> None:
    for item in infobox:
        where = _Where("(infobox)", item.line, gazetteer)
        name = slug(item.key)
        kind = INFOBOX_KINDS.get(name)
        for value in split_values(name, item.value):
            _take(found, kind, value, where, f"infobox:{item.key}")


def _take(found: _Collector, kind: str | None, text: str, where: _Where, rule: str) -> None:
    """The entities a rule finds in a list item or infobox value, then the names in the rest of it."""
    text = normalise(text)
    for name in ITEM_RULES[kind](text) if kind else ():
        found.add(kind, name, where.section, where.line, rule)
        text = text.replace(name, " | ")  # a name taken whole is not spotted again in parts
    _spot(found, text, where)


def _blocks(found: _Collector, section: str, heading: str | None, blocks: tuple[Block, ...],
            gazetteer: frozenset[str]) -> None:
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Paragraph):
            _spot(found, block.text, _Where(section, block.line, gazetteer))
        elif isinstance(block, BulletList):
            lead_in = previous.text if isinstance(previous, Paragraph) else None
            kind = list_kind(lead_in, heading)
            for item in block.items:
                _take(found, kind, item.text, _Where(section, item.line, gazetteer), f"list:{kind}")
        previous = block


def extract(article: Article, gazetteer: frozenset[str] = frozenset()) -> Extraction:
    """Entities (with their sources) and infobox facets of one article."""
    found = _Collector()
    _infobox(found, article.infobox, gazetteer)
    _blocks(found, "(lead)", None, article.lead, gazetteer)
    for section in article.sections:
        _blocks(found, section.heading, section.heading, section.blocks, gazetteer)
    own_names = {_key(strip_parentheticals(n)) for n in (article.title, article.name) if n}
    return Extraction(found.entities(own_names), infobox_facets(article.infobox))
