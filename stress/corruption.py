"""Damaged index files: each kind of damage gives a clear error, and a rebuild repairs it.

Every damage is applied to a real index built from a real corpus; then the real CLI is
run: `indexer search` must exit with a one-line message naming the problem (or keep
serving, where the damaged file is not needed to search), and both `indexer build
--full` and a plain `indexer build` must bring back exactly the corpus's documents.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import docset, procs

Damage = Callable[[Path], None]


def _live(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip()


def _one(gen: Path, pattern: str) -> Path:
    found = sorted(gen.glob(pattern))
    if not found:
        raise FileNotFoundError(f"no {pattern} in {gen}")
    return found[0]


def _truncate(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _garble(path: Path, seed: int = 7, count: int = 400) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for _ in range(count):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _meta_other_schema(index: Path) -> None:
    meta = _live(index) / "META.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "schema_version": 999}))


def _zero_block(path: Path, at: float, size: int = 4096) -> None:
    data = bytearray(path.read_bytes())
    start = int(len(data) * at)
    data[start : start + size] = bytes(len(data[start : start + size]))
    path.write_bytes(bytes(data))


#: name -> (damage, exit code of `indexer search` afterwards, fragment its message must contain)
DAMAGES: dict[str, tuple[Damage, int, str]] = {
    "CURRENT garbage": (lambda ix: (ix / "CURRENT").write_text("garbage\n"), 3, "CURRENT"),
    "CURRENT with a NUL byte": (lambda ix: (ix / "CURRENT").write_text("\x00garbage\n"), 3, "CURRENT"),
    "CURRENT empty": (lambda ix: (ix / "CURRENT").write_text(""), 3, "CURRENT"),
    "CURRENT names a deleted generation": (lambda ix: shutil.rmtree(_live(ix)), 3, "CURRENT"),
    "META.json garbled": (lambda ix: (_live(ix) / "META.json").write_text("{"), 3, "META.json"),
    "META.json missing": (lambda ix: (_live(ix) / "META.json").unlink(), 3, "META.json"),
    "META.json other schema version": (_meta_other_schema, 3, "schema version"),
    "TOC truncated": (lambda ix: _truncate(_one(_live(ix), "_MAIN_*.toc"), 0.3), 3, "index"),
    "TOC garbled": (lambda ix: _garble(_one(_live(ix), "_MAIN_*.toc")), 3, "index"),
    "TOC missing": (lambda ix: _one(_live(ix), "_MAIN_*.toc").unlink(), 3, "index"),
    "segment truncated": (lambda ix: _truncate(_one(_live(ix), "MAIN_*.seg"), 0.5), 3, "index"),
    "segment emptied": (lambda ix: _truncate(_one(_live(ix), "MAIN_*.seg"), 0.0), 3, "index"),
    "segment missing": (lambda ix: _one(_live(ix), "MAIN_*.seg").unlink(), 3, "index"),
    "facets.json garbled": (lambda ix: (_live(ix) / "facets.json").write_text("[1"), 3, "facets.json"),
    "manifest.json garbled": (lambda ix: (_live(ix) / "manifest.json").write_text("{x"), 0, ""),
}


def segment_damages(count: int) -> dict[str, tuple[Damage, int | None, str]]:
    """Random damage inside the segment file: where it lands decides whether a search notices.

    Whoosh segments carry no checksums, so damage in bytes a query never reads can go
    unnoticed (exit code None: 0 or 3 are both acceptable); what must never happen is a
    traceback, a hang, or a rebuild that does not restore the corpus.
    """
    out: dict[str, tuple[Damage, int | None, str]] = {}
    for seed in range(count):
        out[f"segment garbled #{seed}"] = (lambda ix, s=seed: _garble(_one(_live(ix), "MAIN_*.seg"), s), None, "index")
        at = (seed + 0.5) / count
        out[f"segment 4 KiB zeroed at {at:.0%}"] = (lambda ix, a=at: _zero_block(_one(_live(ix), "MAIN_*.seg"), a),
                                                   None, "index")
    return out


def damages(segment_variants: int = 3) -> dict[str, tuple[Damage, int | None, str]]:
    return {**DAMAGES, **segment_damages(segment_variants)}


@dataclass
class DamageResult:
    damage: str
    search_exit: int
    search_message: str
    rebuild: str  # "--full" or "plain"
    rebuild_exit: int
    rebuild_summary: str
    restored: bool
    problems: list[str] = field(default_factory=list)


def check_damage(corpus: Path, index: Path, name: str, rebuild: str = "--full",
                 runner: Callable[..., procs.Finished] = procs.run_indexer,
                 table: dict[str, tuple[Damage, int | None, str]] | None = None) -> DamageResult:
    """Damage a built index, search it, rebuild it (`--full` or plain), and judge the outcome.

    A plain build repairs what it can detect cheaply (it rebuilds fully when the live index
    cannot be opened); otherwise it must not crash: it either succeeds or stops with one line
    that says to run `--full`, and the `--full` build must then repair the index.
    """
    damage, want_exit, fragment = (table or damages())[name]
    damage(index)
    search = runner("search", "institute", "--index", str(index), "--json")
    args = ["build", str(corpus), "--index", str(index), "--quiet"] + (["--full"] if rebuild == "--full" else [])
    built = runner(*args)
    outputs = [search.stderr, built.stderr]
    result = DamageResult(name, search.returncode, search.stderr.strip(), rebuild, built.returncode,
                          built.stdout.strip(), _restored(corpus, index, runner))
    if rebuild == "plain" and (not result.restored or built.returncode == 3):
        if built.returncode == 3 and not _one_line_naming(built.stderr, "--full"):
            result.problems.append(f"plain build failed without saying to run --full: {built.stderr[-300:]}")
        result.rebuild_summary = f"plain build exit {built.returncode} left it damaged; then --full: "
        built = runner(*args, "--full")
        outputs.append(built.stderr)
        result.rebuild_summary += built.stdout.strip()
        result.restored = _restored(corpus, index, runner)
    if want_exit is not None and search.returncode != want_exit or search.returncode not in (0, 3):
        result.problems.append(f"search exited {search.returncode}, expected {want_exit}: {search.stderr[-300:]}")
    if search.returncode and not _one_line_naming(search.stderr, fragment):
        result.problems.append(f"search message is not one line naming {fragment!r}: {result.search_message[-300:]}")
    for text in outputs:
        if procs.has_traceback(text) or "Aborted!" in text:
            result.problems.append(f"traceback or abort: {text[-300:]}")
    if built.returncode != 0:
        result.problems.append(f"`indexer build {rebuild}` exited {built.returncode}: {built.stderr.strip()[-300:]}")
    if not result.restored:
        result.problems.append("after the rebuild the index does not hold exactly the corpus, or search fails")
    return result


def _restored(corpus: Path, index: Path, runner: Callable[..., procs.Finished]) -> bool:
    """The index holds exactly the corpus, and a search through the CLI finds every document."""
    try:
        held = docset.held(index).docs
    except Exception:  # noqa: BLE001 - an unopenable index is not restored
        return False
    found = runner("search", "institute", "--index", str(index), "--json", "--limit", "1")
    return held == docset.expected(corpus) and found.returncode == 0 and json.loads(found.stdout)["total"] == len(held)


def _one_line_naming(stderr: str, fragment: str) -> bool:
    lines = stderr.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("Error: ") and fragment in lines[0]


def run(corpus: Path, template: Path, work: Path, segment_variants: int = 10,
        log: Callable[[str], None] = print) -> list[DamageResult]:
    """Every damage, each repaired once by `--full` and once by a plain build."""
    results = []
    table = damages(segment_variants)
    for name in table:
        for rebuild in ("--full", "plain"):
            index = work / "damaged"
            shutil.rmtree(index, ignore_errors=True)
            shutil.copytree(template, index)
            result = check_damage(corpus, index, name, rebuild, table=table)
            results.append(result)
            log(f"  {name:34} search exit {result.search_exit} {result.search_message[:70]!r}; "
                f"build {rebuild}: {result.rebuild_summary[:90]!r}, restored={result.restored}"
                + (f"  PROBLEMS: {result.problems}" if result.problems else ""))
    return results
