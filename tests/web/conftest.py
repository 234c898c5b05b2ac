"""Fixtures for the web UI: apps over real indexes, a hostile article, and the real `webui` server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.build import build
from tests.helpers import CORPUS, ROOT, article_text, write_article
from webui import create_app

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'
EVIL_ID = "evil"
EVIL = article_text(
    f"Evil {XSS_SCRIPT} Institute",
    {"Country": f"Evilland {XSS_ATTR}", "Type": f"Trap {XSS_SCRIPT}", "Founded": "1999"},
    f"The Evil Institute {XSS_ATTR} studies asthma and {XSS_SCRIPT} injection.",
    [(f"Research {XSS_ATTR}", f"Research is focused on the following themes:\n- Cancer {XSS_SCRIPT}\n- Asthma {XSS_ATTR}"),
     ("History", f"Founded to test escaping of {XSS_SCRIPT} and {XSS_ATTR} everywhere.")],
)
SERVER_START_SECONDS = 30


@pytest.fixture
def app(corpus_index: Path) -> Flask:
    """The app over the index of the project's corpus/ (built once per session, read-only)."""
    return create_app({"INDEX_DIR": corpus_index})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def evil_index(tiny_corpus: Path, tmp_path: Path) -> Path:
    """The tiny corpus plus an article whose title, infobox and body carry script and attribute injections."""
    write_article(tiny_corpus, EVIL_ID, EVIL)
    index_dir = tmp_path / "evil-index"
    build([tiny_corpus], index_dir, workers=1)
    return index_dir


@pytest.fixture
def evil_client(evil_index: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": evil_index}).test_client()


@pytest.fixture
def missing_client(tmp_path: Path) -> FlaskClient:
    """An app whose index directory has never been built."""
    return create_app({"INDEX_DIR": tmp_path / "no-index-here"}).test_client()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of corpus/ that a test may change and rebuild."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def start_server(index_dir: Path, log: Path, host: str | None = "127.0.0.1") -> tuple[subprocess.Popen[bytes], str]:
    """Start the real `webui` command (waitress) on a free port (--port 0); return it and its base URL."""
    exe = Path(sys.executable).with_name("webui")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "webui"]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    handle = open(log, "wb")
    host_args = ["--host", host] if host else []
    proc = subprocess.Popen(command + ["--index", str(index_dir), *host_args, "--port", "0"],
                            stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        match = re.search(r"on (http://127\.0\.0\.1:\d+)/", log.read_text(errors="replace"))
        if match:
            return proc, match.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"webui did not start: {log.read_text(errors='replace')}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def live_server(corpus_copy: Path, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """The real server over a fresh index of a private corpus copy: (base URL, corpus, index)."""
    index_dir = tmp_path / "live-index"
    build([corpus_copy], index_dir, workers=1)
    proc, base = start_server(index_dir, tmp_path / "webui.log")
    try:
        yield base, corpus_copy, index_dir
    finally:
        stop_server(proc)

