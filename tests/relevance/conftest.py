"""Indexes shared by the relevance tests, built once per module from real data (skipped when absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build import build
from tests.helpers import RAY_CHARLES, require

RAY_ARTICLES = RAY_CHARLES / "converted_sample_format"


@pytest.fixture(scope="module")
def ray_charles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(folder of the 84 real Ray Charles articles, their index); the manifest is left out."""
    source = require(RAY_ARTICLES)
    folder = tmp_path_factory.mktemp("ray-charles")
    for path in sorted(source.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    index_dir = tmp_path_factory.mktemp("ray-charles-index")
    report = build([folder], index_dir, workers=1)
    assert report.documents == 84 and not report.failed
    return folder, index_dir
