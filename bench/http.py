"""End-to-end HTTP latency: the real `webui` server (waitress) in a subprocess, over keep-alive.

Measures the search page and the JSON API for the same queries as the in-process
runs, and the server's resident memory (VmRSS now, VmHWM peak) when done.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from .queries import BenchQuery

STARTUP_SECONDS = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_of(path: str, query: BenchQuery) -> str:
    pairs = [("q", query.q)] + [(name, v) for name, values in query.filters for v in values]
    if query.page > 1:
        pairs.append(("page", str(query.page)))
    return f"{path}?{urlencode(pairs)}"


class Server:
    """`webui --index DIR --port N` started and stopped by us (by its own pid)."""

    def __init__(self, index: Path) -> None:
        self.port = free_port()
        webui = Path(sys.executable).with_name("webui")
        self.proc = subprocess.Popen(
            [str(webui), "--index", str(index), "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.started_in = self._wait_ready()

    def _wait_ready(self) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < STARTUP_SECONDS:
            if self.proc.poll() is not None:
                raise RuntimeError(f"webui exited with {self.proc.returncode} before serving")
            try:
                self.get("/api/search?q=")
                return time.perf_counter() - started
            except OSError:
                self.conn.close()
                time.sleep(0.2)
        raise RuntimeError("webui did not answer within 120 s")

    def get(self, url: str) -> int:
        self.conn.request("GET", url)
        response = self.conn.getresponse()
        response.read()
        if response.status >= 500:
            raise RuntimeError(f"GET {url} -> {response.status}")
        return response.status

    def memory_mb(self) -> dict[str, float]:
        """VmRSS and VmHWM of the server process, in MB."""
        out = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
        return {"rss_mb": out.get("VmRSS", 0.0), "peak_rss_mb": out.get("VmHWM", 0.0)}

    def stop(self) -> None:
        self.conn.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
