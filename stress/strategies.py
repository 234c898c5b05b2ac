"""Hypothesis strategies for hostile corpus files and hostile queries."""

from __future__ import annotations

from hypothesis import strategies as st

from .hostile_corpus import BAD, EITHER, GOOD, Case

_ANY_TEXT = st.characters(blacklist_categories=("Cs",))
_SAFE_TEXT = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="=")
_TITLE = st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=60)
_CONTROL = st.sampled_from([chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\ufeff"])
_INVALID_UTF8 = st.sampled_from([b"\x80", b"\xff", b"\xc0\xaf", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"])


def _line(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    heading = st.tuples(st.integers(1, 12), st.text(alphabet, max_size=40)).map(lambda t: f"{'=' * t[0]}{t[1]}{'=' * t[0]}")
    bullet = st.tuples(st.sampled_from(["-", "*", "•", "--", "- Key:", "-Key:"]), st.text(alphabet, max_size=80))
    return st.one_of(heading, bullet.map(" ".join), st.text(alphabet, max_size=200), st.just(""))


@st.composite
def good_article(draw: st.DrawFn) -> Case:
    """A well-formed article whose body is any unicode except '=', controls and NUL: must be indexed."""
    title = draw(_TITLE)
    lines = draw(st.lists(_line(_SAFE_TEXT).filter(lambda s: "=" not in s), max_size=30))
    text = f"= {title} =\n\n" + "\n".join(lines) + "\n"
    return Case("good", text.encode("utf-8"), GOOD)


@st.composite
def structured_hostile(draw: st.DrawFn) -> Case:
    """Article-shaped text of any unicode, control characters, deep headings: indexed or reported."""
    alphabet = st.one_of(_ANY_TEXT, _CONTROL)
    first = draw(st.one_of(_TITLE.map(lambda t: f"= {t} ="), _line(alphabet)))
    lines = draw(st.lists(_line(alphabet), max_size=60))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return Case("structured", ending.join([first, *lines]).encode("utf-8"), EITHER)


@st.composite
def random_text(draw: st.DrawFn) -> Case:
    return Case("text", draw(st.text(st.one_of(_ANY_TEXT, _CONTROL), max_size=3000)).encode("utf-8"), EITHER)


@st.composite
def random_bytes(draw: st.DrawFn) -> Case:
    data = draw(st.binary(max_size=3000))
    try:
        data.decode("utf-8")
        expect = BAD if b"\x00" in data else EITHER
    except UnicodeDecodeError:
        expect = BAD
    return Case("bytes", data, expect)


@st.composite
def mutated_article(draw: st.DrawFn) -> Case:
    """A good article with NUL bytes or invalid UTF-8 spliced in (must be reported) or huge/deep lines added."""
    base = draw(good_article()).data
    kind = draw(st.sampled_from(["nul", "invalid", "huge", "deep", "truncate"]))
    at = draw(st.integers(0, len(base)))
    if kind == "nul":
        return Case("nul", base[:at] + b"\x00" + base[at:], BAD)
    if kind == "invalid":
        return Case("invalid", base[:at] + draw(_INVALID_UTF8) + base[at:], BAD)
    if kind == "huge":
        line = draw(st.sampled_from(["word ", "x", "é", "🙂 ", "<b>"])) * draw(st.integers(10_000, 200_000))
        return Case("huge", base + line.encode("utf-8") + b"\n", GOOD)
    if kind == "deep":
        depth = draw(st.integers(100, 3000))
        deep = "".join(f"{'=' * (i % 50 + 2)}h{i}{'=' * (i % 50 + 2)}\n" for i in range(depth))
        return Case("deep", base + deep.encode("utf-8"), GOOD)
    return Case("truncated", base[:at], EITHER)


def hostile_file() -> st.SearchStrategy[Case]:
    return st.one_of(good_article(), structured_hostile(), random_text(), random_bytes(), mutated_article())


def hostile_corpus() -> st.SearchStrategy[list[Case]]:
    """One to five hostile files, named uniquely, plus nothing else (a good file is added by the caller)."""
    return st.lists(hostile_file(), min_size=1, max_size=5).map(
        lambda cases: [Case(f"{i:02d}_{c.name}", c.data, c.expect, c.suffix) for i, c in enumerate(cases)]
    )
