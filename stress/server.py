"""The production web server (`webui`, waitress) as a subprocess on 127.0.0.1 and a free port."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_URL = re.compile(r"serving .* on (http://127\.0\.0\.1:\d+)/")


@contextmanager
def serve(index: Path, startup: float = 60.0) -> Iterator[str]:
    """Start `webui --index INDEX --host 127.0.0.1 --port 0`; yield its base URL; stop it afterwards."""
    proc = subprocess.Popen([sys.executable, "-m", "webui", "--index", str(index), "--host", "127.0.0.1",
                             "--port", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    log: list[str] = []
    try:
        base = _wait_for_url(proc, log, startup)
        threading.Thread(target=_drain, args=(proc, log), daemon=True).start()
        _wait_healthy(base, startup)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if any("Traceback" in line for line in log):
        raise RuntimeError("the server logged a traceback:\n" + "".join(log[-40:]))


def _wait_for_url(proc: subprocess.Popen, log: list[str], startup: float) -> str:
    deadline = time.monotonic() + startup
    assert proc.stderr is not None
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            raise RuntimeError(f"webui exited with {proc.returncode}: {''.join(log)}")
        log.append(line)
        match = _URL.search(line)
        if match:
            return match.group(1)
    raise RuntimeError(f"webui did not print its URL within {startup} s: {''.join(log)}")


def _drain(proc: subprocess.Popen, log: list[str]) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        log.append(line)


def _wait_healthy(base: str, startup: float) -> None:
    deadline = time.monotonic() + startup
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{base}/health did not answer 200 within {startup} s")
