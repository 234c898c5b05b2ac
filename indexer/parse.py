"""Article text -> `Article`, and back. Pure: no file access.

The format: a `= Title =` line, an optional name line, an infobox of `- Key: Value`
lines directly under it, lead paragraphs, then `==Section==` / `===Subsection===`
headings with paragraphs (one line each) and bullet lists (`-`, `*`, `•`).
Whitespace never changes the parse: line endings, tabs, trailing spaces and runs of
blank lines are normalised away. A file with no title, or that is not UTF-8 text,
raises `ParseError` with its path and line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .model import Article, Block, BulletList, InfoboxField, ListItem, Paragraph, ParseError, Section

MAX_HEADING_LEVEL = 6
MAX_NAME_LENGTH = 150

_TITLE = re.compile(r"^=(?!=)\s*(.*?)\s*(?<!=)=$")
_HEADING = re.compile(r"^(={2,})\s*(.*?)\s*(={2,})$")
_BULLET = re.compile(r"^[-*•]+(?:\s+(.*))?$")
_KEY_VALUE = re.compile(r"^([^:]{1,120}?)\s*:(?:\s+(.*))?$")
# Control characters other than tab and newline, and the Unicode line/paragraph separators.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SPACE_RUN = re.compile(r"\s+")
_SENTENCE_END = (".", "!", "?", ":", ";")


def decode(data: bytes, path: str) -> str:
    """Bytes -> text with LF line endings and no BOM; binary or non-UTF-8 raises ParseError."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ParseError(path, _line_at(data, nul), "binary file (contains a NUL byte), not article text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        reason = f"not valid UTF-8 (byte 0x{bad}); save the file as UTF-8"
        raise ParseError(path, _line_at(data, exc.start), reason) from None
    return _normalise(text)


def _line_at(data: bytes, offset: int) -> int:
    """Line number of byte `offset`, counting CRLF, LF and a lone CR each as one line end."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _normalise(text: str) -> str:
    """Drop a leading BOM; CRLF and lone CR become LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def clean_line(line: str) -> str:
    """One raw line -> its content with whitespace runs collapsed and control characters removed."""
    return _SPACE_RUN.sub(" ", _CONTROL.sub(" ", line)).strip()


class _Line(NamedTuple):  # a tuple: made once per line, so cheaper than a frozen dataclass
    number: int
    kind: str  # "blank", "heading", "bullet", "text"
    text: str
    level: int = 0


def _clean_lines(text: str) -> list[str]:
    """`clean_line` of every line of a normalised text, with one pass of the control-character pattern."""
    return [" ".join(line.split()) for line in _CONTROL.sub(" ", text).split("\n")]  # split(): what \s matches


def _classify(number: int, text: str, path: str) -> _Line:
    """One cleaned line (see `clean_line`) -> what it is: blank, heading, bullet or text."""
    if not text:
        return _Line(number, "blank", "")
    heading = _HEADING.match(text)
    if heading:
        name = heading.group(2).strip()
        if not name:
            raise ParseError(path, number, "empty section heading")
        level = min(len(heading.group(1)), len(heading.group(3)), MAX_HEADING_LEVEL)
        return _Line(number, "heading", name, level)
    bullet = _BULLET.match(text)
    if bullet:
        return _Line(number, "bullet", (bullet.group(1) or "").strip())
    return _Line(number, "text", text)


def _key_value(line: _Line) -> tuple[str, str] | None:
    if line.kind != "bullet":
        return None
    match = _KEY_VALUE.match(line.text)
    if not match or not match.group(1).strip():
        return None
    return match.group(1).strip(), (match.group(2) or "").strip()


def _is_name_like(line: _Line, following: _Line | None) -> bool:
    if line.kind != "text":
        return False
    if following is not None and _key_value(following) is not None:
        return True
    return len(line.text) <= MAX_NAME_LENGTH and not line.text.endswith(_SENTENCE_END)


def parse(text: str, path: str = "<text>") -> Article:
    """Parse one article's text. Raises ParseError(path, line, reason) when it has no title.

    A leading BOM and CRLF / lone CR line endings are accepted here too, as `decode` would
    have normalised them, so a str and its UTF-8 bytes parse alike.
    """
    text = _normalise(text)
    lines = [_classify(n, line, path) for n, line in enumerate(_clean_lines(text), start=1)]
    content = [ln for ln in lines if ln.kind != "blank"]
    if not content:
        raise ParseError(path, 1, "empty file: expected a title line '= Title ='")
    first = content[0]
    title = _TITLE.match(first.text) if first.kind == "text" else None
    if not title or not title.group(1).strip():
        found = clean_line(text.split("\n")[first.number - 1])  # as written, not as classified
        shown = found if len(found) <= 60 else found[:57] + "..."
        raise ParseError(path, first.number, f"expected a title line '= Title =', found {shown!r}")
    pos = lines.index(first) + 1
    name, infobox, pos = _header(lines, pos)
    lead, pos = _blocks(lines, pos)
    sections: list[Section] = []
    while pos < len(lines):
        heading = lines[pos]
        blocks, pos = _blocks(lines, pos + 1)
        sections.append(Section(heading.text, heading.level, blocks, heading.number))
    return Article(title.group(1).strip(), name, infobox, lead, tuple(sections))


def _is_empty(line: _Line) -> bool:
    """A blank line, or a bullet with nothing after it: neither holds content."""
    return line.kind == "blank" or (line.kind == "bullet" and not line.text)


def _next_nonblank(lines: list[_Line], pos: int) -> int:
    while pos < len(lines) and _is_empty(lines[pos]):
        pos += 1
    return pos


def _header(lines: list[_Line], pos: int) -> tuple[str | None, tuple[InfoboxField, ...], int]:
    """The name line and the infobox directly under it (or directly under the title).

    Empty bullets between the title and the name are skipped like blank lines (`_blocks`
    ignores them too), so that `render`, which never writes them, gives the same parse.
    """
    pos = _next_nonblank(lines, pos)
    name = None
    if pos < len(lines):
        following = lines[pos + 1] if pos + 1 < len(lines) else None
        if _is_name_like(lines[pos], following):
            name = lines[pos].text
            pos += 1
    fields: list[InfoboxField] = []
    while pos < len(lines):
        pair = _key_value(lines[pos])
        if pair is None:
            break
        fields.append(InfoboxField(pair[0], pair[1], lines[pos].number))
        pos += 1
    return name, tuple(fields), pos


def _blocks(lines: list[_Line], pos: int) -> tuple[tuple[Block, ...], int]:
    """Paragraphs and bullet lists up to the next heading; blank lines only separate."""
    blocks: list[Block] = []
    items: list[ListItem] = []
    while pos < len(lines) and lines[pos].kind != "heading":
        line = lines[pos]
        if line.kind == "bullet":
            if line.text:
                items.append(ListItem(line.text, line.number))
        elif line.kind == "text":
            if items:
                blocks.append(BulletList(tuple(items)))
                items = []
            blocks.append(Paragraph(line.text, line.number))
        pos += 1
    if items:
        blocks.append(BulletList(tuple(items)))
    return tuple(blocks), pos


def render(article: Article) -> str:
    """Article -> canonical text that parses back to an equal Article."""
    out = [f"= {article.title} =", ""]
    if article.name is not None:
        out.append(article.name)
    out.extend(f"- {f.key}: {f.value}".rstrip() for f in article.infobox)
    if article.name is not None or article.infobox:
        out.append("")
    out.extend(_render_blocks(article.lead))
    for section in article.sections:
        marks = "=" * section.level
        out.append(f"{marks} {section.heading} {marks}")
        out.extend(_render_blocks(section.blocks))
    return "\n".join(out).rstrip("\n") + "\n"


def _render_blocks(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            out.extend(f"- {item.text}" for item in block.items)
        out.append("")
    return out
