"""Reading rendered pages in tests: facet checkboxes with their counts, hits, links, chips (stdlib HTML parser)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Page:
    checkboxes: dict[tuple[str, str], tuple[int, bool]] = field(default_factory=dict)  # (facet, value) -> (count, checked)
    hits: list[str] = field(default_factory=list)  # titles, in order
    hit_links: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    chips: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    status: str = ""

    def count(self, facet: str, value: str) -> int:
        return self.checkboxes[(facet, value)][0]

    def facet(self, name: str) -> dict[str, int]:
        return {value: count for (facet, value), (count, _c) in self.checkboxes.items() if facet == name}

    def link_to(self, text: str) -> str:
        return next(href for href, label in self.links if label.strip() == text)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._pending: tuple[str, str, bool] | None = None  # checkbox waiting for its count
        self._in_count = False
        self._text: list[str] | None = None
        self._anchor: dict[str, str] | None = None
        self._in_hit_title = False
        self._in_status = False
        self._chip: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if "id" in a:
            self.page.ids.append(a["id"])
        if tag == "input" and a.get("type") == "checkbox":
            self._pending = (a["name"], a["value"], "checked" in a)
        if tag == "span" and "count" in classes and self._pending:
            self._in_count, self._text = True, []
        if tag == "h2" and "hit-title" in classes:
            self._in_hit_title = True
        if tag == "p" and a.get("id") == "result-status":
            self._in_status, self._text = True, []
        if tag == "a":
            self._anchor, self._text = a, []
            if "chip" in classes:
                self._chip = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._in_count and self._pending and self._text is not None:
            name, value, checked = self._pending
            self.page.checkboxes[(name, value)] = (int("".join(self._text).split()[0].replace(",", "")), checked)
            self._pending, self._in_count, self._text = None, False, None
        if tag == "a" and self._anchor is not None and self._text is not None:
            text = " ".join("".join(self._text).split())
            self.page.links.append((self._anchor.get("href", ""), text))
            if self._in_hit_title:
                self.page.hits.append(text)
                self.page.hit_links.append(self._anchor.get("href", ""))
            if self._chip is not None:
                self.page.chips.append(text)
                self._chip = None
            self._anchor, self._text = None, None
        if tag == "h2":
            self._in_hit_title = False
        if tag == "p" and self._in_status and self._text is not None:
            self.page.status = " ".join("".join(self._text).split())
            self._in_status, self._text = False, None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def scan(html: str) -> Page:
    """The parts of a search or article page that tests look at."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.page
