""""Did you mean": corrections drawn from the index's own vocabulary of unstemmed words.

A query word that no document contains is replaced by the closest word that does
(Levenshtein distance 1, or 2 for words of six letters or more), preferring the most
frequent. Operators, field names, quoted phrases and wildcards are left alone.
"""

from __future__ import annotations

import re

from whoosh.analysis import STOP_WORDS
from whoosh.reading import IndexReader
from whoosh.support.charset import accent_map

from .schema import SPELL_FIELD

_WORD = re.compile(r"(?<![\w:*?~\"'])([^\W\d_][\w'’-]*)(?![\w:*?~])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
MIN_WORD = 3


def suggest(reader: IndexReader, text: str) -> str | None:
    """The query with unknown words corrected, or None when every word is known or uncorrectable."""
    if SPELL_FIELD not in reader.indexed_field_names():
        return None
    corrector = reader.corrector(SPELL_FIELD)
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(1)
        folded = word.translate(accent_map).lower()
        if word in _OPERATORS or len(folded) < MIN_WORD or folded in STOP_WORDS or _inside_quotes(text, match.start()):
            return word
        if reader.doc_frequency(SPELL_FIELD, folded) > 0:
            return word
        best = _best(reader, corrector.suggest(folded, limit=5, maxdist=2 if len(folded) >= 6 else 1, prefix=1))
        if best is None:
            return word
        changed = True
        return best

    fixed = _WORD.sub(fix, text)
    return fixed if changed and fixed != text else None


def _best(reader: IndexReader, candidates: list[str]) -> str | None:
    """The most frequent candidate (candidates come ordered by distance, then alphabetically)."""
    if not candidates:
        return None
    return max(candidates[:3], key=lambda w: reader.doc_frequency(SPELL_FIELD, w))


def _inside_quotes(text: str, position: int) -> bool:
    return text.count('"', 0, position) % 2 == 1
