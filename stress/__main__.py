"""`python -m stress [SECTION ...]`: run the reliability harnesses and report the figures.

Sections: kill, corrupt, disk, locking, corpus, queries, web, load (default: all of them).
`--quick` runs the short versions (the sizes `make test` uses). The exit code is 1 when
any check found a problem, 0 otherwise. Everything runs in a scratch folder (--work, or a
temporary one that is removed afterwards) and binds 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import sections

ALL = tuple(sections.SECTIONS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stress", description="Run the reliability harnesses (faults, hostile input, load).")
    parser.add_argument("sections", nargs="*", metavar="SECTION", help=f"any of: {', '.join(ALL)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="short versions (as in make test)")
    parser.add_argument("--seed", type=int, default=20240601, help="seed for every random choice")
    parser.add_argument("--work", type=Path, help="scratch folder to keep (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the figures and problems to this JSON file")
    args = parser.parse_args(argv)
    chosen = args.sections or list(ALL)
    unknown = [name for name in chosen if name not in ALL]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(ALL)}")
    work = args.work or Path(tempfile.mkdtemp(prefix="stress-"))
    work.mkdir(parents=True, exist_ok=True)
    size = sections.QUICK if args.quick else sections.FULL
    started = time.monotonic()
    report: dict[str, object] = {"seed": args.seed, "quick": args.quick, "sections": {}}
    problems: list[str] = []
    try:
        for name in chosen:
            print(f"== {name}", flush=True)
            t0 = time.monotonic()
            figures, found = sections.SECTIONS[name](work / name, size, args.seed)
            figures["seconds"] = round(time.monotonic() - t0, 1)
            report["sections"][name] = {"figures": figures, "problems": found}  # type: ignore[index]
            problems += [f"{name}: {p}" for p in found]
            print(f"   {name}: {len(found)} problems, {figures['seconds']} s", flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report["seconds"] = round(time.monotonic() - started, 1)
    report["problems"] = problems
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps({name: data["figures"] for name, data in report["sections"].items()}, indent=1))  # type: ignore
    print(f"stress: {len(problems)} problems in {report['seconds']} s")
    for problem in problems:
        print(f"  PROBLEM {problem[:500]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
