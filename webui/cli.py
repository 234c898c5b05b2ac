"""The `webui` command: serve the web UI with waitress (a production WSGI server), never Flask's debug server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), envvar="INDEXER_INDEX",
              default="var/index", show_default=True, show_envvar=True,
              help="Index directory built by `indexer build`.")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="WEBUI_HOST", show_envvar=True,
              help="Address to listen on; anything but loopback exposes the UI to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True, envvar="WEBUI_PORT",
              show_envvar=True, help="TCP port (0: any free port; the URL is printed).")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True, envvar="WEBUI_THREADS",
              show_envvar=True, help="Worker threads answering requests.")
def main(index_dir: Path, host: str, port: int, threads: int) -> None:
    """Serve faceted search over the index in --index on http://HOST:PORT/."""
    from waitress import create_server

    from indexer import store

    from . import create_app

    app = create_app({"INDEX_DIR": index_dir})
    try:
        server = create_server(app, host=host, port=port, threads=threads)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if not (index_dir / store.CURRENT).exists():
        click.echo(f"webui: no index in {index_dir} yet; build one with `indexer build corpus --index {index_dir}`",
                   err=True)
    if host not in LOOPBACK:
        click.echo(f"webui: listening on {host}, reachable from other machines", err=True)
    for url in _urls(server):
        click.echo(f"webui: serving {index_dir} on {url} (Ctrl+C to stop)", err=True)
    sys.stderr.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _urls(server: Any) -> list[str]:
    """The address(es) waitress really listens on (port 0 becomes the port the kernel chose)."""
    listening = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    return [f"http://{f'[{h}]' if ':' in str(h) else h}:{p}/" for h, p in listening]
