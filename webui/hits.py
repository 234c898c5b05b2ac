"""Search hits as view data: snippet text cut into plain and marked segments, section anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.model import Hit

Segments = tuple[tuple[str, bool], ...]  # (text, marked)


@dataclass(frozen=True)
class HitView:
    id: str
    title: str
    segments: Segments
    section: str | None
    anchor: str | None  # fragment of the section on the article page


def marked_segments(text: str, spans: tuple[tuple[int, int], ...]) -> Segments:
    """Split `text` at the [start, end) spans; overlapping or out-of-range spans are clipped."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return tuple(out)


def section_anchor(heading: str) -> str:
    """The fragment id of a section heading, as the article page assigns it to its first occurrence."""
    slug = re.sub(r"[^\w]+", "-", heading.casefold()).strip("-")
    return f"s-{slug or 'section'}"


def hit_view(hit: Hit) -> HitView:
    return HitView(hit.id, hit.title, marked_segments(hit.snippet, hit.highlights), hit.section,
                   section_anchor(hit.section) if hit.section else None)
