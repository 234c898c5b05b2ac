"""Library errors and HTTP errors turned into pages (HTML) or error objects (JSON), never tracebacks.

JSON error shape, for every /api/ and /health response that is not a success:
`{"error": {"status": 400, "code": "bad_request", "message": "..."}}`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, Response, current_app, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.model import DocumentNotFound, IndexCorrupt, IndexerError, IndexMissing, QueryError, SchemaMismatch

from .jsonresp import json_response

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    status: int
    code: str
    title: str
    message: str
    fix: str | None = None  # a command that fixes it, shown in the page


def problem_of(exc: BaseException, index_dir: str) -> Problem:
    """What to tell the user about an error, by its type."""
    build = f"indexer build corpus --index {index_dir}"
    if isinstance(exc, QueryError):
        return Problem(400, "bad_request", "This search cannot be run", str(exc))
    if isinstance(exc, DocumentNotFound):
        return Problem(404, "not_found", "No such article", str(exc))
    if isinstance(exc, IndexMissing):
        return Problem(503, "index_missing", "No index yet",
                       f"There is no search index in {index_dir} yet. Build one, then reload this page "
                       "(the server picks it up without a restart).", build)
    if isinstance(exc, SchemaMismatch):
        return Problem(503, "index_outdated", "The index needs a rebuild", str(exc), build + " --full")
    if isinstance(exc, (IndexCorrupt, IndexerError)):
        return Problem(503, "index_unavailable", "The index cannot be read", str(exc), build + " --full")
    if isinstance(exc, HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        message = "There is no page at this address." if exc.code == 404 else (exc.description or exc.name)
        return Problem(exc.code or 500, code, exc.name or "Error", message)
    return Problem(500, "internal_error", "Something went wrong",
                   "The server could not answer this request. The problem has been logged.")


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/health"


def json_problem(problem: Problem) -> Response:
    return json_response({"error": {"status": problem.status, "code": problem.code, "message": problem.message}},
                         problem.status)


def respond(exc: BaseException) -> Response:
    """The error page or JSON error object for `exc`."""
    problem = problem_of(exc, str(current_app.config["INDEX_DIR"]))
    if problem.status >= 500 and not isinstance(exc, (IndexerError, HTTPException)):
        log.error("unhandled error on %s", request.path, exc_info=exc)
    response = json_problem(problem) if wants_json() else make_response(
        render_template("error.html", problem=problem), problem.status)
    if isinstance(exc, HTTPException) and "Allow" in dict(exc.get_headers()):
        response.headers["Allow"] = dict(exc.get_headers())["Allow"]  # 405 says what is allowed
    return response


def register(app: Flask) -> None:
    app.register_error_handler(IndexerError, respond)
    app.register_error_handler(HTTPException, respond)
    app.register_error_handler(Exception, respond)
