"""The installed package: one Whoosh distribution, pinned; both entry points runnable."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import whoosh


def distributions_providing_whoosh() -> dict[str, str]:
    """name -> version of every installed distribution that ships files of the `whoosh` package."""
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        files = dist.files or []
        if any(str(f).replace("\\", "/").startswith("whoosh/") for f in files):
            found[dist.metadata["Name"].lower()] = dist.version
    return found


def test_exactly_one_whoosh_distribution_is_installed_and_it_is_the_pinned_fork() -> None:
    # the forks overwrite each other's files: a second one would silently change the engine
    assert distributions_providing_whoosh() == {"whoosh3": "3.54.0"}


def test_the_imported_whoosh_is_the_pinned_one() -> None:
    assert whoosh.__version__ == (3, 54, 0)
    assert Path(whoosh.__file__).parent.name == "whoosh"


@pytest.mark.parametrize("module", ["indexer", "webui"])
def test_python_dash_m_runs_each_command(module: str) -> None:
    done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Usage:" in done.stdout


@pytest.mark.parametrize("script", ["indexer", "webui"])
def test_console_scripts_are_installed_beside_the_interpreter(script: str) -> None:
    path = Path(sys.executable).parent / script
    if not path.exists() and shutil.which(script) is None:
        pytest.fail(f"console script {script!r} is not installed; run `make test` to set up the venv")
    done = subprocess.run([str(path if path.exists() else script), "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
