"""The scale corpus generator: same seed same files, realistic structure, parseable by our own pipeline."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from bench import generate
from bench.places import COUNTRIES, TYPES
from indexer import corpus
from indexer.pipeline import process_file


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.txt"))}


def test_same_seed_gives_byte_identical_files_whatever_the_worker_count(tmp_path: Path) -> None:
    one = generate.generate(tmp_path / "a", 30, seed=5, workers=1)
    two = generate.generate(tmp_path / "b", 30, seed=5, workers=2)
    assert _digest(Path(str(one["folder"]))) == _digest(Path(str(two["folder"])))


def test_another_seed_gives_other_articles(tmp_path: Path) -> None:
    a = _digest(Path(str(generate.generate(tmp_path, 10, seed=1, workers=1)["folder"])))
    b = _digest(Path(str(generate.generate(tmp_path, 10, seed=2, workers=1)["folder"])))
    assert set(a.values()).isdisjoint(b.values())


def test_a_complete_corpus_is_reused_not_rewritten(tmp_path: Path) -> None:
    first = generate.generate(tmp_path, 12, seed=3, workers=1)
    second = generate.generate(tmp_path, 12, seed=3, workers=1)
    assert first["reused"] is False and second["reused"] is True


def test_edit_then_restore_gives_back_the_generated_bytes(tmp_path: Path) -> None:
    folder = Path(str(generate.generate(tmp_path, 8, seed=4, workers=1)["folder"]))
    before = _digest(folder)
    writer = generate.writer_for(4)
    changed = generate.edit(folder, writer, [2, 5], round_=1)
    assert {p.name for p in changed} == {writer.name(2), writer.name(5)}
    assert _digest(folder) != before
    generate.restore(folder, writer, [2, 5])
    assert _digest(folder) == before


def test_generated_articles_parse_and_carry_the_facets_the_issue_asks_for(scale_corpus: Path) -> None:
    docs = [d for e in corpus.find_files([scale_corpus]).files for d in process_file(e).documents]
    assert len(docs) == len(list(scale_corpus.glob("*.txt")))
    countries = Counter(c for d in docs for c in d.get("f_country", ()))
    types = Counter(t for d in docs for t in d.get("f_type", ()))
    years = [int(d["y_founded"]) for d in docs if "y_founded" in d]
    assert set(countries) <= set(COUNTRIES) and set(types) <= set(TYPES)
    assert countries.most_common(1)[0][1] > 3 * max(1, countries.most_common()[-1][1])  # a Zipf skew
    assert years and 1800 <= min(years) and max(years) <= 2025
    centres = [len(d.get("centres", ())) for d in docs]
    topics = [len(d.get("topics", ())) for d in docs]
    assert min(centres) == 0 and 8 <= max(centres) <= 12 + 4  # listed centres, plus an occasional name in text
    assert min(topics) == 0 and 10 <= max(topics) <= 15
    assert sum(1 for d in docs if d.get("organisations")) > 0.9 * len(docs)


@pytest.mark.parametrize("words", [80, 300, 5000])
def test_article_lengths_stay_within_the_calibrated_bounds(words: int) -> None:
    assert generate.MIN_WORDS <= words <= generate.MAX_WORDS
