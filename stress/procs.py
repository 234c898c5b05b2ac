"""Running the real `indexer` program as a subprocess, and finding processes it left behind.

Every subprocess started here carries a unique token in its environment; spawned
workers inherit it, so after a kill -9 any survivor is found by scanning /proc.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
import time
import traceback
import uuid
from dataclasses import dataclass
from pathlib import Path

TOKEN_VAR = "STRESS_TOKEN"


def indexer_command(*args: str) -> list[str]:
    """`python -m indexer ARGS` with this interpreter (the venv's)."""
    return [sys.executable, "-m", "indexer", *args]


def new_token() -> str:
    return uuid.uuid4().hex


def environment(token: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, TOKEN_VAR: token, **extra}
    env.pop("INDEXER_INDEX", None)
    return env


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run_indexer(*args: str, timeout: float = 300, env: dict[str, str] | None = None,
                preexec=None) -> Finished:
    """Run `indexer ARGS` to completion; returns exit code and output."""
    started = time.perf_counter()
    proc = subprocess.run(indexer_command(*args), capture_output=True, text=True, timeout=timeout,
                          env=env or environment(new_token()), preexec_fn=preexec)
    return Finished(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)


def run_in_process(*args: str) -> Finished:
    """Run `indexer ARGS` inside this process with click's CliRunner (fast; for bulk checks).

    An exception that escapes the command is rendered as the traceback a user would see.
    """
    from click.testing import CliRunner

    from indexer.cli import main

    started = time.perf_counter()
    result = CliRunner().invoke(main, list(args))
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return Finished(result.exit_code, result.stdout, stderr, time.perf_counter() - started)


def start_indexer(*args: str, token: str, **popen) -> subprocess.Popen:
    """Start `indexer ARGS` in its own session, output discarded unless redirected."""
    popen.setdefault("stdout", subprocess.DEVNULL)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(indexer_command(*args), env=environment(token), start_new_session=True, **popen)


def with_token(token: str) -> list[int]:
    """Pids of live processes whose environment carries `token`."""
    needle = f"{TOKEN_VAR}={token}".encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/environ", "rb") as fh:
                if needle in fh.read().split(b"\0") and not _is_zombie(entry.name):
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def _is_zombie(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return True


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def survivors(token: str, grace: float = 5.0) -> list[str]:
    """Command lines of token holders still alive after `grace` seconds (then killed, to clean up)."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        pids = with_token(token)
        if not pids:
            return []
        time.sleep(0.05)
    left = [f"{pid}: {command_line(pid)}" for pid in with_token(token)]
    for pid in with_token(token):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


def lock_is_free(index_dir: Path) -> bool:
    """True when nobody holds the index's build lock (probed with a non-blocking flock)."""
    path = index_dir / "build.lock"
    if not path.exists():
        return True
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    finally:
        os.close(fd)


def has_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text
