"""The index analyzer, applied word by word through a memo: same tokens, a fraction of the cost.

Highlighting re-analyses the stored text of every hit shown. When the analyzer is a
regex tokenizer followed by filters that each look at one token alone (lowercase,
accent folding, stop words, stemming ...), a word always becomes the same term, so
the filter chain runs once per distinct word and later occurrences are a dict lookup.
Any other analyzer is used as it is.
"""

from __future__ import annotations

from typing import Any, Iterator

from whoosh.analysis import (Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter,
                             StripFilter, SubstitutionFilter)
from whoosh.analysis.analyzers import CompositeAnalyzer

#: Whoosh filters whose output for a token depends on that token alone.
TOKEN_LOCAL_FILTERS = frozenset({LowercaseFilter, CharsetFilter, StopFilter, StemFilter, StripFilter, SubstitutionFilter})
#: The schema's own filters (spelling out Greek letters, joining words ...) are token-local too.
LOCAL_FILTER_MODULE = "indexer.schema"


def token_local(item: object) -> bool:
    """True when a filter maps each token on its own (so a word can be analysed once and memoised)."""
    kind = type(item)
    return kind in TOKEN_LOCAL_FILTERS or kind.__module__ == LOCAL_FILTER_MODULE
MEMO_LIMIT = 200_000
_STOPPED = ""


class _Token:
    __slots__ = ("startchar", "endchar", "text")

    def __init__(self, startchar: int, endchar: int, text: str) -> None:
        self.startchar, self.endchar, self.text = startchar, endchar, text


class WordMemo:
    """Callable like an analyzer (index mode, with character offsets) for highlighting."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.pattern = None
        items = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else []
        if items and type(items[0]) is RegexTokenizer and not items[0].gaps and all(map(token_local, items[1:])):
            self.pattern = items[0].expression
        self._memo: dict[str, str] = {}

    @property
    def memoised(self) -> bool:
        return self.pattern is not None

    def _term(self, word: str, mode: str) -> str:
        term = self._memo.get(word)
        if term is None:
            tokens = [t.text for t in self.analyzer(word, mode=mode)]
            term = tokens[0] if len(tokens) == 1 else _STOPPED
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[word] = term
        return term

    def __call__(self, text: str, chars: bool = True, mode: str = "index", **kwargs: Any) -> Iterator[Any]:
        if self.pattern is None or kwargs:
            yield from self.analyzer(text, chars=chars, mode=mode, **kwargs)
            return
        for match in self.pattern.finditer(text):
            term = self._term(match.group(0), mode)
            if term:
                yield _Token(match.start(), match.end(), term)

    def only(self, terms: set[str]) -> Any:
        """An analyzer yielding just the tokens whose term is in `terms` (all a highlighter looks at).

        A text none of whose distinct words analyse to a wanted term is dismissed after one
        `findall`, without making a token for each of its words.
        """
        if self.pattern is None:
            return self

        def analyse(text: str, chars: bool = True, mode: str = "index", **kwargs: Any) -> Iterator[Any]:
            if kwargs:
                yield from self.analyzer(text, chars=chars, mode=mode, **kwargs)
                return
            wanted = {w for w in set(self.pattern.findall(text)) if self._term(w, mode) in terms} \
                if self.pattern.groups == 0 else None
            if wanted is not None and not wanted:
                return
            for match in self.pattern.finditer(text):
                word = match.group(0)
                if wanted is None or word in wanted:
                    term = self._term(word, mode)
                    if term in terms:
                        yield _Token(match.start(), match.end(), term)

        return analyse
