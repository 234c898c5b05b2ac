"""The web UI: faceted search pages and a JSON API over one index directory.

`create_app(config)` builds the Flask application; nothing happens at import time.
Configuration: `INDEX_DIR` from `config`, else `$INDEXER_INDEX`, else `var/index`
(the same default as the `indexer` CLI). One `IndexHandle` serves every request and
picks up rebuilds by itself. Serve it with `webui` (waitress) or any WSGI server.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

HANDLE = "webui.handle"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A configured application; `config` overrides the environment (e.g. {"INDEX_DIR": path})."""
    from indexer import store
    from indexer.reader import IndexHandle

    from . import api, errors, security, views

    app = Flask(__name__)
    app.config.update(
        INDEX_DIR=os.environ.get(store.ENV_INDEX) or store.DEFAULT_INDEX,
        JSON_SORT_KEYS=False,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    if config:
        app.config.update(config)
    app.config["DEBUG"] = False  # never debug mode, whatever the environment says
    app.debug = False
    app.config["INDEX_DIR"] = Path(app.config["INDEX_DIR"])
    app.extensions[HANDLE] = IndexHandle(app.config["INDEX_DIR"])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    security.register(app)
    return app
