"""The fixed query set: the same requests, in the same order, for us and every peer.

Four kinds of query text (one term, two terms, a phrase, browse) in three variants
(all facet counts; two filters selected; page 2). Words and phrases are picked from the
real text the corpus was calibrated on, spread over the frequency range, so some
match most articles and some a few; filter values are the commonest values of the
corpus's own facets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.analysis import STOP_WORDS

from . import docs
from .calibrate import TextModel

KINDS = ("one term", "two terms", "phrase", "browse")
VARIANTS = ("facets", "two filters", "page 2")
FILTER_FACETS = ("country", "topics")


@dataclass(frozen=True)
class BenchQuery:
    q: str
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    page: int = 1


@dataclass
class PeerResult:
    total: int
    ids: list[str]
    facets: dict[str, list[tuple[str, int]]]
    snippets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QuerySet:
    scenarios: dict[str, list[BenchQuery]]  # "one term / facets" -> queries


def _spread(items: list[str], count: int) -> list[str]:
    """`count` items at log-spaced ranks: from the commonest to the rare."""
    if len(items) <= count:
        return items
    out: list[str] = []
    rank = 0.0
    step = (len(items) - 1) ** (1 / max(1, count - 1))
    for _ in range(count):
        word = items[min(len(items) - 1, int(rank))]
        if word not in out:
            out.append(word)
        rank = max(rank + 1, rank * step if rank else 1.0)
    return out


def words_and_phrases(model: TextModel, count: int) -> tuple[list[str], list[str]]:
    """Query words (lower-case, 4+ letters, no stop words) and two-word phrases, common to rare."""
    stop = set(STOP_WORDS)
    plain = [w for w in model.content_words[:20000] if w not in stop]
    bigrams: Counter[tuple[str, str]] = Counter()
    stream = model.words
    for a, b in zip(stream, stream[1:]):
        if a.isalpha() and b.isalpha() and a.islower() and b.islower() and len(a) > 3 and len(b) > 3 \
                and a not in stop and b not in stop:
            bigrams[(a, b)] += 1
    phrases = [f'"{a} {b}"' for (a, b), n in bigrams.most_common(5000) if n >= 3]
    return _spread(plain, count), _spread(phrases, count)


def filter_values(records: Path, per_facet: int = 5) -> dict[str, list[str]]:
    """The commonest values of the filter facets."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FILTER_FACETS}
    for rec in docs.read(records):
        for name in FILTER_FACETS:
            counts[name].update(rec["facets"].get(name, ()))
    return {name: [v for v, _n in c.most_common(per_facet)] for name, c in counts.items()}


def build_set(model: TextModel, records: Path, per_scenario: int = 20) -> QuerySet:
    """Every scenario's queries; deterministic for a given model and corpus."""
    words, phrases = words_and_phrases(model, per_scenario)
    pairs = [f"{words[i]} {words[(i * 7 + 3) % len(words)]}" for i in range(len(words))]
    texts = {"one term": words, "two terms": pairs, "phrase": phrases, "browse": [""] * per_scenario}
    values = filter_values(records)
    scenarios: dict[str, list[BenchQuery]] = {}
    for kind in KINDS:
        for variant in VARIANTS:
            queries = []
            for i, text in enumerate(texts[kind][:per_scenario]):
                filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
                if variant == "two filters":
                    filters = tuple(
                        (name, (values[name][i % len(values[name])],)) for name in FILTER_FACETS if values[name]
                    )
                queries.append(BenchQuery(text, filters, 2 if variant == "page 2" else 1))
            scenarios[f"{kind} / {variant}"] = queries
    return QuerySet(scenarios)
