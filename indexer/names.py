"""Names in text: normalising, cleaning list items, and spotting organisation-shaped names.

Pure and table-driven: the words that make a name an organisation, the connectors
allowed inside one, and the sentence-start words trimmed from its front are module
tables; the functions only walk tokens. `org_names` finds maximal runs of
capitalised words that contain an organisation head word ("Atlantic Records",
"Guy's and St Thomas' NHS Foundation Trust") and rejects everything else. It runs on
every paragraph, so regex searches find the head words and the stretches of capitalised
words around them, and only those stretches are walked word by word.
"""

from __future__ import annotations

import re
from collections import deque
from functools import lru_cache
from typing import Iterator

# Words that make a capitalised run an organisation name.
ORG_HEADS = frozenset(
    """University College Institute Institution Council Trust Hospital Hospitals School
    Department Agency Foundation Centre Center Society Association Board Service Laboratory
    Laboratories Unit Partners Partnership Network Alliance Company Corporation Records Ltd
    plc Inc LLC Ministry Commission Authority Academy Conservatory Federation Consortium
    Clinic Infirmary Executive Fund Bank""".split()
)
# Head words that count only as the last word of a name ("Cancer Research UK").
FINAL_HEADS = frozenset({"UK"})
# Lower-case words allowed between the capitalised words of a name.
CONNECTORS = frozenset("of and for the in on upon & de du des la le van von der".split())
# Connectors that may follow a head word ("Department of Health", "Centre for ...");
# any other connector after a head ends the name ("Atlantic Records and Ray Charles").
HEAD_CONNECTORS = frozenset({"of", "for", "de", "du", "des"})
# Connectors that end a name once it has a head word ("Berklee College of Music in Boston").
PLACE_CONNECTORS = frozenset({"in", "on"})
# Connectors that, after a leading non-head word, show a sentence start ("Released on Sky Records").
VERB_CONNECTORS = frozenset({"in", "on", "the", "for"})
# Capitalised words that start sentences rather than names; trimmed from a name's front.
LEADING_JUNK = frozenset(
    """The A An On In At By For From With Within Under Over After Before During When While
    Although Though As Since Both Its It His Her Their Our Your My This That These Those
    Many Some Several Each Every Then Later Also But And Or If Through Via Between Including
    Unlike Like Following Despite Meanwhile Today However To Of Against Among Along Across
    Into Upon Without According Why How What Where Who Whose Which Once Only Even Yet So
    Recently Former Formerly Currently Now Most More All Other Another Such Both Either""".split()
)
# Country qualifiers dropped before a government body ("the UK Department of Health").
QUALIFIERS = frozenset({"UK", "US", "U.S", "British", "English", "American", "Scottish", "Welsh"})
GOVERNMENT_HEADS = frozenset({"Department", "Ministry", "Government", "Secretary"})
# Words that make a head-bearing run a title, not an organisation ("Genius Loves Company").
TITLE_VERBS = frozenset(
    """Loves Love Meets Keeps Takes Makes Goes Sings Plays Says Is Are Was Were Be Been
    Hits Sees Needs Wants Gets Knows Finds Leaves Comes""".split()
)
# Words that make a head-bearing run something other than an organisation:
# awards, honours, roles, recordings ("Academy Award", "Kennedy Center Honors", "Board President").
NOT_ORG_WORDS = frozenset(
    """Award Awards Prize Prizes Medal Medals Honors Honours Hall Fame President Officer Director
    Chairman Chair Professor Recorder LP EP Album Single Chart Charts Billboard""".split()
)
ABBREVIATIONS = ("St", "Mt", "Ft", "Dr", "Jr", "Sr", "Bros", "Co", "Inc", "Ltd", "Corp")
MAX_NAME_WORDS = 10
MAX_ITEM_WORDS = 12
# Entries kept by the memoised word tests (`_head_flags`, `_base`): words repeat across articles.
MEMO_WORDS = 1 << 16
BREAKER_WINDOW = 80  # characters before a head word first searched for the start of its stretch

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})
# `_QUOTES` as (curly, straight) pairs: replacing them one after another is `str.translate(_QUOTES)`
# (no straight quote is curly), and much faster on non-ASCII text.
_QUOTE_PAIRS = tuple((chr(curly), straight) for curly, straight in _QUOTES.items())
_TOKEN = re.compile(r"\b(?:%s)\.(?=\s)|\w+(?:['./&-]\w+)*'?|&" % "|".join(ABBREVIATIONS))
# Where a `_TOKEN` match may start with a capital: a word character (not a digit, '_' or a-z) with no
# word character before it, and no joiner that follows a word character (the "-B" of "A-B" is inside
# the token "A-B"). Every capitalised token starts at such a place, and each such place starts a token.
_CAPITAL_START = re.compile(r"(?<!\w)(?<!\w['./&-])[^\W\d_a-z]")
# Where a `_TOKEN` match starts with a-z, 0-9 or '_' and is not a connector: a word that ends a stretch
# (see `_runs`). Searched up to an end position, a word cut there ("of-" of "of-X") may pass for a
# connector: a word missed that way only makes `_runs` walk more words.
_BREAKER = re.compile(r"(?<!\w)(?<!\w['./&-])(?!(?:%s)(?!\w|['./&-]\w|'))[0-9_a-z]"
                      % "|".join(sorted(CONNECTORS - {"&"})))
_POSSESSIVE = re.compile(r"(?:'s|')$")
_PARENTHETICAL = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_OPENING = re.compile(r"[(\[]")
_BRACKET = re.compile(r"[()\[\]]")
_REMARK = re.compile(r"\s+[-\u2013\u2014]\s+|:\s")
_COMPOUND = re.compile(
    r",?\s+(?:including|incorporating|comprising|encompassing)\s+(?:the\s+)?"
    r"|,?\s+which\s+(?:includes|incorporates|contains|houses)\s+(?:the\s+)?"
    r"|\s+(?:and|with)\s+its\s+"
)
_COMMA = re.compile(r",\s+")
_ALNUM = re.compile(r"[^\W_]")  # a character for which str.isalnum() is true
_EDGE_PUNCT = " \t.,;:!?*\u2022\u00b7-\u2013\u2014"


def normalise(text: str) -> str:
    """Curly quotes and apostrophes to straight ones, whitespace runs to one space, stripped.

    (`str.split()` splits at exactly the characters that `\\s` matches in a regex.)
    """
    if not text.isascii():  # every curly quote is non-ASCII
        for curly, straight in _QUOTE_PAIRS:
            text = text.replace(curly, straight)
    return " ".join(text.split())


def has_content(text: str) -> bool:
    """True when text has a letter or digit outside parentheses (not `()`-only junk)."""
    if "(" in text or "[" in text:
        text = _PARENTHETICAL.sub("", text)
    return _ALNUM.search(text) is not None


def strip_parentheticals(text: str) -> str:
    """Remove (remarks) and [notes], nested or not; an unclosed '(' cuts the rest."""
    if not _BRACKET.search(text):
        return normalise(text)
    previous = None
    while previous != text:
        previous, text = text, _PARENTHETICAL.sub("", text)
    text = _OPENING.split(text, maxsplit=1)[0]
    return normalise(text.replace(")", " ").replace("]", " "))


def clean_item(text: str) -> str:
    """A list item or value without remarks, parentheticals or edge punctuation."""
    text = strip_parentheticals(normalise(text))
    text = _REMARK.split(text, maxsplit=1)[0].strip(_EDGE_PUNCT)
    if len(text) > 1 and text[0] == text[-1] == '"':
        text = text[1:-1].strip(_EDGE_PUNCT)
    return text


def clean_name(text: str) -> str:
    """A name as a facet value: cleaned, without a ', place' or ', description' tail or a leading 'the'."""
    text = clean_item(text)
    for comma in _COMMA.finditer(text):
        before, after = text[: comma.start()], text[comma.end() :].split()
        if not after or after[0][0].islower() or _has_head(before.split()) or (
                len(after) <= 2 and not _has_head(after)):
            text = before  # "X Hospital, Fulham", "X, part of Y", "X, London"; not "Social, Genetic ... Centre"
            break
    return re.sub(r"^(?:the|The)\s+", "", text.strip(_EDGE_PUNCT))


def split_compound(text: str) -> list[str]:
    """An item naming two ("X including the Y", "X and its Y") -> both names, cleaned."""
    text = strip_parentheticals(normalise(text))
    return [name for name in (clean_name(part) for part in _COMPOUND.split(text)) if name]


def looks_like_name(text: str, max_words: int = MAX_ITEM_WORDS) -> bool:
    """Short, and its first and last words start with a capital letter or digit."""
    words = text.split()
    return 0 < len(words) <= max_words and all(w[0].isupper() or w[0].isdigit() for w in (words[0], words[-1]))


@lru_cache(maxsize=MEMO_WORDS)
def _base(word: str) -> str:
    """A word without a possessive ending ("Guy's" -> "Guy")."""
    return _POSSESSIVE.sub("", word) if len(word) > 2 else word


@lru_cache(maxsize=MEMO_WORDS)
def _head_flags(word: str) -> tuple[bool, bool]:
    """Whether a word is a head word (or hyphenates one) anywhere in a name, and as its last word."""
    base = _base(word)
    anywhere = base in ORG_HEADS or not ORG_HEADS.isdisjoint(base.split("-"))
    return anywhere, anywhere or base in FINAL_HEADS


def _is_head(word: str, final: bool = False) -> bool:
    """Whether a word is a head word; `final`: as the last word of a name (where "UK" is one too)."""
    anywhere, as_last = _head_flags(word)
    return as_last if final else anywhere


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


def _runs(text: str) -> list[list[str]]:
    """Maximal runs of capitalised words and connectors, cut at punctuation and after heads,
    in the stretches of the text that hold a head word (no other run holds an organisation name).

    A stretch starts at a capitalised word and ends at the next word that is neither capitalised
    nor a connector, and runs never cross its ends. A head word's stretch starts at the first
    capitalised word after the last such word before the head: only that stretch is walked token
    by token, and the text between stretches is skipped by regex searches.
    """
    runs: list[list[str]] = []
    pos = 0
    for head in _head_starts(text):
        while pos <= head:  # not yet past the head's stretch
            start = _CAPITAL_START.search(text, _after_last_breaker(text, pos, head))
            if start is None:
                return [r for r in runs if r]
            pos = _stretch_runs(text, start.start(), runs)
    return [r for r in runs if r]


def _after_last_breaker(text: str, pos: int, end: int) -> int:
    """Where the last `_BREAKER` match between pos and end ends (pos if there is none).

    Stretches are short: the characters just before `end` are searched first.
    """
    near = max(pos, end - BREAKER_WINDOW)
    last = deque(_BREAKER.finditer(text, near, end), maxlen=1)
    if not last:
        last = deque(_BREAKER.finditer(text, pos, near), maxlen=1)
    return last[0].end() if last else pos


def _stretch_runs(text: str, start: int, runs: list[list[str]]) -> int:
    """Append the runs from the token at `start` up to the next word that is neither capitalised
    nor a connector; return where that word ends (the end of the text if there is none)."""
    run: list[str] = []
    end = start
    for match in _TOKEN.finditer(text, start):
        word = match.group()
        if not (_is_capitalised(word) or word in CONNECTORS):
            runs.append(run)
            return match.end()
        if text[end : match.start()].strip():
            runs.append(run)
            run = []
        end = match.end()
        if word in CONNECTORS:
            if run and _ends_name(run, word):
                runs.append(run)
                run = [word] if word in PLACE_CONNECTORS else []  # marks a place complement
            elif run:
                run.append(word)
        else:
            if word in LEADING_JUNK and run and run[-1] in CONNECTORS:
                runs.append(run)  # "AmfAR and The Maybach Foundation": a new name starts
                run = []
            run.append(word)
            if _is_head(word) and _POSSESSIVE.search(word):
                runs.append(run)
                run = []
    runs.append(run)
    return len(text)


def _ends_name(run: list[str], connector: str) -> bool:
    """A connector after a head word, or a place connector after any head, ends the name."""
    if _is_head(run[-1]):
        return connector not in HEAD_CONNECTORS
    return connector in PLACE_CONNECTORS and any(_is_head(w) for w in run)


def _without_place(words: list[str]) -> list[str]:
    """'in Hong Kong and Hujiang High School' -> the name after the place complement."""
    if words[0] in PLACE_CONNECTORS:
        for i, word in enumerate(words):
            if word in ("and", "&") and not _has_head(words[:i]):
                return words[i + 1 :]
    return words


def _split_at_and(words: list[str]) -> list[list[str]]:
    """'A Trust and B College', 'A and the B Trust' -> two; 'Guy's and St Thomas' Trust' is one name."""
    for i, word in enumerate(words):
        right = words[i + 1 :]
        both = _has_head(words[:i]) or right[:1] == ["the"]
        if word in ("and", "&") and both and _has_head(right):
            return [words[:i], *_split_at_and(words[i + 1 :])]
    return [words]


@lru_cache(maxsize=MEMO_WORDS)
def _may_be_head(word: str) -> bool:
    """Whether a word of a run can be a head word of a name from it: as it is, or trimmed as its last word."""
    return _is_head(word, final=True) or _is_head(_base(word).rstrip("."), final=True)


def _has_head(words: list[str]) -> bool:
    return any(_is_head(w, final=i == len(words) - 1) for i, w in enumerate(words))


def _trim(words: list[str]) -> list[str]:
    """Drop sentence-start junk, leading qualifiers of government bodies, edge connectors."""
    while words and (words[0] in CONNECTORS or words[0] in LEADING_JUNK or _starts_sentence(words)):
        words = words[1:]
    while words and (words[-1] in CONNECTORS or _is_code_after_head(words)):
        words = words[:-1]
    words = _without_acronym_tail(words)
    if words:
        words = [*words[:-1], _base(words[-1]).rstrip(".")]
    return words


def _starts_sentence(words: list[str]) -> bool:
    """'Released on ...', 'UK Department of ...': a leading word that is not part of the name."""
    if len(words) < 2:
        return False
    if words[0] in QUALIFIERS:
        return _base(words[1]) in GOVERNMENT_HEADS
    return words[1] in VERB_CONNECTORS and not _is_head(words[0])


def _without_acronym_tail(words: list[str]) -> list[str]:
    """'University of Manchester and NHS', 'MRC Unit The Gambia and the MRC' -> the name before 'and'."""
    for i in range(len(words) - 1, 0, -1):
        if words[i] in ("and", "&"):
            tail = [w for w in words[i + 1 :] if w not in CONNECTORS]
            if tail and all(w.isupper() and not _is_head(w, True) for w in tail):
                return words[:i]
            break
    return words


def _is_code_after_head(words: list[str]) -> bool:
    """A trailing all-capitals word after a head is a catalogue code ("Sky Records SKY")."""
    last = words[-1]
    return len(words) > 1 and last.isupper() and last not in FINAL_HEADS and _is_head(words[-2])


def _is_org(words: list[str]) -> bool:
    """A trimmed run is an organisation: 2..10 words, an anchored head word, a modifier, no stop word."""
    if not 2 <= len(words) <= MAX_NAME_WORDS or not _has_head(words):
        return False
    if any(w in TITLE_VERBS or _base(w) in NOT_ORG_WORDS for w in words):
        return False
    last = len(words) - 1
    modifiers = [w for i, w in enumerate(words) if not _is_head(w, final=i == last) and w not in CONNECTORS]
    return bool(modifiers) and _anchored(words)


def _anchored(words: list[str]) -> bool:
    """Some head word is modified ("Wellcome Trust") or complemented ("Department of Health"),
    not merely coordinated with a common word ("Education and Society")."""
    for i, word in enumerate(words):
        if _is_head(word, final=i == len(words) - 1):
            before = words[i - 1] if i else ""
            after = words[i + 1 : i + 3]
            if (before and before not in CONNECTORS) or (len(after) == 2 and after[0] in HEAD_CONNECTORS):
                return True
    return False


# Every organisation name contains a head word (`_is_org` needs `_has_head`), and a head word is a
# whole token, or a part between hyphens, possibly with a possessive: a match of this pattern that
# follows no letter or digit (`_head_starts`). So a text in which it finds nothing has no organisation
# names, and most paragraphs are settled by one search. (Heads are letters only, so a match after a
# letter hides no other; checking that letter in the pattern would make every search much slower.)
_HEAD = re.compile(r"(?:%s)(?![^\W_])" % "|".join(sorted(map(re.escape, ORG_HEADS | FINAL_HEADS))))


def _head_starts(text: str) -> Iterator[int]:
    """Where head words start in a text: the `_HEAD` matches that follow no letter or digit."""
    for match in _HEAD.finditer(text):
        start = match.start()
        if start == 0 or not text[start - 1].isalnum():
            yield start


def org_names(text: str) -> list[str]:
    """Organisation-shaped names in a text, in order, each once."""
    found: list[str] = []
    if not _HEAD.search(text):  # as on normalised text: quotes and spaces are neither letters nor digits
        return found
    for run in _runs(normalise(text)):
        if not any(map(_may_be_head, run)):
            continue
        for part in _split_at_and(_without_place(run)):
            words = _trim(part)
            name = " ".join(words)
            if _is_org(words) and name not in found:
                found.append(name)
    return found
