"""Hostile corpus files: the build indexes every good file and reports and skips every bad one.

A hand-made list (NUL bytes, invalid UTF-8, a 10 MB file, huge lines, deep heading
nesting, control and bidi characters, hostile JSONL lines ...) plus Hypothesis-generated
and mutated articles. The oracle: every file is either indexed (id and content checksum
in the index) or reported as `error: PATH:LINE: REASON`, never both, never neither; files
that are certainly bad are reported, files that are certainly good are indexed; the
exit code is 1 exactly when something was reported; no traceback, ever.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import docset, procs

GOOD = "indexed"
BAD = "reported"
EITHER = "either"
_ERROR_LINE = re.compile(r"^error: (.+?):(\d+): (.+)$")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str  # file name without extension
    data: bytes
    expect: str  # GOOD, BAD or EITHER
    suffix: str = ".txt"


def article(title: str = "Hostile test article", body: str = "Plain words about vaccines.") -> str:
    return f"= {title} =\n\n{title}\n- Country: Testland\n- Founded: 1999\n\nLead text.\n\n==Research==\n{body}\n"


def hand_cases(big: bool = True) -> list[Case]:
    """The hand-made hostile files; `big` adds the multi-megabyte ones."""
    ok = article().encode()
    cases = [
        Case("good_plain", ok, GOOD),
        Case("nul_byte", ok[:20] + b"\x00" + ok[20:], BAD),
        Case("only_nul", b"\x00" * 100, BAD),
        Case("invalid_utf8_lone_continuation", ok[:30] + b"\x80\x81" + ok[30:], BAD),
        Case("invalid_utf8_truncated_sequence", ok + b"\xe2\x82", BAD),
        Case("invalid_utf8_overlong", ok[:10] + b"\xc0\xaf" + ok[10:], BAD),
        Case("utf16_with_bom", article().encode("utf-16"), BAD),
        Case("latin1", article("Café Müller").encode("latin-1"), BAD),
        Case("empty", b"", BAD),
        Case("only_whitespace", b" \n\t\r\n  \n", BAD),
        Case("no_title", b"Just a paragraph.\n\n==Section==\ntext\n", BAD),
        Case("title_only", b"= Only a title =\n", GOOD),
        Case("bom_crlf", b"\xef\xbb\xbf" + ok.replace(b"\n", b"\r\n"), GOOD),
        Case("cr_only_line_ends", ok.replace(b"\n", b"\r"), GOOD),
        Case("control_chars", article("Ctrl \x01\x02\x1b[31m red", "bell \x07 vt \x0b ff \x0c esc \x1b[2J").encode(), GOOD),
        Case("bidi_overrides", article("\u202eevil\u202c title \u2066x\u2069", "\u200f\u202d\u2028\u2029 rtl").encode(), GOOD),
        Case("emoji_and_astral", article("🧪 Lab 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🏳️‍🌈", "👩‍🔬 " * 50).encode(), GOOD),
        Case("combining_marks", article("Z" + "\u0301" * 500, "a" + "\u0308" * 5000).encode(), GOOD),
        Case("html_and_script", article("<script>alert(1)</script>", "<img src=x onerror=alert(1)> &amp; \"'").encode(), GOOD),
        Case("deep_headings", ("= Deep =\n\n" + "".join(f"{'=' * (i % 40 + 2)} h{i} {'=' * (i % 40 + 2)}\n- item {i}\n"
                                                          for i in range(20000))).encode(), GOOD),
        Case("unbalanced_headings", ("= Odd =\n\n" + "\n".join(f"{'=' * (i % 9 + 1)}x{'=' * (i % 7)}"
                                                               for i in range(5000))).encode(), GOOD),
        Case("huge_token_line", article(body="a" * 300_000).encode(), GOOD),
        Case("huge_repeated_line", article(body="vaccine " * 150_000).encode(), GOOD),
        Case("huge_infobox_value", ("= Box =\n\nBox\n- Country: " + "C" * 200_000 + "\n\nlead\n").encode(), GOOD),
        Case("many_infobox_keys", ("= Keys =\n\nKeys\n" + "".join(f"- Key{i}: v{i}\n" for i in range(3000))
                                   + "\nlead\n").encode(), GOOD),
        Case("huge_title", ("= " + "T" * 100_000 + " =\n\nlead\n").encode(), GOOD),
        Case("many_bullets", ("= Bullets =\n\nlead\n\n==L==\nThe list:\n" + "- x\n" * 100_000).encode(), GOOD),
        Case("records_mixed", b'{"id": "r1", "title": "Record one", "text": "fine"}\n'
                              b'not json\n[1, 2]\n{"title": "no id"}\n{"id": "", "text": "blank id"}\n'
                              b'{"id": "r2", "text": "\\u0000 nul escape"}\n\xff\xfe\n', EITHER, ".jsonl"),
    ]
    if big:
        cases += [
            Case("ten_megabytes", article(body="x " * (5 * MIB)).encode(), BAD),
            Case("just_under_limit", article(body="filler " * (8 * MIB // 7 - 100)).encode(), GOOD),
            Case("one_megabyte_line_of_distinct_words",
                 article(body=" ".join(f"w{i:x}q" for i in range(120_000))).encode(), GOOD),
        ]
    return cases


@dataclass
class CorpusResult:
    files: int
    exit_code: int
    indexed: int
    reported: int
    seconds: float
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def write_cases(folder: Path, cases: list[Case]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for case in cases:
        (folder / f"{case.name}{case.suffix}").write_bytes(case.data)


def check_build(folder: Path, index: Path, cases: list[Case],
                runner: Callable[..., procs.Finished] = procs.run_indexer) -> CorpusResult:
    """Build the hostile folder into a fresh index and judge every file against the oracle."""
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    done = runner("build", str(folder), "--index", str(index), "--quiet", "--workers", "1")
    seconds = time.perf_counter() - started
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    reported_paths = {}
    result = CorpusResult(len(cases), done.returncode, 0, 0, seconds, errors)
    for line in errors:
        match = _ERROR_LINE.match(line)
        if match is None:
            result.problems.append(f"stderr line is not 'error: PATH:LINE: REASON': {line[:200]!r}")
        else:
            reported_paths.setdefault(Path(match.group(1)).name, []).append(match.group(3))
    if procs.has_traceback(done.stderr) or done.returncode not in (0, 1):
        result.problems.append(f"build crashed (exit {done.returncode}): {done.stderr[-500:]}")
        return result
    held = docset.held(index).docs
    for case in cases:
        _judge_case(case, folder, held, reported_paths, result)
    if (done.returncode == 1) != bool(reported_paths):
        result.problems.append(f"exit code {done.returncode} but {len(reported_paths)} files reported")
    return result


def _judge_case(case: Case, folder: Path, held: docset.DocSet, reported: dict[str, list[str]],
                result: CorpusResult) -> None:
    file_name = f"{case.name}{case.suffix}"
    was_reported = file_name in reported
    if case.suffix == ".jsonl":
        _judge_records(case, held, was_reported, result)
        return
    indexed = held.get(case.name) == docset.content_checksum(case.data)
    result.indexed += indexed
    result.reported += was_reported
    if indexed == was_reported:
        state = "both indexed and reported" if indexed else "neither indexed nor reported (lost)"
        result.problems.append(f"{file_name}: {state}")
    elif case.expect == GOOD and not indexed:
        result.problems.append(f"{file_name}: a good file was rejected: {reported.get(file_name)}")
    elif case.expect == BAD and not was_reported:
        result.problems.append(f"{file_name}: a bad file was indexed")


def _judge_records(case: Case, held: docset.DocSet, was_reported: bool, result: CorpusResult) -> None:
    """JSONL: each line that is a JSON object with a non-blank id is indexed, every other line reported."""
    good_ids, bad_lines = [], 0
    for line in case.data.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            bad_lines += 1
            continue
        raw = record.get("id", record.get("_id")) if isinstance(record, dict) else None
        if raw is None or isinstance(raw, (dict, list)) or str(raw).strip() == "":
            bad_lines += 1
        else:
            good_ids.append(str(raw).strip())
    missing = [i for i in good_ids if i not in held]
    result.indexed += len(good_ids) - len(missing)
    result.reported += was_reported
    if missing:
        result.problems.append(f"{case.name}{case.suffix}: good records not indexed: {missing}")
    if bad_lines and not was_reported:
        result.problems.append(f"{case.name}{case.suffix}: {bad_lines} bad lines not reported")


def run_hand(work: Path, big: bool = True, runner: Callable[..., procs.Finished] = procs.run_indexer,
             log: Callable[[str], None] = print) -> CorpusResult:
    cases = hand_cases(big)
    folder = work / "hostile-corpus"
    write_cases(folder, cases)
    result = check_build(folder, work / "hostile-index", cases, runner)
    log(f"  hand-made hostile corpus: {result.files} files, exit {result.exit_code}, {result.indexed} documents "
        f"indexed, {result.reported} files reported, {result.seconds:.1f} s"
        + (f"  PROBLEMS: {result.problems}" if result.problems else ""))
    return result
