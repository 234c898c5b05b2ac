"""Fixtures that build tiny real corpora and real Whoosh indexes in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build import build
from tests.helpers import CORPUS, article_text, write_article

TINY = {
    "alpha": article_text(
        "Alpha Health Partners",
        {"Country": "United Kingdom", "Region": "London", "Type": "Academic health science centre",
         "Founded": "2009 (London)"},
        "Alpha Health Partners is a partnership of King's College London and Alpha NHS Foundation Trust.",
        [("Research", "The partnership hosts the following research centres:\n- MRC Centre for Asthma Studies\n"
                      "- MRC Centre for Transplantation\n\nResearch is focused on the following programme areas:\n"
                      "- Cancer\n- Allergy")],
    ),
    "beta": article_text(
        "Beta University",
        {"Country": "United Kingdom", "Region": "North West England", "Type": "Public research university",
         "Founded": "1824"},
        "Beta University is a public research university in Manchester.",
        [("Research", "Research is focused on the following themes:\n- Cancer\n- Genomics")],
    ),
    "gamma": article_text(
        "Gamma Research Unit",
        {"Country": "The Gambia", "Type": "MRC unit", "Founded": "1947"},
        "Gamma Research Unit studies malaria and vaccines in West Africa.",
        [("Research", "The unit's research covers the following themes:\n- Vaccines\n- Infection and immunity")],
    ),
}


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """Three small articles in a fresh folder."""
    folder = tmp_path / "corpus"
    for name, text in TINY.items():
        write_article(folder, name, text)
    return folder


@pytest.fixture
def tiny_index(tiny_corpus: Path, tmp_path: Path) -> Path:
    """A real Whoosh index of the tiny corpus."""
    index_dir = tmp_path / "index"
    build([tiny_corpus], index_dir, workers=1)
    return index_dir


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of the project's own corpus/, built once per session; treat it as read-only."""
    folder = tmp_path_factory.mktemp("corpus-copy")
    shutil.copytree(CORPUS, folder, dirs_exist_ok=True)
    index_dir = tmp_path_factory.mktemp("corpus-index")
    build([folder], index_dir, workers=1)
    return index_dir
