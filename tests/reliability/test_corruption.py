"""A damaged index file gives a clear one-line error, and a rebuild (full or plain) repairs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stress import corruption, docset, procs

DAMAGES = corruption.damages(6)


@pytest.mark.parametrize("rebuild", ["--full", "plain"])
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_index_file_gives_clear_error_and_rebuild_restores_every_document(
    damage: str, rebuild: str, small_corpus: Path, index_copy: Path
) -> None:
    result = corruption.check_damage(small_corpus, index_copy, damage, rebuild, runner=procs.run_in_process,
                                    table=DAMAGES)
    assert result.problems == [], result
    assert docset.held(index_copy).docs == docset.expected(small_corpus)


@pytest.mark.parametrize("damage", ["segment truncated", "CURRENT garbage", "TOC truncated"])
def test_damaged_index_is_reported_by_the_real_program_without_a_traceback(
    damage: str, small_corpus: Path, index_copy: Path
) -> None:
    """The same checks through real subprocesses: what a user's terminal shows."""
    result = corruption.check_damage(small_corpus, index_copy, damage, "--full")
    assert result.problems == []
    assert result.search_message.startswith("Error: ")
