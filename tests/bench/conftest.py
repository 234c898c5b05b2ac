"""A small generated corpus and real indexes of it, shared by the benchmark and fast-path tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import generate
from indexer import shards
from indexer.build import build

SIZE = 240
SEED = 7


@pytest.fixture(scope="session")
def scale_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SIZE generated articles (seed SEED); read-only."""
    out = tmp_path_factory.mktemp("scale")
    summary = generate.generate(out, SIZE, SEED, workers=1)
    return Path(str(summary["folder"]))


@pytest.fixture(scope="session")
def scale_index(scale_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the generated corpus with several segments and deleted documents, like a long-lived one:
    a full build in two shards, then an incremental build that changes a few articles."""
    corpus = tmp_path_factory.mktemp("scale-copy") / "corpus"
    shutil.copytree(scale_corpus, corpus)
    index = tmp_path_factory.mktemp("scale-index")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shards, "PARALLEL_MIN_FILES", 10)
        build([corpus], index, full=True, workers=2)
    writer = generate.writer_for(SEED)
    generate.edit(corpus, writer, [3, 50, 51, 199], 1)
    (corpus / writer.name(120)).unlink()
    report = build([corpus], index, workers=1)
    assert report.updated == 4 and report.removed == 1
    return index
