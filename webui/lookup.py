"""What every view looks up: the app's one shared IndexHandle, and document ids fit to look up."""

from __future__ import annotations

from flask import abort, current_app

from indexer.reader import IndexHandle

from . import HANDLE

MAX_ID_CHARS = 1000


def index_handle() -> IndexHandle:
    """The handle created by create_app; it picks up rebuilds by itself."""
    return current_app.extensions[HANDLE]


def checked_id(doc_id: str) -> str:
    """The id unchanged, or a 404 for ids no index can hold (ids are only ever looked up, never opened as paths)."""
    if not doc_id or len(doc_id) > MAX_ID_CHARS or "\x00" in doc_id:
        abort(404)
    return doc_id
