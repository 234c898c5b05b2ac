"""Specification of `indexer.parse`: article bytes -> text -> `Article`, and back.

Read top to bottom, this module is the format's contract:

1. the seed article parses to exactly what a reader sees in it;
2. what real files contain (CRLF, BOM, tabs, blank-line runs, missing parts, unicode
   punctuation, ...) is tolerated;
3. what is really broken (no title, not UTF-8, binary, empty heading) raises
   `ParseError` whose message is exactly "path:line: reason";
4. Hypothesis properties: whitespace never changes a parse, render/parse round-trips,
   and arbitrary input raises nothing but `ParseError`;
5. the 84 real Wikipedia articles in ../shared parse, and their infobox key counts
   agree with the counts published next to them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer.model import Article, BulletList, InfoboxField, ListItem, Paragraph, ParseError, Section
from indexer.parse import clean_line, decode, parse, render

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

SEED_NAME = "000_c979882d02ee9a42.txt"
SEED_CANDIDATES = (REPO / "corpus" / SEED_NAME, SHARED / "seed" / SEED_NAME)

REAL = SHARED / "data" / "wikipedia_raycharles_zim"
REAL_DIR = REAL / "converted_sample_format"
REAL_COUNTS = REAL / "facet_counts_infobox.json"
REAL_FILES = sorted(p.name for p in REAL_DIR.glob("*.txt")) if REAL_DIR.is_dir() else []
REAL_ABSENT = (
    f"real-article sample not found at {REAL_DIR} "
    "(it lives beside the repository, in ../shared, not in a fresh clone)"
)

# No example database: these tests must not write files into the repository.
PROPERTY = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def parse_bytes(data: bytes, path: str = "a.txt") -> Article:
    """What the corpus reader does with a file's bytes."""
    return parse(decode(data, path), path)


def paragraphs(*texts: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(t) for t in texts)


def bullets(*texts: str) -> BulletList:
    return BulletList(tuple(ListItem(t) for t in texts))


def fields(*pairs: tuple[str, str]) -> tuple[InfoboxField, ...]:
    return tuple(InfoboxField(k, v) for k, v in pairs)


def shape(blocks) -> list[tuple[str, int | None]]:
    """Blocks as (kind, number of items) for lists, (kind, None) for paragraphs."""
    return [(type(b).__name__, len(b.items) if isinstance(b, BulletList) else None) for b in blocks]


# ---------------------------------------------------------------------------
# 1. The seed article.


@pytest.fixture(scope="module")
def seed() -> Article:
    for path in SEED_CANDIDATES:
        if path.is_file():
            return parse_bytes(path.read_bytes(), str(path))
    pytest.skip(f"seed article {SEED_NAME} not found in corpus/ or ../shared/seed/")


def section(article: Article, heading: str) -> Section:
    (found,) = [s for s in article.sections if s.heading == heading]
    return found


def test_seed_has_title_and_name(seed):
    assert seed.title == "King's Health Partners"
    assert seed.name == "King's Health Partners"


def test_seed_infobox_has_five_fields_in_file_order(seed):
    assert [(f.key, f.value) for f in seed.infobox] == [
        ("Region", "London"),
        ("Country", "United Kingdom"),
        ("Healthcare", "NHS"),
        ("Type", "Academic health science centre"),
        ("Founded", "2009 (London)"),
    ]


def test_seed_lead_is_two_paragraphs(seed):
    assert shape(seed.lead) == [("Paragraph", None), ("Paragraph", None)]
    assert seed.lead[0].text.startswith("King's Health Partners is an academic health science centre located in London")
    assert seed.lead[0].text.endswith("South London and Maudsley NHS Foundation Trust.")
    assert seed.lead[1].text.endswith("one of the largest centres for healthcare education in Europe.")


def test_seed_sections_are_history_research_teaching(seed):
    assert [(s.heading, s.level) for s in seed.sections] == [("History", 2), ("Research", 2), ("Teaching", 2)]
    assert shape(section(seed, "History").blocks) == [("Paragraph", None)]
    assert shape(section(seed, "Teaching").blocks) == [("Paragraph", None)]


def test_seed_research_is_lead_in_list_lead_in_list(seed):
    research = section(seed, "Research")
    assert shape(research.blocks) == [("Paragraph", None), ("BulletList", 7), ("Paragraph", None), ("BulletList", 10)]
    assert research.blocks[0].text.endswith("including the following:")
    assert research.blocks[2].text.endswith("focused on the following key programme areas:")


def test_seed_research_lists_hold_centres_and_programme_areas(seed):
    centres, areas = (b for b in section(seed, "Research").blocks if isinstance(b, BulletList))
    assert centres.items[0].text == "MRC-Asthma UK Centre in Allergic Mechanisms of Asthma"
    assert centres.items[6].text.startswith("MRC National Institute for Medical Research (MRC NIMR) including")
    assert [i.text for i in areas.items] == [
        "Allergy",
        "Cancer",
        "Cardiovascular",
        "Dental",
        "Dermatology",
        "Diabetes",
        "Inflammation and immunity",
        "Neuroscience and mental health",
        "Reproductive health",
        "Stem cell",
    ]


SEED_LINES = [
    ("first infobox field (Region)", lambda a: a.infobox[0].line, 4),
    ("last infobox field (Founded)", lambda a: a.infobox[-1].line, 8),
    ("first lead paragraph", lambda a: a.lead[0].line, 10),
    ("second lead paragraph", lambda a: a.lead[1].line, 12),
    ("History heading", lambda a: a.sections[0].line, 14),
    ("Research heading", lambda a: a.sections[1].line, 17),
    ("centres lead-in paragraph", lambda a: a.sections[1].blocks[0].line, 19),
    ("first centre item", lambda a: a.sections[1].blocks[1].items[0].line, 20),
    ("first centre list (its first item)", lambda a: a.sections[1].blocks[1].line, 20),
    ("last centre item", lambda a: a.sections[1].blocks[1].items[-1].line, 26),
    ("first programme area item", lambda a: a.sections[1].blocks[3].items[0].line, 30),
    ("Teaching heading", lambda a: a.sections[2].line, 41),
    ("Teaching paragraph", lambda a: a.sections[2].blocks[0].line, 43),
]


@pytest.mark.parametrize(("element", "get_line", "line"), SEED_LINES, ids=[row[0] for row in SEED_LINES])
def test_seed_elements_know_their_line(seed, element, get_line, line):
    assert get_line(seed) == line


def test_seed_renders_back_to_the_same_article(seed):
    assert parse(render(seed)) == seed


# ---------------------------------------------------------------------------
# 2. Tolerance: what real files contain.

BASE_TEXT = """\
= Example Centre =

Example Centre
- Region: London
- Founded: 2009 (London)

Example Centre is a research centre.

==History==
It was founded in 2009.

==Centres==
It includes:
- Centre A
- Centre B
"""

BASE_ARTICLE = Article(
    title="Example Centre",
    name="Example Centre",
    infobox=fields(("Region", "London"), ("Founded", "2009 (London)")),
    lead=paragraphs("Example Centre is a research centre."),
    sections=(
        Section("History", 2, paragraphs("It was founded in 2009.")),
        Section("Centres", 2, (Paragraph("It includes:"), bullets("Centre A", "Centre B"))),
    ),
)


def _lines(transform):
    return lambda text: "\n".join(transform(line) for line in text.split("\n"))


def _bullet_marker(marker):
    return _lines(lambda line: marker + line[1:] if line.startswith("- ") else line)


EQUIVALENT_SPELLINGS = [
    ("LF", lambda t: t.encode()),
    ("CRLF line endings", lambda t: t.replace("\n", "\r\n").encode()),
    ("lone CR line endings", lambda t: t.replace("\n", "\r").encode()),
    ("UTF-8 BOM", lambda t: b"\xef\xbb\xbf" + t.encode()),
    ("UTF-8 BOM and CRLF", lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode()),
    ("no final newline", lambda t: t.rstrip("\n").encode()),
    ("tabs instead of spaces", lambda t: t.replace(" ", "\t").encode()),
    ("indented lines", lambda t: _lines(lambda line: "\t  " + line)(t).encode()),
    ("trailing spaces and tabs", lambda t: _lines(lambda line: line + " \t  ")(t).encode()),
    ("doubled inner spaces", lambda t: t.replace(" ", "  ").encode()),
    ("runs of blank lines", lambda t: ("\n\n" + t.replace("\n\n", "\n\n\n\n") + "\n\n\n").encode()),
    ("blank lines holding whitespace", lambda t: t.replace("\n\n", "\n \t \n").encode()),
    ("no blank lines at all", lambda t: t.replace("\n\n", "\n").encode()),
    (
        "headings with inner spaces",
        lambda t: t.replace("==History==", "== History ==").replace("==Centres==", "==  Centres ==").encode(),
    ),
    ("'*' bullets", lambda t: _bullet_marker("*")(t).encode()),
    ("'•' bullets", lambda t: _bullet_marker("•")(t).encode()),
    ("'--' bullets", lambda t: _bullet_marker("--")(t).encode()),
    ("mixed bullets in one list", lambda t: t.replace("- Centre B", "• Centre B").encode()),
    ("form feed and vertical tab as spaces", lambda t: t.replace(" ", "\x0c").replace("A", "\x0bA").encode()),
]


@pytest.mark.parametrize(("spelling", "spell"), EQUIVALENT_SPELLINGS, ids=[row[0] for row in EQUIVALENT_SPELLINGS])
def test_equivalent_spellings_parse_to_the_same_article(spelling, spell):
    assert parse_bytes(spell(BASE_TEXT)) == BASE_ARTICLE


TOLERATED = [
    (
        "title only",
        "= Lonely =\n",
        Article("Lonely"),
    ),
    (
        "missing infobox",
        "= T =\n\nThe T\n\nT is a thing.\n",
        Article("T", "The T", (), paragraphs("T is a thing.")),
    ),
    (
        "missing name line",
        "= T =\n\n- Region: London\n\nT is a thing.\n",
        Article("T", None, fields(("Region", "London")), paragraphs("T is a thing.")),
    ),
    (
        "infobox directly under the title",
        "= T =\n- Region: London\nT is a thing.\n",
        Article("T", None, fields(("Region", "London")), paragraphs("T is a thing.")),
    ),
    (
        "missing name and infobox",
        "= T =\n\nT is a thing.\n\nIt is old.\n",
        Article("T", None, (), paragraphs("T is a thing.", "It is old.")),
    ),
    (
        "missing lead",
        "= T =\n\nThe T\n- Region: London\n\n==History==\nOld.\n",
        Article("T", "The T", fields(("Region", "London")), (), (Section("History", 2, paragraphs("Old.")),)),
    ),
    (
        "empty sections",
        "= T =\n\nT is a thing.\n\n==A==\n==B==\n\n\n==C==\nText.\n==D==\n",
        Article(
            "T",
            lead=paragraphs("T is a thing."),
            sections=(Section("A", 2), Section("B", 2), Section("C", 2, paragraphs("Text.")), Section("D", 2)),
        ),
    ),
    (
        "subsection levels",
        "= T =\n\n==A==\n===A one===\nOne.\n====A one a====\n==B==\n",
        Article(
            "T",
            sections=(Section("A", 2), Section("A one", 3, paragraphs("One.")), Section("A one a", 4), Section("B", 2)),
        ),
    ),
    (
        "headings with and without inner spaces",
        "= T =\n\n== Spaced ==\n==Tight==\n=== Sub===\n",
        Article("T", sections=(Section("Spaced", 2), Section("Tight", 2), Section("Sub", 3))),
    ),
    (
        "'-', '*' and '•' bullets make one list",
        "= T =\n\nThey are:\n- one\n* two\n• three\n",
        Article("T", lead=(Paragraph("They are:"), bullets("one", "two", "three"))),
    ),
    (
        "blank lines inside a list do not split it",
        "= T =\n\nThey are:\n- one\n\n- two\n",
        Article("T", lead=(Paragraph("They are:"), bullets("one", "two"))),
    ),
    (
        "a paragraph between lists splits them",
        "= T =\n\n- one\nAnd then:\n- two\n",
        Article("T", lead=(bullets("one"), Paragraph("And then:"), bullets("two"))),
    ),
    (
        "empty bullets are ignored",
        "= T =\n\nThey are:\n- one\n-\n*  \n- two\n",
        Article("T", lead=(Paragraph("They are:"), bullets("one", "two"))),
    ),
    (
        "unicode punctuation is kept, non-breaking spaces become spaces",
        "= Ray\u2019s \u201cGenius\u201d \u2013 Live =\n\n\u201cGenius\u201d\n- Recorded: 1954\u20131955\n"
        "- Founded: 2009\u00a0(London)\n\nIt\u2019s a record \u2014 a good one\u2026\n",
        Article(
            "Ray\u2019s \u201cGenius\u201d \u2013 Live",
            "\u201cGenius\u201d",
            fields(("Recorded", "1954\u20131955"), ("Founded", "2009 (London)")),
            paragraphs("It\u2019s a record \u2014 a good one\u2026"),
        ),
    ),
    (
        "infobox value containing colons",
        "= T =\n\nT\n- Length: 3:03\n- Website: http://example.org/a:b\n",
        Article("T", "T", fields(("Length", "3:03"), ("Website", "http://example.org/a:b"))),
    ),
    (
        "infobox key with an empty value",
        "= T =\n\nT\n- Key:\n- Other:   \t\n- Last: x\n",
        Article("T", "T", fields(("Key", ""), ("Other", ""), ("Last", "x"))),
    ),
    (
        "repeated infobox keys are kept in order",
        "= T =\n\nT\n- Genre: Soul\n- Genre: Blues\n",
        Article("T", "T", fields(("Genre", "Soul"), ("Genre", "Blues"))),
    ),
    (
        "infobox keys with punctuation",
        "= T =\n\nT\n- Writer(s): A\n- \u2199Singles: 3\n- No. of episodes: 5\n",
        Article("T", "T", fields(("Writer(s)", "A"), ("\u2199Singles", "3"), ("No. of episodes", "5"))),
    ),
    (
        "a name ending in punctuation is still the name when the infobox follows it",
        "= Soulsation! =\n\nSoulsation!\n- Released: 1995\n",
        Article("Soulsation!", "Soulsation!", fields(("Released", "1995"))),
    ),
    (
        "the infobox ends at the first blank line; key-like bullets after it are a lead list",
        "= T =\n\nT\n- Region: London\n\n- Country: UK\n",
        Article("T", "T", fields(("Region", "London")), (bullets("Country: UK"),)),
    ),
    (
        "the infobox ends at the first bullet that is not 'Key: Value'",
        "= T =\n\nT\n- Region: London\n- just an item\n- Country: UK\n",
        Article("T", "T", fields(("Region", "London")), (bullets("just an item", "Country: UK"),)),
    ),
    (
        "a colon without a following space does not make a key",
        "= T =\n\n- http://example.org\n",
        Article("T", lead=(bullets("http://example.org"),)),
    ),
    (
        "lines that look like titles or headings inside the body are text",
        "= T =\n\nIntro.\n\n= Not a title =\n==H==\n- ==not a heading==\n",
        Article(
            "T",
            lead=paragraphs("Intro.", "= Not a title ="),
            sections=(Section("H", 2, (bullets("==not a heading=="),)),),
        ),
    ),
    (
        "control characters are treated as spaces",
        "= T\x07itle =\n\nA\x1b[0m paragraph.\n",
        Article("T itle", lead=paragraphs("A [0m paragraph.")),
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), TOLERATED, ids=[row[0] for row in TOLERATED])
def test_tolerated_input_parses_to_the_expected_article(case, text, expected):
    assert parse_bytes(text.encode()) == expected


@pytest.mark.parametrize(("case", "text", "expected"), TOLERATED, ids=[row[0] for row in TOLERATED])
def test_tolerated_input_survives_render(case, text, expected):
    assert parse(render(expected)) == expected


def test_line_numbers_count_crlf_and_lone_cr_lines_alike():
    for newline in ("\n", "\r\n", "\r"):
        article = parse_bytes(BASE_TEXT.replace("\n", newline).encode())
        assert [f.line for f in article.infobox] == [4, 5]
        assert [s.line for s in article.sections] == [9, 12]
        assert [i.line for i in article.sections[1].blocks[1].items] == [14, 15]


def test_a_str_is_normalised_like_decoded_bytes():
    """parse() given a str straight from elsewhere treats BOM and CR as decode() does."""
    text = "\ufeff" + BASE_TEXT.replace("\n", "\r")
    assert parse(text) == BASE_ARTICLE


def test_line_numbers_are_not_part_of_equality():
    assert Paragraph("x", line=1) == Paragraph("x", line=99)
    assert parse_bytes(b"\n\n\n" + BASE_TEXT.encode()) == BASE_ARTICLE


# ---------------------------------------------------------------------------
# 3. Errors: what is really broken says where and why.

NO_TITLE = "expected a title line '= Title =', found "
EMPTY = "empty file: expected a title line '= Title ='"
NOT_UTF8 = "not valid UTF-8 (byte 0x{}); save the file as UTF-8"
BINARY = "binary file (contains a NUL byte), not article text"

ERRORS = [
    ("empty file", b"", 1, EMPTY),
    ("whitespace-only file", b"  \n\t\n\r\n\n", 1, EMPTY),
    ("BOM-only file", b"\xef\xbb\xbf\n", 1, EMPTY),
    ("starts with a heading", b"==History==\nText.\n", 1, NO_TITLE + "'==History=='"),
    ("starts with a paragraph after blank lines", b"\n\nSome text.\n= T =\n", 3, NO_TITLE + "'Some text.'"),
    ("starts with a bullet", b"- Region: London\n= T =\n", 1, NO_TITLE + "'- Region: London'"),
    ("starts with an empty bullet", b"-\n= T =\n", 1, NO_TITLE + "'-'"),
    ("empty title", b"= =\n\nText.\n", 1, NO_TITLE + "'= ='"),
    ("empty title with tabs", b"=\t\t=\n", 1, NO_TITLE + "'= ='"),
    ("unclosed title", b"= T\n", 1, NO_TITLE + "'= T'"),
    ("title closed by two marks", b"= T ==\n", 1, NO_TITLE + "'= T =='"),
    ("long first line is shortened", b"x" * 80 + b"\n", 1, NO_TITLE + repr("x" * 57 + "...")),
    ("not UTF-8 on line 4", b"= T =\n\nN\n- Key: caf\xe9\n", 4, NOT_UTF8.format("e9")),
    ("not UTF-8 on line 3 of a CRLF file", b"= T =\r\n\r\n\xff\r\n", 3, NOT_UTF8.format("ff")),
    ("not UTF-8 on line 3 of a lone-CR file", b"= T =\r\rcaf\xe9\r", 3, NOT_UTF8.format("e9")),
    ("Latin-1 title", b"= Caf\xe9 =\n", 1, NOT_UTF8.format("e9")),
    ("truncated UTF-8 sequence at the end", b"= T =\n\nA\n\xe2\x80", 4, NOT_UTF8.format("e2")),
    ("NUL byte on line 5", b"= T =\n\nN\n\nab\x00cd\n", 5, BINARY),
    ("NUL byte on line 2 of a lone-CR file", b"= T =\r\x00\r", 2, BINARY),
    ("UTF-16 file", "= T =\n".encode("utf-16"), 1, BINARY),
    ("empty heading", b"= T =\n\nLead.\n\n== ==\nText.\n", 5, "empty section heading"),
    ("empty heading without spaces", b"= T =\n====\n", 2, "empty section heading"),
    ("empty heading before the title", b"== ==\n= T =\n", 1, "empty section heading"),
]


@pytest.mark.parametrize(("case", "data", "line", "reason"), ERRORS, ids=[row[0] for row in ERRORS])
def test_broken_input_raises_parse_error_with_path_line_and_reason(case, data, line, reason):
    with pytest.raises(ParseError) as info:
        parse_bytes(data, "corpus/bad.txt")
    err = info.value
    assert (err.path, err.line, err.reason) == ("corpus/bad.txt", line, reason)
    assert str(err) == f"corpus/bad.txt:{line}: {reason}"


def test_parse_error_is_a_value_error():
    with pytest.raises(ValueError, match=r"^x\.txt:1: empty file"):
        parse("", "x.txt")


def test_parse_without_a_path_names_the_text():
    with pytest.raises(ParseError) as info:
        parse("no title here")
    assert str(info.value) == "<text>:1: expected a title line '= Title =', found 'no title here'"


# ---------------------------------------------------------------------------
# 4. Properties.

# Building blocks: words that may carry unicode punctuation; lines start with a letter.
LETTER = st.characters(categories=("Lu", "Ll", "Lo", "Nd"))
PUNCT = st.sampled_from(list("\u2019\u2018\u201c\u201d\u2013\u2014\u2026'\"()&,/!?.;"))
WORD = st.text(alphabet=st.one_of(LETTER, PUNCT), min_size=1, max_size=8)
INITIAL = st.text(alphabet=LETTER, min_size=1, max_size=8)
PHRASE = st.builds(lambda first, rest: " ".join([first, *rest]), INITIAL, st.lists(WORD, max_size=6))
SENTENCE = PHRASE.map(lambda p: p.rstrip(".!?;:") + ".")
NAME = st.builds(lambda p, last: f"{p} {last}", PHRASE, INITIAL).filter(lambda s: len(s) <= 150)
KEY = PHRASE.filter(lambda k: len(k) <= 100)
VALUE = st.one_of(st.just(""), PHRASE, st.sampled_from(["3:03", "http://example.org/a:b", "1954\u20131955", ": odd"]))
BULLET_MARK = st.sampled_from(["-", "*", "\u2022"])

# Any text that clean_line leaves as it is (no newline, control characters or extra spaces).
CLEAN = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40).map(clean_line).filter(bool)


def test_clean_line_collapses_whitespace_and_drops_control_characters():
    assert clean_line("\t a \u00a0\x00 b\u2028c  \r") == "a b c"


@PROPERTY
@given(st.text())
def test_clean_line_is_idempotent_and_single_line(text):
    cleaned = clean_line(text)
    assert clean_line(cleaned) == cleaned
    assert "\n" not in cleaned and "\r" not in cleaned and "  " not in cleaned
    assert cleaned == cleaned.strip()


@st.composite
def article_source(draw) -> list[str]:
    """An article in the text format as lines ('' = blank line), canonical spacing, LF."""
    lines = [f"= {draw(PHRASE)} =", ""]
    name = draw(st.none() | NAME)
    infobox = draw(st.lists(st.tuples(KEY, VALUE), max_size=5))
    if name is not None:
        lines.append(name)
    lines.extend(f"- {key}: {value}".rstrip() for key, value in infobox)
    if name is not None or infobox:
        lines.append("")

    def blocks() -> list[str]:
        out: list[str] = []
        for kind in draw(st.lists(st.sampled_from(["paragraph", "list"]), max_size=4)):
            if kind == "paragraph":
                out.append(draw(st.one_of(SENTENCE, PHRASE)))
            else:
                items = draw(st.lists(st.one_of(PHRASE, st.builds("{}: {}".format, KEY, PHRASE)), min_size=1, max_size=4))
                out.extend(f"{draw(BULLET_MARK)} {item}" for item in items)
            out.append("")
        return out

    lines.extend(blocks())
    for _ in range(draw(st.integers(0, 4))):
        marks = "=" * draw(st.integers(2, 5))
        heading = draw(PHRASE)
        inner = draw(st.sampled_from(["", " "]))
        lines.append(f"{marks}{inner}{heading}{inner}{marks}")
        lines.extend(blocks())
    return lines


WHITESPACE = st.sampled_from(["", " ", "\t", "  ", " \t "])


@st.composite
def whitespace_variant(draw, lines: list[str]) -> bytes:
    """The same article with only whitespace changed, as file bytes."""
    out: list[str] = [""] * draw(st.integers(0, 2))  # blank lines before the title
    for line in lines:
        if line == "":
            out.extend(draw(WHITESPACE) for _ in range(draw(st.integers(1, 3))))
            continue
        if draw(st.booleans()):
            line = line.replace(" ", draw(st.sampled_from(["  ", "\t", " \t", "\u00a0"])))
        out.append(draw(WHITESPACE) + line + draw(WHITESPACE))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + newline.join(out) + newline * draw(st.integers(0, 3))).encode()


@PROPERTY
@given(st.data())
def test_whitespace_never_changes_the_parse(data):
    lines = data.draw(article_source(), label="article")
    original = "\n".join(lines) + "\n"
    varied = data.draw(whitespace_variant(lines), label="variant")
    assert parse_bytes(varied) == parse(original)


# Articles the parser can produce, built directly.

PARAGRAPH_TEXT = st.builds(
    lambda first, rest: clean_line(first + rest).rstrip(".") + ".", INITIAL, st.just("") | CLEAN
)
ODD_ITEM = st.sampled_from(
    ["- nested", "* starred", "\u2022 dotted", "==not a heading==", "= not a title =", "Key: value", "a:b"]
)
ITEM_TEXT = st.one_of(CLEAN, PHRASE, ODD_ITEM)
ODD_KEY = st.sampled_from(["-", "- x", "*", "=", "Writer(s)", "\u2199Singles", "No. of episodes"])
KEY_TEXT = st.one_of(CLEAN.filter(lambda k: ":" not in k and len(k) <= 120), ODD_KEY)
VALUE_TEXT = st.one_of(st.just(""), CLEAN, VALUE)
HEADING_TEXT = st.one_of(CLEAN, st.sampled_from(["=", "==", "x =", "x ==", "=x", "a = b"]))


def _merge_adjacent_lists(blocks: list) -> tuple:
    """Two lists with nothing between them are one list: the parser never yields two in a row."""
    out: list = []
    for block in blocks:
        if out and isinstance(block, BulletList) and isinstance(out[-1], BulletList):
            out[-1] = BulletList(out[-1].items + block.items)
        else:
            out.append(block)
    return tuple(out)


BLOCKS = st.lists(
    st.one_of(
        st.builds(Paragraph, PARAGRAPH_TEXT),
        st.lists(ITEM_TEXT, min_size=1, max_size=4).map(lambda items: bullets(*items)),
    ),
    max_size=4,
).map(_merge_adjacent_lists)


@st.composite
def articles(draw) -> Article:
    infobox = tuple(InfoboxField(k, v) for k, v in draw(st.lists(st.tuples(KEY_TEXT, VALUE_TEXT), max_size=5)))
    # Directly above an infobox any text line is the name; otherwise it must look like one.
    name = draw(st.none() | (st.one_of(NAME, PARAGRAPH_TEXT) if infobox else NAME))
    lead = draw(BLOCKS)
    if name is None and not infobox and lead and isinstance(lead[0], BulletList):
        # Right under the title, a 'Key: Value' bullet is an infobox field, not a list item.
        assume(":" not in lead[0].items[0].text)
    sections = draw(st.lists(st.builds(Section, HEADING_TEXT, st.integers(2, 6), BLOCKS), max_size=4))
    return Article(draw(st.one_of(CLEAN, PHRASE)), name, infobox, lead, tuple(sections))


@PROPERTY
@given(articles())
def test_rendered_article_parses_back_to_itself(article):
    assert parse(render(article)) == article


@PROPERTY
@given(articles())
def test_render_is_canonical(article):
    text = render(article)
    assert render(parse(text)) == text
    assert text.endswith("\n") and not text.endswith("\n\n")


# Messy article-like text: every kind of line, with arbitrary content.
ANY_LINE = st.one_of(
    st.sampled_from(["", " ", "\t", "-", "*", "\u2022", "- ", "==", "===", "= =", "= T =", "- :", "- a:", "- a: b"]),
    st.text(max_size=30),
    st.builds("{} {}".format, st.sampled_from(["-", "*", "\u2022", "--", "- -"]), st.text(max_size=20)),
    st.builds("- {}: {}".format, st.text(max_size=12), st.text(max_size=12)),
    st.builds("{0}{1}{0}".format, st.sampled_from(["==", "===", "== ", "==== "]), st.text(max_size=15)),
)
MESSY = st.builds(
    lambda title, lines: "\n".join([f"= {title} =", *lines]),
    st.text(max_size=20),
    st.lists(ANY_LINE, max_size=15),
)


@PROPERTY
@given(MESSY)
def test_parse_render_parse_is_stable_for_any_text_that_parses(text):
    try:
        article = parse(text)
    except ParseError:
        assume(False)
    assert parse(render(article)) == article


@PROPERTY
@given(st.one_of(st.text(), MESSY))
def test_arbitrary_text_raises_nothing_but_parse_error(text):
    try:
        parse(text, "any.txt")
    except ParseError as err:
        assert err.path == "any.txt"
        assert 1 <= err.line <= max(1, text.count("\n") + text.count("\r") + 1)


@PROPERTY
@given(st.one_of(st.binary(), st.binary().map(lambda b: b"= T =\n" + b), MESSY.map(str.encode)))
def test_arbitrary_bytes_raise_nothing_but_parse_error(data):
    try:
        parse(decode(data, "any.txt"), "any.txt")
    except ParseError as err:
        assert err.path == "any.txt"
        assert 1 <= err.line <= data.count(b"\n") + data.count(b"\r") + 1


@PROPERTY
@given(st.binary())
def test_decoded_text_has_lf_line_endings_and_no_bom(data):
    try:
        text = decode(data, "any.txt")
    except ParseError:
        return
    assert "\r" not in text and not text.startswith("\ufeff")


def _outcome(fn):
    try:
        return fn()
    except ParseError as err:
        return (err.line, err.reason)


@PROPERTY
@given(st.one_of(st.text(), MESSY).filter(lambda t: "\x00" not in t))
def test_a_str_parses_like_its_utf8_bytes(text):
    assert _outcome(lambda: parse(text)) == _outcome(lambda: parse_bytes(text.encode(), "<text>"))


# ---------------------------------------------------------------------------
# 5. Real data: 84 Wikipedia articles converted to the format (outside the repo).

needs_real = pytest.mark.skipif(not REAL_FILES, reason=REAL_ABSENT)


def _real(name: str) -> Article:
    path = REAL_DIR / name
    return parse_bytes(path.read_bytes(), str(path))


@needs_real
def test_real_sample_has_84_articles():
    assert len(REAL_FILES) == 84 == json.loads(REAL_COUNTS.read_text())["n_articles"]


@pytest.mark.parametrize("name", REAL_FILES or [pytest.param("(absent)", marks=needs_real)])
def test_real_article_parses_and_survives_render(name):
    article = _real(name)
    assert article.title
    assert parse(render(article)) == article


@needs_real
def test_real_infobox_key_counts_match_published_counts():
    expected = json.loads(REAL_COUNTS.read_text())["infobox_key_doc_counts"]
    counts = Counter(key for name in REAL_FILES for key in {f.key for f in _real(name).infobox})
    assert dict(counts) == expected


WHITESPACE_HEAVY = st.text(alphabet=st.sampled_from(list("ab \t\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029\u3000\x00\x7f")))


@PROPERTY
@given(st.one_of(st.text(), MESSY, WHITESPACE_HEAVY))
def test_lines_cleaned_in_one_pass_equal_each_line_cleaned_alone(text):
    from indexer.parse import _clean_lines

    assert _clean_lines(text) == [clean_line(line) for line in text.split("\n")]
