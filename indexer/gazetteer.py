"""Known names (the corpus's article titles) found verbatim in text.

A title is used without its disambiguation ("What'd I Say (album)" -> "What'd I Say"),
and only when it is at least two words or a single all-capitals acronym ("UCL"):
a one-word title such as "Ray" would otherwise match everywhere.
Matching is case-sensitive, on word boundaries, longest name first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .names import normalise, strip_parentheticals

MIN_ACRONYM_LENGTH = 2


def usable(name: str) -> bool:
    """True when a gazetteer entry is specific enough to match in running text."""
    words = name.split()
    if len(words) >= 2:
        return True
    return len(words) == 1 and len(name) >= MIN_ACRONYM_LENGTH and name.isupper()


@lru_cache(maxsize=8)
def _pattern(gazetteer: frozenset[str]) -> re.Pattern[str] | None:
    names = sorted({n for n in map(strip_parentheticals, gazetteer) if usable(n)}, key=lambda n: (-len(n), n))
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, names)))


def known_names(text: str, gazetteer: frozenset[str]) -> list[str]:
    """Gazetteer names occurring in text, in order of first occurrence, each once."""
    pattern = _pattern(gazetteer) if gazetteer else None
    if pattern is None:
        return []
    found: list[str] = []
    for match in pattern.finditer(normalise(text)):
        if match.group() not in found:
            found.append(match.group())
    return found
