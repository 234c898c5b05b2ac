"""Web checks against the real server: escaping everywhere, 404 for traversal and unknown ids, 400 for oversize.

The corpus is built from script-injection payloads placed in every part of an article
(title, infobox keys and values, lead, headings, list items, even the file name that
becomes the id); every HTML page, attribute and JSON body that shows them must show
them as text.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .query_check import fetch

PAYLOADS = (
    '<script>alert("x1")</script>',
    '"><svg onload=alert("x2")>',
    "'><img src=x onerror=alert('x3')>",
    '</textarea></title><script>alert("x4")</script>',
    'javascript:alert("x5")',
    "{{7*7}}${7*7}<%= 7*7 %>",
    "&lt;b&gt;pre-escaped&lt;/b&gt; & &amp;",
    "\u202eevil\u202c \u2066rtl",
)
#: Raw substrings that only appear when a payload was not escaped.
MARKERS = ("<script>alert", "<svg onload", "<img src=x onerror", '"><svg', "'><img", "</textarea></title><script>")
ODD_ID = "odd \"<'&>% id"


def payload_article(number: int, payload: str) -> str:
    return (f"= Payload {number} {payload} =\n\nPayload {number} {payload}\n"
            f"- Country: {payload}\n- Type: Payload type {payload}\n- {payload}: key payload\n- Founded: 1999\n\n"
            f"Payload {number} lead mentions {payload} and probe.\n\n"
            f"=={payload} heading==\nThe following research centres:\n- MRC Centre for {payload}\n"
            f"- Payload probe {payload}\n")


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, payload in enumerate(PAYLOADS):
        (folder / f"p{number}.txt").write_text(payload_article(number, payload), encoding="utf-8")
    (folder / f"{ODD_ID}.txt").write_text(payload_article(99, PAYLOADS[0]), encoding="utf-8")
    return folder


@dataclass
class WebResult:
    requests: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _get(base: str, path: str, result: WebResult) -> tuple[int, bytes, str]:
    status, body, _seconds, kind = fetch(base + path)
    result.requests += 1
    result.statuses[str(status)] = result.statuses.get(str(status), 0) + 1
    if status >= 500 or status == 0:
        result.problems.append(f"GET {path[:120]} -> {status}: {body[:200]!r}")
    return status, body, kind


def _unescaped(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [m for m in MARKERS if m in text]


def check_escaping(base: str, result: WebResult) -> None:
    """Reflected query text and corpus text, in pages and JSON, never appear as markup."""
    for payload in PAYLOADS:
        for path in (f"/search?{urllib.parse.urlencode({'q': payload})}",
                     f"/search?{urllib.parse.urlencode({'q': 'probe', 'country': payload, 'type': payload})}",
                     f"/search?{urllib.parse.urlencode({'q': payload, 'sort': payload, 'page': payload})}"):
            status, body, _ = _get(base, path, result)
            if _unescaped(body):
                result.problems.append(f"unescaped {_unescaped(body)} in {path[:100]}")
        status, body, kind = _get(base, f"/api/search?{urllib.parse.urlencode({'q': payload})}", result)
        _check_json(body, kind, payload, result)
    status, body, _ = _get(base, f"/search?{urllib.parse.urlencode({'q': PAYLOADS[0]})}", result)
    if b"&lt;script&gt;alert" not in body:
        result.problems.append("the reflected query is not shown (escaped) on the search page")
    for path in ("/search?q=probe", "/search?q=payload&per_page=50", "/search?q=", "/"):
        status, body, _ = _get(base, path, result)
        if status != 200 or _unescaped(body):
            result.problems.append(f"{path}: status {status}, unescaped {_unescaped(body)}")
    ids = [f"p{n}" for n in range(len(PAYLOADS))] + [ODD_ID]
    for doc_id in ids:
        quoted = urllib.parse.quote(doc_id, safe="")
        for path in (f"/articles/{quoted}", f"/api/articles/{quoted}"):
            status, body, kind = _get(base, path, result)
            if status != 200:
                result.problems.append(f"{path}: status {status} for an indexed article")
            elif path.startswith("/api/"):
                _check_json(body, kind, None, result)
            elif _unescaped(body):
                result.problems.append(f"unescaped {_unescaped(body)} in {path}")


def _check_json(body: bytes, kind: str, query: str | None, result: WebResult) -> None:
    if "application/json" not in kind:
        result.problems.append(f"JSON answer with content type {kind!r}")
    if b"<" in body or b">" in body:
        result.problems.append(f"raw < or > in a JSON body: {body[:120]!r}")
    try:
        data = json.loads(body)
    except ValueError:
        result.problems.append(f"not JSON: {body[:120]!r}")
        return
    if query is not None and isinstance(data, dict) and "query" in data and data["query"] != query.strip():
        result.problems.append(f"JSON query {data['query']!r} differs from the one sent {query!r}")


TRAVERSALS = (
    "/articles/../../etc/passwd", "/articles/%2e%2e/%2e%2e/etc/passwd", "/articles/..%2F..%2Fetc%2Fpasswd",
    "/api/articles/../../../etc/passwd", "/api/articles/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/articles/%2Fetc%2Fpasswd", "/articles//etc/passwd", "/static/../../pyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2f..%2fpyproject.toml", "/static/%252e%252e/pyproject.toml",
    "/articles/no-such-article", "/api/articles/no-such-article", "/articles/" + "x" * 5000,
    "/api/articles/" + "y" * 5000, "/articles/%00", "/api/articles/a%00b", "/no/such/page", "/api/nothing",
    "/articles/p0/../../../etc/passwd", "/articles/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd",
)
LEAKS = (b"root:x:0:0", b"[build-system]", b"[project]")


def check_not_found(base: str, result: WebResult) -> None:
    """Traversal attempts and unknown ids are 404 and leak nothing."""
    for path in TRAVERSALS:
        status, body, _ = _get(base, path, result)
        if status != 404:
            result.problems.append(f"{path[:80]} -> {status}, expected 404")
        if any(leak in body for leak in LEAKS):
            result.problems.append(f"{path[:80]} leaked a file")


def oversized() -> list[str]:
    long_q = urllib.parse.quote("a" * 10_001)
    many = "&".join(f"f{i}=v" for i in range(300))
    values = "&".join(f"topics=v{i}" for i in range(60))
    return [
        f"/search?q={long_q}", f"/api/search?q={long_q}", f"/api/search?q={urllib.parse.quote('x ' * 20_000)}",
        "/api/search?per_page=1000000000000", "/api/search?page=99999999999999", "/search?per_page=0",
        "/api/search?page=-1", "/api/search?per_page=abc", f"/api/search?{many}", f"/search?{many}",
        f"/api/search?{values}", f"/api/search?topics={'t' * 5000}", f"/search?founded_from={'9' * 50}",
        "/api/search?sort=nonsense", "/api/search?founded_from=abc",
    ]


def check_oversized(base: str, result: WebResult) -> None:
    for path in oversized():
        status, body, _ = _get(base, path, result)
        if status != 400:
            result.problems.append(f"{path[:80]}... -> {status}, expected 400")


def run(base: str, log: Callable[[str], None] = print) -> WebResult:
    result = WebResult()
    check_escaping(base, result)
    check_not_found(base, result)
    check_oversized(base, result)
    log(f"  web checks: {result.requests} requests, statuses {result.statuses}"
        + (f"  PROBLEMS: {result.problems}" if result.problems else ""))
    return result
