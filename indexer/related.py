"""Related articles: Whoosh more-like-this, explained by the entities each shares with the source.

Pure over one `Snapshot`: the key terms of the article's own text (lead and sections)
become a weighted OR query (Whoosh `more_like`, Bo1 term weighting); each hit then
carries the centres, topics and organisations it has in common with the article, so a
reader sees why it was suggested.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .model import DocumentNotFound
from .reader import Snapshot

#: Entity kinds named in explanations, most specific first.
SHARED_KINDS = ("centres", "topics", "organisations")
RELATED_LIMIT = 5
KEY_TERMS = 15
TEXT_FIELD = "body"


@dataclass(frozen=True)
class Related:
    id: str
    title: str
    score: float
    shared: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, values in common), non-empty kinds only

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "score": self.score, "shared": dict(self.shared)}


def related(snap: Snapshot, doc_id: str, limit: int = RELATED_LIMIT) -> tuple[Related, ...]:
    """Up to `limit` articles most like `doc_id`, best first, each with the entities it shares."""
    docnum = snap.searcher.document_number(id=doc_id)
    if docnum is None:
        raise DocumentNotFound(f"no document with id {doc_id!r} in the index")
    doc = _stored(snap, docnum)
    text = article_text(doc["article"])
    if not text.strip():
        return ()
    hits = snap.searcher.more_like(docnum, TEXT_FIELD, text=text, top=limit, numterms=KEY_TERMS)
    mine = doc.get("entities", {})
    out = []
    for hit in hits:
        other = _stored(snap, hit.docnum)
        shared = tuple(
            (kind, values) for kind in SHARED_KINDS if (values := _common(mine.get(kind, ()), other["entities"].get(kind, ())))
        )
        out.append(Related(other["id"], other["article"]["title"], round(float(hit.score or 0.0), 4), shared))
    return tuple(out)


def article_text(article: dict[str, Any]) -> str:
    """Title, lead and every section of a stored article as plain text."""
    parts = [article.get("title") or ""]
    blocks = list(article.get("lead", ()))
    for section in article.get("sections", ()):
        parts.append(section["heading"])
        blocks.extend(section["blocks"])
    for block in blocks:
        parts.extend([block["p"]] if "p" in block else [text for text, _line in block["ul"]])
    return "\n".join(parts)


def _stored(snap: Snapshot, docnum: int) -> dict[str, Any]:
    return json.loads(snap.searcher.stored_fields(docnum)["doc"])


def _common(mine: Any, theirs: Any) -> tuple[str, ...]:
    """Values in both lists, in the source article's order."""
    other = set(theirs)
    return tuple(v for v in dict.fromkeys(mine) if v in other)
