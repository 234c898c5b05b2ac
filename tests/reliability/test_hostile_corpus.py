"""Hostile corpus files never crash a build: each bad file is reported (path:line: reason) and skipped."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from stress import hostile_corpus, procs, strategies
from stress.fuzz_corpus import judge_generated
from stress.hostile_corpus import BAD, GOOD, Case


def test_hand_made_hostile_files_are_each_indexed_or_reported(tmp_path: Path) -> None:
    """NUL bytes, invalid UTF-8, empty files, control and bidi characters, deep headings, huge lines ...
    (the multi-megabyte files run in `make stress`)."""
    cases = hostile_corpus.hand_cases(big=False)
    hostile_corpus.write_cases(tmp_path / "corpus", cases)
    result = hostile_corpus.check_build(tmp_path / "corpus", tmp_path / "index", cases, procs.run_in_process)
    assert result.problems == []
    assert result.exit_code == 1
    assert result.reported == sum(c.expect == BAD for c in cases) + 1  # + the JSONL file with bad lines


def test_real_build_reports_bad_files_one_line_each_and_exits_1(tmp_path: Path) -> None:
    """Through the real program: the lines a user reads, the exit code a script checks."""
    cases = [c for c in hostile_corpus.hand_cases(big=False)
             if c.name in ("good_plain", "nul_byte", "invalid_utf8_overlong", "no_title", "deep_headings")]
    hostile_corpus.write_cases(tmp_path / "corpus", cases)
    result = hostile_corpus.check_build(tmp_path / "corpus", tmp_path / "index", cases)
    assert result.problems == []
    assert result.exit_code == 1
    assert [line.split(": ", 2)[-1] for line in result.errors] == [  # files in name order
        "not valid UTF-8 (byte 0xc0); save the file as UTF-8",
        "expected a title line '= Title =', found 'Just a paragraph.'",
        "binary file (contains a NUL byte), not article text",
    ]


def test_ten_megabyte_file_is_reported_as_too_large(tmp_path: Path) -> None:
    case = next(c for c in hostile_corpus.hand_cases(big=True) if c.name == "ten_megabytes")
    good = Case("good", hostile_corpus.article().encode(), GOOD)
    hostile_corpus.write_cases(tmp_path / "corpus", [case, good])
    result = hostile_corpus.check_build(tmp_path / "corpus", tmp_path / "index", [case, good], procs.run_in_process)
    assert result.problems == []
    assert "file too large" in result.errors[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategies.hostile_corpus())
def test_generated_hostile_corpora_lose_nothing(cases: list[Case]) -> None:
    """Random unicode, control characters, NUL bytes, invalid UTF-8, huge lines, deep headings, truncation."""
    with tempfile.TemporaryDirectory() as work:
        result = judge_generated(Path(work), cases)
    assert result.problems == []


@pytest.mark.parametrize("data", [b"\x00", b"\xff\xfe\x00=", "= \u202e =\n".encode(), b"=  =\n", b"= T =\r" * 5000])
def test_single_odd_files_are_indexed_or_reported(tmp_path: Path, data: bytes) -> None:
    case = Case("odd", data, hostile_corpus.EITHER)
    result = judge_generated(tmp_path, [case])
    assert result.problems == []
