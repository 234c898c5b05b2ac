"""The `indexer` command as a user meets it: real subprocesses, exit codes, JSON contracts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from indexer.extract import slug
from tests.helpers import RAY_CHARLES, ROOT, require

KHP = "000_c979882d02ee9a42"


def indexer(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300,
    )


def test_build_prints_a_one_line_summary_and_exits_zero(tiny_corpus: Path, tmp_path: Path) -> None:
    done = indexer("build", tiny_corpus, "--index", tmp_path / "ix")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("full (no index yet) build of g000001: 3 added, 0 updated, 0 removed, 0 unchanged,")
    assert done.stdout.count("\n") == 1 and "docs/s" in done.stdout


def test_build_with_a_bad_file_lists_it_and_exits_one(tiny_corpus: Path, tmp_path: Path) -> None:
    (tiny_corpus / "bad.txt").write_bytes(b"\xff")
    done = indexer("build", tiny_corpus, "--index", tmp_path / "ix")
    assert done.returncode == 1
    assert f"error: {tiny_corpus / 'bad.txt'}:1: not valid UTF-8 (byte 0xff)" in done.stderr
    assert "3 added" in done.stdout and "1 failed" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("build", "--workers", "0"),
        ("search", "x", "--filter", "novalue"),
        ("search", "x", "--range", "founded=abc"),
        ("frobnicate",),
    ],
)
def test_usage_errors_exit_two(args: tuple[str, ...], tmp_path: Path) -> None:
    done = indexer(*args, "--index", tmp_path / "ix") if args[0] != "frobnicate" else indexer(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_bad_query_is_a_message_not_a_traceback(tiny_index: Path) -> None:
    done = indexer("search", "*", "--index", tiny_index)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: A bare * matches everything: leave the search box empty to browse all articles.\n"
    )


def test_searching_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    done = indexer("search", "x", "--index", tmp_path / "none")
    assert done.returncode == 3
    assert f"no index in {tmp_path / 'none'}: build one with `indexer build corpus/" in done.stderr


def test_index_defaults_to_the_environment_variable(tiny_index: Path) -> None:
    done = indexer("stats", "--json", env={"INDEXER_INDEX": str(tiny_index)})
    assert done.returncode == 0 and json.loads(done.stdout)["documents"] == 3


def test_search_json_has_the_documented_shape(tiny_index: Path) -> None:
    done = indexer("search", "cancer", "--index", tiny_index, "--json", "--filter", "country=United Kingdom")
    data = json.loads(done.stdout)
    assert {"query", "total", "hits", "facets", "suggestion"} <= set(data)
    assert {"id", "title", "score", "snippet"} <= set(data["hits"][0])
    assert data["total"] == 2
    assert all({"value", "count"} <= set(v) for values in data["facets"].values() for v in values)


def test_repeated_filters_are_or_within_a_facet_and_across_facets(tiny_index: Path) -> None:
    def total(*filters: str) -> int:
        args = [a for f in filters for a in ("--filter", f)]
        return json.loads(indexer("search", "", "--index", tiny_index, "--json", *args).stdout)["total"]

    assert total("topics=Allergy", "topics=Vaccines") == 2
    assert total("topics=Allergy", "topics=Vaccines", "country=The Gambia") == 1


def test_the_corpus_search_for_asthma_finds_kings_health_partners(corpus_index: Path) -> None:
    data = json.loads(indexer("search", "asthma", "--index", corpus_index, "--json").stdout)
    assert data["hits"][0]["id"] == KHP and data["hits"][0]["title"] == "King's Health Partners"
    assert "MRC-Asthma UK Centre in Allergic Mechanisms of Asthma" in [v["value"] for v in data["facets"]["centres"]]


def test_show_traces_every_extracted_value_to_its_section_and_line(corpus_index: Path) -> None:
    doc = json.loads(indexer("show", KHP, "--index", corpus_index, "--json").stdout)
    assert ["centres", "MRC Centre for Transplantation", "Research", 24, "list:centres"] in doc["mentions"]
    assert len(doc["entities"]["centres"]) == 8 and len(doc["entities"]["topics"]) == 10
    text = indexer("show", KHP, "--index", corpus_index).stdout
    assert "MRC Centre for Transplantation   [Research, line 24, list:centres]" in text


def test_show_of_an_unknown_id_is_a_clear_error(tiny_index: Path) -> None:
    done = indexer("show", "../../etc/passwd", "--index", tiny_index)
    assert done.returncode == 2 and "no document with id '../../etc/passwd'" in done.stderr


def test_check_parses_without_indexing(tiny_corpus: Path, tmp_path: Path) -> None:
    (tiny_corpus / "bad.txt").write_text("== Heading first ==\n", encoding="utf-8")
    done = indexer("check", tiny_corpus)
    assert done.returncode == 1
    assert "checked 4 files: 3 documents parse, 1 failed" in done.stdout
    assert f"{tiny_corpus / 'bad.txt'}:1: expected a title line" in done.stderr


def test_stats_count_documents_having_each_infobox_key_on_real_articles(tmp_path: Path) -> None:
    source = require(RAY_CHARLES / "converted_sample_format")
    folder = tmp_path / "articles"  # the articles only: manifest.jsonl beside them is not a document export
    folder.mkdir()
    for path in source.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    assert indexer("build", folder, "--index", tmp_path / "ix").returncode == 0
    data = json.loads(indexer("stats", "--index", tmp_path / "ix", "--json").stdout)
    expected = json.loads((RAY_CHARLES / "facet_counts_infobox.json").read_text())["infobox_key_doc_counts"]
    by_slug: Counter[str] = Counter()
    for key, count in expected.items():
        by_slug[slug(key)] += count
    assert data["documents"] == 84
    assert {name: data["facets"][name]["documents"] for name in by_slug} == dict(by_slug)


def test_changing_one_corpus_file_reports_exactly_one_update(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    assert indexer("build", folder, "--index", tmp_path / "ix").returncode == 0
    path = folder / f"{KHP}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nAn added closing paragraph.\n", encoding="utf-8")
    done = indexer("build", folder, "--index", tmp_path / "ix")
    assert ": 0 added, 1 updated, 0 removed," in done.stdout
