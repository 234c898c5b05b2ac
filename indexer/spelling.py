""""Did you mean": corrections drawn from the index's own vocabulary of unstemmed words.

A query word that no document contains is replaced by a close word that does. Candidates
are the known words one edit away (a deleted, inserted or replaced letter, or a swap of two
neighbours, anywhere in the word: each of its few hundred variants is looked up in the
vocabulary), else, for words of six letters or more, two edits away (keeping the first
three letters, which keeps that scan of the vocabulary short). Among the candidates the
query's other words decide (context): one found in some document together with all of
them beats one that never is; then fewer edits; then more such documents; then more
documents overall. A capitalised word stays capitalised. Operators, field names and
wildcards are left alone; a word inside a quoted phrase is corrected too, since a phrase
with an unknown word can never match.

A query gets at most MAX_LOOKUPS corrections looked up, and queries longer than MAX_WORDS
words get no suggestion (a pasted sentence is rarely a typo to fix, and its unknown words
are usually real rare words).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from whoosh.analysis import STOP_WORDS
from whoosh.reading import IndexReader
from whoosh.support.charset import accent_map

from .schema import SPELL_FIELD

_WORD = re.compile(r"(?<![\w:*?~'’])([^\W\d_](?:[\w'’]*\w)?)(?![\w:*?~])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
MIN_WORD = 3
LONG_WORD = 6
MAX_LOOKUPS = 3
MAX_WORDS = 12
MAX_CONTEXT_DOCS = 20000
DISTANCE_2_PREFIX = 3
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789'"


def suggest(reader: IndexReader, text: str) -> str | None:
    """The query with unknown words corrected, or None when every word is known or uncorrectable."""
    words = [m.group(1) for m in _WORD.finditer(text)]
    if SPELL_FIELD not in reader.indexed_field_names() or len(words) > MAX_WORDS:
        return None
    known = [_fold(w) for w in words if _checkable(w) and _known(reader, w)]
    corrector = reader.corrector(SPELL_FIELD)
    changed = False
    lookups = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal changed, lookups
        word = match.group(1)
        folded = _fold(word)
        if not _checkable(word) or lookups >= MAX_LOOKUPS or _known(reader, word):
            return word
        lookups += 1
        best = _closest(reader, corrector, folded, known)
        if best is None:
            return word
        changed = True
        return best[:1].upper() + best[1:] if word[:1].isupper() else best

    fixed = _WORD.sub(fix, text)
    return fixed if changed and fixed != text else None


def _known(reader: IndexReader, word: str) -> bool:
    """Some document has the word as typed (a word searched through its stem may still be a typo)."""
    return reader.doc_frequency(SPELL_FIELD, _fold(word)) > 0


def _fold(word: str) -> str:
    return word.translate(accent_map).lower()


def _checkable(word: str) -> bool:
    folded = _fold(word)
    return word not in _OPERATORS and len(folded) >= MIN_WORD and folded not in STOP_WORDS


def _closest(reader: IndexReader, corrector: Any, word: str, context: list[str]) -> str | None:
    """The best known candidate for an unknown word, judged by context, edits and frequency."""
    candidates = sorted(w for w in edits1(word) if (SPELL_FIELD, w) in reader)
    if not candidates and len(word) >= LONG_WORD:
        candidates = list(corrector.suggest(word, limit=5, maxdist=2, prefix=DISTANCE_2_PREFIX))
    if not candidates:
        return None
    together = _docs_with_all(reader, context)

    def key(candidate: str) -> tuple[bool, int, int, int, int]:
        fits = len(together.intersection(_docs(reader, candidate))) if together is not None else 0
        docs = reader.doc_frequency(SPELL_FIELD, candidate)
        return fits > 0, -edit_distance(word, candidate), fits, docs, -candidates.index(candidate)

    return max(candidates, key=key)


def edits1(word: str) -> set[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion away (Norvig's edits1)."""
    alphabet = _ALPHABET + "".join(sorted(set(word) - set(_ALPHABET)))
    out: set[str] = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            out.add(head + tail[1:])
        if len(tail) > 1:
            out.add(head + tail[1] + tail[0] + tail[2:])
        for c in alphabet:
            if tail:
                out.add(head + c + tail[1:])
            out.add(head + c + tail)
    out.discard(word)
    return out


def _docs_with_all(reader: IndexReader, words: Iterable[str]) -> set[int] | None:
    """Documents containing every one of the words (None: no context, or too common to check)."""
    common: set[int] | None = None
    for word in sorted(set(words), key=lambda w: reader.doc_frequency(SPELL_FIELD, w)):
        if reader.doc_frequency(SPELL_FIELD, word) > MAX_CONTEXT_DOCS:
            break
        docs = _docs(reader, word)
        common = docs if common is None else common & docs
    return common


def _docs(reader: IndexReader, word: str) -> set[int]:
    if (SPELL_FIELD, word) not in reader:
        return set()
    return set(reader.postings(SPELL_FIELD, word).all_ids())


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
