"""Response headers that keep every page on this origin: CSP, nosniff, no referrer, no framing."""

from __future__ import annotations

from flask import Flask, Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_headers(response: Response) -> Response:
    """Set the security headers on every response, static files and errors included."""
    for name, value in HEADERS.items():
        response.headers[name] = value
    if response.mimetype in ("text/html", "application/json") and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-cache"
    return response


def register(app: Flask) -> None:
    app.after_request(add_headers)
