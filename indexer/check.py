"""`indexer check`: parse and extract a corpus without touching any index."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from . import corpus
from .model import ParseError
from .workers import process_all


@dataclass(frozen=True)
class CheckReport:
    files: int
    documents: int
    skipped: int
    failed: tuple[ParseError, ...]
    seconds: float

    def summary(self) -> str:
        return (
            f"checked {self.files} files: {self.documents} documents parse, {len(self.failed)} failed, "
            f"{self.skipped} skipped (not sources); {self.seconds:.2f} s"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "documents": self.documents,
            "skipped": self.skipped,
            "failed": [{"path": e.path, "line": e.line, "reason": e.reason} for e in self.failed],
        }


def check(roots: Sequence[str | Path], workers: int | None = None) -> CheckReport:
    """Run every source file through parse and extract; collect the problems."""
    started = time.perf_counter()
    listing = corpus.find_files(roots)
    documents = 0
    failed: list[ParseError] = []
    for result in process_all(listing.files, workers).iterator:
        documents += len(result.documents)
        failed.extend(result.errors)
    return CheckReport(len(listing.files), documents, len(listing.skipped), tuple(failed),
                       time.perf_counter() - started)
