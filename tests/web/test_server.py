"""The real `webui` server (waitress, subprocess): startup, options, and rebuilds picked up without a restart."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, article_text, write_article
from tests.web.conftest import start_server, stop_server


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def get_json(url: str) -> Any:
    status, _headers, body = get(url)
    assert status == 200, body[:500]
    return json.loads(body)


def indexer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("command", [["webui", "--help"], ["-m", "webui", "--help"]])
def test_the_command_documents_its_options(command: list[str]) -> None:
    exe = str(Path(sys.executable).with_name("webui")) if command[0] == "webui" else sys.executable
    args = command[1:] if command[0] == "webui" else command
    done = subprocess.run([exe, *args], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0
    for option in ("--index", "--host", "--port", "--threads", "default: 127.0.0.1", "default: 5000", "INDEXER_INDEX"):
        assert option in done.stdout


def test_the_server_is_waitress_and_serves_pages_and_api(live_server: tuple[str, Path, Path]) -> None:
    base, _corpus, _index = live_server
    status, headers, body = get(f"{base}/search?q=asthma")
    assert status == 200 and headers["Server"] == "waitress"
    assert "King&#39;s Health Partners" in body.decode()
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert get_json(f"{base}/api/search?q=asthma")["hits"][0]["title"] == "King's Health Partners"
    assert get(f"{base}/search?q=*")[0] == 400
    assert get(f"{base}/articles/..%2F..%2Fetc%2Fpasswd")[0] == 404


def test_rebuilds_are_picked_up_without_a_restart(live_server: tuple[str, Path, Path]) -> None:
    base, corpus, index = live_server
    before = get_json(f"{base}/health")
    assert get_json(f"{base}/api/search?q=zyxwvut")["total"] == 0
    write_article(corpus, "new_one", article_text("Zyxwvut Institute", {"Country": "Testland"}, "Zyxwvut research."))
    assert indexer("build", str(corpus), "--index", str(index)).returncode == 0  # incremental
    found = get_json(f"{base}/api/search?q=zyxwvut")
    assert [h["id"] for h in found["hits"]] == ["new_one"]
    assert get_json(f"{base}/health")["documents"] == before["documents"] + 1
    assert get(f"{base}/articles/new_one")[0] == 200
    assert indexer("build", str(corpus), "--index", str(index), "--full").returncode == 0
    after = get_json(f"{base}/health")
    assert after["generation"] != before["generation"]
    assert get_json(f"{base}/api/search?q=zyxwvut")["total"] == 1
    (corpus / "new_one.txt").unlink()
    assert indexer("build", str(corpus), "--index", str(index)).returncode == 0
    assert get_json(f"{base}/api/search?q=zyxwvut")["total"] == 0
    assert get(f"{base}/articles/new_one")[0] == 404


def test_an_index_built_after_start_is_served(tmp_path: Path, corpus_copy: Path) -> None:
    index = tmp_path / "later"
    proc, base = start_server(index, tmp_path / "later.log")
    try:
        status, _h, body = get(f"{base}/")
        assert status == 503 and f"indexer build corpus --index {index}" in body.decode()
        assert indexer("build", str(corpus_copy), "--index", str(index)).returncode == 0
        assert get(f"{base}/")[0] == 200
    finally:
        stop_server(proc)
    assert "no index in" in (tmp_path / "later.log").read_text()


def test_the_default_host_is_loopback(tiny_index: Path, tmp_path: Path) -> None:
    proc, base = start_server(tiny_index, tmp_path / "default.log", host=None)
    try:
        assert base.startswith("http://127.0.0.1:")
        assert get(f"{base}/health")[0] == 200
    finally:
        stop_server(proc)


def test_a_port_in_use_is_a_message_not_a_traceback(tiny_index: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "webui", "--index", str(tiny_index), "--port", str(port)],
                              capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert done.returncode == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr
