"""`indexer eval`: loading BEIR/TREC inputs, and the command on a tiny collection written in tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.evaluate import evaluate, load_qrels, load_queries, trec_lines
from indexer.model import ParseError
from tests.helpers import ROOT

CORPUS = [
    {"_id": "d1", "title": "Volcanic eruptions in Iceland", "text": "Lava flows and ash clouds from Icelandic volcanoes."},
    {"_id": "d2", "title": "Honey bee colony collapse", "text": "Pesticides and mites weaken bee colonies."},
    {"_id": "d3", "title": "Coral reef bleaching", "text": "Warm oceans bleach coral reefs worldwide.",
     "metadata": {"journal": "Reef Science"}},
    {"_id": "d4", "title": "Desert locust swarms", "text": "Locust swarms destroy crops across East Africa."},
    {"_id": "d5", "title": "Glacier retreat in the Alps", "text": "Alpine glaciers shrink as summers warm."},
]
QUERIES = {
    "q1": "volcanic ash over Iceland",
    "q2": "why do bee colonies collapse",
    "q3": "bleaching of coral reefs",
    "q4": "submarine telegraph cables",  # its relevant document shares no word with it
    "q5": "locust swarms",  # judged, but nothing relevant: excluded
    "q6": "not judged at all",
}
QRELS = [("q1", "d1", 1), ("q2", "d2", 1), ("q3", "d3", 1), ("q4", "d5", 1), ("q5", "d4", 0)]


def write_collection(folder: Path, qrels_header: bool = True) -> tuple[Path, Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in CORPUS), encoding="utf-8")
    queries = folder / "queries.jsonl"
    queries.write_text("".join(json.dumps({"_id": q, "text": t}) + "\n" for q, t in QUERIES.items()), encoding="utf-8")
    qrels = folder / "qrels.tsv"
    header = "query-id\tcorpus-id\tscore\n" if qrels_header else ""
    qrels.write_text(header + "".join(f"{q}\t{d}\t{g}\n" for q, d, g in QRELS), encoding="utf-8")
    return corpus, queries, qrels


def indexer(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=dict(os.environ), timeout=300)


def test_eval_command_reports_trec_eval_figures_as_json_and_writes_a_run(tmp_path: Path) -> None:
    corpus, queries, qrels = write_collection(tmp_path / "coll")
    run = tmp_path / "run.txt"
    done = indexer("eval", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--run", run, "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    # q1..q3 find their document first, q4 never does, q5 has nothing relevant and q6 no judgments.
    assert figures["queries"] == 4 and figures["queries_run"] == 5
    assert figures["ndcg@10"] == pytest.approx(0.75)
    assert figures["recall@100"] == pytest.approx(0.75)
    assert figures["mrr@10"] == pytest.approx(0.75)
    assert figures["documents"] == 5 and figures["failed"] == [] and figures["skipped_documents"] == 0
    lines = run.read_text(encoding="utf-8").splitlines()
    firsts = {line.split()[0]: line.split() for line in lines if line.split()[3] == "1"}
    assert {q: f[2] for q, f in firsts.items() if q in ("q1", "q2", "q3")} == {"q1": "d1", "q2": "d2", "q3": "d3"}
    assert all(len(line.split()) == 6 and line.split()[1] == "Q0" and line.endswith(" indexer") for line in lines)
    assert not any(line.startswith("q4 ") for line in lines)


def test_eval_command_prints_a_readable_summary_and_keeps_a_given_index(tmp_path: Path) -> None:
    corpus, queries, qrels = write_collection(tmp_path / "coll", qrels_header=False)
    done = indexer("eval", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--index", tmp_path / "ix")
    assert done.returncode == 0, done.stderr
    assert "nDCG@10    0.7500" in done.stdout and "Recall@100 0.7500" in done.stdout
    assert (tmp_path / "ix" / "CURRENT").exists()


@pytest.mark.parametrize(
    "qrels_text, message",
    [
        ("q1\td1\n", "expected 3 (BEIR) or 4 (TREC) columns, found 2"),
        ("query-id\tcorpus-id\tscore\nq1\td1\thigh\n", "the relevance 'high' is not an integer"),
    ],
)
def test_eval_command_rejects_malformed_qrels_with_file_and_line(tmp_path: Path, qrels_text: str, message: str) -> None:
    corpus, queries, _qrels = write_collection(tmp_path / "coll")
    bad = tmp_path / "bad.tsv"
    bad.write_text(qrels_text, encoding="utf-8")
    done = indexer("eval", "--corpus", corpus, "--queries", queries, "--qrels", bad)
    assert done.returncode == 2
    line = qrels_text.count("\n")
    assert f"Error: {bad}:{line}: {message}" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_command_names_a_missing_file(tmp_path: Path) -> None:
    corpus, queries, _qrels = write_collection(tmp_path / "coll")
    done = indexer("eval", "--corpus", corpus, "--queries", queries, "--qrels", tmp_path / "nope.tsv")
    assert done.returncode == 2
    assert "nope.tsv" in done.stderr and "does not exist" in done.stderr


def test_evaluate_counts_refused_queries_as_zero_and_lists_them(tmp_path: Path) -> None:
    corpus, queries, qrels = write_collection(tmp_path / "coll")
    queries.write_text(json.dumps({"_id": "q1", "text": "*"}) + "\n" + json.dumps({"_id": "q2", "text": "bee"}) + "\n",
                       encoding="utf-8")
    report = evaluate(corpus, queries, qrels)
    assert [qid for qid, _message in report.failed] == ["q1"]
    assert "bare *" in report.failed[0][1]
    assert report.scores.per_query["q1"] == (0.0, 0.0, 0.0)
    assert report.scores.per_query["q2"][0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"_id": "1", "text": "a claim"}\n{"id": 2, "text": "another"}\n', {"1": "a claim", "2": "another"}),
        ("7\twhat is lift\n\n8\tdrag at mach 2\n", {"7": "what is lift", "8": "drag at mach 2"}),
    ],
)
def test_queries_load_from_beir_jsonl_and_tsv(tmp_path: Path, text: str, expected: dict[str, str]) -> None:
    path = tmp_path / "queries"
    path.write_text(text, encoding="utf-8")
    assert load_queries(path) == expected


@pytest.mark.parametrize("line", ['{"_id": "1"}', "no tab here", '{"text": "x"'])
def test_malformed_query_lines_raise_parse_error_with_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "queries.jsonl"
    path.write_text('{"_id": "0", "text": "fine"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        load_queries(path)
    assert err.value.line == 2 and err.value.path == str(path)


@pytest.mark.parametrize(
    "text, grades, expected",
    [
        ("query-id\tcorpus-id\tscore\n1\td1\t1\n1\td2\t0\n", "plain", {"1": {"d1": 1, "d2": 0}}),
        ("1 0 d1 2\n1 0 d2 1\n2 Q0 d3 0\n", "plain", {"1": {"d1": 2, "d2": 1}, "2": {"d3": 0}}),
        ("query-id\tcorpus-id\tcranfield-grade\n1\t184\t1\n1\t29\t4\n1\t486\t-1\n", "cranfield",
         {"1": {"184": 4, "29": 1, "486": 0}}),
    ],
)
def test_qrels_load_from_beir_and_trec_with_grade_mapping(tmp_path: Path, text: str, grades: str, expected: dict) -> None:
    path = tmp_path / "qrels"
    path.write_text(text, encoding="utf-8")
    assert load_qrels(path, grades) == expected


def test_run_lines_follow_the_trec_format() -> None:
    lines = list(trec_lines({"q1": [("d1", 2.5), ("d2", 1.0)]}, tag="mine"))
    assert lines == ["q1 Q0 d1 1 2.5000 mine\n", "q1 Q0 d2 2 1.0000 mine\n"]


def test_beir_records_are_indexed_as_they_are(tmp_path: Path) -> None:
    from indexer.build import build
    from indexer.reader import IndexHandle
    from indexer.search import get_document

    corpus, _queries, _qrels = write_collection(tmp_path / "coll")
    report = build([corpus], tmp_path / "ix", workers=1)
    assert report.documents == 5 and not report.failed
    doc = get_document(IndexHandle(tmp_path / "ix"), "d3")
    assert doc["article"]["title"] == "Coral reef bleaching"
    assert doc["article"]["lead"][0]["p"] == "Warm oceans bleach coral reefs worldwide."
    assert [k for k, v, _line in doc["article"]["infobox"]] == ["journal"]  # nested metadata, flattened
