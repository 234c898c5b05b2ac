"""`field.index(value)` for text fields, with the analyzer applied once per distinct word.

Whoosh analyses every token through a chain of generators. When a field's analyzer is
a regex tokenizer followed by token-local filters (see `wordmemo.TOKEN_LOCAL_FILTERS`),
a word always becomes the same term, so each distinct word is analysed once and
memoised; positions follow the stop filter's renumbering rule exactly (the first kept
token keeps its position, later ones count up from it). The postings produced are
identical to Whoosh's (a test compares them on real text); any other field or
analyzer goes through Whoosh.
"""

from __future__ import annotations

from collections import Counter
from pickle import dumps
from typing import Any

from whoosh import formats
from whoosh.analysis import IDTokenizer, RegexTokenizer, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.fields import FieldType
from whoosh.system import pack_uint

from .wordmemo import token_local

MEMO_LIMIT = 1_000_000
_ONE = pack_uint(1)
_ONCE: dict[int, bytes] = {}  # position -> encoded value of a term seen once there
_ONCE_LIMIT = 1 << 16
_MODES = {formats.Positions: "positions", formats.Frequency: "frequency", formats.Existence: "existence"}
Item = tuple[bytes, int, float, bytes]
#: (term ids, frequencies, weights, encoded values) of one field value, one entry per distinct term
Postings = tuple[list[int], list[int], list[float], list[bytes]]


class TermTable:
    """Term bytes <-> small integers, shared by every field that draws terms from it."""

    def __init__(self) -> None:
        self.ids: dict[bytes, int] = {}
        self.terms: list[bytes] = []

    def id(self, btext: bytes) -> int:
        found = self.ids.get(btext)
        if found is None:
            found = self.ids[btext] = len(self.terms)
            self.terms.append(btext)
        return found


class _Memo:
    """word -> term id (-1 when stopped) for one analyzer, with the analyzer's term table."""

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        self.ids: dict[str, int] = {}
        self.table = TermTable()

    def resolve(self, word: str) -> int:
        tokens = [t.text for t in self.analyzer(word, mode="index")]
        tid = self.table.id(tokens[0].encode("utf-8")) if len(tokens) == 1 else -1
        if len(self.ids) >= MEMO_LIMIT:
            self.ids.clear()
        self.ids[word] = tid
        return tid


def _plan(analyzer: Any) -> tuple[Any, bool] | None:
    """(tokenizer pattern, renumber) when the analyzer can be memoised word by word, else None."""
    if not isinstance(analyzer, CompositeAnalyzer):
        return None
    items = analyzer.items
    if not items or type(items[0]) is not RegexTokenizer or items[0].gaps:
        return None
    filters = items[1:]
    if not all(map(token_local, filters)):
        return None
    stops = [f for f in filters if isinstance(f, StopFilter)]
    if len(stops) > 1:
        return None
    return items[0].expression, (stops[0].renumber if stops else False)


class FieldIndexer:
    """Produces what `field.index(value)` yields (as term ids of `table`), fast for memoisable text fields."""

    def __init__(self, field: FieldType, memos: dict[int, _Memo]) -> None:
        self.field = field
        fmt = field.format
        kind = type(fmt)
        self.mode = _MODES.get(kind)
        plan = _plan(field.analyzer) if self.mode and field.analyzer is not None else None
        self.fast = plan is not None
        # terms are the values themselves: an ID string, or a list of keywords (Whoosh skips the analyzer)
        self.whole = (self.mode in ("frequency", "existence") and type(field.analyzer) is IDTokenizer
                      and type(field).index is FieldType.index)
        self.boost = fmt.field_boost if fmt is not None else 1.0
        self.table = TermTable()
        self.last: tuple[str, list[str]] | None = None  # the last value tokenised, and its tokens
        if plan is not None:
            self.pattern, self.renumber = plan
            self.findall = self.pattern.findall if self.pattern.groups == 0 else \
                (lambda text: [m.group(0) for m in self.pattern.finditer(text)])
            self.memo = memos.setdefault(id(field.analyzer), _Memo(field.analyzer))
            self.table = self.memo.table

    def items(self, value: Any) -> list[Item]:
        """Exactly `list(field.index(value))` (in another order)."""
        tids, freqs, weights, values = self.postings(value)
        terms = self.table.terms
        return [(terms[t], f, w, v) for t, f, w, v in zip(tids, freqs, weights, values)]

    def postings(self, value: Any) -> Postings:
        if self.whole and isinstance(value, (str, list, tuple)):
            return self._whole(value)
        if not self.fast or not isinstance(value, str):
            items = list(self.field.index(value))
            tid = self.table.id
            return ([tid(b) for b, _f, _w, _v in items], [f for _b, f, _w, _v in items],
                    [w for _b, _f, w, _v in items], [v for _b, _f, _w, v in items])
        if self.mode == "existence":
            return self.presence(set(self.findall(value)))
        if self.mode == "frequency":
            counts = Counter(self._ids(value))
            counts.pop(-1, None)
            return self._counted(list(counts), list(counts.values()))
        return self._positions(value)

    def _counted(self, ids: list[int], freqs: list[int]) -> Postings:
        """Frequency postings: each term's count, weighed by the field boost, and encoded."""
        boost = self.boost
        return ids, freqs, [float(n) * boost for n in freqs], [pack_uint(n) for n in freqs]

    def _present(self, ids: list[int]) -> Postings:
        """Existence postings: the terms alone."""
        return ids, [1] * len(ids), [self.boost] * len(ids), [b""] * len(ids)

    def presence(self, words: set[str]) -> Postings:
        """Existence postings of a value whose distinct tokens are `words` (found with this field's pattern)."""
        present = set(map(self.memo.ids.get, words))
        if None in present:
            present = set(map(self._id, words))
        present.discard(-1)
        return self._present(list(present))

    def _whole(self, value: str | list[str] | tuple[str, ...]) -> Postings:
        counts = Counter((value,) if isinstance(value, str) else value)
        tid = self.table.id
        ids = [tid(v.encode("utf-8")) for v in counts]
        return self._present(ids) if self.mode == "existence" else self._counted(ids, list(counts.values()))

    def _id(self, word: str) -> int:
        found = self.memo.ids.get(word)
        return self.memo.resolve(word) if found is None else found

    def _ids(self, value: str) -> list[int]:
        """The term id of every token of the value (-1 for stopped ones), in order."""
        words = self.findall(value)
        self.last = (value, words)
        memo = self.memo
        ids = list(map(memo.ids.get, words))
        if None in ids:
            resolve = memo.resolve
            ids = [t if t is not None else resolve(w) for t, w in zip(ids, words)]
        return ids  # type: ignore[return-value]

    def _positions(self, value: str) -> Postings:
        ids = self._ids(value)
        where: dict[int, list[int]] = {}
        if self.renumber:  # the first kept token keeps its position, the next ones follow it
            first = next((i for i, t in enumerate(ids) if t >= 0), 0)
            kept = enumerate([t for t in ids if t >= 0], first)
        else:
            kept = ((i, t) for i, t in enumerate(ids) if t >= 0)
        for pos, t in kept:
            found = where.get(t)
            if found is None:
                where[t] = [pos]
            else:
                found.append(pos)
        boost = self.boost
        freqs, weights, values = [], [], []
        once = _ONCE
        for poslist in where.values():
            n = len(poslist)
            freqs.append(n)
            weights.append(float(n) * boost)
            if n == 1:  # most terms occur once in a field: their encoding is cached by position
                value = once.get(poslist[0])
                if value is None:
                    value = _ONE + dumps(poslist, 2)
                    if poslist[0] < _ONCE_LIMIT:
                        once[poslist[0]] = value
                values.append(value)
            else:
                deltas = [poslist[0]] + [b - a for a, b in zip(poslist, poslist[1:])]
                values.append(pack_uint(n) + dumps(deltas, 2))
        return list(where), freqs, weights, values
