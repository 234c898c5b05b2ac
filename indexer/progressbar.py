"""The CLI's progress display: click's bar on a terminal, nothing elsewhere, fed by (done, total) callbacks."""

from __future__ import annotations

import sys
from typing import Any, Callable

import click


def progress_bar(label: str, show: bool) -> Any:
    """A context manager giving a bar for `progress_callback`: click's on stderr when shown, else a silent one."""
    return click.progressbar(length=0, label=label, file=sys.stderr) if show else _NoBar()


def progress_callback(bar: Any) -> Callable[[int, int], None]:
    """A (done, total) callback, as builds and evaluations report progress, that moves the bar."""
    def update(done: int, total: int) -> None:
        bar.length = total
        bar.update(done - bar.pos)

    return update


class _NoBar:
    pos = 0
    length = 0

    def __enter__(self) -> "_NoBar":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        self.pos += n
