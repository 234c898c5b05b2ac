"""Query-biased snippets: the best-matching section of an article, with matches marked.

Pure: takes the stored article, the set of (analysed) query terms and the analyzer
that produced the index terms. Returns plain text plus [start, end) spans to mark,
so every renderer escapes the text itself and no markup ever comes from the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from whoosh.analysis import Analyzer

SNIPPET_CHARS = 240
_CONTEXT_BEFORE = 60
_MAX_MATCHES = 200


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]
    section: str | None  # None: the lead


def _parts(article: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(heading, text) of the lead and of every section; lists as one line per item."""
    parts = [(None, _blocks_text(article["lead"]))]
    parts.extend((s["heading"], _blocks_text(s["blocks"])) for s in article["sections"])
    return [(heading, text) for heading, text in parts if text]


def _blocks_text(blocks: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for block in blocks:
        lines.extend([block["p"]] if "p" in block else [text for text, _line in block["ul"]])
    return " · ".join(lines)


def _matches(text: str, terms: set[str], analyzer: Analyzer) -> list[tuple[int, int, str]]:
    return [
        (tok.startchar, tok.endchar, tok.text)
        for tok in analyzer(text, chars=True, mode="index")
        if tok.text in terms
    ]


def make_snippet(article: dict[str, Any], terms: Iterable[str], analyzer: Analyzer) -> Snippet:
    """The snippet for one hit: the section matching most distinct terms, then most often."""
    wanted = set(terms)
    parts = _parts(article)
    if not parts:
        return Snippet("", (), None)
    best: tuple[tuple[int, int], str | None, str, list[tuple[int, int, str]]] | None = None
    for heading, text in parts if wanted else parts[:1]:
        found = _matches(text, wanted, analyzer) if wanted else []
        score = (len({t for _s, _e, t in found}), len(found))
        if best is None or score > best[0]:
            best = (score, heading, text, found)
    assert best is not None
    _score, heading, text, found = best
    return _window(text, found, heading)


def _window(text: str, found: list[tuple[int, int, str]], heading: str | None) -> Snippet:
    start = 0
    if found:
        start = _densest_start(found)
        start = max(0, start - _CONTEXT_BEFORE)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    shift = len(prefix) - start
    spans = tuple((s + shift, e + shift) for s, e, _t in found if s >= start and e <= end)
    return Snippet(prefix + text[start:end] + suffix, spans, heading)


def _densest_start(found: list[tuple[int, int, str]]) -> int:
    """Start offset of the window of SNIPPET_CHARS holding the most distinct matched terms."""
    found = found[:_MAX_MATCHES]
    best_start, best_score = found[0][0], -1
    for i, (start, _end, _t) in enumerate(found):
        inside = {t for s, e, t in found[i:] if e <= start + SNIPPET_CHARS - _CONTEXT_BEFORE}
        if len(inside) > best_score:
            best_start, best_score = start, len(inside)
    return best_start
