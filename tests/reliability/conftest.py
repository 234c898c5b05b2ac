"""Fixtures for the reliability tests: generated corpora and real indexes built from them.

Session fixtures are read-only; a test that damages or rebuilds an index works on
`index_copy`, its own copy in tmp_path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build import build
from stress import generate


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 generated articles (read-only)."""
    return generate.write_corpus(tmp_path_factory.mktemp("small") / "corpus", 40, seed=3)


@pytest.fixture(scope="session")
def small_index(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of `small_corpus` (read-only)."""
    index = tmp_path_factory.mktemp("small-index") / "index"
    build([small_corpus], index, workers=1)
    return index


@pytest.fixture
def index_copy(small_index: Path, tmp_path: Path) -> Path:
    """A private copy of `small_index` that a test may damage."""
    target = tmp_path / "index"
    shutil.copytree(small_index, target)
    return target


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 generated articles: enough for parallel workers and for wildcard-heavy queries (read-only)."""
    return generate.write_corpus(tmp_path_factory.mktemp("big") / "corpus", 600, seed=5)


@pytest.fixture(scope="session")
def big_index(big_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of `big_corpus` (read-only)."""
    index = tmp_path_factory.mktemp("big-index") / "index"
    build([big_corpus], index)
    return index
