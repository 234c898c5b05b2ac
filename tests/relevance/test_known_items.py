"""Known-item search on the 84 real Ray Charles articles: a title finds its article first.

As typed, in lower case, without its punctuation, and with one typo (deleted, replaced,
swapped or inserted letter in the middle of a word of six letters or more); a typo is
corrected and the result says so (`corrected`, the "showing results for" text).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.model import SearchRequest, SearchResult
from indexer.reader import IndexHandle
from indexer.search import search
from tests.relevance.conftest import RAY_ARTICLES

ARTICLES = sorted(RAY_ARTICLES.glob("*.txt")) if RAY_ARTICLES.exists() else []


def title_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0].strip().strip("=").strip()


def without_punctuation(title: str) -> str:
    return re.sub(r"[^\w\s]", "", title)


def typos(word: str) -> dict[str, str]:
    j = len(word) // 2
    return {
        "deleted": word[:j] + word[j + 1:],
        "replaced": word[:j] + ("x" if word[j] != "x" else "z") + word[j + 1:],
        "swapped": word[:j] + word[j + 1] + word[j] + word[j + 2:],
        "inserted": word[:j] + "e" + word[j:],
    }


def typo_cases() -> list[tuple[str, str, str]]:
    """(article id, title with a typo, kind) for the longest 6+ letter word of every title that has one."""
    cases = []
    for path in ARTICLES:
        words = title_of(path).split()
        long_words = [w for w in words if len(w) >= 6 and w.isalpha()]
        if not long_words:
            continue
        target = max(long_words, key=len)
        i = words.index(target)
        for kind, typo in typos(target).items():
            cases.append((path.stem, " ".join(words[:i] + [typo] + words[i + 1:]), kind))
    return cases


def first(index_dir: Path, text: str) -> SearchResult:
    return search(IndexHandle(index_dir), SearchRequest(q=text, per_page=3))


@pytest.mark.parametrize("form", [str, str.lower, without_punctuation], ids=["as-typed", "lower-case", "no-punctuation"])
@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem[:3] for p in ARTICLES])
def test_a_title_finds_its_article_first(ray_charles, path: Path, form) -> None:
    _folder, index_dir = ray_charles
    query = form(title_of(path))
    result = first(index_dir, query)
    assert result.hits, f"nothing found for {query!r}"
    assert result.hits[0].id == path.stem, f"{query!r} -> {[h.title for h in result.hits]}"
    assert result.corrected is None


@pytest.mark.parametrize("article, query, kind", typo_cases(), ids=lambda v: v if len(str(v)) < 12 else None)
def test_a_title_with_one_typo_finds_its_article_first(ray_charles, article, query, kind) -> None:
    _folder, index_dir = ray_charles
    result = first(index_dir, query)
    assert result.hits and result.hits[0].id == article, f"{query!r} ({kind}) -> {[h.title for h in result.hits]}"
    assert result.query == query
    if kind in ("replaced", "swapped"):
        # The word is now one the index has never seen, so the query as typed cannot name the
        # title: the corrected query is run and the result says so ("showing results for ...").
        assert result.corrected is not None, f"{query!r} was not corrected"
        typed, fixed = set(query.lower().split()), set(result.corrected.lower().split())
        assert len(fixed - typed) == 1 and len(typed - fixed) == 1
    elif result.corrected is not None:  # a deleted or inserted letter may still make a known word
        assert result.corrected != query


def test_every_article_is_covered_and_most_titles_have_a_typo_case() -> None:
    if not ARTICLES:
        pytest.skip(f"needs {RAY_ARTICLES}")
    assert len(ARTICLES) == 84
    assert len({a for a, _q, _k in typo_cases()}) >= 60
