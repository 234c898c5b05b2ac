"""JSON responses whose bytes never contain <, > or & (escaped as \\u003c ...), so no sniffing can turn them into HTML."""

from __future__ import annotations

import json
from typing import Any

from flask import Response

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def dumps(data: Any) -> str:
    """Compact JSON, UTF-8 text, with the three HTML-significant characters escaped (same value when parsed)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


def json_response(data: Any, status: int = 200) -> Response:
    return Response(dumps(data), status=status, mimetype="application/json")
