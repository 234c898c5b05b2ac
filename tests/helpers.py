"""Small builders shared by test modules: article text, tiny corpora, paths to shared data."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
SEED = SHARED / "seed" / "000_c979882d02ee9a42.txt"
RAY_CHARLES = DATA / "wikipedia_raycharles_zim"


def require(path: Path) -> Path:
    """Skip the calling test when shared data is absent (a fresh clone outside CI)."""
    if not path.exists():
        pytest.skip(f"needs {path} (shared test data, present in CI; absent in this checkout)")
    return path


def article_text(
    title: str,
    infobox: dict[str, str] | None = None,
    lead: str = "",
    sections: Iterable[tuple[str, str]] = (),
) -> str:
    """Article text in the corpus format; section bodies are given as raw text."""
    lines = [f"= {title} =", "", title]
    lines += [f"- {k}: {v}" for k, v in (infobox or {}).items()]
    lines.append("")
    if lead:
        lines += [lead, ""]
    for heading, body in sections:
        lines += [f"=={heading}==", body, ""]
    return "\n".join(lines)


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
